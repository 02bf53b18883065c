import type { Context, MiddlewareHandler } from 'hono';
import type { Config } from '../config';
import type { Clock } from '../clock';
import { apiError } from '../http';
import { clientAddress, UNKNOWN_ADDRESS } from './client-address';
import { createRateLimiter, type RateLimiter } from './rate-limit';

/** The limiters of one server (DESIGN §8, §10): per minute, from SIGNIN_RATE and CLAIM_RATE. */
export interface Limits {
  signinByAddress: RateLimiter;
  claimByAddress: RateLimiter;
  claimByAccount: RateLimiter;
}

export function createLimits(config: Config, clock: Clock): Limits {
  const now = () => clock.now().getTime();
  return {
    signinByAddress: createRateLimiter({ limit: config.SIGNIN_RATE, now }),
    claimByAddress: createRateLimiter({ limit: config.CLAIM_RATE, now }),
    claimByAccount: createRateLimiter({ limit: config.CLAIM_RATE, now }),
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
 * email address, in auth/signin.ts, from the tokens already sent: that count holds across
 * processes.) A request with no socket (in-process, app.request) has no address to count.
 */
export const signinRateLimit: MiddlewareHandler<LimitsEnv> = async (c, next) => {
  const { limits, config } = c.get('deps');
  const address = clientAddress(c, config.TRUST_PROXY);
  if (address !== UNKNOWN_ADDRESS) {
    const r = limits.signinByAddress.hit(address);
    if (!r.ok) return refuse(c, r.retryAfter);
  }
  await next();
};

/** Claims: per client address and per signed-in account (DESIGN §8: per email and per address), before any database work. */
export const claimRateLimit: MiddlewareHandler<LimitsEnv> = async (c, next) => {
  const { limits, config } = c.get('deps');
  const address = clientAddress(c, config.TRUST_PROXY);
  if (address !== UNKNOWN_ADDRESS) {
    const r = limits.claimByAddress.hit(address);
    if (!r.ok) return refuse(c, r.retryAfter);
  }
  const account = c.get('account');
  if (account) {
    const r = limits.claimByAccount.hit(account.id);
    if (!r.ok) return refuse(c, r.retryAfter);
  }
  await next();
};
