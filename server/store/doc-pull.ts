/**
 * Reading changes in `seq` order (DESIGN §5): a collection's documents for a pull, an
 * organization's changes for the live streams, and the tombstones of documents that left a
 * reader's sight.
 */
import { sql, type Kysely } from 'kysely';
import type { CollectionName, WireDoc } from '../../shared/schemas';
import type { ScopeCondition } from '../../shared/permissions';
import type { DB } from './schema';
import { columnOf, DOC_ROW, rowOrg, rowToDoc } from './doc-columns';

export interface PullFilter {
  /** The reader sees the documents matching any of these conditions (absent: every document of the org). */
  scope?: readonly ScopeCondition[];
  /** Tombstone audiences the reader belongs to: documents that left their sight come back deleted. */
  audiences?: readonly string[];
}

export interface Tombstone {
  collection: CollectionName;
  doc: WireDoc;
  audience: string;
}

/** The highest change number of an organization. */
export async function currentSeq(db: Kysely<DB>, orgId: string): Promise<number> {
  const row = await db.selectFrom('org_seq').select('seq').where('org_id', '=', orgId).executeTakeFirst();
  return row ? Number(row.seq) : 0;
}

/** Tombstones of a collection (null: of every collection) for these audiences after `since`, as deleted documents. */
export async function pullTombstones(
  db: Kysely<DB>,
  orgId: string,
  collection: CollectionName | null,
  audiences: readonly string[],
  since: number,
  limit: number,
  upTo?: number,
): Promise<Tombstone[]> {
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

/** Documents of one collection of one organization (the catalog, for products) after `since`, in `seq` order. */
export async function pullDocs<C extends CollectionName>(
  db: Kysely<DB>,
  orgId: string,
  collection: C,
  since: number,
  limit: number,
  filter?: PullFilter,
): Promise<{ docs: WireDoc<C>[]; lastSeq: number }> {
  const org = rowOrg(collection, orgId);
  // With tombstones two tables are read: both stop at the counter committed before either
  // read, so a transaction committing in between is taken whole next time, never half.
  const upTo = filter?.audiences?.length ? await currentSeq(db, org) : undefined;
  let q = db
    .selectFrom('docs')
    .select(DOC_ROW)
    .where('org_id', '=', org)
    .where('collection', '=', collection)
    .where('seq', '>', since);
  if (upTo !== undefined) q = q.where('seq', '<=', upTo);
  const scope = filter?.scope;
  if (scope) {
    q = q.where((eb) =>
      eb.or(scope.map((cond) => (cond.values.length ? eb(columnOf(cond.field), 'in', cond.values) : sql<boolean>`1 = 0`))),
    );
  }
  const rows = await q.orderBy('seq').limit(limit).execute();
  let docs = rows.map((r) => rowToDoc<C>(r));
  if (filter?.audiences?.length) {
    const gone = await pullTombstones(db, org, collection, filter.audiences, since, limit, upTo);
    if (gone.length) {
      // One stream in `seq` order: a later state of the same document (seen again) follows its tombstone.
      docs = [...docs, ...gone.map((t) => t.doc as WireDoc<C>)].sort((a, b) => a.seq - b.seq).slice(0, limit);
    }
  }
  return { docs, lastSeq: docs.length ? docs[docs.length - 1].seq : since };
}

/** Every change of an organization after `since`, whatever the collection, in `seq` order (the live streams' tail). */
export async function changesAfter(
  db: Kysely<DB>,
  orgId: string,
  since: number,
  limit: number,
): Promise<{ collection: CollectionName; doc: WireDoc }[]> {
  const rows = await db
    .selectFrom('docs')
    .select(['collection', ...DOC_ROW])
    .where('org_id', '=', orgId)
    .where('seq', '>', since)
    .orderBy('seq')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ collection: r.collection as CollectionName, doc: rowToDoc(r) }));
}

/** Every organization's highest change number (the catalog's too), read at once. */
export async function allCurrentSeqs(db: Kysely<DB>): Promise<Map<string, number>> {
  const rows = await db.selectFrom('org_seq').select(['org_id', 'seq']).execute();
  return new Map(rows.map((r) => [r.org_id, Number(r.seq)]));
}
