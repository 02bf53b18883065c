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
  /** What to attach, as JSON (server/mail/attachments.ts), rendered when the email is sent; null: nothing. */
  attachments: string | null;
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

/** An RFC 8628 device authorization request, from the product's request to the token it ends in. */
export interface DeviceAuthorizationsTable {
  id: string;
  device_code_hash: string;
  user_code_hash: string;
  product_code: string;
  machine_name: string;
  /** pending → approved | denied; approved → used once the product took its tokens. */
  status: string;
  account_id: string | null;
  license_id: string | null;
  interval_s: number;
  last_polled_at: string | null;
  expires_at: string;
  created_at: string;
}

/** What a person approved: one product on one machine using one license; its tokens act for it. */
export interface OauthGrantsTable {
  id: string;
  account_id: string;
  product_code: string;
  org_id: string;
  license_id: string;
  team_id: string;
  /** The machine it first activated (a grant serves one machine). */
  machine_id: string | null;
  created_at: string;
  revoked_at: string | null;
}

/** Access and refresh tokens, by the hash of the secret. */
export interface OauthTokensTable {
  token_hash: string;
  grant_id: string;
  kind: string;
  expires_at: string;
  created_at: string;
}

/** A machine a license is activated on (DESIGN §14): server-only, read through /api/me/licenses and /api/orgs/:orgId/machines. */
export interface MachinesTable {
  /** Derived from the license and the machine's fingerprint (the fingerprint is not kept). */
  id: string;
  org_id: string;
  license_id: string;
  /** The holder whose product activated it. */
  account_id: string;
  name: string;
  first_seen_at: string;
  /** The last check-in: the last activation or renewal. */
  last_seen_at: string;
  /** Set when the holder deactivated it or the license was revoked: it no longer counts. */
  deactivated_at: string | null;
}

/** Ed25519 keys tickets are signed with (JWK JSON); a retired key is published until its last ticket expires. */
export interface TicketKeysTable {
  kid: string;
  public_jwk: string;
  private_jwk: string | null;
  created_at: string;
  retired_at: string | null;
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
  device_authorizations: DeviceAuthorizationsTable;
  oauth_grants: OauthGrantsTable;
  oauth_tokens: OauthTokensTable;
  ticket_keys: TicketKeysTable;
  machines: MachinesTable;
}
