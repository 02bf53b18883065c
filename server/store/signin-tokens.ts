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
    .select(['id', 'email', 'return_to', 'used_at', 'expires_at', 'created_at'])
    .where('link_hash', '=', linkHash)
    .executeTakeFirst();
}

/**
 * An address's newest `limit` tokens whose code may still be tried (unused, unexpired, fewer
 * than `maxAttempts` wrong tries), newest first: older codes of the address no longer count.
 */
export async function liveSigninCodes(db: Kysely<DB>, email: string, nowIso: string, maxAttempts: number, limit: number) {
  return db
    .selectFrom('signin_tokens')
    .select(['id', 'email', 'return_to', 'code_hash', 'created_at'])
    .where('email', '=', email)
    .where('used_at', 'is', null)
    .where('expires_at', '>', nowIso)
    .where('attempts', '<', maxAttempts)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}

/** Counts a wrong code against this token. */
export async function addSigninAttempt(db: Kysely<DB>, id: string): Promise<void> {
  await db
    .updateTable('signin_tokens')
    .set((eb) => ({ attempts: eb('attempts', '+', 1) }))
    .where('id', '=', id)
    .execute();
}

/** The wrong codes tried for this address on its tokens made after `sinceIso` (all its codes together). */
export async function wrongCodesSince(db: Kysely<DB>, email: string, sinceIso: string): Promise<number> {
  const row = await db
    .selectFrom('signin_tokens')
    .select((eb) => eb.fn.sum<number>('attempts').as('n'))
    .where('email', '=', email)
    .where('created_at', '>', sinceIso)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/**
 * Ends the address's unused tokens made before `createdAtIso` (marked used at `nowIso`): once
 * a person signs in with a link or code, the older ones of that address die.
 */
export async function retireOlderSigninTokens(db: Kysely<DB>, email: string, createdAtIso: string, nowIso: string): Promise<void> {
  await db
    .updateTable('signin_tokens')
    .set({ used_at: nowIso })
    .where('email', '=', email)
    .where('used_at', 'is', null)
    .where('created_at', '<', createdAtIso)
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
