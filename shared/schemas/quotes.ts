import * as v from 'valibot';
import { base, count, id, isoDate, orderLine, str } from './common';

export const quoteSchema = v.object({
  ...base,
  number: str(40),
  lines: v.pipe(v.array(orderLine), v.minLength(1), v.maxLength(50)),
  totalCents: count,
  currency: str(3),
  requestedByMemberId: id,
  createdAt: isoDate,
  validUntil: isoDate,
});
export type Quote = v.InferOutput<typeof quoteSchema>;
