import { normalizeEmail } from '../../shared/addresses';
import { isLastOrgAdmin, losesOrgAdmin } from '../../shared/permissions';
import { ensureAccount } from '../auth/signin';
import { publicUrl } from '../config';
import { notifyMemberAdded } from '../notify/events';
import { memberExistsRefusal } from '../orgs/membership';
import { listDocs } from '../store/docs';
import { checkReferences, many } from './references';
import { isArriving, type CollectionRules, type PushContext, type Refusal } from './types';

/** The last org admin can be neither removed, disabled nor demoted (DESIGN §3). */
async function lastOrgAdmin({ w, before, after }: PushContext<'members'>): Promise<Refusal | null> {
  if (!losesOrgAdmin(before, after)) return null;
  const members = await listDocs(w.tx, { collection: 'members', org: w.orgId });
  if (!isLastOrgAdmin(members, after.id)) return null;
  return {
    code: 'last-org-admin',
    message: 'The organization needs at least one admin: make someone else an org admin first',
    fields: ['isOrgAdmin'],
  };
}

/**
 * An arriving member (new, or brought back) needs an address the server can make an account
 * for, and is not a member of this organization already (server/orgs/membership.ts); what the
 * person is elsewhere does not matter (DESIGN §3). Pushes of one organization are serialized
 * by its change counter (orgTx); two organizations adding the same new person at once are
 * serialized by a lock on the address (on PostgreSQL; SQLite has one writer at a time
 * already), so both find the one account the first made.
 */
async function arrivingMember({ w, before, after }: PushContext<'members'>): Promise<Refusal | null> {
  if (!isArriving(before, after)) return null;
  // The schema only bounds the field: the server makes an account for this address, so it must be one.
  const address = normalizeEmail(after.email);
  if (!address) return { code: 'invalid-document', message: 'A new member needs a valid email address', fields: ['email'] };
  await w.lock(address);
  return memberExistsRefusal(w.tx, address, w.orgId, after.id);
}

/**
 * Members (DESIGN §3): a person's account in the organization. Accounts never leave the
 * server, so a new member's account is the server's to find or make: clients push
 * accountId '' (a client choosing one could take over anyone's), and the member's address is
 * the account's, fixed once made.
 */
export const members: CollectionRules<'members'> = {
  immutable: ['accountId', 'email'],
  serverOnly: ['accountId'],
  check: async (ctx) =>
    (await lastOrgAdmin(ctx)) ??
    (await arrivingMember(ctx)) ??
    checkReferences(ctx.w, ctx.before, ctx.after, [many('adminOfTeamIds', 'teams')]),
  /**
   * A new member's account: the one of that address, or a new unverified one that the
   * person's first sign-in verifies (as for an organization's first admin).
   */
  async fill({ w, before, after }) {
    if (!isArriving(before, after) || (before && after.accountId)) return after;
    const account = await ensureAccount(w.tx, after.email, w.now, { verified: false, name: after.name });
    return { ...after, email: account.email, accountId: account.id };
  },
  /** The person added hears of it, with a way in (issue 16 §14). */
  async effect({ w, principal, before, after, deps }) {
    if (!isArriving(before, after)) return;
    await notifyMemberAdded(w, publicUrl(deps.config), { member: after, by: principal.account });
  },
};
