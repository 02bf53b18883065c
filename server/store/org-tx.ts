/**
 * Writing documents: every write of an organization's documents happens in one transaction
 * holding its change counter (DESIGN §5 "Change numbers").
 */
import { CompiledQuery, sql, type Insertable, type QueryCreator, type Transaction } from 'kysely';
import type { CollectionName, WireDoc } from '../../shared/schemas';
import { audiencesLost, scopeFieldsOf } from '../../shared/permissions';
import { INDEXED_FIELDS } from '../../shared/doc-fields';
import type { DB, DocsTable, OutboxTable } from './schema';
import { IDLE_IN_TRANSACTION_MS, type Store } from './open-store';
import { CATALOG_ORG, columnOf, columnsOf } from './doc-columns';
import { findDoc } from './docs-query';
import { compiledOnce, keepPrepared } from './compiled-once';
import { insertOutboxRow } from './outbox';

export interface OrgWriter {
  tx: Transaction<DB>;
  orgId: string;
  /** The transaction's time (ISO 8601, UTC): every document it writes carries it as updatedAt. */
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
  /**
   * Writes new documents (ids no stored document has) in multi-row statements of
   * INSERT_CHUNK rows, each with the next change number: what an order's thousands of licenses
   * take, in a few statements instead of one per document. Returns them as stored.
   */
  insertNew<C extends CollectionName>(collection: C, docs: Omit<WireDoc<C>, 'seq' | 'updatedAt'>[]): Promise<WireDoc<C>[]>;
  /** Records the old state of a document for an audience that just lost sight of it. */
  tombstone(collection: CollectionName, doc: WireDoc, audience: string): Promise<void>;
  /**
   * Holds `key` until this transaction ends, across organizations: two transactions of
   * different organizations that must not pass each other (adding one person in two places)
   * take the same key. PostgreSQL: an advisory lock; SQLite has one writer at a time already.
   */
  lock(key: string): Promise<void>;
  /** Every document written so far in this transaction. */
  written: { collection: CollectionName; doc: WireDoc }[];
  /**
   * Runs `fn` inside a savepoint of this transaction: when it throws, its writes (documents,
   * change numbers, outbox rows) are undone and the rest of the transaction goes on. Settles
   * with what `fn` returned or threw; several claims share one transaction this way.
   */
  attempt<T>(fn: () => Promise<T>): Promise<PromiseSettledResult<T>>;
  /**
   * Runs `fn` with its document writes (put) held back and sent together, in one multi-row
   * statement, when `fn` ends — or earlier, before `get`, before a put that reads the stored
   * state or writes a document already held back, and before insertNew. A claim's four
   * documents (license, acceptance, notification, audit event) are one statement instead of
   * four: on PostgreSQL three fewer round trips inside the organization's group. Only for work
   * whose own reads through `tx` do not read what it put (they would not see it yet). On
   * SQLite (no round trips) writes go at once, as outside it. Settles
   * as `fn`; when `fn` throws, what it held back is dropped with it (the transaction or the
   * savepoint running it is rolled back by the caller, as for any throw).
   */
  deferring<T>(fn: () => Promise<T>): Promise<T>;
  /**
   * Queues an outbox row whose dedupe key cannot have been queued before (it names a document
   * this transaction made, as a claim's email names its new acceptance): while deferring on
   * PostgreSQL it is held and goes in the held documents' one statement, else it is inserted
   * now. A key queued before after all fails the statement (unique violation), and with it
   * the transaction: it is never silently dropped. Rows whose key may repeat use
   * insertOutboxRow (store/outbox.ts).
   */
  queueNewOutbox(row: Insertable<OutboxTable>): Promise<void>;
  /**
   * A read made once per transaction under `key` and its answer shared by whoever asks again
   * (the claims of one group read the same invitation, names and recipients). Only for what no
   * work in the transaction writes.
   */
  memo<T>(key: string, read: () => Promise<T>): Promise<T>;
}

type AnyDoc = Record<string, unknown> & { id: string; _deleted: boolean };

/** Rows per statement of insertNew: well within PostgreSQL's 65,535 parameters and SQLite's 32,766. */
const INSERT_CHUNK = 250;

const UPSERT_COLUMNS = ['seq', 'updated_at', 'deleted', 'data', ...INDEXED_FIELDS.map((f) => columnOf(f))] as const;

type DocsRow = Insertable<DocsTable>;

type OutboxRow = Insertable<OutboxTable>;

/** The docs upsert's SQL text per store and shape (row count, and outbox rows going with it): compiled once, as Kysely would compile it, then reused. */
const upsertSql = new WeakMap<Store, Map<string, string>>();

/**
 * Writes docs rows, each replacing the stored row of its key if any: every column but the key
 * takes the new row's value (the columns of shared/doc-fields.ts included). Several rows go in
 * one statement (distinct keys: PostgreSQL refuses one statement that updates a row twice).
 * `outbox` rows (PostgreSQL only) are inserted by the same statement, as a data-modifying
 * WITH: one round trip for both. Kysely builds and compiles each query anew, and this is the
 * statement every write runs: its text is compiled once per store and shape (rows always carry
 * the same columns in the same order, so the parameters are the rows' values in order; checked
 * on that first compile) and run as a compiled query after that.
 */
