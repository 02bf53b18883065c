import { newId } from '../../shared/ids';
import { dayOfField } from '../../shared/dates';
import { revokes } from '../../shared/equality';
import { formatMoney } from '../../shared/money';
import { recipientsFor } from '../../shared/notifications';
import type { PushEffect } from '../sync/effects';
import { publicUrl } from '../config';
import { rowToDoc, type OrgWriter } from '../store/docs';
import type { WireDoc } from '../../shared/schemas';
import { nameOf, orgPeople, queueEmails } from './notify';

/** The live contact of an organization with this address, if any. */
async function contactByEmail(w: OrgWriter, email: string) {
  const row = await w.tx
    .selectFrom('docs')
    .select(['data', 'seq', 'updated_at', 'deleted'])
    .where('org_id', '=', w.orgId)
    .where('collection', '=', 'contacts')
    .where('email', '=', email.toLowerCase())
    .where('deleted', '=', 0)
    .orderBy('id')
    .executeTakeFirst();
  return row ? rowToDoc<'contacts'>(row) : undefined;
}

type Party = { name: string; email: string };

/** Records the order on a contact; the contact's id and who it is. */
async function attachOrder(w: OrgWriter, contact: WireDoc<'contacts'>, orderId: string) {
  if (!contact.orderIds.includes(orderId)) await w.put('contacts', { ...contact, orderIds: [...contact.orderIds, orderId] });
  return { id: contact.id, party: { name: contact.name, email: contact.email } };
}

/**
 * An order's party as a contact: the named contact when the order gives its id (checked to
 * exist when pushed), else the contact with that address, else a new one.
 */
