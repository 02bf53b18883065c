/** Invoices and quotes (org admins and primary billing; order-specific contacts see their orders'). */
import type { Accessor } from 'solid-js';
import { newId } from '../../shared/ids';
import { quoteSchema, type Invoice, type Quote } from '../../shared/schemas';
import { liveList, type AllotDatabase } from '../db';
import { checkField } from '../ui/field-check';
import { compareInstants, invoiceOverdue } from '../../shared/dates';
import { addDays, dayOf } from '../ui/format';

export const invoicesOf = (db: AllotDatabase): Accessor<Invoice[]> => liveList<Invoice>(db.invoices.find());
export const quotesOf = (db: AllotDatabase): Accessor<Quote[]> => liveList<Quote>(db.quotes.find());

export type InvoiceState = 'paid' | 'overdue' | 'open';

export function invoiceState(inv: Invoice, now: Date): InvoiceState {
  if (inv.paidAt) return 'paid';
  return invoiceOverdue(inv, now) ? 'overdue' : 'open';
}

export const unpaid = (rows: Invoice[]) => rows.filter((i) => !i.paidAt).sort((a, b) => compareInstants(a.dueAt, b.dueAt));

export async function markInvoicePaid(db: AllotDatabase, id: string, now = new Date()): Promise<void> {
  const doc = await db.invoices.findOne(id).exec();
  if (doc && !doc.paidAt) await doc.incrementalPatch({ paidAt: now.toISOString() });
}

/** A quote request: the vendor prices it; until then its total is 0. */
export async function requestQuote(
  db: AllotDatabase,
  input: { orgId: string; memberId: string; lines: { productId: string; quantity: number }[]; currency?: string },
  now = new Date(),
): Promise<Quote> {
  const picked = input.lines.filter((l) => l.productId && l.quantity > 0);
  if (!picked.length) throw new Error('Add at least one product with a quantity.');
  // The quote schema's line rules (whole quantities up to its maximum), as the server applies them.
  const checked = checkField(quoteSchema.entries.lines, picked, 'Each line needs a product and a whole quantity of at least 1.');
  if (!checked.ok) throw new Error(checked.words);
  const lines = checked.value;
  const stamp = dayOf(now).replace(/-/g, '');
  const doc: Quote = {
    id: newId(),
    orgId: input.orgId,
    number: `Q-${stamp}-${newId().slice(0, 4).toUpperCase()}`,
    lines,
    totalCents: 0,
    currency: input.currency ?? 'EUR',
    requestedByMemberId: input.memberId,
    createdAt: now.toISOString(),
    validUntil: addDays(now, 30).toISOString(),
    seq: 0,
    updatedAt: '',
  };
  await db.quotes.insert(doc);
  return doc;
}
