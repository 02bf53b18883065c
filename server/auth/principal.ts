import type { Kysely } from 'kysely';
import type { DB } from '../store/schema';
import type { Contact, Member } from '../../shared/schemas';
import { docExists, findDoc, listDocs } from '../store/docs';
import type { AccountRow as Account } from '../store/accounts';
import type { Person } from '../../shared/permissions';

/**
 * Who is asking in one organization (DESIGN §3, §4): the account, and its member record,
 * enabled contact records and held licenses in that organization alone. Every request that
 * reads or writes an organization's data names it; nothing of another organization counts.
 */
export interface Principal {
  account: Account;
  orgId: string;
  /** Their enabled member record here. */
  member: Member | null;
  /** Their enabled contacts here (once the address is proven theirs). */
  contacts: Contact[];
  /** Holds a license of this organization. */
  holdsLicense: boolean;
  /** The orders placed here by their member record when it is a partner's (DESIGN §4), else empty. */
  placedOrderIds: string[];
}

/** The person the shared rules (shared/permissions.ts) judge. */
export function personOf(p: Principal): Person {
  const member = p.member && !p.member.disabled ? p.member : null;
  const contacts = p.contacts.filter((c) => !c.disabled);
  return {
    orgId: p.orgId,
    accountId: p.account.id,
    memberId: member?.id ?? null,
    isOrgAdmin: !!member?.isOrgAdmin,
    adminOfTeamIds: member?.adminOfTeamIds ?? [],
    roles: [...new Set(contacts.flatMap((c) => c.roles))],
    orderIds: [...new Set(contacts.flatMap((c) => c.orderIds))],
    holdsLicense: p.holdsLicense,
    isPartner: !!member?.isPartner,
    placedOrderIds: member?.isPartner ? p.placedOrderIds : [],
  };
}

/**
 * The ids of the orders `memberId` placed in `orgId` (a partner's reach, DESIGN §4), sorted.
 * Read only for partners: the stored JSON is filtered for the member's id, then each order's
 * `placedByMemberId` decides.
 */
async function ordersPlacedBy(db: Kysely<DB>, orgId: string, memberId: string): Promise<string[]> {
  const orders = await listDocs(db, { collection: 'orders', org: orgId, mentionsAny: [memberId] }, { orderBy: 'id' });
  return orders.filter((o) => o.placedByMemberId === memberId).map((o) => o.id);
}

/** Does the principal grant anything at all in its organization? (Else it has no reach there.) */
const hasReach = (p: Principal) => !!p.member || p.contacts.length > 0 || p.holdsLicense;

/**
 * The account's reach in organization `orgId` (DESIGN §3): null when the organization does
 * not exist (or was deleted) or the account is nothing there — no enabled member record, no
 * enabled contact (a contact acts only once the address is proven), no license held. Callers
 * answer both alike: 404 `organization-not-found`.
 */
export async function principalIn(db: Kysely<DB>, account: Account, orgId: string): Promise<Principal | null> {
  const org = await findDoc(db, 'organizations', orgId);
  if (!org || org._deleted) return null;
  const [members, contacts, holdsLicense] = await Promise.all([
    listDocs(db, { collection: 'members', org: orgId, where: { accountId: account.id } }, { orderBy: 'id' }),
    account.emailVerifiedAt
      ? listDocs(db, { collection: 'contacts', org: orgId, where: { email: account.email.toLowerCase() } }, { orderBy: 'id' })
      : Promise.resolve([]),
    docExists(db, { collection: 'licenses', org: orgId, where: { assigneeAccountId: account.id } }),
  ]);
  const member = members.find((m) => !m.disabled) ?? null;
  const p: Principal = {
    account,
    orgId,
    member,
    contacts: contacts.filter((c) => !c.disabled),
    holdsLicense,
    placedOrderIds: member?.isPartner ? await ordersPlacedBy(db, orgId, member.id) : [],
  };
  return hasReach(p) ? p : null;
}

/**
 * Every organization the account has reach in, each with its principal there (DESIGN §3:
 * any number of them), ordered by organization id. Read with four queries whatever the number, and one more per organization where the account is a partner.
 */
export async function principalsOf(db: Kysely<DB>, account: Account): Promise<Principal[]> {
  const [members, contacts, licenses] = await Promise.all([
    listDocs(db, { collection: 'members', where: { accountId: account.id } }, { orderBy: 'id' }),
    account.emailVerifiedAt ? listDocs(db, { collection: 'contacts', where: { email: account.email.toLowerCase() } }, { orderBy: 'id' }) : Promise.resolve([]),
    listDocs(db, { collection: 'licenses', where: { assigneeAccountId: account.id } }),
  ]);
  const byOrg = new Map<string, Principal>();
  const of = (orgId: string) => {
    let p = byOrg.get(orgId);
    if (!p) byOrg.set(orgId, (p = { account, orgId, member: null, contacts: [], holdsLicense: false, placedOrderIds: [] }));
    return p;
  };
  for (const m of members) if (!m.disabled && !of(m.orgId).member) of(m.orgId).member = m;
  for (const c of contacts) if (!c.disabled) of(c.orgId).contacts.push(c);
  for (const l of licenses) of(l.orgId).holdsLicense = true;
  const live = new Set(
    (await listDocs(db, { collection: 'organizations', where: { id: [...byOrg.keys()] } })).map((o) => o.id),
  );
  const out = [...byOrg.values()].filter((p) => live.has(p.orgId) && hasReach(p));
  for (const p of out) if (p.member?.isPartner) p.placedOrderIds = await ordersPlacedBy(db, p.orgId, p.member.id);
  out.sort((a, b) => (a.orgId < b.orgId ? -1 : a.orgId > b.orgId ? 1 : 0));
  return out;
}
