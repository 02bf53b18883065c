import { Hono } from 'hono';
import type { AppEnv } from '../app-env';
import { requireAccount } from '../auth/session';
import { personOf, principalFor } from '../auth/principal';
import { can } from '../../shared/permissions';
import { apiError, validate } from '../http';
import { bulletinRequestSchema } from '../../shared/api';
import { sendBulletin } from '../notify/bulletin';

export const notificationRoutes = new Hono<AppEnv>().post(
  '/bulletin',
  requireAccount,
  validate('json', bulletinRequestSchema),
  async (c) => {
    const deps = c.get('deps');
    const principal = await principalFor(deps.store.db, c.get('account')!);
    if (!principal.orgId || !can(personOf(principal), 'send-bulletin')) {
      return apiError(c, 'forbidden', 'Only an organization admin sends bulletins');
    }
    return c.json(await sendBulletin(deps, principal.orgId, c.req.valid('json')));
  },
);
