/** Overview figures, computed from the same live lists the other screens use. */
import type { Invitation, License, Product } from '../../shared/schemas';
import { addDays } from '../ui/format';

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
  const from = now.toISOString();
  const until = addDays(now, days).toISOString();
  return invitations
    .filter((i) => !i.disabledAt && i.expiresAt && i.expiresAt > from && i.expiresAt <= until)
    .sort((a, b) => a.expiresAt!.localeCompare(b.expiresAt!));
}
