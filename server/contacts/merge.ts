import { fail, ok, type Result } from '../../shared/errors';
import { CONTACT_ROLES, type Contact } from '../../shared/schemas';
import type { MergeContactsRequest } from '../../shared/api';
import type { AppDeps } from '../app-env';
import { listDocs, orgTx } from '../store/docs';

/**
 * Merges contacts that share an address (issue 16 §2; DESIGN §3: one contact per address,
 * compared case-insensitively) into the one to keep, in one transaction of the organization:
 * the kept contact gets every role and order of the others; orders naming one of the others as
 * licensee or billing contact name the kept one instead; the others are deleted. Clients get
 * it all through their streams as ordinary changes.
 *
 * Errors: `not-found` (a contact that is not a live contact of this organization),
 * `not-duplicates` (an address differing from the kept contact's, or the kept contact among
 * those merged into it).
 */
export async function mergeContacts(deps: AppDeps, orgId: string, req: MergeContactsRequest): Promise<Result<Contact, 'not-found' | 'not-duplicates'>> {
  const mergeIds = [...new Set(req.mergeIds)];
  if (mergeIds.includes(req.keepId)) return fail('not-duplicates', 'A contact cannot be merged into itself');
  return orgTx(deps.store, orgId, deps.clock.now(), async (w) => {
    const found = await listDocs(w.tx, { collection: 'contacts', org: orgId, where: { id: [req.keepId, ...mergeIds] } });
    const keep = found.find((c) => c.id === req.keepId);
    const others = mergeIds.map((id) => found.find((c) => c.id === id));
    if (!keep || others.some((c) => !c)) return fail('not-found', 'There is no such contact in this organization');
    const address = keep.email.toLowerCase();
    const strays = others.filter((c) => c!.email.toLowerCase() !== address);
    if (strays.length) return fail('not-duplicates', `${strays.map((c) => c!.email).join(', ')} is not ${keep.email}`);
    const merged = others as Contact[];
    const roles = new Set([...keep.roles, ...merged.flatMap((c) => c.roles)]);
    const orderIds = [...new Set([...keep.orderIds, ...merged.flatMap((c) => c.orderIds)])];
    const { seq: _s, updatedAt: _u, ...kept } = keep;
    const stored = await w.put('contacts', {
      ...kept,
      // The canonical order, as the app writes roles (two admins adding the same ones write the same value).
      roles: CONTACT_ROLES.filter((r) => roles.has(r)),
      orderIds,
      // Still reachable if any of them was: a disabled duplicate does not silence an enabled one.
      disabled: keep.disabled && merged.every((c) => c.disabled),
      source: keep.source === 'manual' || merged.some((c) => c.source === 'manual') ? 'manual' : keep.source,
      _deleted: false,
    });
    const goneIds = new Set(mergeIds);
    if (orderIds.length) {
      const orders = await listDocs(w.tx, { collection: 'orders', org: orgId, where: { id: orderIds } });
      for (const { seq: _q, updatedAt: _v, ...o } of orders) {
        const licensee = goneIds.has(o.licenseeContactId) ? keep.id : o.licenseeContactId;
        const billing = goneIds.has(o.billingContactId) ? keep.id : o.billingContactId;
        if (licensee !== o.licenseeContactId || billing !== o.billingContactId) {
          await w.put('orders', { ...o, licenseeContactId: licensee, billingContactId: billing });
        }
      }
    }
    for (const { seq: _q, updatedAt: _v, ...c } of merged) await w.put('contacts', { ...c, _deleted: true });
    const { _deleted, ...contact } = stored;
    return ok(contact as Contact);
  });
}
