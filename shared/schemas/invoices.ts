import * as v from 'valibot';
import { base, count, dayOrTimestamp, id, nonEmpty, str } from './common';

export const invoiceSchema = v.object({
  ...base,
  orderId: id,
  number: nonEmpty(40),
  amountCents: count,
  currency: str(3),
  issuedAt: dayOrTimestamp,
  dueAt: dayOrTimestamp,
  paidAt: v.optional(dayOrTimestamp),
});
export type Invoice = v.InferOutput<typeof invoiceSchema>;
