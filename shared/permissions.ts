/**
 * Who may see and change what (DESIGN §4) — the one copy of the rules. The server derives
 * its pull filters (SQL), its stream filter and its push authorization from the tables
 * below; the client derives which sections and actions it shows from the same tables.
 *
 * A person is the union of their grants: member roles (org admin, team admin of some
 * teams), contact roles (primary licensee / technical / billing, order-specific through
 * `orderIds`), and the licenses they hold. Notification-only roles grant nothing to see;
 * disabled members and contacts grant nothing at all (they are left out of the person).
 */
import { COLLECTION_NAMES, type CollectionName, type ContactRole } from './schemas';
import type { ErrorCode } from './errors';
import { docFieldValue, type DocFieldName } from './doc-fields';
import { isMarkPaid, isRevoke } from './equality';

// The two kinds of update the table names (ChangeRule.update) are defined with the other equality rules.
export { isMarkPaid, isRevoke };

/** Everything the rules depend on. Built by the server from its principal, by the client from /api/me. */
export interface Person {
  /** The organization the person acts in; null for a stranger. */
  orgId: string | null;
  accountId: string | null;
  /** Their (enabled) member record in the organization. */
  memberId: string | null;
  isOrgAdmin: boolean;
  adminOfTeamIds: readonly string[];
  /** The roles of their enabled contacts in the organization (union). */
  roles: readonly ContactRole[];
  /** The orders assigned to their enabled contacts (union). */
  orderIds: readonly string[];
  /** Holds at least one license of the organization ("My licenses"). */
  holdsLicense: boolean;
  /** Their member record is a partner's (DESIGN §4: a reseller ordering on the organization's behalf). */
  isPartner: boolean;
  /** The orders a partner placed here (orders whose placedByMemberId is their member id); empty for anyone else. */
  placedOrderIds: readonly string[];
}

export const ANONYMOUS: Person = {
  orgId: null,
  accountId: null,
  memberId: null,
  isOrgAdmin: false,
  adminOfTeamIds: [],
  roles: [],
  orderIds: [],
  holdsLicense: false,
  isPartner: false,
  placedOrderIds: [],
};

/** A grant is one reason to see or change something; a person holds several. */
export type Grant =
  | 'orgAdmin'
  | 'teamAdmin'
  | 'member'
  | 'primaryLicensee'
  | 'primaryTechnical'
  | 'primaryBilling'
  | 'orderContact'
  | 'partner'
  | 'licenseHolder'
  | 'inOrg';

/** Document fields a visibility condition can test (each is one of shared/doc-fields.ts, kept in a column). */
export type ScopeField = Extract<DocFieldName, 'id' | 'teamId' | 'orderId' | 'assigneeAccountId' | 'accountId'>;

/** The person's values a condition compares with. */
export type ScopeValues = 'org' | 'account' | 'adminTeams' | 'orders' | 'placedOrders';

/** Everything of the organization, or the documents whose `field` is one of the person's `values`. */
export type Reach = 'all' | { field: ScopeField; values: ScopeValues };

export type Section =
  | 'overview'
  | 'contacts'
  | 'teams'
  | 'licenses'
  | 'orders'
  | 'billing'
  | 'notifications'
  | 'members'
  | 'audit'
  | 'my-licenses';

/**
 * A change a grant permits on one collection. `within`: the document (before and after the
 * change) must lie in the person's reach on that field. `kind` narrows an update to one
 * specific change. `self`: on create, this field must name the person.
 */
export interface ChangeRule {
  create?: boolean;
  update?: boolean | 'revoke' | 'mark-paid';
  delete?: boolean;
  within?: Exclude<Reach, 'all'>;
  self?: { field: string; is: 'member' | 'requester' };
}

/** Things a person may do that are not writes of a replicated document. */
export type Ability = 'send-bulletin' | 'retry-email' | 'merge-contacts';

export interface GrantRules {
  /** Who holds the grant. */
  label: string;
  abilities?: Ability[];
  see: Partial<Record<CollectionName, Reach>>;
  change: Partial<Record<CollectionName, ChangeRule>>;
  /** Sections of the app the grant opens. */
  sections: Section[];
}

