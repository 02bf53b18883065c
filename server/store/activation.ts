/**
 * The activation repository (DESIGN §14): RFC 8628 device authorizations, the grants a person
 * approved and their tokens (secrets by hash only), the ticket signing keys, and the activation
 * events of an organization's log. Machines are documents (the `machines` collection, docs.ts).
 */
import type { Kysely } from 'kysely';
import { newId } from '../../shared/ids';
import type { DB, DeviceAuthorizationsTable, OauthGrantsTable, TicketKeysTable } from './schema';

export type DeviceAuthorizationRow = DeviceAuthorizationsTable;
export type GrantRow = OauthGrantsTable;
export type TicketKeyRow = TicketKeysTable;

export async function insertDeviceAuthorization(db: Kysely<DB>, row: DeviceAuthorizationRow): Promise<void> {
  await db.insertInto('device_authorizations').values(row).execute();
}

export async function deviceAuthorizationBy(
  db: Kysely<DB>,
  by: { deviceCodeHash: string } | { userCodeHash: string },
): Promise<DeviceAuthorizationRow | undefined> {
  const q = db.selectFrom('device_authorizations').selectAll();
  return 'deviceCodeHash' in by
    ? q.where('device_code_hash', '=', by.deviceCodeHash).executeTakeFirst()
    : q.where('user_code_hash', '=', by.userCodeHash).executeTakeFirst();
}

/** Notes a poll of the token endpoint, and the interval the product must keep from now on (RFC 8628 §3.5). */
export async function recordDevicePoll(db: Kysely<DB>, id: string, at: string, intervalS: number): Promise<void> {
  await db.updateTable('device_authorizations').set({ last_polled_at: at, interval_s: intervalS }).where('id', '=', id).execute();
}

