/**
 * Reading documents (the documents repository): find, exists, count and list, by the fields of
 * shared/doc-fields.ts. Every query of the docs table outside a pull is built here.
 */
import { sql, SqliteAdapter, type Kysely, type SelectQueryBuilder } from 'kysely';
import type { CollectionName, WireDoc } from '../../shared/schemas';
import type { DocFieldName } from '../../shared/doc-fields';
import type { DB } from './schema';
import { columnOf, DOC_ROW, rowOrg, rowToDoc } from './doc-columns';
import { compiledOnce } from './compiled-once';

/** Which documents of one collection a query means. Live ones only unless `withDeleted`. */
export interface DocQuery<C extends CollectionName = CollectionName> {
  collection: C;
  /** Of this organization (the catalog, for products); `{ not }`: of any other; absent: of every one. */
  org?: string | { not: string };
  /** Each named field holds this value (or one of these values; an empty list matches nothing). */
  where?: Partial<Record<DocFieldName, string | readonly string[]>>;
  /**
   * Each named field holds this value, written into the statement's text instead of bound,
   * so that a partial index whose WHERE is that term can serve the query whatever its plan:
   * PostgreSQL plans the repository's prepared statements once for any values, and SQLite
   * looks at a bound value only by planning the statement again each time its values change.
   * For values from code only (a status name: letters and dashes), never from a request.
   * Migration 0006: status 'available'.
   */
  literal?: Partial<Record<DocFieldName, string>>;
  /** Leave this document out (the one being written). */
  exceptId?: string;
  /** Deleted documents count too (an invariant the database keeps for them as well). */
  withDeleted?: boolean;
  /** The `email` field equals this address in any case (addresses stored before they were lower-cased). */
  emailCaseless?: string;
  /**
   * The stored JSON holds one of these strings as a JSON string (a role among a contact's
   * roles…): a cheap superset filter, the caller still decides on the document itself.
   */
  mentionsAny?: readonly string[];
  /** Last written before this time (ISO 8601, UTC): the server's `updatedAt`. */
  updatedBefore?: string;
}

export interface Page {
  orderBy?: 'id' | 'seq' | 'org_id';
  limit?: number;
  offset?: number;
}

type DocsQuery<O> = SelectQueryBuilder<DB, 'docs', O>;

/** A query's `literal` terms, each value checked to be a code constant (letters and dashes). */
function literalTerms(query: DocQuery): [DocFieldName, string][] {
  const terms = Object.entries(query.literal ?? {}) as [DocFieldName, string][];
  for (const [field, value] of terms) {
    if (!/^[a-z][a-z-]*$/.test(value)) throw new Error(`a literal term must be a code constant (${field}: ${JSON.stringify(value)})`);
  }
  return terms;
}

function filtered<O>(q: DocsQuery<O>, query: DocQuery): DocsQuery<O> {
  let out = q.where('collection', '=', query.collection);
  if (typeof query.org === 'string') out = out.where('org_id', '=', rowOrg(query.collection, query.org));
  else if (query.org) out = out.where('org_id', '!=', query.org.not);
  if (!query.withDeleted) out = out.where('deleted', '=', 0);
  for (const [field, value] of Object.entries(query.where ?? {}) as [DocFieldName, string | readonly string[]][]) {
    const column = columnOf(field);
    if (typeof value === 'string') out = out.where(column, '=', value);
    else out = value.length ? out.where(column, 'in', value) : out.where(sql<boolean>`1 = 0`);
  }
  for (const [field, value] of literalTerms(query)) out = out.where(columnOf(field), '=', sql.lit(value));
  if (query.exceptId !== undefined) out = out.where('id', '!=', query.exceptId);
  if (query.emailCaseless !== undefined) {
    const address = query.emailCaseless;
    out = out.where((eb) => eb(eb.fn('lower', ['email']), '=', address.toLowerCase()));
  }
  if (query.mentionsAny?.length) {
    // Quoted, so that one value never matches another's prefix.
    const needles = query.mentionsAny.map((s) => `%${JSON.stringify(s)}%`);
    out = out.where((eb) => eb.or(needles.map((n) => eb('data', 'like', n))));
  }
  if (query.updatedBefore !== undefined) out = out.where('updated_at', '<', query.updatedBefore);
  return out;
}

