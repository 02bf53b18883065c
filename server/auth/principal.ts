import type { Kysely } from 'kysely';
import type { DB } from '../store/schema';
import type { Contact, Member } from '../../shared/schemas';
import { rowToDoc } from '../store/docs';
import type { Account } from './session';
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

export async function principalFor(db: Kysely<DB>, account: Account): Promise<Principal> {
  const memberRows = await db
    .selectFrom('docs')
    .select(['data', 'seq', 'updated_at', 'deleted', 'org_id'])
    .where('collection', '=', 'members')
    .where('account_id', '=', account.id)
    .where('deleted', '=', 0)
    // One organization per person is the rule (push checks); should there be several, always the same one.
    .orderBy('org_id')
    .orderBy('id')
    .execute();
  const members = memberRows.map((r) => rowToDoc<'members'>(r)).filter((m) => !m.disabled);
  const contactRows = await db
    .selectFrom('docs')
    .select(['data', 'seq', 'updated_at', 'deleted', 'org_id'])
    .where('collection', '=', 'contacts')
    .where('email', '=', account.email.toLowerCase())
    .where('deleted', '=', 0)
    .execute();
  // A contact may only act on an organization's data once the email is proven theirs.
  const contacts = account.emailVerifiedAt
    ? contactRows.map((r) => rowToDoc<'contacts'>(r)).filter((c) => !c.disabled)
    : [];
  let orgId: string | null = members[0]?.orgId ?? contacts[0]?.orgId ?? null;
  const held = await db
    .selectFrom('docs')
    .select('org_id')
    .where('collection', '=', 'licenses')
    .where('assignee_account_id', '=', account.id)
    .where('deleted', '=', 0)
    .$if(!!orgId, (q) => q.where('org_id', '=', orgId!))
    .executeTakeFirst();
  if (!orgId) orgId = held?.org_id ?? null;
  return {
    account,
    orgId,
    member: members.find((m) => m.orgId === orgId) ?? null,
    contacts: contacts.filter((c) => c.orgId === orgId),
    holdsLicense: !!held,
  };
}