async function orderContact(w: OrgWriter, contactId: string, party: Party | undefined, orderId: string): Promise<{ id: string; party: Party }> {
  const byId = contactId ? await w.get('contacts', contactId) : undefined;
  if (byId && !byId._deleted) return attachOrder(w, byId, orderId);
  // The push checks refuse an arriving order with neither; an order of old may still lack both.
  if (!party) return { id: '', party: { name: '', email: '' } };
  const found = await contactByEmail(w, party.email);
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

/**
 * An org admin's new order becomes real: one available license per seat in its team (a new
 * team named after the order when none was chosen), its licensee and billing people as
 * order-specific contacts, and an "order placed" email to the org admins.
 */
export const materializeOrder: PushEffect<'orders'> = async ({ w, principal, after, deps }) => {
  if (after._deleted || after.materializedAt || !principal.member?.isOrgAdmin) return;
  let teamId = after.teamId;
  if (!teamId) {
    const team = await w.put('teams', {
      id: newId(),
      orgId: w.orgId,
      name: after.teamName?.trim() || after.reference,
      createdFromOrderId: after.id,
      _deleted: false,
    });
    teamId = team.id;
  }
  for (const line of after.lines) {
    for (let i = 0; i < line.quantity; i++) {
      await w.put('licenses', {
        id: newId(),
        orgId: w.orgId,
        orderId: after.id,
        teamId,
        productId: line.productId,
        status: 'available',
        validUntil: after.validUntil,
        _deleted: false,
      }, null);
    }
  }
  const licensee = await orderContact(w, after.licenseeContactId, after.licensee, after.id);
  const billing =
    after.billingContactId || after.billing ? await orderContact(w, after.billingContactId, after.billing, after.id) : licensee;
  await w.put('orders', {
    ...after,
    teamId,
    licensee: licensee.party,
    licenseeContactId: licensee.id,
    billingContactId: billing.id,
    ...(billing.id !== licensee.id ? { billing: billing.party } : {}),
    materializedAt: w.now,
  });

  const seats = after.lines.reduce((n, l) => n + l.quantity, 0);
  const team = await nameOf(w, 'teams', teamId, 'a new team');
  const recipients = recipientsFor('order-placed', await orgPeople(w.tx, w.orgId, 'order-placed'));
  await queueEmails(w, 'order-placed', `order-placed:${after.id}`, recipients, () => ({
    subject: `Order ${after.reference} placed`,
    paragraphs: [
      `${principal.account.name || principal.account.email} recorded the order ${after.reference}: ${seats} license${seats === 1 ? '' : 's'} for the team ${team}, valid until ${dayOfField(after.validUntil) ?? after.validUntil.slice(0, 10)}.`,
      `Licensee: ${licensee.party.name} (${licensee.party.email}). Billing: ${billing.party.name} (${billing.party.email}).`,
    ],
    link: { url: `${publicUrl(deps.config)}/orders/${encodeURIComponent(after.id)}`, label: 'Open the order' },
  }));
};

/**
 * A revoke (assigned → available) frees the seat at once; the acceptance is marked revoked so
 * that person cannot claim again through the same invitation, and the former holder is told.
 */
export const licenseRevoked: PushEffect<'licenses'> = async ({ w, before, after, deps }) => {
  if (!before || !before.assignee || !revokes(before, after)) return;
  const holder = before.assignee;
  if (before.assignedVia) {
    const rows = await w.tx
      .selectFrom('docs')
      .select(['data', 'seq', 'updated_at', 'deleted'])
      .where('collection', '=', 'acceptances')
      .where('invitation_id', '=', before.assignedVia)
      .where('assignee_account_id', '=', holder.accountId)
      .where('deleted', '=', 0)
      .execute();
    for (const acc of rows.map((r) => rowToDoc<'acceptances'>(r))) {
      if (acc.licenseId === before.id && !acc.revokedAt) await w.put('acceptances', { ...acc, revokedAt: w.now });
    }
  }
  const product = await nameOf(w, 'products', before.productId, 'a product');
  const team = await nameOf(w, 'teams', before.teamId, 'a team');
  const org = await nameOf(w, 'organizations', w.orgId, 'the organization');
  const recipients = recipientsFor('license-revoked', { holder: { email: holder.email, name: holder.name } });
  await queueEmails(w, 'license-revoked', `license-revoked:${before.id}:${before.assignedAt ?? ''}`, recipients, () => ({
    subject: `Your ${product} license was revoked`,
    paragraphs: [`${org} revoked your license of ${product} in the team ${team}. You can no longer use it.`],
    link: { url: `${publicUrl(deps.config)}/my-licenses`, label: 'See my licenses' },
  }));
};

/**
 * A new quote gets its number (the server numbers quotes, per organization) and goes to the
 * new-quotes and primary billing contacts.
 */
export const quoteCreated: PushEffect<'quotes'> = async ({ w, before, after, deps }) => {
  if (before || after._deleted) return;
  let quote = after;
  if (!quote.number) {
    const row = await w.tx
      .selectFrom('docs')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('org_id', '=', w.orgId)
      .where('collection', '=', 'quotes')
      .executeTakeFirstOrThrow();
    quote = await w.put('quotes', { ...quote, number: `Q-${w.now.slice(0, 4)}-${String(Number(row.n)).padStart(4, '0')}` });
  }
  const recipients = recipientsFor('quote-created', await orgPeople(w.tx, w.orgId, 'quote-created'));
  const total = quote.totalCents > 0 ? ` of ${formatMoney(quote.totalCents, quote.currency, 'en')}` : '';
  const seats = quote.lines.reduce((n, l) => n + l.quantity, 0);
  await queueEmails(w, 'quote-created', `quote-created:${quote.id}`, recipients, () => ({
    subject: `New quote ${quote.number}`,
    paragraphs: [
      `A new quote ${quote.number}${total} for ${seats} license${seats === 1 ? '' : 's'} was requested, valid until ${dayOfField(quote.validUntil) ?? quote.validUntil.slice(0, 10)}.`,
    ],
    link: { url: `${publicUrl(deps.config)}/invoices`, label: 'Open invoices and quotes' },
  }));
};