async function upsertRows(store: Store, tx: Transaction<DB>, rows: DocsRow[], outbox: OutboxRow[] = []): Promise<void> {
  let texts = upsertSql.get(store);
  if (!texts) upsertSql.set(store, (texts = new Map()));
  const values = [...outbox.flatMap((r) => Object.values(r)), ...rows.flatMap((r) => Object.values(r))];
  const shape = `${rows.length}:${outbox.length}:${outbox[0] ? Object.keys(outbox[0]).join() : ''}`;
  const text = texts.get(shape);
  if (text !== undefined) {
    await tx.executeQuery(CompiledQuery.raw(text, values));
    return;
  }
  // Outbox rows go first, as a data-modifying WITH of the docs upsert (or alone).
  // (The WITH names a table, `queued`, that nothing reads: typed as the plain query creator.)
  const front = (outbox.length ? tx.with('queued', (db) => db.insertInto('outbox').values(outbox)) : tx) as unknown as QueryCreator<DB>;
  const compiled =
    rows.length === 0
      ? tx.insertInto('outbox').values(outbox).compile()
      : front
          .insertInto('docs')
          .values(rows)
          .onConflict((oc) =>
            oc.columns(['collection', 'id']).doUpdateSet((eb) => Object.fromEntries(UPSERT_COLUMNS.map((column) => [column, eb.ref(`excluded.${column}`)]))),
          )
          .compile();
  const sameShape = [rows, outbox].every((list) => list.every((r) => Object.keys(r).join() === Object.keys(list[0]).join()));
  if (sameShape && compiled.parameters.length === values.length && compiled.parameters.every((p, i) => p === values[i])) {
    texts.set(shape, compiled.sql);
    keepPrepared(compiled.sql);
  }
  await tx.executeQuery(compiled);
}

/**
 * How long (ms) an organization's transaction waits for its change counter (PostgreSQL
 * `lock_timeout`, set for that transaction) before it fails as `busy` (55P03, answered 503 and
 * tried again). Writers of one organization queue on the counter, and a waiter whose instance
 * froze keeps its place in that queue: once PostgreSQL ended the frozen holder
 * (IDLE_IN_TRANSACTION_MS) the next frozen waiter took the counter and held it as long again,
 * so the live instances' writers waited that long for each frozen one ahead of them. Shorter
 * than the idle limit, so the frozen waiters have left the queue by the time their holder is
 * ended; far longer than any organization's transaction takes (a 10,000-seat order: ~0.5 s).
 */
const COUNTER_WAIT_MS = IDLE_IN_TRANSACTION_MS - 2_000;

/**
 * Runs `fn` in one transaction holding the organization's change counter. On PostgreSQL
 * the counter row stays locked until commit, so writers of one organization commit in
 * `seq` order and a pull can never pass over a change that commits late.
 */
