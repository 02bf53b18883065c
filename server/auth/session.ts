import type { Context, MiddlewareHandler } from 'hono';
import { getCookie, setCookie, deleteCookie } from 'hono/cookie';
import type { Kysely } from 'kysely';
import { isAtOrBefore } from '../../shared/dates';
import type { DB } from '../store/schema';
import { randomSecret, sha256 } from './hash';
import { apiError } from '../http';
import type { AppEnv } from '../app-env';

export const SESSION_COOKIE = 'allot_session';
const SESSION_DAYS = 30;

export interface Account {
  id: string;
  email: string;
  name: string;
  emailVerifiedAt: string | null;
}

export async function createSession(db: Kysely<DB>, accountId: string, now: Date): Promise<string> {
  const secret = randomSecret();
  await db
    .insertInto('sessions')
    .values({
      id_hash: sha256(secret),
      account_id: accountId,
      created_at: now.toISOString(),
      expires_at: new Date(now.getTime() + SESSION_DAYS * 86_400_000).toISOString(),
    })
    .execute();
  return secret;
}

export async function accountForSession(db: Kysely<DB>, secret: string, now: Date): Promise<Account | null> {
  const row = await db
    .selectFrom('sessions')
    .innerJoin('accounts', 'accounts.id', 'sessions.account_id')
    .select(['accounts.id', 'accounts.email', 'accounts.name', 'accounts.email_verified_at', 'sessions.expires_at'])
    .where('sessions.id_hash', '=', sha256(secret))
    .executeTakeFirst();
  if (!row || isAtOrBefore(row.expires_at, now)) return null;
  return { id: row.id, email: row.email, name: row.name, emailVerifiedAt: row.email_verified_at };
}

export async function deleteSession(db: Kysely<DB>, secret: string): Promise<void> {
  await db.deleteFrom('sessions').where('id_hash', '=', sha256(secret)).execute();
}

/** Secure behind HTTPS: either the public URL says so or the proxy we trust does. */
export function isSecureRequest(c: Context<AppEnv>): boolean {
  const { config } = c.get('deps');
  if (config.PUBLIC_URL?.startsWith('https://')) return true;
  if (config.TRUST_PROXY && c.req.header('x-forwarded-proto') === 'https') return true;
  return new URL(c.req.url).protocol === 'https:';
}

export function setSessionCookie(c: Context<AppEnv>, secret: string) {
  setCookie(c, SESSION_COOKIE, secret, {
    httpOnly: true,
    sameSite: 'Lax',
    secure: isSecureRequest(c),
    path: '/',
    maxAge: SESSION_DAYS * 86_400,
  });
}

export function clearSessionCookie(c: Context<AppEnv>) {
  deleteCookie(c, SESSION_COOKIE, { path: '/', secure: isSecureRequest(c) });
}

/** Puts the signed-in account (or null) on the context for every request. */
export const sessionMiddleware: MiddlewareHandler<AppEnv> = async (c, next) => {
  const secret = getCookie(c, SESSION_COOKIE);
  const { store, clock } = c.get('deps');
  c.set('account', secret ? await accountForSession(store.db, secret, clock.now()) : null);
  await next();
};

export const requireAccount: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (!c.get('account')) return apiError(c, 'unauthenticated', 'Sign in first');
  await next();
};
