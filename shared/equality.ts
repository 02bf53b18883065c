/**
 * When two document states are the same, which fields a change touches, and the two changes
 * the permission table names by kind (a revoke, marking an invoice paid) — one definition
 * each, used by the permission rules (shared/permissions.ts), the server's collection rules
 * (server/collections/) and the client.
 */

type AnyDoc = Record<string, unknown>;

/**
 * Deep equality of JSON values: key order does not matter and an undefined property is the
 * same as an absent one (as in JSON). `null` is a value of its own below the top level.
 */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined || a === null || b === null) return false;
  if (typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((x, i) => sameValue(x, bb[i]));
  }
  const ao = a as AnyDoc;
  const bo = b as AnyDoc;
  const keys = new Set([...Object.keys(ao), ...Object.keys(bo)]);
  for (const k of keys) if (!sameValue(ao[k], bo[k])) return false;
  return true;
}

/** A document field's value: null and absent are one (a stored document has no undefined). */
export const sameField = (a: unknown, b: unknown): boolean => sameValue(a ?? null, b ?? null);

/** The fields whose values differ between two states of a document (every field, the server's included). */
export const changedFields = (before: AnyDoc, after: AnyDoc): string[] =>
  [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((k) => !sameField(before[k], after[k]));

/** Does the change from `before` to `after` touch only these fields (and the server's `seq`, `updatedAt`)? */
export function changesOnly(before: AnyDoc, after: AnyDoc, fields: readonly string[]): boolean {
  const allowed = new Set([...fields, 'seq', 'updatedAt']);
  return changedFields(before, after).every((f) => allowed.has(f));
}

/** A license's assignment: its status and who holds it since when, through which invitation. */
export const ASSIGNMENT_FIELDS = ['status', 'assignee', 'assignedAt', 'assignedVia'] as const;

/**
 * A revoke (DESIGN §3, §4): an assigned license becomes available, its assignment cleared
 * (no assignee, assignedAt or assignedVia), and nothing else changes.
 */
export function isRevoke(before: AnyDoc, after: AnyDoc): boolean {
  if (before.status !== 'assigned' || after.status !== 'available') return false;
  if (after.assignee !== undefined || after.assignedAt !== undefined || after.assignedVia !== undefined) return false;
  return changesOnly(before, after, ASSIGNMENT_FIELDS);
}

/**
 * Does this change revoke the license, whatever else it changes (an org admin may revoke and
 * move a license in one write)? The change's assignment part, laid over `before`, is a revoke.
 */
export function revokes(before: AnyDoc, after: AnyDoc): boolean {
  const assignment: AnyDoc = { ...before };
  for (const f of ASSIGNMENT_FIELDS) {
    if (after[f] === undefined) delete assignment[f];
    else assignment[f] = after[f];
  }
  return isRevoke(before, assignment);
}

/** Marking an unpaid invoice paid (DESIGN §4, primary billing): `paidAt` set, nothing else changed. */
export function isMarkPaid(before: AnyDoc, after: AnyDoc): boolean {
  if (before.paidAt || !after.paidAt) return false;
  return changesOnly(before, after, ['paidAt']);
}