const crud: ChangeRule = { create: true, update: true, delete: true };
const ownTeams = { field: 'teamId', values: 'adminTeams' } as const;
const myOrders = { field: 'orderId', values: 'orders' } as const;
const placedOrders = { field: 'orderId', values: 'placedOrders' } as const;

/** DESIGN §4, filled in. */
export const PERMISSIONS: Record<Grant, GrantRules> = {
  orgAdmin: {
    label: 'Organization admin',
    abilities: ['send-bulletin', 'retry-email', 'merge-contacts'],
    see: Object.fromEntries(COLLECTION_NAMES.map((c) => [c, 'all'])) as Record<CollectionName, Reach>,
    // Everything clients may write (products, acceptances, notifications, refused claims and
    // audit events are the server's; a waitlist entry is made by joining and may only be removed).
    change: {
      organizations: { update: true },
      members: crud,
      contacts: crud,
      teams: crud,
      orders: crud,
      licenses: crud,
      invitations: { ...crud, self: { field: 'createdByMemberId', is: 'member' } },
      invoices: crud,
      quotes: { ...crud, self: { field: 'requestedByMemberId', is: 'requester' } },
      waitlistEntries: { delete: true },
    },
    sections: ['overview', 'contacts', 'teams', 'licenses', 'orders', 'billing', 'notifications', 'members', 'audit'],
  },
  teamAdmin: {
    label: 'Team admin',
    see: {
      teams: { field: 'id', values: 'adminTeams' },
      licenses: ownTeams,
      invitations: ownTeams,
      acceptances: ownTeams,
      waitlistEntries: ownTeams,
      refusedClaims: ownTeams,
    },
    change: {
      invitations: { create: true, update: true, within: ownTeams, self: { field: 'createdByMemberId', is: 'member' } },
      licenses: { update: 'revoke', within: ownTeams },
      waitlistEntries: { delete: true, within: ownTeams },
    },
    sections: ['overview', 'teams', 'licenses'],
  },
  member: {
    label: 'Member',
    see: { members: { field: 'accountId', values: 'account' } },
    change: {},
    sections: [],
  },
  primaryLicensee: {
    label: 'Primary licensee',
    // Waitlists and refused claims go with the acceptances (DESIGN §6).
    see: { teams: 'all', licenses: 'all', invitations: 'all', acceptances: 'all', waitlistEntries: 'all', refusedClaims: 'all', orders: 'all' },
    change: {},
    sections: ['overview', 'teams', 'licenses', 'orders'],
  },
  primaryTechnical: {
    label: 'Primary technical',
    see: { teams: 'all', licenses: 'all', products: 'all' },
    change: {},
    sections: ['overview', 'teams', 'licenses'],
  },
  primaryBilling: {
    label: 'Primary billing',
    see: { orders: 'all', invoices: 'all', quotes: 'all' },
    change: {
      invoices: { update: 'mark-paid' },
      quotes: { create: true, self: { field: 'requestedByMemberId', is: 'requester' } },
    },
    sections: ['overview', 'orders', 'billing'],
  },
  orderContact: {
    label: 'Order-specific contact',
    see: { orders: { field: 'id', values: 'orders' }, licenses: myOrders, invoices: myOrders },
    change: {},
    sections: ['overview', 'orders', 'licenses', 'billing'],
  },
  /**
   * A reseller who orders on the organization's behalf (seed: "if you purchase your licenses
   * through a sales representative or a partner, they will specify your licensee and billing
   * contact information on your behalf"). They record orders (naming the licensee and billing
   * people, who become the order's contacts) and see the orders they placed, those orders'
   * licenses and invoices, and the catalog — nothing else: no teams, contacts or members. An
   * order they record goes into a team of its own (server/collections/orders.ts).
   */
  partner: {
    label: 'Partner',
    see: { orders: { field: 'id', values: 'placedOrders' }, licenses: placedOrders, invoices: placedOrders, products: 'all' },
    change: {
      orders: { create: true },
    },
    sections: ['orders', 'licenses', 'billing'],
  },
  licenseHolder: {
    label: 'License holder',
    see: { licenses: { field: 'assigneeAccountId', values: 'account' } },
    change: {},
    sections: [],
  },
  /** Anyone the organization lets in (any grant above but notification-only roles): its name and the catalog. */
  inOrg: {
    label: 'Anyone in the organization',
    see: { organizations: { field: 'id', values: 'org' }, products: 'all' },
    change: {},
    sections: [],
  },
};