/** Approves or denies a pending request; false when it was no longer pending (decided already). */
export async function decideDeviceAuthorization(
  db: Kysely<DB>,
  id: string,
  decision: { status: 'approved' | 'denied'; accountId: string; licenseId: string | null },
): Promise<boolean> {
  const r = await db
    .updateTable('device_authorizations')
    .set({ status: decision.status, account_id: decision.accountId, license_id: decision.licenseId })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Takes an approved request's tokens: true exactly once (a device code is single use). */
export async function markDeviceAuthorizationUsed(db: Kysely<DB>, id: string): Promise<boolean> {
  const r = await db.updateTable('device_authorizations').set({ status: 'used' }).where('id', '=', id).where('status', '=', 'approved').executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Forgets requests that expired before `before` (their codes can no longer be used anyway). */
export async function deleteExpiredDeviceAuthorizations(db: Kysely<DB>, before: string): Promise<number> {
  const r = await db.deleteFrom('device_authorizations').where('expires_at', '<', before).executeTakeFirst();
  return Number(r.numDeletedRows);
}

export async function insertGrant(db: Kysely<DB>, row: GrantRow): Promise<void> {
  await db.insertInto('oauth_grants').values(row).execute();
}

export async function insertToken(db: Kysely<DB>, row: { tokenHash: string; grantId: string; kind: 'access' | 'refresh'; expiresAt: string; createdAt: string }): Promise<void> {
  await db
    .insertInto('oauth_tokens')
    .values({ token_hash: row.tokenHash, grant_id: row.grantId, kind: row.kind, expires_at: row.expiresAt, created_at: row.createdAt })
    .execute();
}

/** The grant a token (by hash and kind) acts for, with the token's end; revoked grants included (the caller decides). */
export async function grantOfToken(db: Kysely<DB>, tokenHash: string, kind: 'access' | 'refresh'): Promise<{ grant: GrantRow; expiresAt: string } | undefined> {
  const row = await db
    .selectFrom('oauth_tokens')
    .innerJoin('oauth_grants', 'oauth_grants.id', 'oauth_tokens.grant_id')
    .selectAll('oauth_grants')
    .select('oauth_tokens.expires_at as token_expires_at')
    .where('oauth_tokens.token_hash', '=', tokenHash)
    .where('oauth_tokens.kind', '=', kind)
    .executeTakeFirst();
  if (!row) return undefined;
  const { token_expires_at, ...grant } = row;
  return { grant, expiresAt: token_expires_at };
}

/** Binds a grant to the machine it first activated. */
export async function bindGrantMachine(db: Kysely<DB>, grantId: string, machineId: string): Promise<void> {
  await db.updateTable('oauth_grants').set({ machine_id: machineId }).where('id', '=', grantId).where('machine_id', 'is', null).execute();
}

/** Revokes every live grant (and so its tokens) that serves one of these machines. */
export async function revokeGrantsOfMachines(db: Kysely<DB>, machineIds: readonly string[], at: string): Promise<void> {
  if (!machineIds.length) return;
  await db.updateTable('oauth_grants').set({ revoked_at: at }).where('machine_id', 'in', machineIds).where('revoked_at', 'is', null).execute();
}

/** Revokes one grant (RFC 7009: by any of its tokens). */
export async function revokeGrant(db: Kysely<DB>, grantId: string, at: string): Promise<void> {
  await db.updateTable('oauth_grants').set({ revoked_at: at }).where('id', '=', grantId).where('revoked_at', 'is', null).execute();
}

/** Forgets tokens that ended before `before`. */
export async function deleteExpiredTokens(db: Kysely<DB>, before: string): Promise<number> {
  const r = await db.deleteFrom('oauth_tokens').where('expires_at', '<', before).executeTakeFirst();
  return Number(r.numDeletedRows);
}

/** Every ticket key, newest first. */
export async function listTicketKeys(db: Kysely<DB>): Promise<TicketKeyRow[]> {
  return db.selectFrom('ticket_keys').selectAll().orderBy('created_at', 'desc').orderBy('kid').execute();
}

/** The key new tickets are signed with: the newest one not retired. */
export async function currentTicketKey(db: Kysely<DB>): Promise<TicketKeyRow | undefined> {
  return db.selectFrom('ticket_keys').selectAll().where('retired_at', 'is', null).orderBy('created_at', 'desc').limit(1).executeTakeFirst();
}

/** Adds a key as the current one and retires every other (in one transaction). */
export async function makeCurrentTicketKey(db: Kysely<DB>, row: Omit<TicketKeyRow, 'retired_at'>): Promise<void> {
  await db.transaction().execute(async (tx) => {
    await tx.updateTable('ticket_keys').set({ retired_at: row.created_at }).where('retired_at', 'is', null).where('kid', '!=', row.kid).execute();
    await tx
      .insertInto('ticket_keys')
      .values({ ...row, retired_at: null })
      .onConflict((oc) => oc.column('kid').doUpdateSet({ retired_at: null }))
      .execute();
  });
}

/** Forgets retired keys retired before `before` (no ticket they signed is still valid). */
export async function deleteTicketKeysRetiredBefore(db: Kysely<DB>, before: string): Promise<void> {
  await db.deleteFrom('ticket_keys').where('retired_at', 'is not', null).where('retired_at', '<', before).execute();
}

/**
 * An activation event (DESIGN §14 point 7, §15): device approved or denied, activation,
 * renewal, refusal, deactivation — appended to the organization's log.
 */
export async function appendActivationEvent(
  db: Kysely<DB>,
  e: { orgId: string | null; accountId: string | null; action: string; detail: Record<string, unknown>; at: string },
): Promise<void> {
  await db
    .insertInto('audit')
    .values({ id: newId(), org_id: e.orgId, account_id: e.accountId, action: e.action, detail: JSON.stringify(e.detail), at: e.at })
    .execute();
}

/** An organization's activation events, newest first. */
export async function listActivationEvents(db: Kysely<DB>, orgId: string, limit = 100): Promise<{ action: string; accountId: string | null; detail: unknown; at: string }[]> {
  const rows = await db
    .selectFrom('audit')
    .select(['action', 'account_id', 'detail', 'at'])
    .where('org_id', '=', orgId)
    .where('action', 'like', 'activation.%')
    .orderBy('at', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ action: r.action, accountId: r.account_id, detail: JSON.parse(r.detail) as unknown, at: r.at }));
}
