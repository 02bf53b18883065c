/** Contacts: reactive list and the writes an org admin makes (DESIGN §3, §4). */
import type { Accessor } from 'solid-js';
import { newId } from '../../shared/ids';
import {
  CONTACT_ROLES,
  NOTIFICATION_ROLES,
  PRIMARY_ROLES,
  type Contact,
  type ContactRole,
  type Member,
  type Order,
} from '../../shared/schemas';
import { ORDER_MAILS, orderContactRecipients, recipientsFor, TOPIC_ROUTES, type Recipient } from '../../shared/notifications';
import { compareInstants } from '../../shared/dates';
import type { Topic } from '../../shared/schemas';
import { nameOrder } from '../ui/format';
import { keptWhere, liveList, type AllotDatabase } from '../db';
import { api, type ApiResult } from '../api';

export type ContactKind = 'primary' | 'notifications-only' | 'order-specific' | 'none';

export const KIND_NAMES: Record<ContactKind, string> = {
  primary: 'Primary',
  'notifications-only': 'Notifications-only',
  'order-specific': 'Order-specific',
  none: 'No role',
};

export function contactKind(c: Pick<Contact, 'roles' | 'orderIds'>): ContactKind {
  if (c.roles.some((r) => (PRIMARY_ROLES as readonly string[]).includes(r))) return 'primary';
  if (c.roles.some((r) => (NOTIFICATION_ROLES as readonly string[]).includes(r))) return 'notifications-only';
  if (c.orderIds.length > 0) return 'order-specific';
  return 'none';
}

export const contactsOf = (db: AllotDatabase): Accessor<Contact[]> =>
  liveList<Contact>(db.contacts.find({ sort: [{ id: 'asc' }] }));

export interface ContactFilter {
  text: string;
  role: ContactRole | '';
  kind: ContactKind | '';
}

/** The contact list's name order; it learns each name once (see nameOrder). */
const contactsByName = nameOrder();

export function filterContacts(rows: Contact[], f: ContactFilter): Contact[] {
  const text = f.text.trim().toLowerCase();
  // Sorted before filtering: the name order is given the whole list each time (filtering keeps the order).
  const sorted = contactsByName(rows);
  if (!text && !f.role && !f.kind) return sorted;
  return sorted.filter(
    (c) =>
      (!text || c.name.toLowerCase().includes(text) || c.email.includes(text)) &&
      (!f.role || c.roles.includes(f.role)) &&
      (!f.kind || contactKind(c) === f.kind),
  );
}

export async function addContact(
  db: AllotDatabase,
  orgId: string,
  input: { name: string; email: string; roles: ContactRole[] },
): Promise<Contact> {
  const doc: Contact = {
    id: newId(),
    orgId,
    name: input.name.trim(),
    email: input.email.trim().toLowerCase(),
    roles: CONTACT_ROLES.filter((r) => input.roles.includes(r)),
    orderIds: [],
    disabled: false,
    source: 'manual',
    seq: 0,
    updatedAt: '',
  };
  await db.contacts.insert(doc);
  return doc;
}

/** The edit an org admin makes in one dialog: name, address and roles (DESIGN §3). */
export async function updateContact(
  db: AllotDatabase,
  contactId: string,
  input: { name: string; email: string; roles: ContactRole[] },
): Promise<void> {
  const doc = await db.contacts.findOne(contactId).exec();
  if (!doc) return;
  await doc.incrementalModify((c) => ({
    ...c,
    name: input.name.trim(),
    email: input.email.trim().toLowerCase(),
    roles: CONTACT_ROLES.filter((r) => input.roles.includes(r)),
  }));
}

/** Deletes a contact (the server refuses it for an order's licensee or billing contact: `contact-in-use`). */
export async function deleteContact(db: AllotDatabase, contactId: string): Promise<void> {
  const doc = await db.contacts.findOne(contactId).exec();
  if (doc) await doc.incrementalRemove();
}

/**
 * Another contact with this address (compared as the server does: lower-cased), or undefined.
 * One contact per address in an organization: the server refuses a second with `contact-exists`.
 */
export function contactWithAddress(contacts: Contact[], email: string, exceptId?: string): Contact | undefined {
  const address = email.trim().toLowerCase();
  return contacts.find((c) => c.id !== exceptId && c.email.toLowerCase() === address);
}

/** The orders that name this contact as their licensee or billing contact (it cannot be deleted then). */
export function ordersNaming(contact: Contact, orders: Order[]): Order[] {
  return orders.filter((o) => o.licenseeContactId === contact.id || o.billingContactId === contact.id);
}

/** Receives nothing at all: no role and no order of its own (the dialog asks before saving such a contact). */
export const receivesNothing = (c: Pick<Contact, 'roles' | 'orderIds'>): boolean => c.roles.length === 0 && c.orderIds.length === 0;

export async function setRole(db: AllotDatabase, contactId: string, role: ContactRole, on: boolean): Promise<void> {
  const doc = await db.contacts.findOne(contactId).exec();
  if (!doc) return;
  await doc.incrementalModify((c) => {
    const roles = new Set(c.roles);
    if (on) roles.add(role);
    else roles.delete(role);
    // Keep the canonical order so two admins adding the same roles write the same value.
    return { ...c, roles: CONTACT_ROLES.filter((r) => roles.has(r)) };
  });
}

