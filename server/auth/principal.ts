import type { Kysely } from 'kysely';
import type { DB } from '../store/schema';
import type { Contact, Member } from '../../shared/schemas';
import { rowToDoc } from '../store/docs';
import type { Account } from './session';

/** Who is asking, and in which organization: their member record and their contact records. */
export interface Principal {
  account: Account;
  orgId: string | null;
  member: Member | null;
  contacts: Contact[];
}

export async function principalFor(db: Kysely<DB>, account: Account): Promise<Principal> {
  const memberRows = await db
    .selectFrom('docs')
    .select(['data', 'seq', 'updated_at', 'deleted', 'org_id'])
    .where('collection', '=', 'members')
    .where('account_id', '=', account.id)
    .where('deleted', '=', 0)
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
  if (!orgId) {
    const held = await db
      .selectFrom('docs')
      .select('org_id')
      .where('collection', '=', 'licenses')
      .where('assignee_account_id', '=', account.id)
      .where('deleted', '=', 0)
      .executeTakeFirst();
    orgId = held?.org_id ?? null;
  }
  return {
    account,
    orgId,
    member: members.find((m) => m.orgId === orgId) ?? null,
    contacts: contacts.filter((c) => c.orgId === orgId),
  };
}
