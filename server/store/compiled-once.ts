/**
 * Queries compiled once per shape. Kysely builds every query anew (an operation-node tree,
 * frozen at each step) and compiles it by visiting that tree: on SQLite that costs more than
 * answering the repository's point reads, and a claim runs a dozen of them. A query whose SQL
 * text depends only on its shape (which filters it has, not their values) is compiled once per
 * dialect under a key naming that shape, then run from its text with the values in order.
 */
import { CompiledQuery, type Compilable, type DialectAdapter, type Kysely } from 'kysely';
import type { DB } from './schema';

/** Per dialect (a transaction shares its database's adapter): the SQL text of each shape. */
const texts = new WeakMap<DialectAdapter, Map<string, string>>();

/** Shapes kept per dialect at most (keys are few: a safety bound, not a cache policy). */
const MAX_SHAPES = 1000;

/**
 * Every text kept here (and the docs upserts' texts, org-tx.ts): on PostgreSQL these run as
 * named prepared statements (open-store.ts), parsed and planned once per connection instead of
 * at every run. Bounded: a text beyond MAX_PREPARED runs unnamed, as any other query.
 */
const preparedTexts = new Set<string>();
const MAX_PREPARED = 2000;

/** Marks `text` (a query's SQL text, run again and again with other values) as one to prepare once per connection. */
export function keepPrepared(text: string): void {
  if (preparedTexts.size < MAX_PREPARED) preparedTexts.add(text);
}

/** Whether `text` is one of the kept texts (keepPrepared). */
export const isPrepared = (text: string): boolean => preparedTexts.has(text);

/** True when every value differs from every other (so equal lists prove the same order). */
function allDistinct(values: readonly unknown[]): boolean {
  return new Set(values).size === values.length;
}

/**
 * The rows of the query `build` makes, run from the SQL text kept under `key` with `params`
 * as its values. `params` must be the values in the order the compiled query takes them: the
 * first time a shape is met, the query is built and compiled by Kysely, and its text is kept
 * only when Kysely's parameters equal `params` one by one and are all distinct (equal values
 * could hide two swapped places); otherwise the query runs as Kysely built it and the shape is
 * tried again next time. `key` must name everything the text depends on: two shapes with one
 * key would run each other's SQL. `ordered`: the values are a row's, in the order of the
 * columns the key names (an insert), so equal values cannot stand in each other's place.
 */
export async function compiledOnce<R>(
  db: Kysely<DB>,
  key: string,
  params: readonly unknown[],
  build: () => Compilable<R>,
  opts: { ordered?: boolean } = {},
): Promise<R[]> {
  const adapter = db.getExecutor().adapter;
  let byKey = texts.get(adapter);
  if (!byKey) texts.set(adapter, (byKey = new Map()));
  const text = byKey.get(key);
  if (text !== undefined) return (await db.executeQuery<R>(CompiledQuery.raw(text, [...params]))).rows;
  const compiled = build().compile();
  const same = compiled.parameters.length === params.length && compiled.parameters.every((p, i) => p === params[i]);
  if (same && (opts.ordered || allDistinct(params)) && byKey.size < MAX_SHAPES) {
    byKey.set(key, compiled.sql);
    keepPrepared(compiled.sql);
  }
  return (await db.executeQuery(compiled)).rows;
}
