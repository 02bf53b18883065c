/**
 * Dates and times — the one place they are read and compared, on the server and the client.
 *
 * Fields hold either an instant (an RFC 3339 timestamp such as `2026-05-01T09:30:00Z`,
 * `2026-05-01T11:30:00+02:00`) or a calendar day (`2026-05-01`). They are compared as parsed
 * instants, never as text (text comparison reads `+05:00` and `31/12/2020` wrongly). Days are
 * UTC days, as the server writes them (`toISOString`).
 */

export const DAY_MS = 86_400_000;

const DAY_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
/** RFC 3339 §5.6 date-time (the `T` and `Z` in either case, optional fractions of a second). */
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

function validDay(y: number, m: number, d: number): boolean {
  const t = new Date(Date.UTC(y, m - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
}

/**
 * The instant a field names, in milliseconds since the epoch: an RFC 3339 timestamp, or a
 * calendar day read as its first instant (00:00 UTC). Null for anything else (`31/12/2020`,
 * `expired`, `2026-02-30`, '').
 */
export function parseInstant(value: string | null | undefined): number | null {
  if (typeof value !== 'string') return null;
  const day = DAY_ONLY.exec(value);
  if (day) {
    const [y, m, d] = [Number(day[1]), Number(day[2]), Number(day[3])];
    return validDay(y, m, d) ? Date.UTC(y, m - 1, d) : null;
  }
  const dt = DATE_TIME.exec(value);
  if (!dt) return null;
  const [y, m, d, hh, mm, ss] = dt.slice(1, 7).map(Number);
  if (!validDay(y, m, d) || hh > 23 || mm > 59 || ss > 60) return null;
  const t = Date.parse(value.toUpperCase());
  return Number.isFinite(t) ? t : null;
}

/** Is `value` a calendar day `YYYY-MM-DD` that exists? */
export const isDay = (value: string): boolean => DAY_ONLY.test(value) && parseInstant(value) !== null;

/** Is `value` an RFC 3339 timestamp (date, time and offset) that names an instant? */
export const isTimestamp = (value: string): boolean => DATE_TIME.test(value) && parseInstant(value) !== null;

/**
 * A timestamp field in its stored form: the instant in UTC as `toISOString` writes it
 * (`2026-05-01T09:30:00.000Z`), or null when `value` is not an RFC 3339 timestamp. Stored
 * timestamps of one form sort as text in instant order; offsets (`+05:00`) are read, never kept.
 */
export function normalizeTimestamp(value: string): string | null {
  if (!DATE_TIME.test(value)) return null;
  const t = parseInstant(value);
  return t === null ? null : new Date(t).toISOString();
}

/** A field that names a calendar day or an instant: a day is kept as it is, a timestamp stored in UTC; null for anything else. */
export function normalizeDayOrTimestamp(value: string): string | null {
  if (DAY_ONLY.test(value)) return isDay(value) ? value : null;
  return normalizeTimestamp(value);
}

/**
 * Orders two date fields by the instants they name (a day by its first instant), for sorting;
 * a field that names none sorts first.
 */
export function compareInstants(a: string | null | undefined, b: string | null | undefined): number {
  return (parseInstant(a) ?? -Infinity) - (parseInstant(b) ?? -Infinity) || 0;
}

/** The UTC calendar day (`YYYY-MM-DD`) of an instant. */
export const dayOf = (instant: Date | number): string => new Date(instant).toISOString().slice(0, 10);

/**
 * The calendar day a field names: the day itself for a `YYYY-MM-DD` field, the UTC day of
 * the instant for a timestamp; null when the field is neither.
 */
export function dayOfField(value: string | null | undefined): string | null {
  if (typeof value === 'string' && DAY_ONLY.test(value)) return parseInstant(value) === null ? null : value;
  const t = parseInstant(value);
  return t === null ? null : dayOf(t);
}

/** The instant `days` days (of 24 h) after `instant` (before, when negative). */
export const addDays = (instant: Date | number, days: number): Date => new Date(new Date(instant).getTime() + days * DAY_MS);

/** Is the instant a field names at or before `now`? False for a field that names none. */
export function isAtOrBefore(value: string | null | undefined, now: Date): boolean {
  const t = parseInstant(value);
  return t !== null && t <= now.getTime();
}

/**
 * A license (or an order's licenses) is valid through the whole of its last day, `validUntil`
 * (DESIGN §3, §14: "the license's last day"). A `validUntil` that names no day is valid on none:
 * nothing is handed out on a date nobody can read.
 */
export function licenseValidOn(validUntil: string, now: Date): boolean {
  const last = dayOfField(validUntil);
  return last !== null && last >= dayOf(now);
}

/**
 * An invitation has expired once `expiresAt` is reached (DESIGN §6). Without `expiresAt` (or
 * with an empty one) it never expires; an `expiresAt` that names no instant counts as expired, so a link whose end
 * nobody can read is not claimable.
 */
export function invitationExpired(inv: { expiresAt?: string | null }, now: Date): boolean {
  // Absent, null or '' (a form left empty): no end.
  if (!inv.expiresAt) return false;
  const t = parseInstant(inv.expiresAt);
  return t === null || t <= now.getTime();
}

/** An unpaid invoice is overdue once its due instant has passed (a due date that names none is never overdue). */
export function invoiceOverdue(inv: { dueAt?: string; paidAt?: string }, now: Date): boolean {
  if (inv.paidAt) return false;
  const t = parseInstant(inv.dueAt);
  return t !== null && t < now.getTime();
}
