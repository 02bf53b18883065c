import * as v from 'valibot';
import { emailAddress } from '../addresses';
import { normalizeDayOrTimestamp, normalizeTimestamp } from '../dates';
import { isProductId, UUID_PATTERN } from '../ids';
import { isCleanText, TEXT_MESSAGE } from '../text';

/*
 * The building blocks of every entity schema: the boundary rules of shared/ids.ts (ids),
 * shared/dates.ts (date fields), shared/text.ts (strings) and shared/addresses.ts (email).
 * Rules that do not change a field's shape (patterns, checks, transforms) are left out of
 * the RxDB schema (shared/schemas/index.ts rxSchemaOf); maxLength bounds stay in it.
 */

const cleanText = v.check<string, string>(isCleanText, TEXT_MESSAGE);

/** Bounded string: Dexie needs a maxLength on every indexed string, and every input is bounded anyway. */
export const str = (max: number) => v.pipe(v.string(), v.maxLength(max), cleanText);
export const nonEmpty = (max: number) => v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(max), cleanText);

/** A document id: a UUID (shared/ids.ts). */
export const id = v.pipe(v.string(), v.maxLength(40), v.regex(UUID_PATTERN, 'must be a UUID'));
/** A product's id: its catalog id `product-<code>`, or a UUID (shared/ids.ts). */
export const productRef = v.pipe(v.string(), v.maxLength(40), v.check((s: string) => isProductId(s), 'must be a product id'));
/** A reference that may be left empty (''): a UUID or ''. */
export const optionalRef = v.pipe(v.string(), v.maxLength(40), v.check((s) => s === '' || UUID_PATTERN.test(s), 'must be a UUID or empty'));

/** What date fields accept, in the words of their refusals. */
export const TIMESTAMP_MESSAGE = 'must be an RFC 3339 timestamp such as 2026-05-01T09:30:00Z';
export const DAY_OR_TIMESTAMP_MESSAGE = 'must be a date (YYYY-MM-DD) or an RFC 3339 timestamp such as 2026-05-01T09:30:00Z';

function normalized(normalize: (s: string) => string | null, message: string) {
  return v.pipe(
    v.string(),
    v.maxLength(32, message),
    v.rawTransform(({ dataset, addIssue, NEVER }) => {
      const out = normalize(dataset.value);
      if (out === null) {
        addIssue({ message });
        return NEVER;
      }
      return out;
    }),
  );
}

/** A point in time: an RFC 3339 timestamp, stored in UTC (`2026-05-01T09:30:00.000Z`, shared/dates.ts). */
export const timestamp = normalized(normalizeTimestamp, TIMESTAMP_MESSAGE);
/** A field naming a calendar day (a last day, a due date): `YYYY-MM-DD` kept as it is, or a timestamp stored in UTC. */
export const dayOrTimestamp = normalized(normalizeDayOrTimestamp, DAY_OR_TIMESTAMP_MESSAGE);
/** `updatedAt`: written by the server (a timestamp); '' on a new document a client makes. */
export const serverTime = normalized((s) => (s === '' ? '' : normalizeTimestamp(s)), TIMESTAMP_MESSAGE);

/** A change number: a non-negative 32-bit integer, the range of the database column (PostgreSQL `integer`). */
export const SEQ_MAX = 2_147_483_647;
export const seq = v.pipe(v.number(), v.integer(), v.minValue(0), v.check((n) => n <= SEQ_MAX, `must be at most ${SEQ_MAX}`));

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
  updatedAt: serverTime,
  seq,
};

export const baseNoOrg = {
  id: productRef,
  updatedAt: serverTime,
  seq,
};

export const personRef = v.object({ accountId: id, email: str(254), name: str(200) });
export const orderLine = v.object({
  productId: productRef,
  quantity: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(100_000)),
});
