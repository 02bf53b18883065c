/**
 * Sign-in tokens (DESIGN §8): a link and a code per request, stored hashed. Times are the
 * server's own ISO 8601 UTC strings (`toISOString`), which compare in SQL as they compare as
 * instants.
 */
import type { Kysely } from 'kysely';
import type { DB, SigninTokensTable } from './schema';

export type SigninTokenRow = SigninTokensTable;

/** How many sign-in emails were asked for this address after `sinceIso`. */
export async function countSigninTokensSince(db: Kysely<DB>, email: string, sinceIso: string): Promise<number> {
  const row = await db
    .selectFrom('signin_tokens')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('email', '=', email)
    .where('created_at', '>', sinceIso)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

export async function insertSigninToken(db: Kysely<DB>, row: SigninTokenRow): Promise<void> {
  await db.insertInto('signin_tokens').values(row).execute();
}

/** The token whose link has this hash. */
export async function signinTokenByLink(db: Kysely<DB>, linkHash: string) {
  return db
    .selectFrom('signin_tokens')
    .select(['id', 'email', 'return_to', 'used_at', 'expires_at'])
    .where('link_hash', '=', linkHash)
    .executeTakeFirst();
}

/** An address's tokens whose code may still be tried (unused, unexpired, fewer than `maxAttempts` wrong tries), newest first. */
export async function liveSigninCodes(db: Kysely<DB>, email: string, nowIso: string, maxAttempts: number) {
  return db
    .selectFrom('signin_tokens')
    .select(['id', 'email', 'return_to', 'code_hash'])
    .where('email', '=', email)
    .where('used_at', 'is', null)
    .where('expires_at', '>', nowIso)
    .where('attempts', '<', maxAttempts)
    .orderBy('created_at', 'desc')
    .execute();
}

/** Counts a wrong code against these tokens. */
export async function addSigninAttempt(db: Kysely<DB>, ids: readonly string[]): Promise<void> {
  if (!ids.length) return;
  await db
    .updateTable('signin_tokens')
    .set((eb) => ({ attempts: eb('attempts', '+', 1) }))
    .where('id', 'in', ids)
    .execute();
}

/** Marks a token used; false when it already was (only one of two concurrent uses wins). */
export async function useSigninToken(db: Kysely<DB>, id: string, nowIso: string): Promise<boolean> {
  const used = await db.updateTable('signin_tokens').set({ used_at: nowIso }).where('id', '=', id).where('used_at', 'is', null).executeTakeFirst();
  return Number(used.numUpdatedRows) === 1;
}

/** Every sign-in token row (to see what is stored). */
export async function listSigninTokens(db: Kysely<DB>): Promise<SigninTokenRow[]> {
  return db.selectFrom('signin_tokens').selectAll().orderBy('created_at').execute();
}
