import * as v from 'valibot';
import { base, count, dayOrTimestamp, id, orderLine, str } from './common';

export const quoteSchema = v.object({
  ...base,
  number: str(40),
  lines: v.pipe(v.array(orderLine), v.minLength(1), v.maxLength(50)),
  totalCents: count,
  currency: str(3),
  requestedByMemberId: id,
  createdAt: dayOrTimestamp,
  validUntil: dayOrTimestamp,
});
export type Quote = v.InferOutput<typeof quoteSchema>;
