import { publicUrl } from '../config';
import { notifyLicenseCertificate } from '../notify/events';
import { firstDoc, listDocs } from '../store/docs';
import { checkReferences, many } from './references';
import { isArriving, type CollectionRules, type PushContext, type Refusal } from './types';

/**
 * One contact per address in an organization (DESIGN §3), compared case-insensitively: a second
 * contact for the same person would receive the same email twice and split an order's contacts
 * between the two. Checked when a contact arrives or its address changes, so duplicates stored
 * before this rule can still be edited (and merged) without being refused.
 */
async function duplicateAddress({ w, before, after }: PushContext<'contacts'>): Promise<Refusal | null> {
  // The schema has already turned the address into its one stored form (shared/addresses.ts).
  const address = after.email;
  if (after._deleted || (!isArriving(before, after) && before?.email.toLowerCase() === address)) return null;
  const other = await firstDoc(w.tx, { collection: 'contacts', org: w.orgId, emailCaseless: address, exceptId: after.id });
  if (!other) return null;
  return { code: 'contact-exists', message: `${other.name || other.email} already has the address ${address}`, fields: ['email'] };
}

/**
 * An order's licensee or billing contact stays (DESIGN §3: the order names them for good);
 * deleting one is refused with the orders it belongs to, disabling it is the way to stop its mail.
 */
async function stillOnAnOrder({ w, before, after }: PushContext<'contacts'>): Promise<Refusal | null> {
  if (!after._deleted || !before || before._deleted || before.orderIds.length === 0) return null;
  const orders = await listDocs(w.tx, { collection: 'orders', org: w.orgId, where: { id: before.orderIds } });
  const named = orders.filter((o) => o.licenseeContactId === before.id || o.billingContactId === before.id);
  if (named.length === 0) return null;
  return {
    code: 'contact-in-use',
    message: `${before.name || before.email} is a contact of order ${named.map((o) => o.reference).join(', ')}; disable the contact instead`,
    fields: ['_deleted'],
  };
}

/**
 * Contacts (DESIGN §3): one per address; an order-specific contact's orders must be this
 * organization's. A licensee contact whose address changes is another person: the new address
 * receives the license certificate of each order it is the licensee of (DESIGN §7).
 */
export const contacts: CollectionRules<'contacts'> = {
  check: async (ctx) =>
    (await stillOnAnOrder(ctx)) ??
    (await duplicateAddress(ctx)) ??
    checkReferences(ctx.w, ctx.before, ctx.after, [many('orderIds', 'orders')]),
  async effect({ w, before, after, deps }) {
    if (after._deleted || !before || before._deleted || before.email.toLowerCase() === after.email.toLowerCase() || !after.orderIds.length) return;
    const orders = await listDocs(w.tx, { collection: 'orders', org: w.orgId, where: { id: after.orderIds } });
    for (const order of orders) {
      if (order.licenseeContactId === after.id) await notifyLicenseCertificate(w, publicUrl(deps.config), order.id);
    }
  },
};
