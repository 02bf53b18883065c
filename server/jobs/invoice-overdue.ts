import { recipientsFor } from '../../shared/notifications';
import type { WireDoc } from '../../shared/schemas';
import type { AppDeps } from '../app-env';
import { publicUrl } from '../config';
import { listDocs, orgTx } from '../store/docs';
import { orgPeople, queueEmails } from '../claims/notify';
import { dayOf, dayOfField, invoiceOverdue } from '../../shared/dates';
import { formatMoney } from '../../shared/money';

/**
 * Reminds the unpaid-invoices and primary billing contacts of every unpaid invoice past its due
 * date. The outbox key carries the day, so running this more often than daily sends one
 * reminder per invoice, recipient and day.
 */
export async function runInvoiceOverdue(deps: AppDeps): Promise<{ invoices: number; queued: number }> {
  const now = deps.clock.now();
  const day = dayOf(now);
  const byOrg = new Map<string, WireDoc<'invoices'>[]>();
  for (const inv of await listDocs(deps.store.db, { collection: 'invoices' })) {
    if (!invoiceOverdue(inv, now)) continue;
    byOrg.set(inv.orgId, [...(byOrg.get(inv.orgId) ?? []), inv]);
  }
  let invoices = 0;
  let queued = 0;
  for (const [orgId, list] of byOrg) {
    queued += await orgTx(deps.store, orgId, now, async (w) => {
      const recipients = recipientsFor('invoice-overdue', await orgPeople(w.tx, orgId, 'invoice-overdue'));
      let n = 0;
      for (const inv of list) {
        // Re-read inside the transaction: it may have been paid since the scan.
        const current = await w.get('invoices', inv.id);
        if (!current || current._deleted || current.paidAt) continue;
        invoices += 1;
        n += await queueEmails(w, 'invoice-overdue', `invoice-overdue:${inv.id}:${day}`, recipients, () => ({
          subject: `Invoice ${current.number} is overdue`,
          paragraphs: [
            `Invoice ${current.number} of ${formatMoney(current.amountCents, current.currency, 'en')} was due on ${dayOfField(current.dueAt) ?? current.dueAt.slice(0, 10)} and has not been paid.`,
          ],
          link: { url: `${publicUrl(deps.config)}/invoices`, label: 'Open invoices and quotes' },
        }));
      }
      return n;
    }).catch((err) => {
      deps.logger.error({ err, orgId }, 'invoice overdue check failed for an organization');
      return 0;
    });
  }
  return { invoices, queued };
}
