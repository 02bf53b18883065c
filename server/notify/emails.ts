/**
 * The words of each email (DESIGN §7), as plain sentences; layout.ts lays them out and
 * greets each recipient. Names come in resolved; links are absolute, and every link into an
 * organization's part of the app names that organization (`/o/:orgId/…`, shared/links.ts), so
 * it opens the right one whichever the reader last used (DESIGN §5).
 */
import { dayOfField } from '../../shared/dates';
import { formatMoney } from '../../shared/money';
import { TOPIC_NAMES, type BulletinTopic } from '../../shared/notifications';
import { orgPath } from '../../shared/links';
import { layoutEmail, type EmailContent, type RenderedMail } from './layout';
import { deliveryWords, howItReaches, type CertificateData } from '../orders/certificate';
import type { InvoiceData } from '../orders/invoice-document';

/** Where an email's links lead: the app's address (PUBLIC_URL) and the organization the email is about. */
export interface LinkBase {
  url: string;
  orgId: string;
}

/** An absolute link to `path` ('/orders/…') inside the organization's part of the app. */
export const orgLink = (base: LinkBase, path: string) => `${base.url}${orgPath(base.orgId, path)}`;

/** Emails are written in English. */
const EMAIL_LOCALE = 'en';

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;
/** The calendar day a date field names, as emails show it. */
const day = (value: string) => dayOfField(value) ?? value.slice(0, 10);
const money = (cents: number, currency: string) => formatMoney(cents, currency, EMAIL_LOCALE);

/** The sign-in email (DESIGN §8): a one-time link and the same sign-in as a 6-digit code. */
export function signInEmail(data: { url: string; code: string; minutes: number }): RenderedMail {
  return layoutEmail({
    subject: `Your Allot sign-in code: ${data.code}`,
    paragraphs: [
      `Use the link below to sign in to Allot, or type the code ${data.code} where you asked for it.`,
      `The link and the code work once and expire in ${data.minutes} minutes.`,
    ],
    code: data.code,
    link: { url: data.url, label: 'Sign in to Allot' },
    footer: 'If you did not ask to sign in, you can ignore this email: nobody can sign in without it.',
  });
}

/** To the invitation's creator: someone claimed a license through it. */
export function licenseClaimedEmail(
  base: LinkBase,
  e: { claimant: { name: string; email: string }; product: string; team: string; invitation: { id: string; name?: string } },
): EmailContent {
  const who = e.claimant.name || e.claimant.email;
  const through = e.invitation.name ? `“${e.invitation.name}”` : 'your invitation';
  return {
    subject: `${who} claimed ${e.product}`,
    paragraphs: [`${who} (${e.claimant.email}) claimed a license of ${e.product} in the team ${e.team} through ${through}.`],
    link: { url: orgLink(base, `/invitations/${encodeURIComponent(e.invitation.id)}`), label: 'See the accepted invitations' },
  };
}

/** To the org admins: an order was recorded and its licenses made. */
export function orderPlacedEmail(
  base: LinkBase,
  e: {
    by: { name: string; email: string };
    /** Placed by a partner on the organization's behalf (DESIGN §4). */
    byPartner?: boolean;
    order: { id: string; reference: string; validUntil: string };
    seats: number;
    team: string;
    licensee: { name: string; email: string };
    billing: { name: string; email: string };
  },
): EmailContent {
  return {
    subject: `Order ${e.order.reference} placed`,
    paragraphs: [
      `${e.by.name || e.by.email}${e.byPartner ? ' (partner)' : ''} recorded the order ${e.order.reference}: ${plural(e.seats, 'license')} for the team ${e.team}, valid until ${day(e.order.validUntil)}.`,
      `Licensee: ${e.licensee.name} (${e.licensee.email}). Billing: ${e.billing.name} (${e.billing.email}).`,
    ],
    link: { url: orgLink(base, `/orders/${encodeURIComponent(e.order.id)}`), label: 'Open the order' },
  };
}

/**
 * To a person just added as a member (issue 16 §14): who added them, to which organization, and
 * how to get in — a link into that organization; the app asks for their address and emails a
 * one-time sign-in link (DESIGN §8), so this email holds no credential and does not expire.
 */
