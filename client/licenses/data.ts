/** Licenses: the list, "Active subscriptions", revoke and move (DESIGN §3). */
import type { Accessor } from 'solid-js';
import type { License, Order, LICENSE_STATUSES } from '../../shared/schemas';
import { liveList, type AllotDatabase } from '../db';
import { licenseValidOn, parseInstant } from '../../shared/dates';

/** Every license this person may see, in id order (the order `sortLicenses` keeps within a product and team). */
export const licensesOf = (db: AllotDatabase): Accessor<License[]> =>
  liveList<License>(db.licenses.find({ sort: [{ id: 'asc' }] }));

export const licensesOfOrder = (db: AllotDatabase, orderId: string): Accessor<License[]> =>
  liveList<License>(db.licenses.find({ selector: { orderId } }));

export interface LicenseFilter {
  productId: string;
  teamId: string;
  status: (typeof LICENSE_STATUSES)[number] | '';
  assignee: string;
}

export function filterLicenses(rows: License[], f: LicenseFilter): License[] {
  const who = f.assignee.trim().toLowerCase();
  return rows.filter(
    (l) =>
      (!f.productId || l.productId === f.productId) &&
      (!f.teamId || l.teamId === f.teamId) &&
      (!f.status || l.status === f.status) &&
      (!who ||
        (!!l.assignee && (l.assignee.email.toLowerCase().includes(who) || l.assignee.name.toLowerCase().includes(who)))),
  );
}

/**
 * `rows` in the Licenses list's order: product name, then team name (`localeCompare`; an
 * unknown id as ''), then id. Each distinct name is placed once and the rows are sorted by
 * those places: comparing looked-up names at every step took 1.4 s for 100,000 licenses in
 * Chromium. Rows already in id order (`licensesOf` asks for it) keep it within a place
 * without a string comparison. Ids are UUIDs (lowercase hex and dashes, shared/ids.ts
 * `UUID_PATTERN`), whose code-unit order is their `localeCompare` order. Returns a new array.
 */
export function sortLicenses(rows: readonly License[], productNames: ReadonlyMap<string, string>, teamNames: ReadonlyMap<string, string>): License[] {
  const productAt = placesOf(productNames);
  const teamAt = placesOf(teamNames);
  const teams = teamNames.size + 1;
  const place = rows.map((l) => productAt(l.productId) * teams + teamAt(l.teamId));
  const inIdOrder = rows.every((l, i) => i === 0 || rows[i - 1].id < l.id);
  const order = rows.map((_, i) => i);
  order.sort((a, b) => place[a] - place[b] || (inIdOrder ? a - b : rows[a].id < rows[b].id ? -1 : rows[a].id > rows[b].id ? 1 : 0));
  return order.map((i) => rows[i]);
}

/** For ids named in `names`: the place of an id's name among all the names and '' in `localeCompare` order (names that compare equal share one). */
function placesOf(names: ReadonlyMap<string, string>): (id: string) => number {
  const sorted = [...new Set(['', ...names.values()])].sort((a, b) => a.localeCompare(b));
  const place = new Map<string, number>();
  let at = 0;
  sorted.forEach((name, i) => {
    if (i > 0 && sorted[i - 1].localeCompare(name) !== 0) at++;
    place.set(name, at);
  });
  return (id) => place.get(names.get(id) ?? '')!;
}

export interface Subscription {
  key: string;
  orderId: string;
  reference: string;
  productId: string;
  teamIds: string[];
  quantity: number;
  assigned: number;
  available: number;
  validUntil: string;
}

/** "Active subscriptions": per order and product, what was bought and what is left. */
export function activeSubscriptions(licenses: License[], orders: Order[], now: Date): Subscription[] {
  const refs = new Map(orders.map((o) => [o.id, o]));
  // By order, then product: no key string made per license (100,000 of them on the Licenses screen).
  const byOrder = new Map<string, Map<string, Subscription>>();
  const groups: Subscription[] = [];
  for (const l of licenses) {
    let ofOrder = byOrder.get(l.orderId);
    if (!ofOrder) byOrder.set(l.orderId, (ofOrder = new Map()));
    let g = ofOrder.get(l.productId);
    if (!g) {
      const key = `${l.orderId}:${l.productId}`;
      const order = refs.get(l.orderId);
      const line = order?.lines.find((x) => x.productId === l.productId);
      g = {
        key,
        orderId: l.orderId,
        reference: order?.reference ?? '—',
        productId: l.productId,
        teamIds: [],
        quantity: line?.quantity ?? 0,
        assigned: 0,
        available: 0,
        validUntil: l.validUntil,
      };
      ofOrder.set(l.productId, g);
      groups.push(g);
    }
    if (!g.teamIds.includes(l.teamId)) g.teamIds.push(l.teamId);
    if (l.status === 'assigned') g.assigned++;
    else g.available++;
    // An order's licenses mostly share their date: parse only one that differs (100,000 licenses, two parses each, took 0.15 s).
    if (l.validUntil !== g.validUntil && (parseInstant(l.validUntil) ?? 0) > (parseInstant(g.validUntil) ?? 0)) g.validUntil = l.validUntil;
  }
  return groups
    .map((g) => ({ ...g, quantity: Math.max(g.quantity, g.assigned + g.available) }))
    // Still valid on its last day (shared/dates.ts).
    .filter((g) => licenseValidOn(g.validUntil, now))
    .sort((a, b) => a.reference.localeCompare(b.reference) || a.productId.localeCompare(b.productId));
}

/** Revoking frees the seat: status back to available and the holder's fields removed. */
export async function revokeLicense(db: AllotDatabase, id: string): Promise<void> {
  const doc = await db.licenses.findOne(id).exec();
  if (!doc) return;
  await doc.incrementalModify((l) => {
    const { assignee: _a, assignedAt: _b, assignedVia: _c, ...rest } = l;
    return { ...rest, status: 'available' };
  });
}

export async function moveLicense(db: AllotDatabase, id: string, teamId: string): Promise<void> {
  const doc = await db.licenses.findOne(id).exec();
  if (doc && doc.teamId !== teamId) await doc.incrementalPatch({ teamId });
}

export const STATUS_WORDS: Record<License['status'], string> = { available: 'Available', assigned: 'Assigned' };
