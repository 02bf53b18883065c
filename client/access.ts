/**
 * What the signed-in person may see and do, from /api/me. The rules are shared/permissions.ts
 * (DESIGN §4), the same the server enforces on pull and push; here they only decide which
 * sections and buttons show.
 */
import type { ContactRole } from '../shared/schemas';
import { can, may, personFromMe, sectionsOf, type Ability, type Person, type Section } from '../shared/permissions';
import type { Me } from './api';

export type { Section };

export interface Access {
  person: Person;
  isOrgAdmin: boolean;
  adminOfTeamIds: readonly string[];
  roles: readonly ContactRole[];
  orderSpecific: boolean;
  memberId: string | null;
  /** The id a new quote names as its requester. */
  requesterId: string | null;
  sees(section: Section): boolean;
  isTeamAdmin(teamId: string): boolean;
  /** May create invitations for this team and revoke its licenses. */
  canManageTeam(teamId: string): boolean;
  canEditOrg: boolean;
  /** May mark invoices paid and request quotes. */
  canBill: boolean;
  can(ability: Ability): boolean;
}

export function accessOf(me: Me): Access {
  const person = personFromMe(me);
  const sections = sectionsOf(person);
  const orgId = person.orgId ?? '';
  return {
    person,
    isOrgAdmin: person.isOrgAdmin,
    adminOfTeamIds: person.adminOfTeamIds,
    roles: person.roles,
    orderSpecific: person.orderIds.length > 0,
    memberId: person.memberId,
    requesterId: person.memberId ?? person.accountId,
    sees: (s) => sections.has(s) && (s === 'my-licenses' || !!me.org),
    isTeamAdmin: (t) => person.adminOfTeamIds.includes(t),
    canManageTeam: (t) =>
      may(person, 'invitations', 'create', { orgId, teamId: t, createdByMemberId: person.memberId }) ||
      may(person, 'licenses', 'update', { orgId, teamId: t, status: 'available' }, { orgId, teamId: t, status: 'assigned', assignee: {} }),
    canEditOrg: may(person, 'organizations', 'update', { id: orgId }, { id: orgId }),
    canBill:
      may(person, 'invoices', 'update', { orgId, paidAt: 'x' }, { orgId }) ||
      may(person, 'quotes', 'create', { orgId, requestedByMemberId: person.memberId ?? person.accountId }),
    can: (ability) => can(person, ability),
  };
}
