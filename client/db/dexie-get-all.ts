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
 *
 * A query of the whole collection (its selector names no field but `_deleted`, no limit: the
 * Licenses list) reads the table itself, in primary-key order, with one getAll instead of one
 * through an index: IndexedDB walks its rows in order rather than looking each one up from an
 * index entry (in Chromium, 100,000 licenses came back in 1.4 s instead of 2.1 s; read 10,000
 * a request, with the next request made as each answer came, they took 2.6 s). Deleted rows
 * are read and dropped by RxDB's selector check; the order is then RxDB's sort, unless the
 * query asks for primary-key order, which the table already has.
 *
 * Stored rows are turned back into RxDB's documents in place when no key in them carries
 * Dexie's pipe substitute (`fromDexieToStorage` copies every object of every row to rename
 * such keys); the rows are the request's own fresh copies, so nothing else sees them.
 */
import { getQueryMatcher, getSortComparator, type MangoQuery, type PreparedQuery, type RxStorageInstance, type RxStorageQueryResult } from 'rxdb';
import {
  DEXIE_DOCS_TABLE_NAME,
  DEXIE_PIPE_SUBSTITUTE,
  dexieReplaceIfStartsWithPipe,
  fromDexieToStorage,
  getKeyRangeByQueryPlan,
  type RxStorageInstanceDexie,
} from 'rxdb/plugins/storage-dexie';
import { getProperty, setProperty } from 'rxdb/plugins/utils';

type AnyInstance = RxStorageInstance<unknown, unknown, unknown>;

/** `instance` (of RxDB's Dexie storage) answering whole-range and whole-collection queries with one getAll; returns it. */
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
  const wholeTable = limit === Infinity && selectsWholeTable(query);
  let stored: unknown[] = [];
  await state.dexieDb.transaction('r', state.dexieTable, async (dexieTx) => {
    const table = dexieTx.idbtrans.objectStore(DEXIE_DOCS_TABLE_NAME);
    const request = wholeTable ? table.getAll() : table.index(indexName).getAll(keyRange, count);
    stored = await new Promise<unknown[]>((resolve, reject) => {
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  });
  let documents = stored.map((row) => fromStoredRow(state.booleanIndexes, row)) as never[];
  if (wholeTable) {
    // The index's range no longer decides the selector: every row is checked.
    const match = matcher ?? getQueryMatcher(instance.schema, query);
    documents = documents.filter((d) => match(d));
    if (!inPrimaryKeyOrder(query, instance.primaryPath as string)) documents.sort(getSortComparator(instance.schema, query));
    return { documents: skip ? documents.slice(skip) : documents };
  }
  if (matcher) documents = documents.filter((d) => matcher(d));
  if (!plan.sortSatisfiedByIndex) documents.sort(getSortComparator(instance.schema, query));
  return { documents: documents.slice(skip, skip + limit) };
}

/** True when the query's selector names no field but `_deleted` (the whole collection, or all of its deleted documents). */
function selectsWholeTable(query: MangoQuery<unknown>): boolean {
  return Object.keys(query.selector ?? {}).every((field) => field === '_deleted');
}

/** True when the query's sort is the primary key ascending, after any `_deleted` (which a whole-table selector fixes). */
function inPrimaryKeyOrder(query: MangoQuery<unknown>, primaryPath: string): boolean {
  const sort = (query.sort ?? []).filter((part) => !('_deleted' in part));
  return sort.length === 1 && (sort[0] as Record<string, string>)[primaryPath] === 'asc';
}

/**
 * A stored row as RxDB's document: what `fromDexieToStorage` answers. When no key of the row
 * starts with Dexie's pipe substitute, that is the row itself with its boolean index fields
 * ('0' / '1' in IndexedDB) back to booleans, set in place; otherwise RxDB's own conversion.
 */
export function fromStoredRow(booleanIndexes: readonly string[], row: unknown): unknown {
  if (hasSubstitutedKey(row)) return fromDexieToStorage(booleanIndexes as string[], row);
  for (const path of booleanIndexes) setProperty(row, path, getProperty(row, path) === '1');
  return row;
}

function hasSubstitutedKey(value: unknown): boolean {
  if (value === null || typeof value !== 'object') return false;
  if (Array.isArray(value)) return value.some(hasSubstitutedKey);
  for (const key in value) {
    if (key.startsWith(DEXIE_PIPE_SUBSTITUTE) || hasSubstitutedKey((value as Record<string, unknown>)[key])) return true;
  }
  return false;
}
