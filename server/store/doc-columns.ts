import type { CollectionName, WireDoc } from '../../shared/schemas';
import { DOC_FIELDS, INDEXED_FIELDS, docFieldValue, type DocFieldName, type IndexedColumn } from '../../shared/doc-fields';
import type { DocsTable } from './schema';

/** The catalog (products) belongs to no organization; its change counter lives under this key. */
export const CATALOG_ORG = '';

/** The organization whose rows hold a collection's documents: the catalog's for products. */
export const rowOrg = (collection: CollectionName, orgId: string): string => (collection === 'products' ? CATALOG_ORG : orgId);

/** The column of a document field (shared/doc-fields.ts). */
export const columnOf = <F extends DocFieldName>(field: F): (typeof DOC_FIELDS)[F]['column'] => DOC_FIELDS[field].column;

/** The indexed columns of a document, as stored beside it (shared/doc-fields.ts). */
export function columnsOf(collection: CollectionName, doc: Record<string, unknown>): Pick<DocsTable, IndexedColumn> {
  const out = {} as Pick<DocsTable, IndexedColumn>;
  for (const f of INDEXED_FIELDS) out[columnOf(f)] = docFieldValue(doc, f, collection);
  return out;
}

/** The columns a row of the docs table is read back from. */
export const DOC_ROW = ['data', 'seq', 'updated_at', 'deleted'] as const;

/** A stored row as the document it holds: its JSON plus the server's seq, updatedAt and deletion flag. */
export function rowToDoc<C extends CollectionName>(row: Pick<DocsTable, (typeof DOC_ROW)[number]>): WireDoc<C> {
  const doc = JSON.parse(row.data);
  doc.seq = Number(row.seq);
  doc.updatedAt = row.updated_at;
  doc._deleted = !!Number(row.deleted);
  return doc;
}
