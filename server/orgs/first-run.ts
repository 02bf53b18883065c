import { fail, ok, type Result } from '../../shared/errors';
import type { AppDeps } from '../app-env';
import { createOrganization, organizationExists, type NewOrganization } from './create-organization';

/** First run (DESIGN §8): does the server still wait for its first organization? */
export const needsSetup = async (deps: AppDeps): Promise<boolean> => !(await organizationExists(deps.store.db));

/**
 * First run (DESIGN §8): while the database holds no organization, anyone reaching the server
 * may create it (and is emailed a sign-in link as its first admin); after that, `org-exists`.
 * Creations run one at a time (deps.orgCreation, one per app), so two submissions at once
 * cannot make two organizations. (One process owns first run: it is a single-person moment,
 * and a second server process refuses as soon as the first one committed.)
 */
export function setUpFirstOrganization(deps: AppDeps, input: NewOrganization): Promise<Result<null, 'org-exists'>> {
  return deps.orgCreation.run(async () => {
    if (await organizationExists(deps.store.db)) return fail('org-exists', 'This server already has an organization; sign in instead.');
    await createOrganization(deps, input);
    return ok(null);
  });
}