const PRIMARY = { primaryLicensee: 'primaryLicensee', primaryTechnical: 'primaryTechnical', primaryBilling: 'primaryBilling' } as const;

/** The grants a person holds (none without an organization). */
export function grantsOf(p: Person): Grant[] {
  if (!p.orgId) return [];
  const g: Grant[] = [];
  if (p.isOrgAdmin) g.push('orgAdmin');
  if (p.adminOfTeamIds.length) g.push('teamAdmin');
  if (p.memberId) g.push('member');
  for (const r of p.roles) if (r in PRIMARY) g.push(PRIMARY[r as keyof typeof PRIMARY]);
  if (p.orderIds.length) g.push('orderContact');
  if (p.memberId && p.isPartner) g.push('partner');
  if (p.accountId) g.push('licenseHolder');
  const letIn = !!p.memberId || g.some((x) => x.startsWith('primary')) || p.orderIds.length > 0 || p.holdsLicense;
  if (letIn) g.push('inOrg');
  return [...new Set(g)];
}

export function valuesOf(p: Person, values: ScopeValues): string[] {
  switch (values) {
    case 'org':
      return p.orgId ? [p.orgId] : [];
    case 'account':
      return p.accountId ? [p.accountId] : [];
    case 'adminTeams':
      return [...p.adminOfTeamIds];
    case 'orders':
      return [...p.orderIds];
    case 'placedOrders':
      return [...p.placedOrderIds];
  }
}

/** One condition of a scope: the document's `field` is one of `values`. */
export interface ScopeCondition {
  field: ScopeField;
  values: string[];
}

/** What of one collection a person sees: all of the organization, nothing, or documents matching any condition. */
export type Scope = 'all' | 'none' | ScopeCondition[];

export function scopeOf(p: Person, collection: CollectionName): Scope {
  const byField = new Map<ScopeField, Set<string>>();
  for (const g of grantsOf(p)) {
    const reach = PERMISSIONS[g].see[collection];
    if (!reach) continue;
    if (reach === 'all') return 'all';
    const vals = valuesOf(p, reach.values);
    if (!vals.length) continue;
    if (!byField.has(reach.field)) byField.set(reach.field, new Set());
    for (const v of vals) byField.get(reach.field)!.add(v);
  }
  if (!byField.size) return 'none';
  return [...byField].map(([field, vals]) => ({ field, values: [...vals].sort() }));
}

type AnyDoc = Record<string, unknown>;

/** The value of a scope field in a document (null when it has none), as shared/doc-fields.ts reads it. */
export const fieldValue = (doc: AnyDoc, field: ScopeField): string | null => docFieldValue(doc, field);

export function inScope(doc: AnyDoc, scope: Scope): boolean {
  if (scope === 'all') return true;
  if (scope === 'none') return false;
  return scope.some((c) => {
    const v = fieldValue(doc, c.field);
    return v !== null && c.values.includes(v);
  });
}

/** The organization a document belongs to (products belong to the catalog, i.e. to everyone). */
export function orgOfDoc(collection: CollectionName, doc: AnyDoc): string | null {
  if (collection === 'products') return null;
  if (collection === 'organizations') return typeof doc.id === 'string' ? doc.id : null;
  return typeof doc.orgId === 'string' ? doc.orgId : null;
}

export function canSee(p: Person, collection: CollectionName, doc: AnyDoc): boolean {
  if (!p.orgId) return false;
  if (collection !== 'products' && orgOfDoc(collection, doc) !== p.orgId) return false;
  return inScope(doc, scopeOf(p, collection));
}

/** Fields a condition of this collection may test: when one changes, whoever saw the old value loses the document. */
export function scopeFieldsOf(collection: CollectionName): ScopeField[] {
  const fields = new Set<ScopeField>();
  for (const g of Object.values(PERMISSIONS)) {
    const r = g.see[collection];
    if (r && r !== 'all') fields.add(r.field);
  }
  return [...fields];
}

/**
 * Audience keys: a document that leaves a scope is remembered (as a tombstone) under
 * `field:value` of what it left; a person receives the tombstones under the keys of
 * their own conditions.
 */
export const audienceKey = (field: ScopeField, value: string) => `${field}:${value}`;

