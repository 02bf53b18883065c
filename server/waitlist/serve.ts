/**
 * Handing freed licenses to the people waiting (DESIGN §6 Waitlist). Runs inside the
 * transaction that freed them — a revoke, a license moved into a team, a new order — which
 * holds the organization's change counter, so hand-outs, claims and joins of one
 * organization happen one at a time on SQLite and PostgreSQL alike: never more licenses
 * handed out than exist.
 */
import type { WireDoc } from '../../shared/schemas';
import type { AppDeps } from '../app-env';
import type { Principal } from '../auth/principal';
import { assignLicense, availableLicense, standingOf } from '../claims/claim';
import { publicUrl } from '../config';
import { notifyLicenseReady, notifyWaitlistSkipped } from '../notify/events';
import { accountById } from '../store/accounts';
import type { OrgWriter } from '../store/docs';
import { actorOf, changesOf, recordAudit } from '../audit/record';
import { waitingFor } from './queue';

/** Why an entry ended, as its `reason` keeps it. */
export type SkipReason = string;

/**
 * Serves the queue of one team and product while licenses are available: the first person
 * waiting who still qualifies (every claim check: invitation there, active, not expired,
 * domain allowed, not revoked before, maxClaims not reached) gets the license — acceptance
 * recorded, "your license is ready" queued, the invitation's creator told; whoever no longer
 * qualifies is taken off (`skipped`, with the reason) and told. `by`: whose change freed the
 * licenses (named in the log). Returns how many licenses were handed out.
 */
export async function serveWaitlist(w: OrgWriter, deps: AppDeps, teamId: string, productId: string, by?: Principal): Promise<number> {
  const now = new Date(w.now);
  const base = publicUrl(deps.config);
  let served = 0;
  for (;;) {
    const [first] = await waitingFor(w.tx, w.orgId, teamId, productId);
    if (!first) return served;
    const lic = await availableLicense(w, teamId, productId, now);
    if (!lic) return served;
    const inv = await w.get('invitations', first.invitationId);
    const account = await accountById(w.tx, first.account.id);
    const person = account ?? { id: first.account.id, email: first.account.email, name: first.account.name, emailVerifiedAt: null };
    const standing = await standingOf(w, inv, person, now);
    if (standing.kind === 'refused' || standing.kind === 'holds') {
      const reason = standing.kind === 'refused' ? standing.refusal.code : 'holds-license';
      const skipped = await w.put('waitlistEntries', { ...first, status: 'skipped', reason, endedAt: w.now }, first);
      if (standing.kind === 'refused' && inv) {
        await notifyWaitlistSkipped(w, base, {
          invitation: inv,
          entryId: first.id,
          to: { email: first.account.email, name: first.account.name },
          reason: standing.refusal.message,
        });
      }
      await recordAudit(w, {
        kind: 'waitlist-skip',
        actor: actorOf(person),
        collection: 'waitlistEntries',
        docId: first.id,
        changes: changesOf(first, skipped),
        summary: `${first.account.email} taken off the waitlist: ${standing.kind === 'refused' ? standing.refusal.message : 'already holds a license'}`,
      });
      continue;
    }
    const { license, acceptance } = await assignLicense(w, deps, inv!, person, lic);
    const entry = await w.put('waitlistEntries', { ...first, status: 'served', licenseId: license.id, endedAt: w.now }, first);
    await notifyLicenseReady(w, base, { license, entryId: entry.id, to: { email: person.email, name: person.name } });
    await recordAudit(w, {
      kind: 'waitlist-handout',
      actor: actorOf(person),
      collection: 'licenses',
      docId: license.id,
      changes: changesOf(lic, license),
      summary: `Handed to ${person.email} from the waitlist${by ? ` (freed by ${by.account.email})` : ''}`,
      related: [
        { collection: 'waitlistEntries', id: entry.id },
        { collection: 'acceptances', id: acceptance.id },
        { collection: 'invitations', id: inv!.id },
      ],
    });
    served += 1;
  }
}

/**
 * Serves the queues of every team and product in which this transaction left a license
 * available (read from what it wrote: revoked, moved into a team, made by an order).
 */
export async function serveFreedLicenses(w: OrgWriter, deps: AppDeps, by?: Principal): Promise<number> {
  const pairs = new Map<string, { teamId: string; productId: string }>();
  for (const { collection, doc } of w.written) {
    if (collection !== 'licenses') continue;
    const l = doc as WireDoc<'licenses'>;
    if (l._deleted || l.status !== 'available') continue;
    pairs.set(`${l.teamId}\n${l.productId}`, { teamId: l.teamId, productId: l.productId });
  }
  let served = 0;
  for (const { teamId, productId } of pairs.values()) served += await serveWaitlist(w, deps, teamId, productId, by);
  return served;
}
