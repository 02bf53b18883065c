import * as v from 'valibot';
import { base, id, productRef, str, timestamp } from './common';

export const acceptanceSchema = v.object({
  ...base,
  invitationId: id,
  teamId: id,
  productId: productRef,
  licenseId: id,
  account: v.object({ id, email: str(254), name: str(200) }),
  acceptedAt: timestamp,
  revokedAt: v.optional(timestamp),
});
export type Acceptance = v.InferOutput<typeof acceptanceSchema>;