/**
 * The shape of a query as `filtered` and `paged` build it (compiledOnce's key) and its values in
 * the order they place them; null for a shape whose text depends on its values (lists, LIKE sets).
 */
function shapeOf(query: DocQuery, page: Page): { key: string; params: unknown[] } | null {
  const params: unknown[] = [query.collection];
  let key = '';
  if (typeof query.org === 'string') {
    key += 'o';
    params.push(rowOrg(query.collection, query.org));
  } else if (query.org) {
    key += 'n';
    params.push(query.org.not);
  }
  if (!query.withDeleted) {
    key += 'l';
    params.push(0);
  }
  for (const [field, value] of Object.entries(query.where ?? {})) {
    if (typeof value !== 'string') return null;
    key += `|${field}`;
    params.push(value);
  }
  for (const [field, value] of literalTerms(query)) key += `|${field}=${value}`;
  if (query.exceptId !== undefined) {
    key += '|x';
    params.push(query.exceptId);
  }
  if (query.emailCaseless !== undefined) {
    key += '|e';
    params.push(query.emailCaseless.toLowerCase());
  }
  if (query.mentionsAny?.length) return null;
  if (query.updatedBefore !== undefined) {
    key += '|u';
    params.push(query.updatedBefore);
  }
  key += `|${page.orderBy ?? ''}`;
  if (page.limit !== undefined) {
    key += '|L';
    params.push(page.limit);
  }
  if (page.offset) {
    key += '|O';
    params.push(page.offset);
  }
  return { key, params };
}

function paged<O>(q: DocsQuery<O>, page: Page): DocsQuery<O> {
  let out = q;
  if (page.orderBy === 'org_id') out = out.orderBy('org_id').orderBy('id');
  else if (page.orderBy) out = out.orderBy(page.orderBy);
  if (page.limit !== undefined) out = out.limit(page.limit);
  if (page.offset) out = out.offset(page.offset);
  return out;
}

/** The stored state of one document (deleted or not), by its collection and id. */
export async function findDoc<C extends CollectionName>(db: Kysely<DB>, collection: C, id: string): Promise<WireDoc<C> | undefined> {
  const [row] = await compiledOnce(db, 'docs:find', [collection, id], () =>
    db.selectFrom('docs').select(DOC_ROW).where('collection', '=', collection).where('id', '=', id),
  );
  return row ? rowToDoc<C>(row) : undefined;
}

/** The query listDocs runs. */
const listQuery = (db: Kysely<DB>, query: DocQuery, page: Page) => paged(filtered(db.selectFrom('docs').select(DOC_ROW), query), page);

/** The statement listDocs runs for a query and page (its text and values): tests read its query plan. */
export const listDocsStatement = (db: Kysely<DB>, query: DocQuery, page: Page = {}) => listQuery(db, query, page).compile();

/** The documents a query means, in `page.orderBy` order. */
export async function listDocs<C extends CollectionName>(db: Kysely<DB>, query: DocQuery<C>, page: Page = {}): Promise<WireDoc<C>[]> {
  const build = () => listQuery(db, query, page);
  const shape = shapeOf(query, page);
  const rows = shape ? await compiledOnce(db, `docs:list:${shape.key}`, shape.params, build) : await build().execute();
  return rows.map((r) => rowToDoc<C>(r));
}

/** One list of listDocsTogether: a query and its page. */
export interface ListPart<C extends CollectionName = CollectionName> {
  query: DocQuery<C>;
  page?: Omit<Page, 'orderBy'> & { orderBy?: 'id' };
}

