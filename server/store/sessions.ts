/** Sessions (DESIGN §8): stored by the hash of their secret only. */
import type { Kysely } from 'kysely';
import type { DB } from './schema';
import type { AccountRow } from './accounts';
import { compiledOnce } from './compiled-once';

export async function insertSession(db: Kysely<DB>, row: { idHash: string; accountId: string; createdAt: string; expiresAt: string }): Promise<void> {
  await db
    .insertInto('sessions')
    .values({ id_hash: row.idHash, account_id: row.accountId, created_at: row.createdAt, expires_at: row.expiresAt })
    .execute();
}

/** The account a session (by the hash of its secret) belongs to, with the session's end. */
export async function sessionAccount(db: Kysely<DB>, idHash: string): Promise<{ account: AccountRow; expiresAt: string } | undefined> {
  // Every signed-in request asks: compiled once.
  const [row] = await compiledOnce(db, 'sessions:account', [idHash], () =>
    db
      .selectFrom('sessions')
      .innerJoin('accounts', 'accounts.id', 'sessions.account_id')
      .select(['accounts.id', 'accounts.email', 'accounts.name', 'accounts.email_verified_at', 'sessions.expires_at'])
      .where('sessions.id_hash', '=', idHash),
  );
  return row && { account: { id: row.id, email: row.email, name: row.name, emailVerifiedAt: row.email_verified_at }, expiresAt: row.expires_at };
}

export async function deleteSessionRow(db: Kysely<DB>, idHash: string): Promise<void> {
  await db.deleteFrom('sessions').where('id_hash', '=', idHash).execute();
}

/** Of these sessions (by hash), the ones that still exist and end after `nowIso`. */
export async function liveSessionHashes(db: Kysely<DB>, idHashes: readonly string[], nowIso: string): Promise<Set<string>> {
  if (!idHashes.length) return new Set();
  const rows = await db.selectFrom('sessions').select('id_hash').where('id_hash', 'in', [...idHashes]).where('expires_at', '>', nowIso).execute();
  return new Set(rows.map((r) => r.id_hash));
}
