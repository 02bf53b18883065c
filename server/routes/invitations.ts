import { Hono } from 'hono';
import type { AppEnv } from '../app-env';
import { requireAccount } from '../auth/middleware';
import { answer } from '../http';
import { claimLicense, invitationEligibility, invitationInfo } from '../claims/claim';
import { claimRateLimit, publicRateLimit } from '../security/limits';
import { auditClientOf } from '../audit/client';
import { joinWaitlist, leaveWaitlist, waitlistStatus } from '../waitlist/join';

export const invitationRoutes = new Hono<AppEnv>()
  .get('/:token', publicRateLimit, async (c) => answer(c, await invitationInfo(c.get('deps'), c.req.param('token'))))
  .get('/:token/eligibility', publicRateLimit, async (c) => answer(c, await invitationEligibility(c.get('deps'), c.req.param('token'))))
  // CLAIM_RATE per client address, before any database work.
  .post('/:token/claim', claimRateLimit, requireAccount, async (c) =>
    answer(c, await claimLicense(c.get('deps'), { token: c.req.param('token'), account: c.get('account')!, client: auditClientOf(c) })),
  )
  // DESIGN §6 Waitlist: 202 while waiting, 200 when a license was handed out at once.
  .post('/:token/waitlist', claimRateLimit, requireAccount, async (c) => {
    const r = await joinWaitlist(c.get('deps'), { token: c.req.param('token'), account: c.get('account')!, client: auditClientOf(c) });
    return answer(c, r, r.ok && r.value.status === 'waiting' ? 202 : 200);
  })
  .get('/:token/waitlist', requireAccount, async (c) =>
    answer(c, await waitlistStatus(c.get('deps'), { token: c.req.param('token'), account: c.get('account')! })),
  )
  .delete('/:token/waitlist', requireAccount, async (c) =>
    answer(c, await leaveWaitlist(c.get('deps'), { token: c.req.param('token'), account: c.get('account')!, client: auditClientOf(c) })),
  );