export function audienceOf(scope: Scope): string[] {
  if (scope === 'all' || scope === 'none') return [];
  return scope.flatMap((c) => c.values.map((v) => audienceKey(c.field, v)));
}

/** The audiences that lose sight of a document when it changes from `before` to `after`. */
export function audiencesLost(collection: CollectionName, before: AnyDoc, after: AnyDoc): string[] {
  const out: string[] = [];
  for (const f of scopeFieldsOf(collection)) {
    const old = fieldValue(before, f);
    if (old !== null && old !== fieldValue(after, f)) out.push(audienceKey(f, old));
  }
  return out;
}

/** A fingerprint source of everything the person's scopes depend on (the server hashes it). */
export function scopeKey(p: Person): string {
  return JSON.stringify([
    p.orgId,
    p.accountId,
    p.memberId,
    p.isOrgAdmin,
    [...p.adminOfTeamIds].sort(),
    [...new Set(p.roles)].sort(),
    [...new Set(p.orderIds)].sort(),
    p.holdsLicense,
    p.isPartner,
    [...new Set(p.placedOrderIds)].sort(),
  ]);
}

export interface Refusal {
  code: ErrorCode;
  message: string;
  fields?: string[];
}

/** The id a person's new quote names as its requester: their member id, else their account id. */
export const requesterIdOf = (p: Person) => p.memberId ?? p.accountId;

export type Action = 'create' | 'update' | 'delete';

export function actionOf(before: AnyDoc | undefined, after: AnyDoc): Action {
  if (!before || before._deleted) return 'create';
  return after._deleted ? 'delete' : 'update';
}

function ruleAllows(p: Person, rule: ChangeRule, action: Action, before: AnyDoc | undefined, after: AnyDoc): boolean {
  if (!rule[action]) return false;
  if (rule.within) {
    const vals = valuesOf(p, rule.within.values);
    const ok = (d: AnyDoc) => {
      const v = fieldValue(d, rule.within!.field);
      return v !== null && vals.includes(v);
    };
    if (!ok(after) || (before && !ok(before))) return false;
  }
  if (action === 'update' && before) {
    if (rule.update === 'revoke' && !isRevoke(before, after)) return false;
    if (rule.update === 'mark-paid' && !isMarkPaid(before, after)) return false;
  }
  if (action === 'create' && rule.self) {
    const who = rule.self.is === 'member' ? p.memberId : requesterIdOf(p);
    if (!who || after[rule.self.field] !== who) return false;
  }
  return true;
}

/** Whether any of the person's grants permits this action on a document like `doc` (for the UI). */
export function may(p: Person, collection: CollectionName, action: Action, doc: AnyDoc = {}, before?: AnyDoc): boolean {
  return grantsOf(p).some((g) => {
    const rule = PERMISSIONS[g].change[collection];
    return !!rule && ruleAllows(p, rule, action, before, doc);
  });
}

/**
 * May this person write this change? Role rules only: field rules (immutable and
 * server-only fields) and rules that need the database (the last org admin, references)
 * are checked by the server besides.
 */
export function canChange(p: Person, collection: CollectionName, before: AnyDoc | undefined, after: AnyDoc): Refusal | null {
  if (!p.orgId) return { code: 'not-allowed', message: 'You are not part of an organization' };
  if (collection !== 'products' && orgOfDoc(collection, after) !== p.orgId) {
    return { code: 'not-allowed', message: 'This document belongs to another organization' };
  }
  const action = actionOf(before, after);
  const grants = grantsOf(p);
  const rules = grants.map((g) => PERMISSIONS[g].change[collection]).filter((r): r is ChangeRule => !!r);
  if (!rules.length) return { code: 'not-allowed', message: `You may not change ${collection}` };
  if (rules.some((r) => ruleAllows(p, r, action, before, after))) return null;
  const kinds = rules.map((r) => (action === 'update' ? r.update : r[action])).filter(Boolean);
  if (!kinds.length) return { code: 'not-allowed', message: `You may not ${action} ${collection}` };
  if (kinds.includes('revoke')) return { code: 'not-allowed', message: 'You may only revoke licenses of teams you administer' };
  if (kinds.includes('mark-paid')) return { code: 'not-allowed', message: 'You may only mark an unpaid invoice paid' };
  const self = rules.find((r) => r.self)?.self;
  if (action === 'create' && self) {
    return { code: 'not-allowed', message: `${self.field} must name you`, fields: [self.field] };
  }
  return { code: 'not-allowed', message: `You may not ${action} this ${collection.replace(/s$/, '')}` };
}

