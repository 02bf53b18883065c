import type { Kysely } from 'kysely';
import type { Refusal } from '../../shared/permissions';
import { accountByEmail } from '../store/accounts';
import { listDocs } from '../store/docs';
import type { DB } from '../store/schema';

/**
 * One member record per person and organization (DESIGN §3): may the person of `address`
 * become a member of `orgId`? Refused with `member-exists` when a live member of this
 * organization has that address or names its account. What the person is in any other
 * organization — member, contact, license holder — plays no part: an account may be part of
 * any number of organizations. `exceptMemberId`: the member being written, which does not count.
 */
export async function memberExistsRefusal(db: Kysely<DB>, address: string, orgId: string, exceptMemberId?: string): Promise<Refusal | null> {
  const account = await accountByEmail(db, address);
  const byAddress = await listDocs(db, { collection: 'members', org: orgId, emailCaseless: address, exceptId: exceptMemberId });
  const byAccount = account
    ? await listDocs(db, { collection: 'members', org: orgId, where: { accountId: account.id }, exceptId: exceptMemberId })
    : [];
  if (byAddress.length || byAccount.length) {
    return { code: 'member-exists', message: `${address} is already a member of this organization`, fields: ['email'] };
  }
  return null;
}
