/**
 * Joining and leaving an invitation's waitlist (DESIGN §6 Waitlist): `POST
 * /api/invitations/:token/waitlist` → 202 {status: 'waiting', position}, `DELETE` leaves,
 * `GET` says where the person stands.
 */
import { fail, ok, type Result } from '../../shared/errors';
import { newId } from '../../shared/ids';
import type { WaitlistStatus } from '../../shared/api';
import type { AppDeps } from '../app-env';
import type { Account } from '../auth/session';
import { actorOf, changesOf, recordAudit, type AuditClient } from '../audit/record';
import { invitationByToken, standingOf, stripWire } from '../claims/claim';
import type { Kysely } from 'kysely';
import type { WireDoc } from '../../shared/schemas';
import { findDoc, orgTx } from '../store/docs';
import type { DB } from '../store/schema';
import { entryOf, nextRank, positionOf } from './queue';
import { serveWaitlist } from './serve';

const notFound = () => fail('invitation-not-found', 'This invitation link does not exist');

/** What a person's entry says, with the license when they were served. */
async function statusOf(db: Kysely<DB>, entry: WireDoc<'waitlistEntries'>): Promise<WaitlistStatus> {
  if (entry.status === 'waiting') return { status: 'waiting', position: await positionOf(db, entry), joinedAt: entry.joinedAt };
  if (entry.status === 'served' && entry.licenseId) {
    const lic = await findDoc(db, 'licenses', entry.licenseId);
    if (lic && !lic._deleted && lic.status === 'assigned' && lic.assignee?.accountId === entry.account.id) {
      return { status: 'served', license: stripWire(lic) };
    }
  }
  return { status: 'ended', reason: entry.reason ?? (entry.status === 'served' ? 'license-revoked' : 'removed') };
}

/**
 * Puts the signed-in person on the invitation's waitlist: every claim check but seats (DESIGN
 * §6 table, first failure answered). Someone already waiting keeps their place. Should a
 * license be free after all, the queue is served at once — the joiner gets it if nobody waits
 * before them (`served`, 200).
 */
export async function joinWaitlist(deps: AppDeps, input: { token: string; account: Account; client?: AuditClient }): Promise<Result<WaitlistStatus>> {
  const { token, account, client } = input;
  const found = await invitationByToken(deps.store.db, token);
  if (!found) return notFound();
  const now = deps.clock.now();
  return orgTx(deps.store, found.orgId, now, async (w): Promise<Result<WaitlistStatus>> => {
    const inv = await w.get('invitations', found.id);
    if (!inv || inv._deleted || inv.token !== token) return notFound();
    const standing = await standingOf(w, inv, account, now);
    if (standing.kind === 'refused') return standing.refusal;
    if (standing.kind === 'holds') return ok({ status: 'served', license: stripWire(standing.license) });
    const current = await entryOf(w.tx, w.orgId, inv.id, account.id);
    if (current?.status === 'waiting') return ok(await statusOf(w.tx, current));
    const entry = await w.put(
      'waitlistEntries',
      {
        id: newId(),
        orgId: w.orgId,
        invitationId: inv.id,
        teamId: inv.teamId,
        productId: inv.productId,
        account: { id: account.id, email: account.email, name: account.name },
        joinedAt: w.now,
        rank: await nextRank(w.tx, w.orgId, inv.teamId, inv.productId),
        status: 'waiting',
        _deleted: false,
      },
      null,
    );
    await recordAudit(w, {
      kind: 'waitlist-join',
      actor: actorOf(account),
      collection: 'waitlistEntries',
      docId: entry.id,
      changes: changesOf(undefined, entry),
      summary: `Joined the waitlist of ${inv.name ? `“${inv.name}”` : 'an invitation'}`,
      related: [{ collection: 'invitations', id: inv.id }],
      ...(client ? { client } : {}),
    });
    await serveWaitlist(w, deps, inv.teamId, inv.productId);
    const after = await w.get('waitlistEntries', entry.id);
    return ok(await statusOf(w.tx, after ?? entry));
  });
}

/** Takes the signed-in person off the invitation's waitlist (`not-on-waitlist` when they are not waiting). */
export async function leaveWaitlist(deps: AppDeps, input: { token: string; account: Account; client?: AuditClient }): Promise<Result<{ left: true }>> {
  const { token, account, client } = input;
  const found = await invitationByToken(deps.store.db, token);
  if (!found) return notFound();
  return orgTx(deps.store, found.orgId, deps.clock.now(), async (w): Promise<Result<{ left: true }>> => {
    const entry = await entryOf(w.tx, w.orgId, found.id, account.id);
    if (!entry || entry.status !== 'waiting') return fail('not-on-waitlist', 'You are not on the waitlist of this invitation');
    const gone = await w.put('waitlistEntries', { ...entry, _deleted: true }, entry);
    await recordAudit(w, {
      kind: 'waitlist-leave',
      actor: actorOf(account),
      collection: 'waitlistEntries',
      docId: entry.id,
      changes: changesOf(entry, gone),
      summary: 'Left a waitlist',
      related: [{ collection: 'invitations', id: found.id }],
      ...(client ? { client } : {}),
    });
    return ok({ left: true });
  });
}

/** Where the signed-in person stands on the invitation's waitlist (`not-on-waitlist` when they never joined it). */
export async function waitlistStatus(deps: AppDeps, input: { token: string; account: Account }): Promise<Result<WaitlistStatus>> {
  const found = await invitationByToken(deps.store.db, input.token);
  if (!found) return notFound();
  const entry = await entryOf(deps.store.db, found.orgId, found.id, input.account.id);
  if (!entry) return fail('not-on-waitlist', 'You are not on the waitlist of this invitation');
  return ok(await statusOf(deps.store.db, entry));
}
