import type { Context, MiddlewareHandler } from 'hono';
import type { Config } from '../config';
import type { Clock } from '../clock';
import { apiError } from '../http';
import { clientAddress, UNKNOWN_ADDRESS } from './client-address';
import type { Store } from '../store/open-store';
import { rateCounters } from '../store/rate-counters';
import { createRateLimiter, createSharedRateLimiter, hitInTurn, type RateLimiter } from './rate-limit';

/**
 * The limiters of one server (DESIGN §8, §10): per minute, from SIGNIN_RATE and CLAIM_RATE.
 * On PostgreSQL they count in the database, so every instance on it shares them; on SQLite
 * (one process) in memory.
 */
export interface Limits {
  signinByAddress: RateLimiter;
  claimByAddress: RateLimiter;
  claimByAccount: RateLimiter;
  publicByAddress: RateLimiter;
}

export function createLimits(config: Config, clock: Clock, store?: Store): Limits {
  const now = () => clock.now().getTime();
  const counters = store?.dialect === 'postgres' ? rateCounters(store.db) : null;
  const limiter = (name: string, limit: number) =>
    counters ? createSharedRateLimiter({ name, limit, now, counters }) : createRateLimiter({ limit, now });
  return {
    signinByAddress: limiter('signin-address', config.SIGNIN_RATE),
    claimByAddress: limiter('claim-address', config.CLAIM_RATE),
    claimByAccount: limiter('claim-account', config.CLAIM_RATE),
    publicByAddress: limiter('public-address', config.PUBLIC_RATE),
  };
}

/** What these middlewares read from the context: a part of AppEnv (which names Limits, so this file does not name it). */
type LimitsEnv = { Variables: { deps: { limits: Limits; config: Config }; account: { id: string } | null } };

function refuse(c: Context, retryAfter: number) {
  c.header('Retry-After', String(retryAfter));
  return apiError(c, 'rate-limited', `Too many attempts; try again in ${retryAfter} second${retryAfter === 1 ? '' : 's'}`, {
    retryAfter,
  });
}

/**
 * Sign-in requests and code checks, per client address. (Sign-in emails are also limited per
 * email address, in auth/signin.ts, from the tokens already sent, and wrong codes per code, on
 * the token: both are counted in the database, so they too hold across processes.) A request
 * with no socket (in-process, app.request) has no address to count.
 */
export const signinRateLimit: MiddlewareHandler<LimitsEnv> = async (c, next) => {
  const { limits, config } = c.get('deps');
  const address = clientAddress(c, config.TRUST_PROXY);
  if (address !== UNKNOWN_ADDRESS) {
    const r = await limits.signinByAddress.hit(address);
    if (!r.ok) return refuse(c, r.retryAfter);
  }
  await next();
};

/**
 * The routes anyone may call without signing in that are not sign-in or claims (first run,
 * an invitation's public page): PUBLIC_RATE per client address and minute, before any work.
 */
export const publicRateLimit: MiddlewareHandler<LimitsEnv> = async (c, next) => {
  const { limits, config } = c.get('deps');
  const address = clientAddress(c, config.TRUST_PROXY);
  if (address !== UNKNOWN_ADDRESS) {
    const r = await limits.publicByAddress.hit(address);
    if (!r.ok) return refuse(c, r.retryAfter);
  }
  await next();
};

/**
 * Claims: per client address, then per signed-in account (DESIGN §8: per email and per
 * address), before any database work; a claim refused per address is not counted for its account.
 */
export const claimRateLimit: MiddlewareHandler<LimitsEnv> = async (c, next) => {
  const { limits, config } = c.get('deps');
  const address = clientAddress(c, config.TRUST_PROXY);
  const account = c.get('account');
  const hits: Array<[RateLimiter, string]> = [];
  if (address !== UNKNOWN_ADDRESS) hits.push([limits.claimByAddress, address]);
  if (account) hits.push([limits.claimByAccount, account.id]);
  // Both in one turn: on PostgreSQL one statement, not two, in front of every claim.
  const r = await hitInTurn(hits);
  if (!r.ok) return refuse(c, r.retryAfter);
  await next();
};
