import type { Kysely } from 'kysely';
import { domainAllowed } from '../../shared/addresses';
import { invitationExpired, licenseValidOn } from '../../shared/dates';
import { fail, ok, type Result } from '../../shared/errors';
import { newId } from '../../shared/ids';
import type { License, WireDoc } from '../../shared/schemas';
import type { InvitationInfo, InvitationStatus } from '../../shared/invitation-info';
import { isInvitationToken } from '../../shared/tokens';
import type { AppDeps } from '../app-env';
import type { Account } from '../auth/session';
import { publicUrl } from '../config';
import { notifyLicenseClaimed } from '../notify/events';
import type { DB } from '../store/schema';
import { countDocs, findDoc, firstDoc, listDocs, orgTx, type OrgWriter } from '../store/docs';

/** The live invitation with this token, read outside any transaction (to learn its organization). */
export async function invitationByToken(db: Kysely<DB>, token: string): Promise<WireDoc<'invitations'> | undefined> {
  if (!isInvitationToken(token)) return undefined;
  return firstDoc(db, { collection: 'invitations', where: { token } });
}

/** Acceptances of an invitation (claims made through it, revoked ones included), optionally of one account. */
export async function acceptancesOf(db: Kysely<DB>, invitationId: string, accountId?: string): Promise<WireDoc<'acceptances'>[]> {
  return listDocs(db, { collection: 'acceptances', where: { invitationId, ...(accountId ? { assigneeAccountId: accountId } : {}) } });
}

export const countAcceptances = (db: Kysely<DB>, invitationId: string): Promise<number> =>
  countDocs(db, { collection: 'acceptances', where: { invitationId } });

/** The license of the invitation's product in its team that this account holds, if any. */
const heldLicense = (w: OrgWriter, inv: WireDoc<'invitations'>, accountId: string) =>
  firstDoc(w.tx, { collection: 'licenses', where: { teamId: inv.teamId, productId: inv.productId, assigneeAccountId: accountId, status: 'assigned' } });

/** The first available license of the invitation's product in its team that is still valid today (in id order). */
async function availableLicense(w: OrgWriter, inv: WireDoc<'invitations'>, now: Date) {
  const page = 100;
  const pool = { collection: 'licenses', org: w.orgId, where: { teamId: inv.teamId, productId: inv.productId, status: 'available' } } as const;
  for (let offset = 0; ; offset += page) {
    const found = await listDocs(w.tx, pool, { orderBy: 'id', limit: page, offset });
    // A license past its last valid day is not handed out.
    const valid = found.find((l) => licenseValidOn(l.validUntil, now));
    if (valid || found.length < page) return valid;
  }
}

const stripWire = ({ _deleted, ...doc }: WireDoc<'licenses'>): License => doc;

/**
 * Hands one license of the invitation's product in its team to the signed-in person (DESIGN §6).
 * Every check and every write happens in one transaction holding the organization's change
 * counter, which serializes the organization's writers on SQLite and PostgreSQL alike, so the
 * last license cannot go to two people.
 */
export async function claimLicense(deps: AppDeps, input: { token: string; account: Account }): Promise<Result<License>> {
  const { token, account } = input;
  const found = await invitationByToken(deps.store.db, token);
  if (!found) return fail('invitation-not-found', 'This invitation link does not exist');
  const now = deps.clock.now();
  return orgTx(deps.store, found.orgId, now, async (w): Promise<Result<License>> => {
    const inv = await w.get('invitations', found.id);
    if (!inv || inv._deleted || inv.token !== token) return fail('invitation-not-found', 'This invitation link does not exist');
    if (inv.disabledAt) return fail('invitation-disabled', 'This invitation has been disabled');
    if (invitationExpired(inv, now)) return fail('invitation-expired', 'This invitation has expired');
    // Only a proven address counts: anyone can type an address they do not own.
    if (inv.allowedDomains.length > 0 && (!account.emailVerifiedAt || !domainAllowed(account.email, inv.allowedDomains))) {
      return fail('domain-not-allowed', `This invitation is for addresses at ${inv.allowedDomains.join(', ')}`, {
        allowedDomains: inv.allowedDomains,
      });
    }
    const held = await heldLicense(w, inv, account.id);
    if (held) return ok(stripWire(held));
    const mine = await acceptancesOf(w.tx, inv.id, account.id);
    if (mine.some((a) => a.revokedAt)) {
      return fail('revoked-cannot-reclaim', 'Your license from this invitation was revoked; ask the admin for a new one');
    }
    if (inv.maxClaims !== undefined && (await countAcceptances(w.tx, inv.id)) >= inv.maxClaims) {
      return fail('invitation-used-up', 'This invitation has been used as many times as allowed');
    }
    const lic = await availableLicense(w, inv, now);
    if (!lic) return fail('no-assets-left', 'No assets left');

    const assigned = await w.put(
      'licenses',
      {
        ...lic,
        status: 'assigned',
        assignee: { accountId: account.id, email: account.email, name: account.name },
        assignedAt: w.now,
        assignedVia: inv.id,
      },
      lic,
    );
    const acceptance = await w.put(
      'acceptances',
      {
        id: newId(),
        orgId: w.orgId,
        invitationId: inv.id,
        teamId: inv.teamId,
        productId: inv.productId,
        licenseId: lic.id,
        account: { id: account.id, email: account.email, name: account.name },
        acceptedAt: w.now,
        _deleted: false,
      },
      null,
    );
    await notifyLicenseClaimed(w, publicUrl(deps.config), { invitation: inv, claimant: account, acceptanceId: acceptance.id });
    return ok(stripWire(assigned));
  });
}

/**
 * What anyone holding the link may know about an invitation (DESIGN §6): names, expiry and
 * status — nothing else: no ids, no counts, no domains (a refused claim names those).
 */
export async function invitationInfo(deps: AppDeps, token: string): Promise<Result<InvitationInfo>> {
  const db = deps.store.db;
  const inv = await invitationByToken(db, token);
  if (!inv) return fail('invitation-not-found', 'This invitation link does not exist');
  const named = async (collection: 'organizations' | 'teams' | 'products', id: string) => (await findDoc(db, collection, id))?.name ?? '';
  const now = deps.clock.now();
  let status: InvitationStatus = 'active';
  if (inv.disabledAt) status = 'disabled';
  else if (invitationExpired(inv, now)) status = 'expired';
  else if (inv.maxClaims !== undefined && (await countAcceptances(db, inv.id)) >= inv.maxClaims) status = 'used-up';
  return ok({
    organization: await named('organizations', inv.orgId),
    team: await named('teams', inv.teamId),
    product: await named('products', inv.productId),
    name: inv.name ?? null,
    expiresAt: inv.expiresAt ?? null,
    status,
  });
}
