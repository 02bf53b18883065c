/**
 * Which machines an admin sees (DESIGN §14, §4): an org admin every machine of the
 * organization, a team admin those of their teams' licenses (where the license is now: a
 * license moved to another team takes its machines along).
 */
import type { Kysely } from 'kysely';
import { ORG_MACHINES_LIMIT, type OrgMachinesResponse } from '../../shared/api';
import type { Person } from '../../shared/permissions';
import { listDocs } from '../store/docs';
import { orgMachines } from '../store/machines';
import type { DB } from '../store/schema';

export async function machinesOfOrg(db: Kysely<DB>, orgId: string, person: Person): Promise<OrgMachinesResponse> {
  if (person.isOrgAdmin) return { machines: await orgMachines(db, orgId, null, ORG_MACHINES_LIMIT) };
  const licenses = person.adminOfTeamIds.length
    ? await listDocs(db, { collection: 'licenses', org: orgId, where: { teamId: [...person.adminOfTeamIds] } })
    : [];
  return { machines: await orgMachines(db, orgId, new Set(licenses.map((l) => l.id)), ORG_MACHINES_LIMIT) };
}
