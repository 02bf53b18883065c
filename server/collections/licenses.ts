import { revokes } from '../../shared/equality';
import { publicUrl } from '../config';
import { notifyLicenseRevoked } from '../notify/events';
import { licenseMachinesFollow } from '../activation/activate';
import { docExists, listDocs } from '../store/docs';
import { checkReferences, one } from './references';
import type { WireDoc } from '../../shared/schemas';
import { isArriving, type CollectionRules, type PushContext, type Refusal } from './types';

/** DESIGN §9: at most one assigned license per person, product and team (the database index keeps it too). */
async function oneLicensePerPerson({ w, after }: PushContext<'licenses'>): Promise<Refusal | null> {
  if (after._deleted || after.status !== 'assigned' || !after.assignee) return null;
  const held = await docExists(w.tx, {
    collection: 'licenses',
    where: { teamId: after.teamId, productId: after.productId, assigneeAccountId: after.assignee.accountId, status: 'assigned' },
    exceptId: after.id,
  });
  return held
    ? {
        code: 'holder-has-license',
        message: `${after.assignee.name || after.assignee.email} already holds a license of this product in that team`,
        fields: ['teamId'],
      }
    : null;
}

/**
 * Deleting an assigned license takes it from its holder: it is a revoke with all of a
 * revoke's effects (the holder is told, the acceptance is marked, no claim again through the
 * same invitation), and the seat goes with the license.
 */
const deletesAssigned = (before: WireDoc<'licenses'>, after: WireDoc<'licenses'>): boolean =>
  !before._deleted && after._deleted && before.status === 'assigned';

/**
 * Licenses (DESIGN §3): made by orders (orders.ts), assigned by claims (server/claims/), moved
 * between teams by org admins, and revoked (shared/equality.ts `revokes`) by org admins or
 * their team's admins — the one change of the assignment a client may make.
 */
export const licenses: CollectionRules<'licenses'> = {
  immutable: ['orderId', 'productId', 'validUntil'],
  serverOnly: ['assignee', 'assignedAt', 'assignedVia'],
  // A revoke clears the assignment: the one server-only change a client may make.
  mayClearServerOnly: (before, after) => revokes(before, after),
  fields(before, after) {
    // DESIGN §3: licenses come only from orders (orders.ts materializes them). A pushed new
    // license, or a deleted one brought back, would be a seat nobody ordered.
    if (isArriving(before, after)) {
      return { code: 'server-only', message: 'Licenses come only from orders: record an order for more seats', fields: ['orderId'] };
    }
    if (!before) return null;
    if (before.status !== after.status && !revokes(before, after)) {
      return { code: 'server-only', message: 'Licenses are assigned by claims; a client may only revoke', fields: ['status'] };
    }
    return null;
  },
  check: async (ctx) =>
    (await checkReferences(ctx.w, ctx.before, ctx.after, [one('teamId', 'teams'), one('orderId', 'orders'), one('productId', 'products')])) ??
    oneLicensePerPerson(ctx),
  /**
   * A revoke frees the seat at once (a delete of an assigned license is one too, its seat gone); the acceptance is marked revoked so that person cannot
   * claim again through the same invitation (DESIGN §6), and the former holder is told.
   */
  async effect({ w, before, after, deps }) {
    if (before) await licenseMachinesFollow(w, before, after);
    if (!before || !before.assignee || !(revokes(before, after) || deletesAssigned(before, after))) return;
    const holder = before.assignee;
    if (before.assignedVia) {
      const accepted = await listDocs(w.tx, {
        collection: 'acceptances',
        where: { invitationId: before.assignedVia, assigneeAccountId: holder.accountId },
      });
      for (const acc of accepted) {
        if (acc.licenseId === before.id && !acc.revokedAt) await w.put('acceptances', { ...acc, revokedAt: w.now });
      }
    }
    await notifyLicenseRevoked(w, publicUrl(deps.config), before);
  },
};
