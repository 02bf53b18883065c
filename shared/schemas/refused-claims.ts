import * as v from 'valibot';
import { base, count, id, productRef, str, timestamp } from './common';

/**
 * A refused claim through an invitation (DESIGN §6 Refused attempts): who (the address only),
 * why (the error code of the first failing check), first and last time, and how often. One
 * document per invitation, address and reason.
 */
export const refusedClaimSchema = v.object({
  ...base,
  invitationId: id,
  teamId: id,
  productId: productRef,
  email: str(254),
  code: str(60),
  firstAt: timestamp,
  lastAt: timestamp,
  attempts: count,
});
export type RefusedClaim = v.InferOutput<typeof refusedClaimSchema>;
