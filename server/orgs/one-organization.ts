import type { Kysely } from 'kysely';
import type { Refusal } from '../../shared/permissions';
import { accountByEmail } from '../store/accounts';
import { docExists, listDocs } from '../store/docs';
import type { DB } from '../store/schema';

/**
 * One member per person and organization, and one organization per person (until accounts
 * span organizations): may the person of `address` become a member of `orgId` (null: of a
 * new organization)? Refused when the address is a live member's here (by address or by the
 * account it names) — `member-exists` — or the account of a member of another organization,
 * or a contact or license holder of another one (they sign in there, server/auth/principal.ts)
 * — `member-elsewhere`. `exceptMemberId`: the member being written, which does not count.
 *
 * The push path (server/collections/members.ts) and the CLI's create-org both ask this.
 */
export async function membershipRefusal(
  db: Kysely<DB>,
  address: string,
  orgId: string | null,
  exceptMemberId?: string,
): Promise<Refusal | null> {
  const account = await accountByEmail(db, address);
  const others = orgId ? { not: orgId } : undefined;
  const byAddress = await listDocs(db, { collection: 'members', emailCaseless: address, exceptId: exceptMemberId, ...(orgId ? { org: orgId } : {}) });
  const byAccount = account ? await listDocs(db, { collection: 'members', where: { accountId: account.id }, exceptId: exceptMemberId }) : [];
  const members = [...byAddress, ...byAccount];
  if (orgId && members.some((m) => m.orgId === orgId)) {
    return { code: 'member-exists', message: `${address} is already a member of this organization`, fields: ['email'] };
  }
  if (members.length) {
    const where = orgId ? 'another organization' : 'an organization';
    return { code: 'member-elsewhere', message: `${address} is already a member of ${where} on this server`, fields: ['email'] };
  }
  const contact = await docExists(db, { collection: 'contacts', where: { email: address }, ...(others ? { org: others } : {}) });
  const holds = account ? await docExists(db, { collection: 'licenses', where: { assigneeAccountId: account.id }, ...(others ? { org: others } : {}) }) : false;
  if (contact || holds) {
    return { code: 'member-elsewhere', message: `${address} belongs to another organization on this server`, fields: ['email'] };
  }
  return null;
}
