import { Hono } from 'hono';
import type { AppEnv } from '../app-env';
import { requireAccount } from '../auth/middleware';
import { answer } from '../http';
import { claimLicense, invitationInfo } from '../claims/claim';
import { claimRateLimit, publicRateLimit } from '../security/limits';

export const invitationRoutes = new Hono<AppEnv>()
  .get('/:token', publicRateLimit, async (c) => answer(c, await invitationInfo(c.get('deps'), c.req.param('token'))))
  // CLAIM_RATE per client address, before any database work.
  .post('/:token/claim', claimRateLimit, requireAccount, async (c) =>
    answer(c, await claimLicense(c.get('deps'), { token: c.req.param('token'), account: c.get('account')! })),
  );
