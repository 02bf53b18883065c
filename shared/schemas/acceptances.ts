import * as v from 'valibot';
import { base, id, isoDate, str } from './common';

export const acceptanceSchema = v.object({
  ...base,
  invitationId: id,
  teamId: id,
  productId: id,
  licenseId: id,
  account: v.object({ id, email: str(254), name: str(200) }),
  acceptedAt: isoDate,
  revokedAt: v.optional(isoDate),
});
export type Acceptance = v.InferOutput<typeof acceptanceSchema>;
