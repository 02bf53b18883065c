/**
 * An invoice as its billing contact receives it (DESIGN §7; seed: "the billing contact receives
 * the invoice for the order"): number, amount and currency (shared/money.ts), issue and due days
 * (shared/dates.ts), the order it bills and, once paid, the day it was paid — for the invoice and
 * receipt emails and their PDF.
 */
import type { Kysely } from 'kysely';
import { dayOfField } from '../../shared/dates';
import { fail, ok, type Result } from '../../shared/errors';
import { orgPath } from '../../shared/links';
import { formatMoney } from '../../shared/money';
import { findDoc, listDocs } from '../store/docs';
import type { DB } from '../store/schema';
import { renderPdf } from '../documents/pdf';

/** Amounts in emails and PDFs are written in English. */
const LOCALE = 'en';
const day = (v: string) => dayOfField(v) ?? v.slice(0, 10);

export interface InvoiceData {
  org: { id: string; name: string };
  invoice: { id: string; number: string; amount: string; issuedOn: string; dueOn: string; paidOn?: string };
  order: { id: string; reference: string; lines: { product: string; quantity: number }[] };
  billing: { name: string; email: string };
  /** The order's page in the app (absolute; it lists the order's invoices). */
  orderUrl: string;
}

/**
 * Reads an invoice of organization `orgId` with its order (in a transaction or not). `base` is
 * PUBLIC_URL. Errors: `not-found` when the invoice or its order is not a live one of the organization.
 */
export async function invoiceData(db: Kysely<DB>, base: string, orgId: string, invoiceId: string): Promise<Result<InvoiceData, 'not-found'>> {
  const inv = await findDoc(db, 'invoices', invoiceId);
  if (!inv || inv._deleted || inv.orgId !== orgId) return fail('not-found', 'There is no such invoice');
  const order = await findDoc(db, 'orders', inv.orderId);
  if (!order || order._deleted || order.orgId !== orgId) return fail('not-found', 'The invoice’s order is gone');
  const billingId = order.billingContactId || order.licenseeContactId;
  const [org, contact, products] = await Promise.all([
    findDoc(db, 'organizations', orgId),
    billingId ? findDoc(db, 'contacts', billingId) : Promise.resolve(undefined),
    listDocs(db, { collection: 'products', org: '', where: { id: order.lines.map((l) => l.productId) } }),
  ]);
  const names = new Map(products.map((p) => [p.id, p.name]));
  return ok({
    org: { id: orgId, name: org && !org._deleted ? org.name : 'Your organization' },
    invoice: {
      id: inv.id,
      number: inv.number,
      amount: formatMoney(inv.amountCents, inv.currency, LOCALE),
      issuedOn: day(inv.issuedAt),
      dueOn: day(inv.dueAt),
      ...(inv.paidAt ? { paidOn: day(inv.paidAt) } : {}),
    },
    order: { id: order.id, reference: order.reference, lines: order.lines.map((l) => ({ product: names.get(l.productId) ?? 'a product', quantity: l.quantity })) },
    billing: contact && !contact._deleted ? { name: contact.name, email: contact.email } : order.billing ?? order.licensee ?? { name: '', email: '' },
    orderUrl: `${base}${orgPath(orgId, `/orders/${encodeURIComponent(order.id)}`)}`,
  });
}

/** The invoice as a PDF; a paid one says so (the receipt's attachment). */
export function invoicePdf(d: InvoiceData): Promise<Buffer> {
  const i = d.invoice;
  return renderPdf({
    title: `Invoice ${i.number}${i.paidOn ? ' (paid)' : ''}`,
    subtitle: `${d.org.name} · order ${d.order.reference}`,
    blocks: [
      {
        kind: 'facts',
        rows: [
          ['Invoice number', i.number],
          ['Organization', d.org.name],
          ['Billed to', d.billing.name ? `${d.billing.name} <${d.billing.email}>` : d.billing.email],
          ['Order', d.order.reference],
          ['Issued on', i.issuedOn],
          ['Due on', i.dueOn],
          ['Amount', i.amount],
          ['Status', i.paidOn ? `Paid on ${i.paidOn}` : 'Unpaid'],
        ],
      },
      { kind: 'heading', text: 'Ordered' },
      {
        kind: 'table',
        columns: [
          { header: 'Product', width: 4 },
          { header: 'Quantity', width: 1 },
        ],
        rows: d.order.lines.map((l) => [l.product, String(l.quantity)]),
      },
    ],
    footer: `The order's page, with its invoices: ${d.orderUrl}`,
  });
}
