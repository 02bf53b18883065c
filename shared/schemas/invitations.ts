import * as v from 'valibot';
import { base, id, isoDate, str } from './common';

/** `example.com` or `*.example.com`, lower case, no trailing dot. */
export const domainPattern = v.pipe(
  v.string(),
  v.trim(),
  v.toLowerCase(),
  v.maxLength(253),
  v.regex(/^(\*\.)?([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, 'Use a domain such as example.com or *.example.com'),
);

export const invitationSchema = v.object({
  ...base,
  teamId: id,
  productId: id,
  name: v.optional(str(200)),
  token: v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{22,64}$/)),
  expiresAt: v.optional(isoDate),
  allowedDomains: v.pipe(v.array(domainPattern), v.maxLength(50)),
  maxClaims: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(1_000_000))),
  createdByMemberId: id,
  disabledAt: v.optional(isoDate),
});
export type Invitation = v.InferOutput<typeof invitationSchema>;
