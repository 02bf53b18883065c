import type { Kysely } from 'kysely';
import type { DB } from '../store/schema';
import type { Contact, Member } from '../../shared/schemas';
import { firstDoc, listDocs } from '../store/docs';
import type { AccountRow as Account } from '../store/accounts';
import type { Person } from '../../shared/permissions';

/** Who is asking, and in which organization: their member record and their contact records. */
export interface Principal {
  account: Account;
  orgId: string | null;
  member: Member | null;
  contacts: Contact[];
  /** Holds a license of the organization. */
  holdsLicense: boolean;
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
  };
}

/**
 * Who is asking (DESIGN §4): the account's member record and (once the address is proven)
 * contact records, in the organization they act in — their member's, else their contacts',
 * else the one where they hold a license.
 */
export async function principalFor(db: Kysely<DB>, account: Account): Promise<Principal> {
  // One organization per person is the rule (push checks); should there be several, always the same one.
  const members = (await listDocs(db, { collection: 'members', where: { accountId: account.id } }, { orderBy: 'org_id' })).filter(
    (m) => !m.disabled,
  );
  // A contact may only act on an organization's data once the email is proven theirs.
  const contacts = account.emailVerifiedAt
    ? (await listDocs(db, { collection: 'contacts', where: { email: account.email.toLowerCase() } })).filter((c) => !c.disabled)
    : [];
  let orgId: string | null = members[0]?.orgId ?? contacts[0]?.orgId ?? null;
  const held = await firstDoc(db, { collection: 'licenses', where: { assigneeAccountId: account.id }, ...(orgId ? { org: orgId } : {}) });
  if (!orgId) orgId = held?.orgId ?? null;
  return {
    account,
    orgId,
    member: members.find((m) => m.orgId === orgId) ?? null,
    contacts: contacts.filter((c) => c.orgId === orgId),
    holdsLicense: !!held,
  };
}