export async function orgTx<T>(store: Store, orgId: string, now: Date, fn: (w: OrgWriter) => Promise<T>): Promise<T> {
  let changed = false;
  const result = await store.db.transaction().execute(async (tx) => {
    // Every transaction of every writer runs these: compiled once (and prepared, on PostgreSQL).
    // The counter row made if missing and locked (an upsert locks the row it finds, as an
    // update does) and read, in one statement.
    // On PostgreSQL the same statement first bounds how long this transaction waits for the
    // counter (COUNTER_WAIT_MS): see there.
    const [locked] = await compiledOnce(tx, 'org_seq:take', [orgId, 0], () =>
      (store.dialect === 'postgres'
        ? tx
            .insertInto('org_seq')
            .columns(['org_id', 'seq'])
            .expression(
              tx
                .selectNoFrom([sql<string>`${orgId}::varchar`.as('org_id'), sql<number>`${0}::integer`.as('seq')])
                .where(sql<boolean>`set_config('lock_timeout', ${sql.lit(`${COUNTER_WAIT_MS}ms`)}, true) is not null`),
            )
        : tx.insertInto('org_seq').values({ org_id: orgId, seq: 0 })
      )
        .onConflict((oc) => oc.column('org_id').doUpdateSet({ seq: sql`org_seq.seq` }))
        .returning('seq'),
    );
    if (!locked) throw new Error(`the change counter of organization ${orgId} could not be locked`);
    let seq = Number(locked.seq);
    const nowIso = now.toISOString();
    const written: OrgWriter['written'] = [];
    let savepoints = 0;
    const memos = new Map<string, Promise<unknown>>();
    // The rows put while deferring (null: not deferring), keyed by collection and id.
    let held: Map<string, DocsRow> | null = null;
    // The outbox rows queued while deferring, written by the same statement as the held documents.
    const heldOutbox: OutboxRow[] = [];
    const flushHeld = async () => {
      if (!held?.size && !heldOutbox.length) return;
      const rows = held ? [...held.values()] : [];
      held?.clear();
      const outbox = heldOutbox.splice(0);
      await upsertRows(store, tx, rows, outbox);
    };
    const w: OrgWriter = {
      tx,
      orgId,
      now: nowIso,
      written,
      async get(collection, id) {
        // Only a held version of this very document is not in the table yet: any other read by
        // id finds what it would after a flush (a claim's team and product names, read after
        // its license is put, no longer split the claim's writes into two statements).
        if (held?.has(`${collection}\n${id}`)) await flushHeld();
        return findDoc(tx, collection, id);
      },
      async put(collection, input, previous) {
        if (scopeFieldsOf(collection).some((f) => f !== 'id')) {
          const prev = previous === undefined ? await w.get(collection, input.id) : previous;
          if (prev && !prev._deleted) {
            for (const audience of audiencesLost(collection, prev, input)) await w.tombstone(collection, prev, audience);
          }
        }
        seq += 1;
        const doc = { ...input, seq, updatedAt: nowIso } as unknown as AnyDoc;
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
        if (held) {
          const key = `${collection}\n${doc.id}`;
          // A document put twice: the first write goes now (one statement may not touch a row twice).
          if (held.has(key)) await flushHeld();
          held.set(key, row);
        } else {
          await upsertRows(store, tx, [row]);
        }
        const stored = doc as unknown as WireDoc<typeof collection>;
        written.push({ collection, doc: stored });
        return stored;
      },
      async insertNew(collection, inputs) {
        await flushHeld();
        const out: WireDoc<typeof collection>[] = [];
        for (let at = 0; at < inputs.length; at += INSERT_CHUNK) {
          const rows = inputs.slice(at, at + INSERT_CHUNK).map((input) => {
            seq += 1;
            const doc = { ...input, seq, updatedAt: nowIso } as unknown as AnyDoc;
            const { _deleted, ...rest } = doc;
            out.push(doc as unknown as WireDoc<typeof collection>);
            return {
              collection,
              id: doc.id,
              org_id: collection === 'products' ? CATALOG_ORG : orgId,
              seq,
              updated_at: nowIso,
              deleted: _deleted ? 1 : 0,
              data: JSON.stringify(rest),
              ...columnsOf(collection, doc),
            };
          });
          await tx.insertInto('docs').values(rows).execute();
        }
        for (const doc of out) written.push({ collection, doc });
        return out;
      },
      async tombstone(collection, doc, audience) {
        seq += 1;
        const { _deleted, ...rest } = doc as AnyDoc;
        await tx
          .insertInto('tombstones')
          .values({ org_id: orgId, collection, id: doc.id, seq, audience, data: JSON.stringify({ ...rest, seq, updatedAt: nowIso }) })
          .execute();
      },
      async lock(key) {
        if (store.dialect === 'postgres') await sql`select pg_advisory_xact_lock(hashtext(${key}))`.execute(tx);
      },
      async deferring(fn) {
        // SQLite runs in this process (no round trip to save), and there a multi-row upsert
        // costs more than its rows one by one (measured: ~50 µs for two rows against 2 × 17 µs).
        if (held || store.dialect !== 'postgres') return fn();
        held = new Map();
        try {
          const value = await fn();
          await flushHeld();
          return value;
        } finally {
          held = null;
          heldOutbox.length = 0;
        }
      },
      async queueNewOutbox(row) {
        if (held) heldOutbox.push(row);
        else if (!(await insertOutboxRow(tx, row))) throw new Error(`outbox key ${row.dedupe_key} was queued before`);
      },
      memo<T>(key: string, read: () => Promise<T>): Promise<T> {
        let found = memos.get(key) as Promise<T> | undefined;
        if (!found) {
          found = read();
          memos.set(key, found);
          found.catch(() => memos.delete(key));
        }
        return found;
      },
      async attempt(fn) {
        // Inside a savepoint nothing is held back: what was held goes first (the savepoint must
        // not undo it), and what fn puts is written at once (a rollback to it must undo it).
        const outer = held;
        if (outer) {
          await flushHeld();
          held = null;
        }
        const name = sql.raw(`allot_attempt_${++savepoints}`);
        const [seqBefore, writtenBefore] = [seq, written.length];
        await sql`savepoint ${name}`.execute(tx);
        try {
          const value = await fn();
          await sql`release savepoint ${name}`.execute(tx);
          return { status: 'fulfilled', value };
        } catch (reason) {
          await sql`rollback to savepoint ${name}`.execute(tx);
          await sql`release savepoint ${name}`.execute(tx);
          seq = seqBefore;
          written.length = writtenBefore;
          return { status: 'rejected', reason };
        } finally {
          held = outer;
        }
      },
    };
    const out = await fn(w);
    if (seq !== Number(locked.seq)) {
      changed = true;
      await compiledOnce(tx, 'org_seq:set', [seq, orgId], () => tx.updateTable('org_seq').set({ seq }).where('org_id', '=', orgId));
      await store.notifyInTx(tx, orgId);
    }
    return out;
  });
  if (changed) store.notifyAfterCommit(orgId);
  return result;
}

/** Runs `fn` in a plain transaction (writes that belong to no organization: sign-in tokens, their mail). */
export function plainTx<T>(store: Store, fn: (tx: Transaction<DB>) => Promise<T>): Promise<T> {
  return store.db.transaction().execute(fn);
}
