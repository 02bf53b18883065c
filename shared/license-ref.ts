/**
 * A license's short readable reference (issue 16 §11): what people read and say instead of a
 * UUID — `L-` and the id's first eight hex digits in two groups, upper case: `L-B01E-D95E`.
 * Unique enough to tell one person's or one order's licenses apart (32 bits); the id stays the
 * key everywhere.
 */
export function licenseRef(id: string): string {
  const hex = id.replace(/-/g, '').slice(0, 8).toUpperCase();
  return `L-${hex.slice(0, 4)}-${hex.slice(4, 8)}`;
}
