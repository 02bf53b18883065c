/**
 * Inserts into RxDB's Dexie storage without reading the documents first.
 *
 * Why: RxDB 17's Dexie `bulkWrite` (`plugins/storage-dexie/rx-storage-instance-dexie.js`)
 * first reads every written id (`getDocsInDb`: one IndexedDB `get` per document), to tell
 * inserts from updates and find conflicts, then writes them all. A first sync writes tens of
 * thousands of documents and their replication metadata that are not there yet: in Chromium
 * those reads were ~0.35 s of the main thread and more of IndexedDB's, for 10,000 licenses and
 * 5,000 contacts (issue 18's first sync; bench profile of the bench page).
 *
 * A write whose rows name no `previous` says the caller believes none of its documents exists
 * (RxDB's own inserts, its downstream's first copy of a document, first-sync.ts). Such a write
 * uses IndexedDB's `add`, which refuses a key already stored (ConstraintError) without a read;
 * only the refused rows are then read, in the same transaction. The outcome is RxDB's own:
 * `categorizeBulkWriteRows` decides with what was in the store (for a row without `previous`
 * over a stored document that is always a 409 conflict carrying the stored document), and the
 * same event bulk goes out on the instance's change stream with the same checkpoint.
 *
 * Not taken (RxDB's own `bulkWrite` runs): any row with `previous`, the same id twice in one
 * write, a closed instance, dev mode (RxDB's extra checks), a schema with attachments.
 * `dexie-insert.test.ts` writes the same rows both ways and pins the internals this uses
 * (`internals`, the private `changes$`) to the installed RxDB.
 */
import {
  categorizeBulkWriteRows,
  ensureNotFalsy,
  type BulkWriteRow,
  type RxDocumentData,
  type RxStorageBulkWriteResponse,
  type RxStorageChangeEvent,
  type EventBulk,
  type RxStorageDefaultCheckpoint,
} from 'rxdb';
import { fromStorageToDexie, getDocsInDb, type RxStorageInstanceDexie } from 'rxdb/plugins/storage-dexie';
import type { Subject } from 'rxjs';

type Row = BulkWriteRow<Record<string, unknown>>;
type Doc = RxDocumentData<Record<string, unknown>>;
/** What the instance keeps private and this path must feed as RxDB's bulkWrite does. */
type WithChanges = { changes$: Subject<EventBulk<RxStorageChangeEvent<Doc>, RxStorageDefaultCheckpoint>> };

/** Dexie's BulkError, by shape: which positions of a bulk operation failed, and why. */
interface BulkFailure {
  name: 'BulkError';
  failuresByPos: Record<number, { name?: string }>;
}
const isBulkFailure = (err: unknown): err is BulkFailure =>
  (err as { name?: string } | null)?.name === 'BulkError' && typeof (err as BulkFailure).failuresByPos === 'object';

/**
 * `rows` written into `instance` as RxDB's bulkWrite would (same response, same stored rows,
 * same event bulk), without reading first; null when the write is not one this path takes
 * (see the module comment) and RxDB's own bulkWrite must run. Errors: whatever IndexedDB throws
 * but ConstraintError (the transaction is then undone, as RxDB's is).
 */
export async function insertWithoutRead(
  instance: RxStorageInstanceDexie<Record<string, unknown>>,
  rows: Row[],
  context: string,
): Promise<RxStorageBulkWriteResponse<Record<string, unknown>> | null> {
  if (instance.closed || instance.devMode || instance.schema.attachments || rows.length === 0) return null;
  const primaryPath = instance.primaryPath as string;
  const ids = new Set<string>();
  for (const row of rows) {
    // RxDB's bulkWrite refuses a row without a revision (SNH): leave that to it.
    if (row.previous || !row.document._rev) return null;
    ids.add(row.document[primaryPath] as string);
  }
  if (ids.size !== rows.length) return null;
  const state = await instance.internals;
  let categorized: ReturnType<typeof categorizeBulkWriteRows<Record<string, unknown>>> | undefined;
  await state.dexieDb.transaction('rw', state.dexieTable, async () => {
    const refused: string[] = [];
    try {
      await state.dexieTable.bulkAdd(rows.map((r) => fromStorageToDexie(state.booleanIndexes, r.document)));
    } catch (err) {
      // Caught inside the transaction, a BulkError keeps the rows that were added.
      if (!isBulkFailure(err)) throw err;
      for (const [pos, failure] of Object.entries(err.failuresByPos)) {
        if (failure?.name !== 'ConstraintError') throw failure;
        refused.push(rows[Number(pos)].document[primaryPath] as string);
      }
    }
    const inDb = new Map<string, Doc>();
    if (refused.length) {
      for (const doc of await getDocsInDb<Record<string, unknown>>(instance.internals, refused)) {
        if (doc) inDb.set(doc[primaryPath] as string, doc);
      }
    }
    categorized = categorizeBulkWriteRows(instance, instance.primaryPath, inDb, rows, context);
    // Rows without `previous` over stored documents are conflicts, never updates; should RxDB
    // ever decide otherwise, what it decides is written.
    if (categorized.bulkUpdateDocs.length) {
      await state.dexieTable.bulkPut(categorized.bulkUpdateDocs.map((r) => fromStorageToDexie(state.booleanIndexes, r.document)));
    }
  });
  const done = ensureNotFalsy(categorized);
  if (done.eventBulk.events.length > 0) {
    const last = ensureNotFalsy(done.newestRow).document;
    done.eventBulk.checkpoint = { id: last[primaryPath] as string, lwt: last._meta.lwt };
    (instance as unknown as WithChanges).changes$.next(done.eventBulk as EventBulk<RxStorageChangeEvent<Doc>, RxStorageDefaultCheckpoint>);
  }
  return { error: done.errors };
}
