import { publicUrl } from '../config';
import { notifyInvoice } from '../notify/events';
import { checkReferences, one } from './references';
import { isArriving, type CollectionRules } from './types';

/**
 * Invoices (DESIGN §3): issued once; primary billing contacts only mark them paid
 * (shared/permissions.ts). The order's billing contact receives each invoice as it is issued,
 * and a receipt once it is marked paid (DESIGN §7).
 */
export const invoices: CollectionRules<'invoices'> = {
  immutable: ['orderId', 'number', 'amountCents', 'currency', 'issuedAt'],
  check: ({ w, before, after }) => checkReferences(w, before, after, [one('orderId', 'orders')]),
  async effect({ w, before, after, deps }) {
    if (after._deleted) return;
    const base = publicUrl(deps.config);
    // An invoice recorded as already paid brings its receipt only.
    if (isArriving(before, after) && !after.paidAt) await notifyInvoice(w, base, after.id, false);
    if (after.paidAt && (isArriving(before, after) || !before?.paidAt)) await notifyInvoice(w, base, after.id, true);
  },
};
