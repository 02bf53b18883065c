import { checkReferences, many } from './references';
import type { CollectionRules } from './types';

/** Contacts (DESIGN §3): an order-specific contact's orders must be this organization's. */
export const contacts: CollectionRules<'contacts'> = {
  check: ({ w, before, after }) => checkReferences(w, before, after, [many('orderIds', 'orders')]),
};
