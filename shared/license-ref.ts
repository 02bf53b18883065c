import { shortId } from './ids';

/**
 * A license's short readable reference (issue 16 §11): what people read and say instead of a
 * UUID — `L-` and eight hex digits of the id (`shortId`: a random UUID's first eight, a
 * time-ordered one's random last eight) in two groups, upper case: `L-B01E-D95E`. Unique
 * enough to tell one person's or one order's licenses apart (32 random bits); the id stays the
 * key everywhere.
 */
export function licenseRef(id: string): string {
  const hex = shortId(id).toUpperCase();
  return `L-${hex.slice(0, 4)}-${hex.slice(4, 8)}`;
}
