import { newId, newOrderedId } from '../../shared/ids';
import type { WireDoc } from '../../shared/schemas';
import { publicUrl } from '../config';
import { notifyLicenseCertificate, notifyOrderPlaced } from '../notify/events';
import { firstDoc, type OrgWriter } from '../store/docs';
import { checkReferences, one, type Reference } from './references';
import { isArriving, type CollectionRules } from './types';

type Party = { name: string; email: string };

/** Records the order on a contact; the contact's id and who it is. */
async function attachOrder(w: OrgWriter, contact: WireDoc<'contacts'>, orderId: string) {
  if (!contact.orderIds.includes(orderId)) await w.put('contacts', { ...contact, orderIds: [...contact.orderIds, orderId] });
  return { id: contact.id, party: { name: contact.name, email: contact.email } };
}

/**
 * An order's party as a contact: the named contact when the order gives its id (checked to
 * exist when pushed), else the contact with that address, else a new order-specific one.
 */
async function orderContact(w: OrgWriter, contactId: string, party: Party | undefined, orderId: string): Promise<{ id: string; party: Party }> {
  const byId = contactId ? await w.get('contacts', contactId) : undefined;
  if (byId && !byId._deleted) return attachOrder(w, byId, orderId);
  // The push checks refuse an arriving order with neither; an order of old may still lack both.
  if (!party) return { id: '', party: { name: '', email: '' } };
  const found = await firstDoc(w.tx, { collection: 'contacts', org: w.orgId, where: { email: party.email.toLowerCase() } }, 'id');
  if (found) return attachOrder(w, found, orderId);
  const created = await w.put('contacts', {
    id: newId(),
    orgId: w.orgId,
    name: party.name,
    email: party.email.toLowerCase(),
    roles: [],
    orderIds: [orderId],
    disabled: false,
    source: 'order',
    _deleted: false,
  });
  return { id: created.id, party };
}

export interface Materialized {
  /** The order as written: its team, contacts and materializedAt filled in. */
  order: WireDoc<'orders'>;
  teamId: string;
  seats: number;
  licensee: Party;
  billing: Party;
}

/**
 * Makes a recorded order real (DESIGN §1 story 2, §3): one available license per seat in its
 * team (a new team, named `teamName` or after the reference, when none was chosen), its
 * licensee and billing people as order-specific contacts (billing defaulting to the
 * licensee), and the order written back with all of it and `materializedAt`. In the caller's
 * transaction. `keepTypedParties` (a partner's order): the order keeps the names as typed, so
 * that it never shows the name an existing contact of that address has (a partner may not see
 * the organization's contacts, DESIGN §4).
 */
export async function materializeOrder(
  w: OrgWriter,
  order: Omit<WireDoc<'orders'>, 'seq' | 'updatedAt'>,
  opts: { keepTypedParties?: boolean } = {},
): Promise<Materialized> {
  let teamId = order.teamId;
  if (!teamId) {
    const team = await w.put('teams', {
      id: newId(),
      orgId: w.orgId,
      name: order.teamName?.trim() || order.reference,
      createdFromOrderId: order.id,
      _deleted: false,
    });
    teamId = team.id;
  }
  // One statement per few hundred licenses (OrgWriter.insertNew): the largest order allowed
  // (MAX_ORDER_SEATS) holds its organization's transaction, and on SQLite the server, briefly.
  // Ids in the order they are made (newOrderedId): claims take a pool's licenses in id order,
  // so one after another they change neighbouring rows (the same database pages) instead of
  // one page each anywhere in the order.
  const seats = order.lines.flatMap((line) =>
    Array.from({ length: line.quantity }, () => ({
      id: newOrderedId(),
      orgId: w.orgId,
      orderId: order.id,
      teamId,
      productId: line.productId,
      status: 'available' as const,
      validUntil: order.validUntil,
      _deleted: false,
    })),
  );
  await w.insertNew('licenses', seats);
  const licensee = await orderContact(w, order.licenseeContactId, order.licensee, order.id);
  const billing =
    order.billingContactId || order.billing ? await orderContact(w, order.billingContactId, order.billing, order.id) : licensee;
  const typed = (given: Party | undefined, found: Party) => (opts.keepTypedParties && given ? given : found);
  const licenseeParty = typed(order.licensee, licensee.party);
  const billingParty = billing.id !== licensee.id ? typed(order.billing, billing.party) : licenseeParty;
  const written = await w.put('orders', {
    ...order,
    teamId,
    licensee: licenseeParty,
    licenseeContactId: licensee.id,
    billingContactId: billing.id,
    ...(billing.id !== licensee.id ? { billing: billingParty } : {}),
    materializedAt: w.now,
  });
  return { order: written, teamId, seats: seats.length, licensee: licenseeParty, billing: billingParty };
}

