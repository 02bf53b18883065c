import * as v from 'valibot';
import { base, dayOrTimestamp, email, nonEmpty, optionalRef, orderLine, str, timestamp } from './common';

const party = v.object({
  name: nonEmpty(200),
  email,
});

/**
 * An order as recorded by an org admin. `teamId` is '' when no team was chosen: the
 * server then creates a team (named `teamName` when given, else after the reference).
 * The licensee is an existing contact (`licenseeContactId`) or a person (`licensee`) the
 * server finds or adds as a contact; either way the server fills in the other. Billing
 * likewise (`billingContactId` / `billing`), defaulting to the licensee. `placedByMemberId`
 * is the server's record of who placed it ("placed by" a partner, DESIGN §4).
 */
export const orderSchema = v.object({
  ...base,
  reference: nonEmpty(60),
  placedAt: dayOrTimestamp,
  teamId: optionalRef,
  teamName: v.optional(str(200)),
  licensee: v.optional(party),
  billing: v.optional(party),
  licenseeContactId: optionalRef,
  billingContactId: optionalRef,
  lines: v.pipe(v.array(orderLine), v.minLength(1), v.maxLength(50)),
  validUntil: dayOrTimestamp,
  materializedAt: v.optional(timestamp),
  /** The member who recorded the order (set by the server when it arrives; a partner's orders are theirs to see). */
  placedByMemberId: v.optional(optionalRef),
});
export type Order = v.InferOutput<typeof orderSchema>;
