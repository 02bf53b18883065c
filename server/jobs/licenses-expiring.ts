import { addDays, dayOf, dayOfField } from '../../shared/dates';
import { orderContactRecipients } from '../../shared/notifications';
import type { WireDoc } from '../../shared/schemas';
import type { AppDeps } from '../app-env';
import { publicUrl } from '../config';
import { licensesExpiringEmail } from '../notify/emails';
import { recipientsIn } from '../notify/people';
import { nameOf, queueEmails } from '../notify/queue';
import { listDocs, orgTx } from '../store/docs';

/** How far ahead the primary licensees hear of licenses running out. */
export const EXPIRY_NOTICE_DAYS = 30;

/**
 * Tells the primary licensees, and each order's own licensee and billing contacts (DESIGN §4),
 * about licenses whose last valid day falls within the
 * next EXPIRY_NOTICE_DAYS: one email per order and expiry day, whatever the number of runs —
 * the outbox key names the order and the day the licenses end, not the day of the check.
 */
export async function runLicensesExpiring(deps: AppDeps): Promise<{ orders: number; queued: number }> {
  const now = deps.clock.now();
  const today = dayOf(now);
  const horizon = dayOf(addDays(now, EXPIRY_NOTICE_DAYS));
  const base = publicUrl(deps.config);
  // org → "orderId endDay" → licenses
  const byOrg = new Map<string, Map<string, WireDoc<'licenses'>[]>>();
  for (const lic of await listDocs(deps.store.db, { collection: 'licenses' })) {
    const end = dayOfField(lic.validUntil);
    if (end === null || end < today || end > horizon) continue;
    const groups = byOrg.get(lic.orgId) ?? new Map<string, WireDoc<'licenses'>[]>();
    const key = `${lic.orderId} ${end}`;
    groups.set(key, [...(groups.get(key) ?? []), lic]);
    byOrg.set(lic.orgId, groups);
  }
  let orders = 0;
  let queued = 0;
  for (const [orgId, groups] of byOrg) {
    // One organization's failure must not keep the others from hearing, run after run.
    queued += await orgTx(deps.store, orgId, now, async (w) => {
      const primary = await recipientsIn(w.tx, orgId, 'licenses-expiring');
      let n = 0;
      for (const [key, licenses] of groups) {
        const [orderId, end] = key.split(' ');
        const order = await w.get('orders', orderId);
        const live = order && !order._deleted ? order : null;
        const reference = live ? live.reference : 'an order';
        // The order's own contacts hear of their order's licenses (DESIGN §4 order-specific contact row).
        const own = live ? orderContactRecipients(live, 'both', await listDocs(w.tx, { collection: 'contacts', org: orgId, where: { id: [live.licenseeContactId, live.billingContactId].filter(Boolean) } })) : [];
        const recipients = [...primary, ...own.filter((r) => !primary.some((p) => p.email === r.email))];
        if (!recipients.length) continue;
        const perProduct = new Map<string, number>();
        for (const l of licenses) perProduct.set(l.productId, (perProduct.get(l.productId) ?? 0) + 1);
        const products: string[] = [];
        for (const [productId, count] of perProduct) products.push(`${count} × ${await nameOf(w, 'products', productId, 'a product')}`);
        const assigned = licenses.filter((l) => l.status === 'assigned').length;
        orders += 1;
        n += await queueEmails(w, 'licenses-expiring', `licenses-expiring:${orderId}:${end}`, recipients, () =>
          licensesExpiringEmail({ url: base, orgId }, { orderId, reference, end, count: licenses.length, assigned, products }),
        );
      }
      return n;
    }).catch((err) => {
      deps.logger.error({ err, orgId }, 'licenses expiring check failed for an organization');
      return 0;
    });
  }
  return { orders, queued };
}
