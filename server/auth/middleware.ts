import type { MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import type { AppEnv } from '../app-env';
import { apiError } from '../http';
import { isUuid } from '../../shared/ids';
import { principalIn } from './principal';
import { sessionForSecret, SESSION_COOKIE } from './session';

/** Puts the signed-in account (or null) on the context for every request. */
export const sessionMiddleware: MiddlewareHandler<AppEnv> = async (c, next) => {
  const secret = getCookie(c, SESSION_COOKIE);
  const { store, clock } = c.get('deps');
  const session = secret ? await sessionForSecret(store.db, secret, clock.now()) : null;
  c.set('account', session?.account ?? null);
  c.set('session', session && { idHash: session.idHash, expiresAt: session.expiresAt });
  await next();
};

/** 401 `unauthenticated` without a session. */
export const requireAccount: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (!c.get('account')) return apiError(c, 'unauthenticated', 'Sign in first');
  await next();
};

/**
 * Who is asking in the organization the path names (`/api/orgs/:orgId/…`, DESIGN §3, §5):
 * 401 `unauthenticated` without a session; 404 `organization-not-found` when the id is not
 * one, no such organization exists, or the person has no reach in it (the same answer, so
 * nobody learns which organizations exist); else their principal there (server/auth/principal.ts)
 * on the context as `c.get('principal')`.
 */
export const requireOrgPrincipal: MiddlewareHandler<AppEnv> = async (c, next) => {
  const account = c.get('account');
  if (!account) return apiError(c, 'unauthenticated', 'Sign in first');
  const orgId = c.req.param('orgId') ?? '';
  const principal = isUuid(orgId) ? await principalIn(c.get('deps').store.db, account, orgId) : null;
  if (!principal) return apiError(c, 'organization-not-found', 'There is no such organization, or you are not part of it');
  c.set('principal', principal);
  await next();
};