export function can(p: Person, ability: Ability): boolean {
  return grantsOf(p).some((g) => PERMISSIONS[g].abilities?.includes(ability));
}

/** Demoting, disabling or removing this member takes away an org admin. */
export function losesOrgAdmin(before: AnyDoc | undefined, after: AnyDoc): boolean {
  const active = (m: AnyDoc | undefined) => !!m && !m._deleted && !m.disabled && !!m.isOrgAdmin;
  return active(before) && !active(after);
}

/** Is this member the organization's only active org admin (who can be neither removed nor demoted)? */
export function isLastOrgAdmin(members: readonly AnyDoc[], memberId: string): boolean {
  const admins = members.filter((m) => !m._deleted && m.isOrgAdmin && !m.disabled);
  return admins.length === 1 && admins[0].id === memberId;
}

/** The sections of the app the person sees. "My licenses" is everyone's. */
export function sectionsOf(p: Person): Set<Section> {
  const out = new Set<Section>(['my-licenses']);
  for (const g of grantsOf(p)) for (const s of PERMISSIONS[g].sections) out.add(s);
  return out;
}

/** The person the client's /api/me answer describes (the same fields the server builds its person from). */
export function personFromMe(me: {
  account: { id: string };
  org: { id: string } | null;
  member: { id: string; isOrgAdmin: boolean; adminOfTeamIds: readonly string[]; disabled: boolean; isPartner?: boolean } | null;
  contactRoles?: readonly ContactRole[];
  contactOrderIds?: readonly string[];
  holdsLicense?: boolean;
  placedOrderIds?: readonly string[];
}): Person {
  const member = me.member && !me.member.disabled ? me.member : null;
  return {
    orgId: me.org?.id ?? null,
    accountId: me.account.id,
    memberId: member?.id ?? null,
    isOrgAdmin: !!member?.isOrgAdmin,
    adminOfTeamIds: member?.adminOfTeamIds ?? [],
    roles: me.contactRoles ?? [],
    orderIds: me.contactOrderIds ?? [],
    holdsLicense: !!me.holdsLicense,
    isPartner: !!member?.isPartner,
    placedOrderIds: member?.isPartner ? (me.placedOrderIds ?? []) : [],
  };
}

/**
 * The person one organization's entry of `/api/me` describes (shared/api.ts MyOrganization):
 * what the client shows and may do in that organization, the same fields the server builds
 * its person from for that (account, organization) pair (DESIGN §3).
 */
export function personInOrganization(
  accountId: string,
  org: {
    id: string;
    isOrgAdmin: boolean;
    adminOfTeamIds: readonly string[];
    roles: readonly ContactRole[];
    holdsLicense: boolean;
    memberId?: string | null;
    orderIds?: readonly string[];
    isPartner?: boolean;
    placedOrderIds?: readonly string[];
  },
): Person {
  return {
    orgId: org.id,
    accountId,
    memberId: org.memberId ?? null,
    isOrgAdmin: org.isOrgAdmin,
    adminOfTeamIds: org.adminOfTeamIds,
    roles: org.roles,
    orderIds: org.orderIds ?? [],
    holdsLicense: org.holdsLicense,
    isPartner: !!org.isPartner,
    placedOrderIds: org.placedOrderIds ?? [],
  };
}

/**
 * May this person download an order's license certificate again (DESIGN §7, the order's page)?
 * Org admins, primary licensees (the organization-wide licensee, who sees every order) and the
 * order's own contacts (its licensee and billing contact: DESIGN §4 "their orders"), and the
 * partner who placed it; nobody else.
 */
export function mayGetCertificate(p: Person, orderId: string): boolean {
  const grants = grantsOf(p);
  return (
    grants.includes('orgAdmin') ||
    grants.includes('primaryLicensee') ||
    (grants.includes('orderContact') && p.orderIds.includes(orderId)) ||
    // A partner, for the orders they placed (DESIGN §4).
    (grants.includes('partner') && p.placedOrderIds.includes(orderId))
  );
}
