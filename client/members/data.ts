/** Members: who is org admin and who administers which team. */
import type { Accessor } from 'solid-js';
import { fail, ok, type Result } from '../../shared/errors';
import { newId } from '../../shared/ids';
import type { Member } from '../../shared/schemas';
import { liveList, type AllotDatabase } from '../db';

export const membersOf = (db: AllotDatabase): Accessor<Member[]> => liveList<Member>(db.members.find());

export interface NewMember {
  name: string;
  email: string;
  isOrgAdmin: boolean;
  adminOfTeamIds: string[];
  /** A partner who records orders on the organization's behalf (DESIGN §4). */
  isPartner?: boolean;
}

/**
 * Adds a member by email. The account is the server's to find or make (clients never know
 * account ids), so the document goes out with accountId '' and comes back filled in. An email
 * already among the local members is refused here; the server checks again (member-exists)
 * against members this device has not seen yet.
 */
export async function addMember(db: AllotDatabase, orgId: string, input: NewMember): Promise<Result<Member, 'member-exists'>> {
  const email = input.email.trim().toLowerCase();
  const all = await db.members.find().exec();
  if (all.some((m) => m.email.toLowerCase() === email)) return fail('member-exists', `${email} is already a member`);
  const doc: Member = {
    id: newId(),
    orgId,
    accountId: '',
    email,
    name: input.name.trim(),
    isOrgAdmin: input.isOrgAdmin,
    adminOfTeamIds: [...new Set(input.adminOfTeamIds)],
    disabled: false,
    ...(input.isPartner ? { isPartner: true } : {}),
    seq: 0,
    updatedAt: '',
  };
  await db.members.insert(doc);
  return ok(doc);
}

export async function setOrgAdmin(db: AllotDatabase, memberId: string, isOrgAdmin: boolean): Promise<void> {
  const doc = await db.members.findOne(memberId).exec();
  if (doc) await doc.incrementalPatch({ isOrgAdmin });
}

/** Makes the member a partner (DESIGN §4: records orders, sees the orders they placed) or not. */
export async function setPartner(db: AllotDatabase, memberId: string, isPartner: boolean): Promise<void> {
  const doc = await db.members.findOne(memberId).exec();
  if (doc) await doc.incrementalPatch({ isPartner });
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
