import type { Context } from 'hono';
import { setCookie, deleteCookie } from 'hono/cookie';
import type { Kysely } from 'kysely';
import { isAtOrBefore } from '../../shared/dates';
import type { DB } from '../store/schema';
import { deleteSessionRow, insertSession, sessionAccount } from '../store/sessions';
import type { AccountRow } from '../store/accounts';
import { randomSecret, sha256 } from './hash';
import type { AppEnv } from '../app-env';

export const SESSION_COOKIE = 'allot_session';
const SESSION_DAYS = 30;

/** A signed-in person's account (server-only, DESIGN §3). */
export type Account = AccountRow;

/** A new session of 30 days for the account; returns its secret (only its hash is stored). */
export async function createSession(db: Kysely<DB>, accountId: string, now: Date): Promise<string> {
  const secret = randomSecret();
  await insertSession(db, {
    idHash: sha256(secret),
    accountId,
    createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + SESSION_DAYS * 86_400_000).toISOString(),
  });
  return secret;
}

/** A live session: whose it is, its stored id (the hash of its secret) and when it ends (ISO 8601). */
export interface SessionInfo {
  account: Account;
  idHash: string;
  expiresAt: string;
}

/** The live session of a secret, or null for an unknown or ended one. */
export async function sessionForSecret(db: Kysely<DB>, secret: string, now: Date): Promise<SessionInfo | null> {
  const idHash = sha256(secret);
  const found = await sessionAccount(db, idHash);
  if (!found || isAtOrBefore(found.expiresAt, now)) return null;
  return { account: found.account, idHash, expiresAt: found.expiresAt };
}

/** The account of a live session, or null for an unknown or ended one. */
export async function accountForSession(db: Kysely<DB>, secret: string, now: Date): Promise<Account | null> {
  return (await sessionForSecret(db, secret, now))?.account ?? null;
}

/** Ends a session; returns its stored id (so this process can end its live connections at once). */
export async function deleteSession(db: Kysely<DB>, secret: string): Promise<string> {
  const idHash = sha256(secret);
  await deleteSessionRow(db, idHash);
  return idHash;
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
