/**
 * Who hears of what (DESIGN §4, §7): each event's recipients and words, queued in the
 * transaction of the event. `base` is the app's public address (PUBLIC_URL).
 */
import { ORDER_MAILS, orderContactRecipients, recipientsFor, type OrderMail } from '../../shared/notifications';
import type { WireDoc } from '../../shared/schemas';
import { listDocs, type OrgWriter } from '../store/docs';
import { certificateData } from '../orders/certificate';
import { invoiceData } from '../orders/invoice-document';
import {
  CERTIFICATE_EMAIL_LICENSES,
  invoiceIssuedEmail,
  invoicePaidEmail,
  licenseCertificateEmail,
  licenseClaimedEmail,
  licenseReadyEmail,
  licenseRevokedEmail,
  machineActivatedEmail,
  memberAddedEmail,
  orderPlacedEmail,
  quoteCreatedEmail,
  waitlistSkippedEmail,
} from './emails';
import { recipientsIn } from './people';
import { nameOf, queueEmails } from './queue';

type Person = { name: string; email: string };

/** A license was claimed through an invitation: its creator (and the primary licensees) hear of it. */
export async function notifyLicenseClaimed(
  w: OrgWriter,
  base: string,
  e: { invitation: WireDoc<'invitations'>; claimant: Person; acceptanceId: string },
): Promise<void> {
  const inv = e.invitation;
  // A claim writes none of these: the claims of one group (groupedOrgTx) read them once.
  const recipients = await w.memo(`license-claimed:recipients:${inv.createdByMemberId}`, () =>
    recipientsIn(w.tx, w.orgId, 'license-claimed', { invitationCreatorMemberId: inv.createdByMemberId }),
  );
  const product = await w.memo(`name:products:${inv.productId}`, () => nameOf(w, 'products', inv.productId, 'a license'));
  const team = await w.memo(`name:teams:${inv.teamId}`, () => nameOf(w, 'teams', inv.teamId, 'your team'));
  // The acceptance is new in this transaction: so is every key of its event (one statement with the claim's documents).
  await queueEmails(
    w,
    'license-claimed',
    `license-claimed:${e.acceptanceId}`,
    recipients,
    () => licenseClaimedEmail({ url: base, orgId: w.orgId }, { claimant: e.claimant, product, team, invitation: inv }),
    undefined,
    { newEvent: true },
  );
}

/** An order was recorded and materialized: the other org admins hear of it. */
export async function notifyOrderPlaced(
  w: OrgWriter,
  base: string,
  e: { order: WireDoc<'orders'>; by: Person; byPartner?: boolean; teamId: string; seats: number; licensee: Person; billing: Person },
): Promise<void> {
  const team = await nameOf(w, 'teams', e.teamId, 'a new team');
  const by = e.by.email.toLowerCase();
  // The admin who recorded the order knows of it: the other admins hear (issue 16 §17). A
  // partner's order is told to every admin, and to the partner as their confirmation (DESIGN §4).
  const admins = (await recipientsIn(w.tx, w.orgId, 'order-placed')).filter((r) => r.email !== by);
  const recipients = e.byPartner ? [...admins, { email: by, name: e.by.name }] : admins;
  await queueEmails(w, 'order-placed', `order-placed:${e.order.id}`, recipients, () =>
    orderPlacedEmail(
      { url: base, orgId: w.orgId },
      { by: e.by, byPartner: e.byPartner, order: e.order, seats: e.seats, team, licensee: e.licensee, billing: e.billing },
    ),
  );
}

/** A license was revoked: its former holder hears of it (once per assignment). */
export async function notifyLicenseRevoked(w: OrgWriter, base: string, license: WireDoc<'licenses'>): Promise<void> {
  const holder = license.assignee;
  if (!holder) return;
  const product = await nameOf(w, 'products', license.productId, 'a product');
  const team = await nameOf(w, 'teams', license.teamId, 'a team');
  const org = await nameOf(w, 'organizations', w.orgId, 'the organization');
  const recipients = recipientsFor('license-revoked', { holder: { email: holder.email, name: holder.name } });
  await queueEmails(w, 'license-revoked', `license-revoked:${license.id}:${license.assignedAt ?? ''}`, recipients, () =>
    licenseRevokedEmail({ url: base, orgId: w.orgId }, { org, product, team }),
  );
}

/** A quote was requested: the new-quotes and primary billing contacts hear of it. */
export async function notifyQuoteCreated(w: OrgWriter, base: string, quote: WireDoc<'quotes'>): Promise<void> {
  const recipients = await recipientsIn(w.tx, w.orgId, 'quote-created');
  await queueEmails(w, 'quote-created', `quote-created:${quote.id}`, recipients, () => quoteCreatedEmail({ url: base, orgId: w.orgId }, quote));
}

/** A license was handed to the first person waiting (DESIGN §6 Waitlist): they hear it is ready. */
export async function notifyLicenseReady(w: OrgWriter, base: string, e: { license: WireDoc<'licenses'>; entryId: string; to: Person }): Promise<void> {
  const product = await nameOf(w, 'products', e.license.productId, 'a product');
  const team = await nameOf(w, 'teams', e.license.teamId, 'a team');
  const org = await nameOf(w, 'organizations', w.orgId, 'the organization');
  const recipients = recipientsFor('license-ready', { holder: e.to });
  await queueEmails(w, 'license-ready', `license-ready:${e.entryId}`, recipients, () =>
    licenseReadyEmail(base, { org, product, team, validUntil: e.license.validUntil }),
  );
}

