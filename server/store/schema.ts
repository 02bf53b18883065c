import type { IndexedColumn } from '../../shared/doc-fields';

/**
 * Every replicated document of every collection: the document as JSON (`data`) and, beside
 * it, the columns queries filter on — one per field of shared/doc-fields.ts.
 */
export type DocsTable = {
  collection: string;
  id: string;
  org_id: string;
  seq: number;
  updated_at: string;
  deleted: number;
  data: string;
} & { [K in IndexedColumn]: string | null };

/** Old states of documents a person could see before a change took them out of reach. */
export interface TombstonesTable {
  org_id: string;
  collection: string;
  id: string;
  seq: number;
  audience: string;
  data: string;
}

export interface OrgSeqTable {
  org_id: string;
  seq: number;
}

export interface AccountsTable {
  id: string;
  email: string;
  name: string;
  email_verified_at: string | null;
  created_at: string;
}

export interface SessionsTable {
  id_hash: string;
  account_id: string;
  created_at: string;
  expires_at: string;
}

export interface SigninTokensTable {
  id: string;
  email: string;
  link_hash: string;
  code_hash: string;
  return_to: string | null;
  attempts: number;
  expires_at: string;
  used_at: string | null;
  created_at: string;
}

export interface OutboxTable {
  id: string;
  org_id: string | null;
  dedupe_key: string;
  topic: string;
  recipient: string;
  subject: string;
  text: string;
  html: string;
  status: string;
  attempts: number;
  next_attempt_at: string;
  last_error: string | null;
  sent_at: string | null;
  created_at: string;
  notification_id: string | null;
  /** When the current retry window opened (an admin's retry opens a new one); null: created_at. */
  retry_from: string | null;
}

/**
 * Rate-limit counts shared by every server process on one PostgreSQL (DESIGN §8, §9): hits of
 * one bucket (limiter and key) in one fixed window (`window_index` = ⌊time / window length⌋).
 */
export interface RateLimitsTable {
  bucket: string;
  window_index: number;
  hits: number;
}

export interface AuditTable {
  id: string;
  org_id: string | null;
  account_id: string | null;
  action: string;
  detail: string;
  at: string;
}

export interface DB {
  docs: DocsTable;
  tombstones: TombstonesTable;
  org_seq: OrgSeqTable;
  accounts: AccountsTable;
  sessions: SessionsTable;
  signin_tokens: SigninTokensTable;
  outbox: OutboxTable;
  audit: AuditTable;
  rate_limits: RateLimitsTable;
}
