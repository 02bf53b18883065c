/** Reading waitlists (DESIGN §6 Waitlist): the queue of a team and product, and a person's place in it. */
import type { Kysely } from 'kysely';
import type { WireDoc } from '../../shared/schemas';
import { countDocs, listDocs } from '../store/docs';
import type { DB } from '../store/schema';

/** The people waiting for a license of a product in a team, first in line first (across the team's invitations). */
export async function waitingFor(db: Kysely<DB>, orgId: string, teamId: string, productId: string): Promise<WireDoc<'waitlistEntries'>[]> {
  const entries = await listDocs(db, { collection: 'waitlistEntries', org: orgId, where: { teamId, productId, status: 'waiting' } });
  return entries.sort((a, b) => a.rank - b.rank);
}

/**
 * The next rank in a team's queue of a product: one more than every entry ever made for it
 * (entries are never removed from the table, only marked deleted), read in the organization's
 * transaction, so two joins never share a rank.
 */
export async function nextRank(db: Kysely<DB>, orgId: string, teamId: string, productId: string): Promise<number> {
  return (await countDocs(db, { collection: 'waitlistEntries', org: orgId, where: { teamId, productId }, withDeleted: true })) + 1;
}

/** A person's latest entry on an invitation's waitlist (waiting, served or skipped), if any. */
export async function entryOf(db: Kysely<DB>, orgId: string, invitationId: string, accountId: string): Promise<WireDoc<'waitlistEntries'> | undefined> {
  const mine = await listDocs(db, { collection: 'waitlistEntries', org: orgId, where: { invitationId, assigneeAccountId: accountId } });
  return mine.sort((a, b) => b.rank - a.rank)[0];
}

/** 1 for the first in line. */
export async function positionOf(db: Kysely<DB>, entry: WireDoc<'waitlistEntries'>): Promise<number> {
  const queue = await waitingFor(db, entry.orgId, entry.teamId, entry.productId);
  return queue.filter((e) => e.rank < entry.rank).length + 1;
}
