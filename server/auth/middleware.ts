import type { MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import type { AppEnv } from '../app-env';
import { apiError } from '../http';
import { principalFor } from './principal';
import { accountForSession, SESSION_COOKIE } from './session';

/** Puts the signed-in account (or null) on the context for every request. */
export const sessionMiddleware: MiddlewareHandler<AppEnv> = async (c, next) => {
  const secret = getCookie(c, SESSION_COOKIE);
  const { store, clock } = c.get('deps');
  c.set('account', secret ? await accountForSession(store.db, secret, clock.now()) : null);
  await next();
};

/** 401 `unauthenticated` without a session. */
export const requireAccount: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (!c.get('account')) return apiError(c, 'unauthenticated', 'Sign in first');
  await next();
};

/**
 * Who is asking, for the routes that act for a signed-in person: 401 `unauthenticated`
 * without a session, else their principal (server/auth/principal.ts) on the context as
 * `c.get('principal')`.
 */
export const requirePrincipal: MiddlewareHandler<AppEnv> = async (c, next) => {
  const account = c.get('account');
  if (!account) return apiError(c, 'unauthenticated', 'Sign in first');
  c.set('principal', await principalFor(c.get('deps').store.db, account));
  await next();
};
