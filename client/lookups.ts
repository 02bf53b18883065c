/** Names of products and teams, which nearly every screen shows next to ids. */
import type { Accessor } from 'solid-js';
import type { Product, Team } from '../shared/schemas';
import { liveList, type AllotDatabase } from './db';

export const productsOf = (db: AllotDatabase): Accessor<Product[]> =>
  liveList<Product>(db.products.find({ sort: [{ id: 'asc' }] }));

export const teamsOf = (db: AllotDatabase): Accessor<Team[]> =>
  liveList<Team>(db.teams.find({ sort: [{ id: 'asc' }] }));

export function nameMap<T extends { id: string; name: string }>(rows: Accessor<T[]>): Accessor<Map<string, string>> {
  return () => new Map(rows().map((r) => [r.id, r.name]));
}