export async function setContactDisabled(db: AllotDatabase, contactId: string, disabled: boolean): Promise<void> {
  const doc = await db.contacts.findOne(contactId).exec();
  if (doc) await doc.incrementalPatch({ disabled });
}

/** Topics a contact role can bring, in the order the role table shows them. */
export const CONTACT_TOPICS: Topic[] = [
  'license-claimed',
  'licenses-expiring',
  'order-placed',
  'invoice-overdue',
  'quote-created',
  'security-privacy',
  'data-protection',
];

/** Holds one of the contact roles that bring `topic`'s email (only such contacts can receive it). */
export const holdsRoleFor =
  (topic: Topic) =>
  (c: Pick<Contact, 'roles'>): boolean =>
    c.roles.some((r) => TOPIC_ROUTES[topic].roles.includes(r));

/**
 * `contacts => contacts.filter(c => c.roles.length > 0)` for the 10,000-row list: while edits
 * touch other contacts the answer stays the very same array (keptWhere, db/live.ts). One per list.
 */
export const roleHoldersFilter = () => keptWhere((c: Contact) => c.roles.length > 0);

/** Likewise, the contacts holding a role that brings `topic`'s email. */
export const topicHoldersFilter = (topic: Topic) => keptWhere<Contact>(holdsRoleFor(topic));

/** Who gets each topic's email today, from the shared routing table. */
export function receiversToday(topic: Topic, contacts: Contact[], members: Member[]): Recipient[] {
  return recipientsFor(topic, { contacts, members });
}

export const topicAlsoGoesTo = (topic: Topic): string | null =>
  TOPIC_ROUTES[topic].invitationCreator
    ? 'the admin who created the invitation'
    : topic === 'licenses-expiring'
      ? 'each order’s licensee and billing contact, for that order'
      : null;

/** How many orders "Who receives each email today" names one by one (the newest). */
export const ORDER_RECEIVER_ORDERS = 20;

export interface OrderReceiversRow {
  orderId: string;
  reference: string;
  /** What the row's email is: the certificate (licensee), or the invoices and receipts (billing). */
  mail: 'license-certificate' | 'invoice-issued';
  who: Recipient[];
}

/**
 * The per-order rows of "Who receives each email today" (DESIGN §4 order-specific contact row,
 * §7): each order's license certificate goes to its licensee, its invoices and receipts to its
 * billing contact (the licensee when billing defaulted to them) — those contacts alone, the
 * same rule the server sends by (shared/notifications.ts orderContactRecipients). The newest
 * `limit` orders, and how many more there are.
 */
export function orderReceivers(orders: readonly Order[], contacts: readonly Contact[], limit = ORDER_RECEIVER_ORDERS): { rows: OrderReceiversRow[]; more: number } {
  const live = orders.filter((o) => o.licenseeContactId || o.billingContactId).sort((a, b) => compareInstants(b.placedAt, a.placedAt));
  const shown = live.slice(0, limit);
  const wanted = new Set(shown.flatMap((o) => [o.licenseeContactId, o.billingContactId]));
  const theirs = contacts.filter((c) => wanted.has(c.id));
  const rows = shown.flatMap((o): OrderReceiversRow[] => [
    { orderId: o.id, reference: o.reference, mail: 'license-certificate', who: orderContactRecipients(o, ORDER_MAILS['license-certificate'].to, theirs) },
    { orderId: o.id, reference: o.reference, mail: 'invoice-issued', who: orderContactRecipients(o, ORDER_MAILS['invoice-issued'].to, theirs) },
  ]);
  return { rows, more: live.length - shown.length };
}

/** Contacts that share one address (case-insensitive), stored before one contact per address was the rule. */
export interface DuplicateGroup {
  email: string;
  /** The contact that stays: the oldest (lowest change number). */
  keep: Contact;
  others: Contact[];
}

/** Every address held by more than one contact, each with the contact a merge keeps (issue 16 §2). */
export function duplicateGroups(contacts: readonly Contact[]): DuplicateGroup[] {
  const byAddress = new Map<string, Contact[]>();
  for (const c of contacts) {
    const key = c.email.toLowerCase();
    const list = byAddress.get(key);
    if (list) list.push(c);
    else byAddress.set(key, [c]);
  }
  const out: DuplicateGroup[] = [];
  for (const [email, list] of byAddress) {
    if (list.length < 2) continue;
    // Not yet synced (seq 0) comes last: the server knows the others.
    const sorted = [...list].sort((a, b) => (a.seq || Infinity) - (b.seq || Infinity) || a.id.localeCompare(b.id));
    out.push({ email, keep: sorted[0], others: sorted.slice(1) });
  }
  return out.sort((a, b) => a.email.localeCompare(b.email));
}

/**
 * Merges a group on the server (it rewrites orders too, in one transaction): the kept contact
 * gets every role and order, the others are deleted; the changes arrive by sync.
 */
export const mergeDuplicates = (orgId: string, g: DuplicateGroup): Promise<ApiResult<Contact>> =>
  api.mergeContacts(orgId, g.keep.id, g.others.map((c) => c.id));
