/** Overview figures, computed from the same live lists the other screens use. */
import type { Invitation, License, Product } from '../../shared/schemas';
import type { AllotDatabase } from '../db';
import { addDays } from '../ui/format';
import { parseInstant } from '../../shared/dates';

export interface Seats {
  productId: string;
  name: string;
  used: number;
  available: number;
}

export function seatsByProduct(licenses: License[], products: Product[]): Seats[] {
  const names = new Map(products.map((p) => [p.id, p.name]));
  const by = new Map<string, Seats>();
  for (const l of licenses) {
    let s = by.get(l.productId);
    if (!s) by.set(l.productId, (s = { productId: l.productId, name: names.get(l.productId) ?? 'Unknown product', used: 0, available: 0 }));
    if (l.status === 'assigned') s.used++;
    else s.available++;
  }
  return [...by.values()].sort((a, b) => a.name.localeCompare(b.name));
}

/** Active invitations whose link stops working within `days`. */
export function expiringSoon(invitations: Invitation[], now: Date, days = 14): Invitation[] {
  const until = addDays(now, days).getTime();
  const end = (i: Invitation) => parseInstant(i.expiresAt);
  return invitations
    .filter((i) => {
      const t = end(i);
      return !i.disabledAt && t !== null && t > now.getTime() && t <= until;
    })
    .sort((a, b) => end(a)! - end(b)!);
}

export { unusedSeats, UNUSED_SEATS_DEFAULTS } from '../../shared/unused-seats';

/** The organization's unused-seat settings (DESIGN §14), written on its document by an org admin. */
export async function saveUnusedSeatSettings(db: AllotDatabase, orgId: string, s: { notActivatedDays: number; idleDays: number }): Promise<void> {
  const doc = await db.organizations.findOne(orgId).exec();
  if (doc) await doc.incrementalPatch({ unusedSeatsNotActivatedDays: s.notActivatedDays, unusedSeatsIdleDays: s.idleDays });
}
