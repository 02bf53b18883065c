import { describe, expect, it } from 'vitest';
import { newId } from '../../shared/ids';
import type { License, Order } from '../../shared/schemas';
import { activeSubscriptions, sortLicenses } from './data';

/** The Licenses list's order as it was first written: names looked up and compared at every step. */
const byNamesThenId = (productNames: Map<string, string>, teamNames: Map<string, string>) => (a: License, b: License) =>
  (productNames.get(a.productId) ?? '').localeCompare(productNames.get(b.productId) ?? '') ||
  (teamNames.get(a.teamId) ?? '').localeCompare(teamNames.get(b.teamId) ?? '') ||
  a.id.localeCompare(b.id);

function license(i: number, productId: string, teamId: string, orderId: string, validUntil = '2027-06-30'): License {
  return {
    id: newId(),
    orgId: 'org-1',
    orderId,
    teamId,
    productId,
    status: i % 3 === 0 ? 'assigned' : 'available',
    validUntil,
    seq: i + 1,
    updatedAt: '2026-12-01T00:00:00.000Z',
  } as License;
}

describe('sortLicenses', () => {
  it('gives the order of names compared at every step: unknown ids first, equal names by team, then id', () => {
    const products = ['p-zeta', 'p-alpha', 'p-Alpha2', 'p-eq1', 'p-eq2', 'p-gone'];
    const productNames = new Map([
      ['p-zeta', 'Zeta'],
      ['p-alpha', 'alpha'],
      ['p-Alpha2', 'Alpha 2'],
      // Two products of one name: their licenses interleave by team, then id.
      ['p-eq1', 'Studio'],
      ['p-eq2', 'Studio'],
    ]);
    const teams = ['t-b', 't-a', 't-c', 't-gone'];
    const teamNames = new Map([
      ['t-b', 'Berlin'],
      ['t-a', 'amsterdam'],
      ['t-c', 'Åre'],
    ]);
    const rows = Array.from({ length: 500 }, (_, i) => license(i, products[i % products.length], teams[(i * 7) % teams.length], 'o'));
    const expected = [...rows].sort(byNamesThenId(productNames, teamNames));
    const sorted = sortLicenses(rows, productNames, teamNames);
    expect(sorted.map((l) => l.id)).toEqual(expected.map((l) => l.id));
    // From id order (as licensesOf gives them), the same.
    const inIdOrder = [...rows].sort((a, b) => (a.id < b.id ? -1 : 1));
    expect(sortLicenses(inIdOrder, productNames, teamNames).map((l) => l.id)).toEqual(expected.map((l) => l.id));
    // A new array; the input keeps its order.
    expect(sorted).not.toBe(rows);
    expect(rows[0].productId).toBe('p-zeta');
  });
});

describe('activeSubscriptions', () => {
  it('counts each order and product, lists its teams and keeps the latest date', () => {
    const [o1, o2] = [newId(), newId()];
    const orders = [
      { id: o1, reference: 'A-1', lines: [{ productId: 'p1', quantity: 5 }] },
      { id: o2, reference: 'B-2', lines: [{ productId: 'p1', quantity: 2 }, { productId: 'p2', quantity: 1 }] },
    ] as unknown as Order[];
    const rows = [
      license(0, 'p1', 't1', o1, '2027-01-31'),
      license(1, 'p1', 't2', o1, '2027-03-31'),
      license(2, 'p1', 't1', o1, '2027-02-28'),
      license(3, 'p1', 't1', o2),
      license(4, 'p2', 't3', o2, '2026-01-01'),
    ];
    const subs = activeSubscriptions(rows, orders, new Date('2026-12-02T12:00:00Z'));
    expect(subs.map((s) => [s.reference, s.productId, s.quantity, s.assigned, s.available, s.teamIds, s.validUntil])).toEqual([
      ['A-1', 'p1', 5, 1, 2, ['t1', 't2'], '2027-03-31'],
      ['B-2', 'p1', 2, 1, 0, ['t1'], '2027-06-30'],
    ]);
  });
});