/**
 * Several listDocs in one statement (each part a subquery of one UNION ALL, tagged with its
 * place): what one person's claim reads before deciding (the license they may hold, their
 * acceptances, the pool's first page), one round trip instead of three on PostgreSQL. Answers
 * each part's documents as listDocs would, in id order (the union is ordered by part and id,
 * so the database's own collation orders it, as it orders a part's later pages). Parts whose
 * text depends on their values (lists, LIKE sets) run as Kysely builds them each time.
 */
export async function listDocsTogether<P extends readonly ListPart[]>(
  db: Kysely<DB>,
  parts: P,
): Promise<{ [K in keyof P]: P[K] extends ListPart<infer C> ? WireDoc<C>[] : never }> {
  // SQLite answers in this process (no round trip to save), and there the union of subqueries
  // costs more than its parts one by one (measured: 7.7 statements a claim instead of 9.7, ~10%
  // more time in SQLite): the parts run one by one, with the same answers.
  if (db.getExecutor().adapter instanceof SqliteAdapter) {
    const one: WireDoc[][] = [];
    for (const p of parts) one.push(await listDocs(db, p.query, p.page ?? {}));
    return one as { [K in keyof P]: P[K] extends ListPart<infer C> ? WireDoc<C>[] : never };
  }
  const sub = (i: number) => {
    const { query, page = {} } = parts[i];
    const inner = paged(filtered(db.selectFrom('docs').select([...DOC_ROW, 'id']), query), page).as(`p${i}`);
    return db.selectFrom(inner).select([...DOC_ROW, 'id', sql.lit(i).as('part')]);
  };
  const build = () =>
    parts
      .slice(1)
      .reduce((q, _, i) => q.unionAll(sub(i + 1)), sub(0))
      .orderBy('part')
      .orderBy('id');
  const shapes = parts.map((p) => shapeOf(p.query, p.page ?? {}));
  const rows = shapes.every((x) => x !== null)
    ? // Each part's values in the order shapeOf gives them (as alone), parts in order: equal values of two parts cannot swap places.
      await compiledOnce(db, `docs:together:${shapes.map((x) => x!.key).join('+')}`, shapes.flatMap((x) => x!.params), build, { ordered: true })
    : await build().execute();
  const out = parts.map(() => [] as WireDoc[]);
  for (const r of rows) out[Number(r.part)].push(rowToDoc(r));
  return out as { [K in keyof P]: P[K] extends ListPart<infer C> ? WireDoc<C>[] : never };
}

/** The first document a query means (in `orderBy` order, when given). */
export async function firstDoc<C extends CollectionName>(
  db: Kysely<DB>,
  query: DocQuery<C>,
  orderBy?: Page['orderBy'],
): Promise<WireDoc<C> | undefined> {
  const [doc] = await listDocs(db, query, { orderBy, limit: 1 });
  return doc;
}

/** Does a document the query means exist? */
export async function docExists(db: Kysely<DB>, query: DocQuery): Promise<boolean> {
  const row = await filtered(db.selectFrom('docs').select('id'), query).limit(1).executeTakeFirst();
  return row !== undefined;
}

/** How many documents the query means. */
export async function countDocs(db: Kysely<DB>, query: DocQuery): Promise<number> {
  const row = await filtered(db.selectFrom('docs').select((eb) => eb.fn.countAll<number>().as('n')), query).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The ids among `ids` that name no live document of the query (of the organization, or the catalog for products). */
export async function missingIds(db: Kysely<DB>, query: DocQuery, ids: readonly string[]): Promise<string[]> {
  const want = [...new Set(ids.filter((x) => x !== ''))];
  if (!want.length) return [];
  const rows = await filtered(db.selectFrom('docs').select('id'), { ...query, where: { ...query.where, id: want } }).execute();
  const found = new Set(rows.map((r) => r.id));
  return want.filter((x) => !found.has(x));
}

/** The organizations that hold documents the query means (its `org` aside). */
export async function orgsWith(db: Kysely<DB>, query: Omit<DocQuery, 'org'>): Promise<string[]> {
  const rows = await filtered(db.selectFrom('docs').select('org_id').distinct(), query).execute();
  return rows.map((r) => r.org_id);
}
