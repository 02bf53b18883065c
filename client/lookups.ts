/** Names of products and teams, which nearly every screen shows next to ids. */
import type { Accessor } from 'solid-js';
import type { Product, Team } from '../shared/schemas';
import type { AllotDatabase } from './db';
import { liveList } from './ui/live';

export const productsOf = (db: AllotDatabase): Accessor<Product[]> =>
  liveList<Product>(db.products.find({ sort: [{ id: 'asc' }] }) as any);

export const teamsOf = (db: AllotDatabase): Accessor<Team[]> =>
  liveList<Team>(db.teams.find({ sort: [{ id: 'asc' }] }) as any);

export function nameMap<T extends { id: string; name: string }>(rows: Accessor<T[]>): Accessor<Map<string, string>> {
  return () => new Map(rows().map((r) => [r.id, r.name]));
}
