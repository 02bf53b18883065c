import { sql, type Kysely, type Transaction } from 'kysely';
import type { CollectionName, WireDoc } from '../../shared/schemas';
import type { DB, DocsTable } from './schema';
import type { Store } from './open-store';
import { audiencesLost, scopeFieldsOf } from '../../shared/permissions';

/** The catalog (products) belongs to no organization; its change counter lives under this key. */
export const CATALOG_ORG = '';

type AnyDoc = Record<string, any> & { id: string; _deleted: boolean };

/** The columns a collection's queries and invariants need, taken from the document. */
export function columnsOf(collection: CollectionName, doc: AnyDoc): Partial<DocsTable> {
  const s = (x: unknown) => (typeof x === 'string' && x !== '' ? x : null);
  return {
    team_id: s(doc.teamId),
    product_id: s(doc.productId),
    order_id: s(doc.orderId),
    status: s(doc.status),
    token: collection === 'invitations' ? s(doc.token) : null,
    assignee_account_id: s(doc.assignee?.accountId ?? doc.account?.id),
    invitation_id: s(doc.invitationId ?? doc.assignedVia),
    account_id: s(doc.accountId),
    email: s(doc.email),
  };
}

export function rowToDoc<C extends CollectionName>(row: Pick<DocsTable, 'data' | 'seq' | 'updated_at' | 'deleted'>): WireDoc<C> {
  const doc = JSON.parse(row.data);
  doc.seq = Number(row.seq);
  doc.updatedAt = row.updated_at;
  doc._deleted = !!Number(row.deleted);
  return doc;
}

export async function getDoc<C extends CollectionName>(
  db: Kysely<DB>,
  collection: C,
  id: string,
): Promise<WireDoc<C> | undefined> {
  const row = await db
    .selectFrom('docs')
    .select(['data', 'seq', 'updated_at', 'deleted', 'org_id'])
    .where('collection', '=', collection)
    .where('id', '=', id)
    .executeTakeFirst();
  return row ? rowToDoc<C>(row) : undefined;
}

export interface OrgWriter {
  tx: Transaction<DB>;
  orgId: string;
  now: string;
  get<C extends CollectionName>(collection: C, id: string): Promise<WireDoc<C> | undefined>;
  /**
   * Writes a document with the next change number; returns it as stored. When a field that
   * decides who sees the document changes (a license moved to another team, revoked…), the
   * old state is first kept as a tombstone for the audience that loses it. `previous` is the
   * stored state when the caller has it (null: a new document); else it is read here.
   */
  put<C extends CollectionName>(
    collection: C,
    doc: Omit<WireDoc<C>, 'seq' | 'updatedAt'> & Partial<Pick<WireDoc<C>, 'seq' | 'updatedAt'>>,
    previous?: WireDoc | null,
  ): Promise<WireDoc<C>>;
  /** Records the old state of a document for an audience that just lost sight of it. */
  tombstone(collection: CollectionName, doc: WireDoc, audience: string): Promise<void>;
  /** Every document written so far in this transaction. */
  written: { collection: CollectionName; doc: WireDoc }[];
}

/**
 * Runs `fn` in one transaction holding the organization's change counter. On PostgreSQL
 * the counter row stays locked until commit, so writers of one organization commit in
 * `seq` order and a pull can never pass over a change that commits late.
 */
