/**
 * Every collection's server rules, in one list (DESIGN §2: one module per collection). The
 * push pipeline (server/sync/push.ts) runs them. Adding a collection: its schema in
 * shared/schemas/, its module here, and its rows in shared/permissions.ts.
 */
import type { CollectionName } from '../../shared/schemas';
import type { CollectionRules } from './types';
import { organizations } from './organizations';
import { members } from './members';
import { contacts } from './contacts';
import { teams } from './teams';
import { products } from './products';
import { orders } from './orders';
import { licenses } from './licenses';
import { invitations } from './invitations';
import { acceptances } from './acceptances';
import { invoices } from './invoices';
import { quotes } from './quotes';
import { notifications } from './notifications';
import { waitlistEntries } from './waitlist-entries';
import { refusedClaims } from './refused-claims';
import { auditEvents } from './audit-events';

export type { CollectionRules, PushContext, Refusal } from './types';

export const COLLECTIONS: { readonly [C in CollectionName]: CollectionRules<C> } = {
  organizations,
  members,
  contacts,
  teams,
  products,
  orders,
  licenses,
  invitations,
  acceptances,
  invoices,
  quotes,
  notifications,
  waitlistEntries,
  refusedClaims,
  auditEvents,
};

export const rulesOf = <C extends CollectionName>(collection: C): CollectionRules<C> => COLLECTIONS[collection];
