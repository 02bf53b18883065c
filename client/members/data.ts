/** Members: who is org admin and who administers which team. */
import type { Accessor } from 'solid-js';
import type { Member } from '../../shared/schemas';
import type { AllotDatabase } from '../db';
import { liveList } from '../ui/live';

export const membersOf = (db: AllotDatabase): Accessor<Member[]> => liveList<Member>(db.members.find() as any);

export async function setOrgAdmin(db: AllotDatabase, memberId: string, isOrgAdmin: boolean): Promise<void> {
  const doc = await db.members.findOne(memberId).exec();
  if (doc) await doc.incrementalPatch({ isOrgAdmin });
}

export async function setTeamAdmin(db: AllotDatabase, memberId: string, teamId: string, on: boolean): Promise<void> {
  const doc = await db.members.findOne(memberId).exec();
  if (!doc) return;
  await doc.incrementalModify((m) => {
    const ids = m.adminOfTeamIds.filter((t) => t !== teamId);
    return { ...m, adminOfTeamIds: on ? [...ids, teamId] : ids };
  });
}

export async function setMemberDisabled(db: AllotDatabase, memberId: string, disabled: boolean): Promise<void> {
  const doc = await db.members.findOne(memberId).exec();
  if (doc) await doc.incrementalPatch({ disabled });
}

/** The server refuses to remove the last org admin; the UI says so before trying (shared/permissions.ts). */
export { isLastOrgAdmin } from '../../shared/permissions';
