import { Hono } from 'hono';
import * as v from 'valibot';
import { id } from '../../shared/schemas/common';
import { bulletinRequestSchema } from '../../shared/api';
import type { AppEnv } from '../app-env';
import { personOf } from '../auth/principal';
import { can } from '../../shared/permissions';
import { answer, apiError, validate } from '../http';
import { sendBulletin } from '../notify/bulletin';
import { retryEmail } from '../mail/retry';
import { auditClientOf } from '../audit/client';

const notificationParam = v.object({ id });

/** The notification log's actions in one organization, under `/api/orgs/:orgId/notifications` behind requireOrgPrincipal. */
export const notificationRoutes = new Hono<AppEnv>()
  .post('/bulletin', validate('json', bulletinRequestSchema), async (c) => {
    const deps = c.get('deps');
    const principal = c.get('principal');
    if (!can(personOf(principal), 'send-bulletin')) {
      return apiError(c, 'forbidden', 'Only an organization admin sends bulletins');
    }
    return c.json(await sendBulletin(deps, principal.orgId, c.req.valid('json'), { account: principal.account, client: auditClientOf(c) }));
  })
  /**
   * Retry an email of the organization's notification log (failed, held, or waiting): org
   * admins only. → 200 the notification as now queued; 404 `not-found`; 409 `already-sent`.
   */
  .post('/:id/retry', validate('param', notificationParam), async (c) => {
    const deps = c.get('deps');
    const principal = c.get('principal');
    if (!can(personOf(principal), 'retry-email')) {
      return apiError(c, 'forbidden', 'Only an organization admin retries emails');
    }
    return answer(c, await retryEmail(deps, principal.orgId, c.req.valid('param').id, { account: principal.account, client: auditClientOf(c) }));
  });