export function memberAddedEmail(base: LinkBase, e: { org: string; by: { name: string; email: string }; email: string; orgAdmin: boolean }): EmailContent {
  const who = e.by.name || e.by.email;
  return {
    subject: `${who} added you to ${e.org} in Allot`,
    paragraphs: [
      `${who} (${e.by.email}) added you to ${e.org} in Allot${e.orgAdmin ? ' as an org admin' : ''}: the place where ${e.org} keeps its contacts, teams and licenses.`,
      `Sign in with this address (${e.email}). There is no password: Allot emails you a one-time link and code each time.`,
      `If you do not know ${e.org}, you can ignore this email: nothing happens until you sign in.`,
    ],
    link: { url: orgLink(base, '/'), label: `Open ${e.org} in Allot` },
  };
}

/** To the former holder of a revoked license. */
export function licenseRevokedEmail(base: LinkBase, e: { org: string; product: string; team: string }): EmailContent {
  return {
    subject: `Your ${e.product} license was revoked`,
    paragraphs: [`${e.org} revoked your license of ${e.product} in the team ${e.team}. You can no longer use it.`],
    // "My licenses" belongs to no organization: every license the person holds, from all of them.
    link: { url: `${base.url}/my-licenses`, label: 'See my licenses' },
  };
}

/** To a license's holder: their product was activated on a machine it had not run on (DESIGN §14). */
export function machineActivatedEmail(base: string, e: { product: string; machine: string; org: string; at: string }): EmailContent {
  return {
    subject: `${e.product} was activated on ${e.machine}`,
    paragraphs: [
      `Your license of ${e.product} from ${e.org} was activated on a new machine, “${e.machine}”, at ${e.at.slice(0, 16).replace('T', ' ')} UTC.`,
      'If this was you, there is nothing to do.',
      'If it was not you, open My licenses, deactivate that machine, and tell your organization’s admin: someone signed in to your account, so sign out everywhere and check who can read your email.',
    ],
    link: { url: `${base}/my-licenses`, label: 'See my licenses and machines' },
  };
}

/** To the new-quotes and primary billing contacts. */
export function quoteCreatedEmail(
  base: LinkBase,
  q: { number: string; totalCents: number; currency: string; validUntil: string; lines: { quantity: number }[] },
): EmailContent {
  const total = q.totalCents > 0 ? ` of ${money(q.totalCents, q.currency)}` : '';
  const seats = q.lines.reduce((n, l) => n + l.quantity, 0);
  return {
    subject: `New quote ${q.number}`,
    paragraphs: [`A new quote ${q.number}${total} for ${plural(seats, 'license')} was requested, valid until ${day(q.validUntil)}.`],
    link: { url: orgLink(base, '/invoices'), label: 'Open invoices and quotes' },
  };
}

/** To the unpaid-invoices and primary billing contacts, once a day while an invoice stays unpaid past its due date. */
export function invoiceOverdueEmail(base: LinkBase, inv: { number: string; amountCents: number; currency: string; dueAt: string }): EmailContent {
  return {
    subject: `Invoice ${inv.number} is overdue`,
    paragraphs: [`Invoice ${inv.number} of ${money(inv.amountCents, inv.currency)} was due on ${day(inv.dueAt)} and has not been paid.`],
    link: { url: orgLink(base, '/invoices'), label: 'Open invoices and quotes' },
  };
}

/** To the primary licensees: an order's licenses reach their last day soon. */
export function licensesExpiringEmail(
  base: LinkBase,
  e: { orderId: string; reference: string; end: string; count: number; assigned: number; products: string[] },
): EmailContent {
  return {
    subject: `${plural(e.count, 'license')} of order ${e.reference} expire on ${e.end}`,
    paragraphs: [
      `The licenses of order ${e.reference} are valid until ${e.end}: ${e.products.join(', ')}.`,
      `${e.assigned} of them ${e.assigned === 1 ? 'is' : 'are'} in use. Renew the order to keep them.`,
    ],
    link: { url: orgLink(base, `/orders/${encodeURIComponent(e.orderId)}`), label: 'Open the order' },
  };
}

/** A security/privacy update or data-protection notice, in the org admin's own words. */
export function bulletinEmail(base: LinkBase, e: { topic: BulletinTopic; subject: string; body: string; org: string }): EmailContent {
  return {
    subject: e.subject,
    paragraphs: [...e.body.split(/\n{2,}/), `You receive this as a ${TOPIC_NAMES[e.topic]} contact of ${e.org}.`],
    link: { url: orgLink(base, '/'), label: `Open ${e.org} in Allot` },
  };
}