export async function orgTx<T>(
  store: Store,
  orgId: string,
  now: Date,
  fn: (w: OrgWriter) => Promise<T>,
): Promise<T> {
  let changed = false;
  const result = await store.db.transaction().execute(async (tx) => {
    await tx.insertInto('org_seq').values({ org_id: orgId, seq: 0 }).onConflict((oc) => oc.column('org_id').doNothing()).execute();
    const locked = await tx
      .updateTable('org_seq')
      .set({ seq: sql`seq` })
      .where('org_id', '=', orgId)
      .returning('seq')
      .executeTakeFirstOrThrow();
    let seq = Number(locked.seq);
    const nowIso = now.toISOString();
    const written: OrgWriter['written'] = [];
    const w: OrgWriter = {
      tx,
      orgId,
      now: nowIso,
      written,
      get: (collection, id) => getDoc(tx, collection, id),
      async put(collection, input, previous) {
        if (scopeFieldsOf(collection).some((f) => f !== 'id')) {
          const prev = previous === undefined ? await getDoc(tx, collection, input.id) : previous;
          if (prev && !prev._deleted) {
            for (const audience of audiencesLost(collection, prev, input)) await w.tombstone(collection, prev, audience);
          }
        }
        seq += 1;
        const doc = { ...input, seq, updatedAt: nowIso } as AnyDoc;
        const { _deleted, ...rest } = doc;
        const row = {
          collection,
          id: doc.id,
          org_id: collection === 'products' ? CATALOG_ORG : orgId,
          seq,
          updated_at: nowIso,
          deleted: _deleted ? 1 : 0,
          data: JSON.stringify(rest),
          ...columnsOf(collection, doc),
        };
        await tx
          .insertInto('docs')
          .values(row)
          .onConflict((oc) =>
            oc.columns(['collection', 'id']).doUpdateSet((eb) => ({
              seq: eb.ref('excluded.seq'),
              updated_at: eb.ref('excluded.updated_at'),
              deleted: eb.ref('excluded.deleted'),
              data: eb.ref('excluded.data'),
              team_id: eb.ref('excluded.team_id'),
              product_id: eb.ref('excluded.product_id'),
              order_id: eb.ref('excluded.order_id'),
              status: eb.ref('excluded.status'),
              token: eb.ref('excluded.token'),
              assignee_account_id: eb.ref('excluded.assignee_account_id'),
              invitation_id: eb.ref('excluded.invitation_id'),
              account_id: eb.ref('excluded.account_id'),
              email: eb.ref('excluded.email'),
            })),
          )
          .execute();
        const stored = doc as unknown as WireDoc;
        written.push({ collection, doc: stored });
        return stored as any;
      },
      async tombstone(collection, doc, audience) {
        seq += 1;
        const { _deleted, ...rest } = doc as AnyDoc;
        await tx
          .insertInto('tombstones')
          .values({ org_id: orgId, collection, id: doc.id, seq, audience, data: JSON.stringify({ ...rest, seq, updatedAt: nowIso }) })
          .execute();
      },
    };
    const out = await fn(w);
    if (seq !== Number(locked.seq)) {
      changed = true;
      await tx.updateTable('org_seq').set({ seq }).where('org_id', '=', orgId).execute();
      await store.notifyInTx(tx, orgId);
    }
    return out;
  });
  if (changed) store.notifyAfterCommit(orgId);
  return result;
}

export interface PullFilter {
  /** Extra SQL conditions on the docs table (visibility); none = everything of the org. */
  where?: (qb: any) => any;
  /** Tombstone audiences the reader belongs to: documents that left their sight come back deleted. */
  audiences?: string[];
}

/** Tombstones of a collection for these audiences after `since`, as deleted documents. */
export async function pullTombstones(
  db: Kysely<DB>,
  orgId: string,
  collection: CollectionName | null,
  audiences: string[],
  since: number,
  limit: number,
  upTo?: number,
): Promise<{ collection: CollectionName; doc: WireDoc; audience: string }[]> {
  if (!audiences.length && collection !== null) return [];
  let q = db
    .selectFrom('tombstones')
    .select(['collection', 'seq', 'audience', 'data'])
    .where('org_id', '=', orgId)
    .where('seq', '>', since);
  if (collection !== null) q = q.where('collection', '=', collection).where('audience', 'in', audiences);
  if (upTo !== undefined) q = q.where('seq', '<=', upTo);
  const rows = await q.orderBy('seq').limit(limit).execute();
  return rows.map((r) => {
    const doc = JSON.parse(r.data);
    doc.seq = Number(r.seq);
    doc._deleted = true;
    return { collection: r.collection as CollectionName, doc, audience: r.audience };
  });
}

/** Documents of one collection of one organization after `since`, in `seq` order. */
export async function pullDocs<C extends CollectionName>(
  db: Kysely<DB>,
  orgId: string,
  collection: C,
  since: number,
  limit: number,
  filter?: PullFilter,
): Promise<{ docs: WireDoc<C>[]; lastSeq: number }> {
  // With tombstones two tables are read: both stop at the counter committed before either
  // read, so a transaction committing in between is taken whole next time, never half.
  const upTo = filter?.audiences?.length ? await currentSeq(db, orgId) : undefined;
  let q = db
    .selectFrom('docs')
    .select(['data', 'seq', 'updated_at', 'deleted'])
    .where('org_id', '=', collection === 'products' ? CATALOG_ORG : orgId)
    .where('collection', '=', collection)
    .where('seq', '>', since);
  if (upTo !== undefined) q = q.where('seq', '<=', upTo);
  if (filter?.where) q = filter.where(q);
  const rows = await q.orderBy('seq').limit(limit).execute();
  let docs = rows.map((r) => rowToDoc<C>(r));
  if (filter?.audiences?.length) {
    const gone = await pullTombstones(db, orgId, collection, filter.audiences, since, limit, upTo);
    if (gone.length) {
      // One stream in `seq` order: a later state of the same document (seen again) follows its tombstone.
      docs = [...docs, ...gone.map((t) => t.doc as WireDoc<C>)].sort((a, b) => a.seq - b.seq).slice(0, limit);
    }
  }
  return { docs, lastSeq: docs.length ? docs[docs.length - 1].seq : since };
}

/** The highest change number of an organization. */
export async function currentSeq(db: Kysely<DB>, orgId: string): Promise<number> {
  const row = await db.selectFrom('org_seq').select('seq').where('org_id', '=', orgId).executeTakeFirst();
  return row ? Number(row.seq) : 0;
}
