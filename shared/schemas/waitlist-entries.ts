import * as v from 'valibot';
import { base, count, id, productRef, str, timestamp } from './common';

/**
 * `waiting` until a license is handed out (`served`, with `licenseId`) or the person no longer
 * qualifies when one is (`skipped`, with the refusal `reason`). Leaving, or an admin removing
 * the entry, deletes it.
 */
export const WAITLIST_STATUSES = ['waiting', 'served', 'skipped'] as const;

/**
 * A person waiting for a license of an invitation's product in its team (DESIGN §6 Waitlist).
 * `rank` orders the queue of one team and product (lower first; across that team's invitations).
 */
export const waitlistEntrySchema = v.object({
  ...base,
  invitationId: id,
  teamId: id,
  productId: productRef,
  account: v.object({ id, email: str(254), name: str(200) }),
  joinedAt: timestamp,
  rank: count,
  status: v.picklist(WAITLIST_STATUSES),
  endedAt: v.optional(timestamp),
  licenseId: v.optional(id),
  reason: v.optional(str(60)),
});
export type WaitlistEntry = v.InferOutput<typeof waitlistEntrySchema>;
