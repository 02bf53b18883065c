import { checkReferences, one } from './references';
import type { CollectionRules } from './types';

/** Invoices (DESIGN §3): issued once; primary billing contacts only mark them paid (shared/permissions.ts). */
export const invoices: CollectionRules<'invoices'> = {
  immutable: ['orderId', 'number', 'amountCents', 'currency', 'issuedAt'],
  check: ({ w, before, after }) => checkReferences(w, before, after, [one('orderId', 'orders')]),
};
