import { Hono, type MiddlewareHandler } from 'hono';
import type { AppEnv } from '../app-env';
import { requireAccount } from '../auth/session';
import { answer } from '../http';
import { claimLicense, invitationInfo } from '../claims/claim';

/**
 * The slot for claim rate limiting (CLAIM_RATE per client address, DESIGN §8): it runs before
 * anything else on the claim route, so a limiter placed here refuses before any database work.
 */
export const claimRateLimit: MiddlewareHandler<AppEnv> = async (_c, next) => {
  await next();
};

export const invitationRoutes = new Hono<AppEnv>()
  .get('/:token', async (c) => answer(c, await invitationInfo(c.get('deps'), c.req.param('token'))))
  .post('/:token/claim', claimRateLimit, requireAccount, async (c) =>
    answer(c, await claimLicense(c.get('deps'), { token: c.req.param('token'), account: c.get('account')! })),
  );
