/**
 * RxDB's Dexie storage, with queries that read a whole index range in one IndexedDB `getAll`.
 *
 * Why: RxDB 17's Dexie query (`plugins/storage-dexie/dexie-query.js` `dexieQuery`) walks the
 * index with a cursor, one `continue()` — one IndexedDB request and one event — per document.
 * A list that shows every license of an organization reads them all: after the first sync of
 * 100,000 licenses that walk took ~3.3 s of the screen's wait in Chromium (DESIGN §5's lists
 * follow their queries; issue 18's "all listed"). One `getAll` over the same index and key
 * range hands back the same documents, in the same order, in one request.
 *
 * The answer is RxDB's own, step for step: the same index and key range from RxDB's query
 * plan (`getKeyRangeByQueryPlan`), the same conversion of each stored row
 * (`fromDexieToStorage`), the same selector check when the index does not decide it
 * (`getQueryMatcher`) and the same sort when the index does not give it
 * (`getSortComparator`), then `skip` and `limit`. Where the cursor can stop early (a limit on
 * a selector the index does not decide, with the index's order), RxDB's own query runs.
 * `dexie-get-all.test.ts` runs both over the same documents and pins the internals this uses to
 * the installed RxDB.
 */
import { getQueryMatcher, getSortComparator, type PreparedQuery, type RxStorageInstance, type RxStorageQueryResult } from 'rxdb';
import {
  DEXIE_DOCS_TABLE_NAME,
  dexieReplaceIfStartsWithPipe,
  fromDexieToStorage,
  getKeyRangeByQueryPlan,
  type RxStorageInstanceDexie,
} from 'rxdb/plugins/storage-dexie';

type AnyInstance = RxStorageInstance<unknown, unknown, unknown>;

/** `instance` (of RxDB's Dexie storage) answering whole-range queries with one getAll; returns it. */
export function withGetAllQueries<I extends AnyInstance>(instance: I): I {
  const cursorQuery = instance.query.bind(instance);
  instance.query = async (preparedQuery) =>
    (await getAllQuery(instance as unknown as RxStorageInstanceDexie<unknown>, preparedQuery as PreparedQuery<unknown>)) ?? cursorQuery(preparedQuery);
  return instance;
}

/**
 * The query's documents read with one getAll, or null when RxDB's cursor should answer it
 * (closed instance: RxDB's own error; a limited query that filters in the index's order: the
 * cursor stops at the limit).
 */
async function getAllQuery(instance: RxStorageInstanceDexie<unknown>, prepared: PreparedQuery<unknown>): Promise<RxStorageQueryResult<unknown> | null> {
  if (instance.closed) return null;
  const query = prepared.query;
  const plan = prepared.queryPlan;
  const skip = query.skip ?? 0;
  const limit = typeof query.limit === 'number' ? query.limit : Infinity;
  const matcher = plan.selectorSatisfiedByIndex ? null : getQueryMatcher(instance.schema, query);
  if (matcher && limit !== Infinity && plan.sortSatisfiedByIndex) return null;
  const state = await instance.internals;
  let keyRange: IDBKeyRange;
  try {
    keyRange = getKeyRangeByQueryPlan(state.booleanIndexes, plan, state.dexieDb._options.IDBKeyRange);
  } catch (err) {
    // As RxDB: a range IndexedDB refuses (lower above upper) holds nothing.
    if ((err as { name?: string }).name === 'DataError') return { documents: [] };
    throw err;
  }
  const indexName = `[${plan.index.map((field) => dexieReplaceIfStartsWithPipe(field)).join('+')}]`;
  // The index gives the order and decides the selector: read no more than skip + limit.
  const count = !matcher && plan.sortSatisfiedByIndex && limit !== Infinity ? skip + limit : undefined;
  let stored: unknown[] = [];
  await state.dexieDb.transaction('r', state.dexieTable, async (dexieTx) => {
    const index = dexieTx.idbtrans.objectStore(DEXIE_DOCS_TABLE_NAME).index(indexName);
    const request = index.getAll(keyRange, count);
    stored = await new Promise<unknown[]>((resolve, reject) => {
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  });
  let documents = stored.map((row) => fromDexieToStorage(state.booleanIndexes, row)) as never[];
  if (matcher) documents = documents.filter((d) => matcher(d));
  if (!plan.sortSatisfiedByIndex) documents.sort(getSortComparator(instance.schema, query));
  return { documents: documents.slice(skip, skip + limit) };
}
