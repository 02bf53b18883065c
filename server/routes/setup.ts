import { Hono } from 'hono';
import type { AppEnv } from '../app-env';
import { createOrganization, organizationExists } from '../orgs/create-organization';
import { apiError, validate } from '../http';
import { setupRequestSchema } from '../../shared/api';

// Two first-run submissions at once must not make two organizations (one process owns first run).
let setupLock: Promise<unknown> = Promise.resolve();

/** First run: while the database holds no organization, anyone reaching the server may create it. */
export const setupRoutes = new Hono<AppEnv>()
  .get('/', async (c) => c.json({ needsSetup: !(await organizationExists(c.get('deps').store.db)) }))
  .post('/', validate('json', setupRequestSchema), async (c) => {
    const deps = c.get('deps');
    const { orgName, email, adminName } = c.req.valid('json');
    const run = setupLock.then(async () => {
      if (await organizationExists(deps.store.db)) return false;
      await createOrganization(deps, { name: orgName, adminEmail: email, adminName });
      return true;
    });
    setupLock = run.catch(() => {});
    if (!(await run)) return apiError(c, 'org-exists', 'This server already has an organization; sign in instead.');
    return c.json({ ok: true });
  });
