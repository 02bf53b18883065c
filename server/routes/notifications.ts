import { Hono } from 'hono';
import { bulletinRequestSchema } from '../../shared/api';
import type { AppEnv } from '../app-env';
import { requirePrincipal } from '../auth/middleware';
import { personOf } from '../auth/principal';
import { can } from '../../shared/permissions';
import { apiError, validate } from '../http';
import { sendBulletin } from '../notify/bulletin';

export const notificationRoutes = new Hono<AppEnv>().post(
  '/bulletin',
  requirePrincipal,
  validate('json', bulletinRequestSchema),
  async (c) => {
    const deps = c.get('deps');
    const principal = c.get('principal');
    if (!principal.orgId || !can(personOf(principal), 'send-bulletin')) {
      return apiError(c, 'forbidden', 'Only an organization admin sends bulletins');
    }
    return c.json(await sendBulletin(deps, principal.orgId, c.req.valid('json')));
  },
);
