import { Hono } from 'hono';
import * as v from 'valibot';
import type { AppEnv } from '../app-env';
import { createOrganization, organizationExists } from '../auth/create-organization';
import { apiError, validate } from '../http';

const text = v.optional(v.pipe(v.string(), v.trim(), v.maxLength(200)));

/**
 * "Create your organization (name, your email)", DESIGN §8: `{name, email}`, where name is the
 * organization's. The app sends `{orgName, email, adminName}`; `{orgName, email, name}` (name
 * then being the admin's) is read as before.
 */
export const setupSchema = v.pipe(
  v.object({
    orgName: text,
    name: text,
    adminName: text,
    email: v.pipe(v.string(), v.trim(), v.toLowerCase(), v.maxLength(254), v.email('Enter a valid email address')),
  }),
  v.transform(({ orgName, name, adminName, email }) => ({
    orgName: orgName || (orgName === undefined ? name : '') || '',
    adminName: adminName ?? (orgName !== undefined ? name : undefined),
    email,
  })),
  v.check((b) => b.orgName.length > 0, 'Name the organization'),
);

// Two first-run submissions at once must not make two organizations (one process owns first run).
let setupLock: Promise<unknown> = Promise.resolve();

/** First run: while the database holds no organization, anyone reaching the server may create it. */
export const setupRoutes = new Hono<AppEnv>()
  .get('/', async (c) => c.json({ needsSetup: !(await organizationExists(c.get('deps').store.db)) }))
  .post('/', validate('json', setupSchema), async (c) => {
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
