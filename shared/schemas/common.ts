import * as v from 'valibot';
import { emailAddress } from '../addresses';

/** Bounded string: Dexie needs a maxLength on every indexed string, and every input is bounded anyway. */
export const str = (max: number) => v.pipe(v.string(), v.maxLength(max));
export const nonEmpty = (max: number) => v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(max));

export const id = str(40);
export const isoDate = str(32);
/** An email field: the one address rule (shared/addresses.ts), stored lower-cased with its domain in punycode. */
export const email = emailAddress;
export const count = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(1_000_000));

/**
 * Fields every replicated document carries. `seq` and `updatedAt` are server-only:
 * a client writes placeholders and the server always overwrites them.
 */
export const base = {
  id,
  orgId: id,
  updatedAt: isoDate,
  seq: v.pipe(v.number(), v.integer(), v.minValue(0)),
};

export const baseNoOrg = {
  id,
  updatedAt: isoDate,
  seq: v.pipe(v.number(), v.integer(), v.minValue(0)),
};

export const personRef = v.object({ accountId: id, email: str(254), name: str(200) });
export const orderLine = v.object({
  productId: id,
  quantity: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(100_000)),
});