/** A waiting person no longer qualified when a license became free: they are told why (DESIGN §6 Waitlist). */
export async function notifyWaitlistSkipped(
  w: OrgWriter,
  base: string,
  e: { invitation: { productId: string; teamId: string; token?: string }; entryId: string; to: Person; reason: string },
): Promise<void> {
  const product = await nameOf(w, 'products', e.invitation.productId, 'a product');
  const team = await nameOf(w, 'teams', e.invitation.teamId, 'a team');
  const org = await nameOf(w, 'organizations', w.orgId, 'the organization');
  const recipients = recipientsFor('waitlist-skipped', { holder: e.to });
  await queueEmails(w, 'waitlist-skipped', `waitlist-skipped:${e.entryId}`, recipients, () =>
    waitlistSkippedEmail(base, { org, product, team, reason: e.reason, token: e.invitation.token }),
  );
}

/**
 * A member was added (new, or brought back): the person hears who added them and how to get in
 * (issue 16 §14), once per arrival. Nobody is told of adding themself (an organization's first
 * admin, who has just signed in).
 */
export async function notifyMemberAdded(
  w: OrgWriter,
  base: string,
  e: { member: WireDoc<'members'>; by: Person & { id: string } },
): Promise<void> {
  if (e.member.accountId === e.by.id) return;
  const org = await nameOf(w, 'organizations', w.orgId, 'an organization');
  const recipients = recipientsFor('member-added', { account: { email: e.member.email, name: e.member.name } });
  await queueEmails(w, 'member-added', `member-added:${e.member.id}:${e.member.seq}`, recipients, () =>
    memberAddedEmail({ url: base, orgId: w.orgId }, { org, by: e.by, email: e.member.email, orgAdmin: e.member.isOrgAdmin }),
  );
}

/** A license was activated on a machine it had not been active on: its holder hears of it (DESIGN §14). */
export async function notifyMachineActivated(
  w: OrgWriter,
  base: string,
  e: { machine: { id: string; name: string; firstSeenAt: string }; holder: Person; product: string },
): Promise<void> {
  const org = await nameOf(w, 'organizations', w.orgId, 'your organization');
  const recipients = recipientsFor('machine-activated', { holder: { email: e.holder.email, name: e.holder.name } });
  await queueEmails(w, 'machine-activated', `machine-activated:${e.machine.id}:${e.machine.firstSeenAt}`, recipients, () =>
    machineActivatedEmail(base, { product: e.product, machine: e.machine.name, org, at: e.machine.firstSeenAt }),
  );
}

/** The order's licensee or billing contact as a recipient of the order's own emails (DESIGN §4 order-specific contact row). */
async function orderRecipients(w: OrgWriter, order: { licenseeContactId: string; billingContactId: string }, mail: OrderMail) {
  const ids = [...new Set([order.licenseeContactId, order.billingContactId].filter(Boolean))];
  const contacts = ids.length ? await listDocs(w.tx, { collection: 'contacts', org: w.orgId, where: { id: ids } }) : [];
  return orderContactRecipients(order, ORDER_MAILS[mail].to, contacts);
}

/**
 * An order's licensee receives its license certificate (DESIGN §7): when the order is
 * materialized, and again whenever the order's licensee becomes another person (another
 * contact, or the contact's address changed) — once per order and address. The PDF and the
 * signed certificate are made by the worker when it sends.
 */
export async function notifyLicenseCertificate(w: OrgWriter, base: string, orderId: string): Promise<void> {
  const found = await certificateData(w.tx, base, w.orgId, orderId, CERTIFICATE_EMAIL_LICENSES);
  if (!found.ok) return;
  const order = await w.get('orders', orderId);
  if (!order) return;
  const recipients = await orderRecipients(w, order, 'license-certificate');
  await queueEmails(
    w,
    'license-certificate',
    `license-certificate:${orderId}`,
    recipients,
    () => licenseCertificateEmail({ url: base, orgId: w.orgId }, found.value),
    [{ kind: 'license-certificate', orderId }],
  );
}

/**
 * An invoice was issued (`paid` false) or marked paid (`paid` true): the billing contact of its
 * order — the licensee when billing defaulted to them — receives the invoice or the receipt,
 * its PDF attached (DESIGN §7). Once per invoice and address each.
 */
export async function notifyInvoice(w: OrgWriter, base: string, invoiceId: string, paid: boolean): Promise<void> {
  const found = await invoiceData(w.tx, base, w.orgId, invoiceId);
  if (!found.ok) return;
  const order = await w.get('orders', found.value.order.id);
  if (!order) return;
  const mail: OrderMail = paid ? 'invoice-paid' : 'invoice-issued';
  const recipients = await orderRecipients(w, order, mail);
  const link = { url: base, orgId: w.orgId };
  await queueEmails(
    w,
    mail,
    `${mail}:${invoiceId}`,
    recipients,
    () => (paid ? invoicePaidEmail(link, found.value) : invoiceIssuedEmail(link, found.value)),
    [{ kind: 'invoice', invoiceId }],
  );
}
