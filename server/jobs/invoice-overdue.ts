import { dayOf, invoiceOverdue } from '../../shared/dates';
import type { WireDoc } from '../../shared/schemas';
import type { AppDeps } from '../app-env';
import { publicUrl } from '../config';
import { invoiceOverdueEmail } from '../notify/emails';
import { recipientsIn } from '../notify/people';
import { queueEmails } from '../notify/queue';
import { listDocs, orgTx } from '../store/docs';

/**
 * Reminds the unpaid-invoices and primary billing contacts of every unpaid invoice past its due
 * date (DESIGN §7). The outbox key carries the day, so running this more often than daily sends
 * one reminder per invoice, recipient and day.
 */
export async function runInvoiceOverdue(deps: AppDeps): Promise<{ invoices: number; queued: number }> {
  const now = deps.clock.now();
  const day = dayOf(now);
  const base = publicUrl(deps.config);
  const byOrg = new Map<string, WireDoc<'invoices'>[]>();
  for (const inv of await listDocs(deps.store.db, { collection: 'invoices' })) {
    if (!invoiceOverdue(inv, now)) continue;
    byOrg.set(inv.orgId, [...(byOrg.get(inv.orgId) ?? []), inv]);
  }
  let invoices = 0;
  let queued = 0;
  for (const [orgId, list] of byOrg) {
    queued += await orgTx(deps.store, orgId, now, async (w) => {
      const recipients = await recipientsIn(w.tx, orgId, 'invoice-overdue');
      let n = 0;
      for (const inv of list) {
        // Re-read inside the transaction: it may have been paid since the scan.
        const current = await w.get('invoices', inv.id);
        if (!current || current._deleted || current.paidAt) continue;
        invoices += 1;
        n += await queueEmails(w, 'invoice-overdue', `invoice-overdue:${inv.id}:${day}`, recipients, () => invoiceOverdueEmail({ url: base, orgId }, current));
      }
      return n;
    }).catch((err) => {
      deps.logger.error({ err, orgId }, 'invoice overdue check failed for an organization');
      return 0;
    });
  }
  return { invoices, queued };
}
