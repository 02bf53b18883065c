import { Hono } from 'hono';
import { mergeContactsRequestSchema } from '../../shared/api';
import { can } from '../../shared/permissions';
import type { AppEnv } from '../app-env';
import { personOf } from '../auth/principal';
import { mergeContacts } from '../contacts/merge';
import { answer, apiError, validate } from '../http';

/** Contacts' actions beyond sync in one organization, under `/api/orgs/:orgId/contacts` behind requireOrgPrincipal. */
export const contactRoutes = new Hono<AppEnv>()
  /**
   * Merge contacts of one address (org admins): → 200 the kept contact; 404 `not-found`;
   * 409 `not-duplicates`; 403 `forbidden` for anyone else (server/contacts/merge.ts).
   */
  .post('/merge', validate('json', mergeContactsRequestSchema), async (c) => {
    const principal = c.get('principal');
    if (!can(personOf(principal), 'merge-contacts')) return apiError(c, 'forbidden', 'Only an organization admin merges contacts');
    return answer(c, await mergeContacts(c.get('deps'), principal.orgId, c.req.valid('json')));
  });