/** To a person who waited (DESIGN §6 Waitlist): a freed license was handed to them. */
export function licenseReadyEmail(base: string, e: { org: string; product: string; team: string; validUntil: string }): EmailContent {
  return {
    subject: `Your ${e.product} license is ready`,
    paragraphs: [
      `A license of ${e.product} in the team ${e.team} of ${e.org} became free, and you were first on its waitlist: it is yours now, valid until ${day(e.validUntil)}.`,
      `Sign in to ${e.product} with this email address to activate it.`,
    ],
    link: { url: `${base}/my-licenses`, label: 'See my licenses' },
  };
}

/** To a person taken off a waitlist because they no longer qualify when a license became free. */
export function waitlistSkippedEmail(base: string, e: { org: string; product: string; team: string; reason: string; token?: string }): EmailContent {
  return {
    subject: `You are no longer waiting for ${e.product}`,
    paragraphs: [
      `A license of ${e.product} in the team ${e.team} of ${e.org} became free, but it could not be given to you: ${e.reason}`,
      'You have been taken off the waitlist. Ask the person who sent you the invitation if you think this is a mistake.',
    ],
    link: e.token ? { url: `${base}/join/${encodeURIComponent(e.token)}`, label: 'Open the invitation' } : { url: `${base}/my-licenses`, label: 'See my licenses' },
  };
}

/** How many licenses a certificate email lists in its body; the attached certificate lists them all. */
export const CERTIFICATE_EMAIL_LICENSES = 50;

/**
 * To an order's licensee (seed: "The licensee receives your license certificate"): the order,
 * its products × quantities, team, validity, each license's short reference and how the licenses
 * reach people; the PDF and the signed certificate are attached (server/mail/attachments.ts).
 */
export function licenseCertificateEmail(base: LinkBase, c: CertificateData): EmailContent {
  const listed = c.licenses.slice(0, CERTIFICATE_EMAIL_LICENSES);
  const more = c.licenseCount - listed.length;
  return {
    subject: `License certificate for order ${c.order.reference}`,
    paragraphs: [
      `You are the licensee of order ${c.order.reference} of ${c.org.name}, placed on ${c.order.placedOn}. This is its license certificate.`,
      ['Products:', ...c.lines.map((l) => `${l.quantity} × ${l.product}`)].join('\n'),
      `Team: ${c.team.name}. Valid until ${c.order.validUntil} (the licenses’ last day). ${plural(c.licenseCount, 'license')} in all.`,
      [
        'Licenses:',
        ...listed.map((l) => `${l.ref} · ${l.product} · ${howItReaches(l, c.team.name)}`),
        ...(more > 0 ? [`…and ${more} more, all listed in the attached certificate.`] : []),
      ].join('\n'),
      `How the licenses reach people: ${deliveryWords(c)}`,
      `Attached: the certificate as a PDF, and a signed copy (JSON) that anyone can check against the keys at ${c.jwksUrl}.`,
    ],
    link: { url: orgLink(base, `/orders/${encodeURIComponent(c.order.id)}`), label: 'Open the order' },
  };
}

/** To an order's billing contact (seed: "the billing contact receives the invoice for the order"), the invoice's PDF attached. */
export function invoiceIssuedEmail(base: LinkBase, d: InvoiceData): EmailContent {
  const i = d.invoice;
  return {
    subject: `Invoice ${i.number} for order ${d.order.reference}`,
    paragraphs: [
      `${d.org.name} has a new invoice for order ${d.order.reference}, and you are its billing contact.`,
      [`Invoice number: ${i.number}`, `Amount: ${i.amount}`, `Issued on: ${i.issuedOn}`, `Due on: ${i.dueOn}`].join('\n'),
      ['Ordered:', ...d.order.lines.map((l) => `${l.quantity} × ${l.product}`)].join('\n'),
      'The invoice is attached as a PDF.',
    ],
    link: { url: orgLink(base, `/orders/${encodeURIComponent(d.order.id)}`), label: 'Open the order and its invoices' },
  };
}

/** To an order's billing contact once its invoice is marked paid: the receipt, the paid invoice's PDF attached. */
export function invoicePaidEmail(base: LinkBase, d: InvoiceData): EmailContent {
  const i = d.invoice;
  return {
    subject: `Receipt for invoice ${i.number}`,
    paragraphs: [
      `Invoice ${i.number} of ${i.amount} for order ${d.order.reference} of ${d.org.name} was paid${i.paidOn ? ` on ${i.paidOn}` : ''}. Thank you.`,
      'The paid invoice is attached as a PDF.',
    ],
    link: { url: orgLink(base, `/orders/${encodeURIComponent(d.order.id)}`), label: 'Open the order and its invoices' },
  };
}
