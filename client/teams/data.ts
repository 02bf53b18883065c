/** Teams: list, create, rename. */
import type { Accessor } from 'solid-js';
import { newId } from '../../shared/ids';
import type { Team } from '../../shared/schemas';
import { liveOne, type AllotDatabase } from '../db';
export { teamsOf } from '../lookups';

export const teamById = (db: AllotDatabase, id: string): Accessor<Team | null | undefined> =>
  liveOne<Team>(db.teams.findOne(id));

export async function createTeam(db: AllotDatabase, orgId: string, name: string): Promise<Team> {
  const doc: Team = { id: newId(), orgId, name: name.trim(), seq: 0, updatedAt: '' };
  await db.teams.insert(doc);
  return doc;
}

export async function renameTeam(db: AllotDatabase, id: string, name: string): Promise<void> {
  const doc = await db.teams.findOne(id).exec();
  if (doc) await doc.incrementalPatch({ name: name.trim() });
}
