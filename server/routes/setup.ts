import { Hono } from 'hono';
import { setupRequestSchema, type SetupStatus } from '../../shared/api';
import type { AppEnv } from '../app-env';
import { apiError, validate } from '../http';
import { needsSetup, setUpFirstOrganization } from '../orgs/first-run';
import { publicRateLimit } from '../security/limits';

/** First run (DESIGN §8): while the database holds no organization, anyone reaching the server may create it. */
export const setupRoutes = new Hono<AppEnv>()
  .use('*', publicRateLimit)
  .get('/', async (c) => {
    return c.json({ needsSetup: await needsSetup(c.get('deps')) } satisfies SetupStatus);
  })
  .post('/', validate('json', setupRequestSchema), async (c) => {
    const { orgName, email, adminName } = c.req.valid('json');
    const r = await setUpFirstOrganization(c.get('deps'), { name: orgName, adminEmail: email, adminName });
    if (!r.ok) return apiError(c, r.code, r.message);
    return c.json({ ok: true });
  });
