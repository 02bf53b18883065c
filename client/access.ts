/**
 * What the signed-in person may see and do, from /api/me (DESIGN §4). The server enforces
 * the same rules on pull and push; here they only decide which sections and buttons show.
 */
import type { ContactRole } from '../shared/schemas';
import type { Me } from './api';

export type Section =
  | 'overview'
  | 'contacts'
  | 'teams'
  | 'licenses'
  | 'orders'
  | 'billing'
  | 'notifications'
  | 'members'
  | 'my-licenses';

export interface Access {
  isOrgAdmin: boolean;
  adminOfTeamIds: readonly string[];
  roles: readonly ContactRole[];
  orderSpecific: boolean;
  memberId: string | null;
  sees(section: Section): boolean;
  isTeamAdmin(teamId: string): boolean;
  canManageTeam(teamId: string): boolean;
  canEditOrg: boolean;
  canBill: boolean;
}

export function accessOf(me: Me): Access {
  const member = me.member && !me.member.disabled ? me.member : null;
  const isOrgAdmin = !!member?.isOrgAdmin;
  const adminOfTeamIds = member?.adminOfTeamIds ?? [];
  const roles = me.contactRoles ?? [];
  const has = (r: ContactRole) => roles.includes(r);
  const orderSpecific = (me.contactOrderIds?.length ?? 0) > 0;
  const teamAdmin = adminOfTeamIds.length > 0;
  const seesTeams = isOrgAdmin || teamAdmin || has('primaryLicensee') || has('primaryTechnical');
  const seesOrders = isOrgAdmin || has('primaryLicensee') || has('primaryBilling') || orderSpecific;
  const canBill = isOrgAdmin || has('primaryBilling');
  const visible: Record<Section, boolean> = {
    overview: !!me.org && (isOrgAdmin || teamAdmin || roles.some((r) => r.startsWith('primary')) || orderSpecific),
    contacts: isOrgAdmin,
    teams: seesTeams,
    licenses: seesTeams || orderSpecific,
    orders: seesOrders,
    billing: canBill || orderSpecific,
    notifications: isOrgAdmin,
    members: isOrgAdmin,
    'my-licenses': true,
  };
  return {
    isOrgAdmin,
    adminOfTeamIds,
    roles,
    orderSpecific,
    memberId: member?.id ?? null,
    sees: (s) => visible[s],
    isTeamAdmin: (t) => adminOfTeamIds.includes(t),
    canManageTeam: (t) => isOrgAdmin || adminOfTeamIds.includes(t),
    canEditOrg: isOrgAdmin,
    canBill,
  };
}
