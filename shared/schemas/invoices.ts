import * as v from 'valibot';
import { base, count, id, isoDate, nonEmpty, str } from './common';

export const invoiceSchema = v.object({
  ...base,
  orderId: id,
  number: nonEmpty(40),
  amountCents: count,
  currency: str(3),
  issuedAt: isoDate,
  dueAt: isoDate,
  paidAt: v.optional(isoDate),
});
export type Invoice = v.InferOutput<typeof invoiceSchema>;
