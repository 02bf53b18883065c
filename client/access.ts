/**
 * What the signed-in person may see and do in one organization, from that organization's
 * entry of /api/me (DESIGN §3: reach is per (account, organization)). The rules are
 * shared/permissions.ts (DESIGN §4), the same the server enforces on pull and push; here they
 * only decide which sections and buttons show.
 *
 * The entry is read through an accessor and every field below is a getter, so a change of the
 * person's roles (the /api/me stream) reaches the screens without a reload.
 */
import type { Accessor } from 'solid-js';
import type { ContactRole } from '../shared/schemas';
import {
  can,
  grantsOf,
  may,
  mayGetCertificate,
  PERMISSIONS,
  personInOrganization,
  sectionsOf,
  type Ability,
  type Person,
  type Section,
} from '../shared/permissions';
import type { MyOrganization } from './api';

export type { Section };

export interface Access {
  readonly person: Person;
  readonly isOrgAdmin: boolean;
  readonly adminOfTeamIds: readonly string[];
  readonly roles: readonly ContactRole[];
  readonly orderSpecific: boolean;
  readonly memberId: string | null;
  /** The id a new quote names as its requester. */
  readonly requesterId: string | null;
  sees(section: Section): boolean;
  isTeamAdmin(teamId: string): boolean;
  /** May create invitations for this team and revoke its licenses. */
  canManageTeam(teamId: string): boolean;
  readonly canEditOrg: boolean;
  /** May mark invoices paid and request quotes. */
  readonly canBill: boolean;
  /** May record orders (org admins, partners: DESIGN §4). */
  readonly canRecordOrders: boolean;
  /** A partner here (DESIGN §4): their orders get a team of their own and name people, not contacts. */
  readonly isPartner: boolean;
  can(ability: Ability): boolean;
  /** May download this order's license certificate (org admins, primary licensees, the order's contacts). */
  mayGetCertificate(orderId: string): boolean;
}

/** The person's roles in an organization as words ("Organization admin", "Primary billing", …), for the switcher. */
export function roleWords(accountId: string, org: MyOrganization): string[] {
  // Everyone may see their own licenses (the licenseHolder grant); it is a role only where they hold one.
  const grants = grantsOf(personInOrganization(accountId, org)).filter((g) => g !== 'inOrg' && g !== 'member' && g !== 'licenseHolder');
  const words = grants.map((g) => PERMISSIONS[g].label);
  if (org.holdsLicense) words.push(PERMISSIONS.licenseHolder.label);
  if (!words.length && org.memberId) words.push('Member');
  return words;
}

/** Access in `org` for the account `accountId`; `org` may be a value or a live accessor. */
export function accessOf(accountId: string, org: MyOrganization | Accessor<MyOrganization>): Access {
  const entry = typeof org === 'function' ? org : () => org;
  const person = () => personInOrganization(accountId, entry());
  const orgId = () => entry().id;
  return {
    get person() {
      return person();
    },
    get isOrgAdmin() {
      return person().isOrgAdmin;
    },
    get adminOfTeamIds() {
      return person().adminOfTeamIds;
    },
    get roles() {
      return person().roles;
    },
    get orderSpecific() {
      return person().orderIds.length > 0;
    },
    get memberId() {
      return person().memberId;
    },
    get requesterId() {
      const p = person();
      return p.memberId ?? p.accountId;
    },
    sees: (s) => sectionsOf(person()).has(s),
    isTeamAdmin: (t) => person().adminOfTeamIds.includes(t),
    canManageTeam(t) {
      const p = person();
      const o = orgId();
      return (
        may(p, 'invitations', 'create', { orgId: o, teamId: t, createdByMemberId: p.memberId }) ||
        may(p, 'licenses', 'update', { orgId: o, teamId: t, status: 'available' }, { orgId: o, teamId: t, status: 'assigned', assignee: {} })
      );
    },
    get canEditOrg() {
      return may(person(), 'organizations', 'update', { id: orgId() }, { id: orgId() });
    },
    get canBill() {
      const p = person();
      const o = orgId();
      return may(p, 'invoices', 'update', { orgId: o, paidAt: 'x' }, { orgId: o }) || may(p, 'quotes', 'create', { orgId: o, requestedByMemberId: p.memberId ?? p.accountId });
    },
    get canRecordOrders() {
      return may(person(), 'orders', 'create', { orgId: orgId() });
    },
    get isPartner() {
      return person().isPartner;
    },
    can: (ability) => can(person(), ability),
    mayGetCertificate: (orderId) => mayGetCertificate(person(), orderId),
  };
}
