import { Hono } from 'hono';
import * as v from 'valibot';
import type { AppEnv } from '../app-env';
import { requireAccount } from '../auth/session';
import { personOf, principalFor } from '../auth/principal';
import { can } from '../../shared/permissions';
import { answer, apiError, validate } from '../http';
import { BULLETIN_TOPICS } from '../../shared/notifications';
import { sendBulletin } from '../claims/bulletin';
import { retryEmail } from '../mail/retry';

export const bulletinSchema = v.object({
  topic: v.picklist(BULLETIN_TOPICS),
  subject: v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(200)),
  body: v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(20_000)),
});

const notificationParam = v.object({ id: v.pipe(v.string(), v.minLength(1), v.maxLength(40)) });

export const notificationRoutes = new Hono<AppEnv>()
  .post('/bulletin', requireAccount, validate('json', bulletinSchema), async (c) => {
    const deps = c.get('deps');
    const principal = await principalFor(deps.store.db, c.get('account')!);
    if (!principal.orgId || !can(personOf(principal), 'send-bulletin')) {
      return apiError(c, 'forbidden', 'Only an organization admin sends bulletins');
    }
    return c.json(await sendBulletin(deps, principal.orgId, c.req.valid('json')));
  })
  /**
   * Retry an email of the organization's notification log (failed, held, or waiting): org
   * admins only. → 200 the notification as now queued; 404 `not-found`; 409 `already-sent`.
   */
  .post('/:id/retry', requireAccount, validate('param', notificationParam), async (c) => {
    const deps = c.get('deps');
    const principal = await principalFor(deps.store.db, c.get('account')!);
    if (!principal.orgId || !can(personOf(principal), 'retry-email')) {
      return apiError(c, 'forbidden', 'Only an organization admin retries emails');
    }
    return answer(c, await retryEmail(deps, principal.orgId, c.req.valid('param').id));
  });
