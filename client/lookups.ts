/** Names of products and teams, which nearly every screen shows next to ids. */
import { createMemo, type Accessor } from 'solid-js';
import type { Product, Team } from '../shared/schemas';
import { liveList, type AllotDatabase } from './db';

export const productsOf = (db: AllotDatabase): Accessor<Product[]> =>
  liveList<Product>(db.products.find({ sort: [{ id: 'asc' }] }));

export const teamsOf = (db: AllotDatabase): Accessor<Team[]> =>
  liveList<Team>(db.teams.find({ sort: [{ id: 'asc' }] }));

/**
 * id → name, made once per change of `rows`: screens read it inside sort comparators (a
 * 100,000-license list asks it millions of times), so it must not be rebuilt on each read.
 * Call it where a component is being made (it owns a memo).
 */
export function nameMap<T extends { id: string; name: string }>(rows: Accessor<T[]>): Accessor<Map<string, string>> {
  return createMemo(() => new Map(rows().map((r) => [r.id, r.name])));
}
