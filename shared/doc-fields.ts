/**
 * The document fields the server keeps in columns of its own (beside the whole document), so
 * that queries filter on them and the database keeps its invariants on them (DESIGN §9) — the
 * one table of them. The pull filters and the stream filter (permission scopes, shared/
 * permissions.ts `fieldValue`), the stored columns (server/store/doc-columns.ts `columnsOf`)
 * and the repository's lookups by field are all derived from it.
 */
import type { CollectionName } from './schemas';

type AnyDoc = Record<string, unknown>;

/** `doc[key][sub]` when `doc[key]` is an object. */
const inner = (doc: AnyDoc, key: string, sub: string): unknown => {
  const o = doc[key];
  return o && typeof o === 'object' ? (o as AnyDoc)[sub] : undefined;
};

interface DocField {
  /** The docs-table column holding the value. */
  column: string;
  /** The value in a document of `collection` (undefined: the document has none). */
  of(doc: AnyDoc, collection?: CollectionName): unknown;
}

export const DOC_FIELDS = {
  id: { column: 'id', of: (d) => d.id },
  teamId: { column: 'team_id', of: (d) => d.teamId },
  productId: { column: 'product_id', of: (d) => d.productId },
  orderId: { column: 'order_id', of: (d) => d.orderId },
  status: { column: 'status', of: (d) => d.status },
  // Only an invitation's token is unique (and looked up): no other collection's `token` is kept.
  token: { column: 'token', of: (d, c) => (c === 'invitations' ? d.token : undefined) },
  // A license's holder, or the account of an acceptance.
  assigneeAccountId: { column: 'assignee_account_id', of: (d) => inner(d, 'assignee', 'accountId') ?? inner(d, 'account', 'id') },
  // An acceptance's invitation, or the invitation a license was claimed through.
  invitationId: { column: 'invitation_id', of: (d) => d.invitationId ?? d.assignedVia },
  accountId: { column: 'account_id', of: (d) => d.accountId },
  email: { column: 'email', of: (d) => d.email },
} as const satisfies Record<string, DocField>;

export type DocFieldName = keyof typeof DOC_FIELDS;
export type DocColumn = (typeof DOC_FIELDS)[DocFieldName]['column'];
/** The columns kept beside the document (the id is the document's key, not one of them). */
export type IndexedColumn = Exclude<DocColumn, 'id'>;

/** A field's value as stored and compared: a non-empty string, else null. */
export function docFieldValue(doc: AnyDoc, field: DocFieldName, collection?: CollectionName): string | null {
  const x: unknown = DOC_FIELDS[field].of(doc, collection);
  return typeof x === 'string' && x !== '' ? x : null;
}

/** The fields kept in columns beside the document (all but the id, which is its key). */
export const INDEXED_FIELDS = (Object.keys(DOC_FIELDS) as DocFieldName[]).filter((f): f is Exclude<DocFieldName, 'id'> => f !== 'id');
