import type { CollectionName, WireDoc } from '../../shared/schemas';
import { changedFields, sameField } from '../../shared/equality';
import type { CollectionRules, Refusal } from './types';

/**
 * The field rules of DESIGN §4 that hold for everyone, whatever their role, from a
 * collection's rules: only the server writes a server-written collection; `seq` and
 * `updatedAt` must be what the server last wrote (0 and '' for a new document); immutable
 * fields (and `orgId`) never change; server-only fields stay as the server wrote them.
 */
export function fieldRefusal<C extends CollectionName>(
  collection: C,
  rules: CollectionRules<C>,
  before: WireDoc<C> | undefined,
  after: WireDoc<C>,
): Refusal | null {
  if (rules.serverWritten) return { code: 'server-only', message: `Only the server writes ${collection}` };
  const a = after as Record<string, unknown>;
  const b = before as Record<string, unknown> | undefined;
  const bad = (['seq', 'updatedAt'] as const).filter((f) => !sameField(a[f], b ? b[f] : f === 'seq' ? 0 : ''));
  if (bad.length) return { code: 'server-only', message: `${bad.join(', ')} are set by the server`, fields: bad };
  const serverOnly: readonly string[] = rules.serverOnly ?? [];
  if (before && b) {
    const changed = changedFields(b, a);
    const immutable: string[] = (rules.immutable ?? []).filter((f) => changed.includes(f));
    if (b.orgId !== a.orgId) immutable.push('orgId');
    if (immutable.length) return { code: 'immutable-field', message: `${immutable.join(', ')} cannot change`, fields: immutable };
    const touched = serverOnly.filter((f) => changed.includes(f));
    const refused = rules.mayClearServerOnly?.(before, after) ? touched.filter((f) => a[f] !== undefined) : touched;
    if (refused.length) return { code: 'server-only', message: `${refused.join(', ')} are set by the server`, fields: refused };
  } else {
    // A new document carries the schema's empty value ('' or 0) where the server fills a field in.
    const set = serverOnly.filter((f) => a[f] !== undefined && a[f] !== '' && a[f] !== 0);
    if (set.length) return { code: 'server-only', message: `${set.join(', ')} are set by the server`, fields: set };
  }
  return rules.fields?.(before, after) ?? null;
}