const REFERENCES: Reference[] = [
  one('teamId', 'teams'),
  { field: 'lines', collection: 'products', ids: (d) => ((d.lines ?? []) as { productId: string }[]).map((l) => l.productId) },
  one('licenseeContactId', 'contacts'),
  one('billingContactId', 'contacts'),
];

/**
 * Orders (DESIGN §3): an org admin or a partner (DESIGN §4) records one; the server notes who
 * placed it, materializes its licenses, team and contacts, tells the org admins (and the
 * partner, whose confirmation it is), and sends its licensee the license certificate (DESIGN §7).
 * What was ordered never changes afterwards.
 */
export const orders: CollectionRules<'orders'> = {
  immutable: ['reference', 'lines', 'placedAt', 'licensee', 'billing', 'licenseeContactId', 'billingContactId'],
  serverOnly: ['materializedAt', 'placedByMemberId'],
  async check({ w, principal, before, after, deps }) {
    const seats = after.lines.reduce((n, l) => n + l.quantity, 0);
    if (isArriving(before, after) && seats > deps.config.MAX_ORDER_SEATS) {
      return {
        code: 'invalid-document',
        message: `An order holds at most ${deps.config.MAX_ORDER_SEATS} seats on this server (MAX_ORDER_SEATS); this one has ${seats}`,
        fields: ['lines'],
      };
    }
    if (isArriving(before, after) && !after.licensee && !after.licenseeContactId) {
      return { code: 'invalid-document', message: 'An order needs a licensee: licenseeContactId or licensee {name, email}', fields: ['licenseeContactId'] };
    }
    if (isArriving(before, after) && !principal.member?.isOrgAdmin) {
      // A partner sees no teams or contacts (DESIGN §4): their order names its people, and its
      // licenses go into a team of its own, so nothing of the organization is named by id.
      const named = (['teamId', 'licenseeContactId', 'billingContactId'] as const).filter((f) => after[f]);
      if (named.length) {
        return {
          code: 'not-allowed',
          message: 'A partner names the licensee and billing people ({name, email}); the order gets a team of its own',
          fields: [...named],
        };
      }
    }
    return checkReferences(w, before, after, REFERENCES);
  },
  async fill({ principal, before, after }) {
    // Who placed it is the server's record: a partner's reach is the orders they placed.
    if (!isArriving(before, after) || before) return after;
    return { ...after, placedByMemberId: principal.member?.id ?? '' };
  },
  async effect({ w, principal, before, after, deps }) {
    if (after._deleted) return;
    const base = publicUrl(deps.config);
    if (after.materializedAt) {
      // The order's licensee became another contact: the new licensee receives the certificate.
      if (before && !before._deleted && before.licenseeContactId !== after.licenseeContactId) await notifyLicenseCertificate(w, base, after.id);
      return;
    }
    const placer = principal.member;
    if (!(placer?.isOrgAdmin || placer?.isPartner)) return;
    const made = await materializeOrder(w, after, { keepTypedParties: !placer.isOrgAdmin });
    await notifyOrderPlaced(w, base, { ...made, by: principal.account, byPartner: !placer.isOrgAdmin });
    await notifyLicenseCertificate(w, base, after.id);
  },
};
