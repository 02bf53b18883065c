import * as v from 'valibot';
import { allowedDomainPattern } from '../addresses';
import { invitationToken } from '../tokens';
import { base, id, productRef, str, timestamp } from './common';

/** `example.com` or `*.example.com`, stored normalized by the address rule (shared/addresses.ts). */
export const domainPattern = allowedDomainPattern;

export const invitationSchema = v.object({
  ...base,
  teamId: id,
  productId: productRef,
  name: v.optional(str(200)),
  /** The link's token: made by the server when the invitation first arrives (DESIGN §6), absent until then. */
  token: v.optional(invitationToken),
  expiresAt: v.optional(timestamp),
  allowedDomains: v.pipe(v.array(domainPattern), v.maxLength(50)),
  maxClaims: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(1_000_000))),
  createdByMemberId: id,
  disabledAt: v.optional(timestamp),
});
export type Invitation = v.InferOutput<typeof invitationSchema>;
