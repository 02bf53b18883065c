import * as v from 'valibot';
import { base, id, optionalRef, str } from './common';

export const memberSchema = v.object({
  ...base,
  accountId: optionalRef,
  email: str(254),
  name: str(200),
  isOrgAdmin: v.boolean(),
  adminOfTeamIds: v.pipe(v.array(id), v.maxLength(1000)),
  disabled: v.boolean(),
  /**
   * A reseller ordering on the organization's behalf (DESIGN §4 partner row): records orders,
   * sees those it placed with their licenses and invoices, nothing else. Absent = false.
   */
  isPartner: v.optional(v.boolean()),
});
export type Member = v.InferOutput<typeof memberSchema>;
