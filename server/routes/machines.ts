import { Hono } from 'hono';
import type { AppEnv } from '../app-env';
import { personOf } from '../auth/principal';
import { apiError } from '../http';
import { machinesOfOrg } from '../activation/machines';
import { activationEventsOf } from '../activation/events';

/**
 * `GET /api/orgs/:orgId/machines` (DESIGN §14, behind requireOrgPrincipal): the machines of the
 * licenses the caller administers — an org admin every license's, a team admin their teams'
 * licenses' — for Licenses ("Last used") and the Overview's Unused seats. Anyone else in the
 * organization: 403 `forbidden`; no reach there: 404 `organization-not-found` (the middleware).
 * → shared/api.ts OrgMachinesResponse.
 */
export const orgMachineRoutes = new Hono<AppEnv>().get('/', async (c) => {
  const principal = c.get('principal');
  const person = personOf(principal);
  if (!person.isOrgAdmin && !person.adminOfTeamIds.length) {
    return apiError(c, 'forbidden', 'Only an organization admin or a team admin sees the machines licenses are activated on');
  }
  return c.json(await machinesOfOrg(c.get('deps').store.db, principal.orgId, person));
});

/**
 * `GET /api/orgs/:orgId/activation-events` (DESIGN §14 point 7): the organization's product
 * activations for its notification log — org admins only (403 `forbidden` for anyone else in
 * the organization). → shared/api.ts ActivationEventsResponse.
 */
export const activationEventRoutes = new Hono<AppEnv>().get('/', async (c) => {
  const principal = c.get('principal');
  if (!personOf(principal).isOrgAdmin) return apiError(c, 'forbidden', 'Only an organization admin reads the activations log');
  return c.json(await activationEventsOf(c.get('deps').store.db, principal.orgId));
});
