import type { CollectionRules } from './types';

/**
 * Waitlist entries (DESIGN §6 Waitlist): made by joining (server/waitlist/), served by the
 * hand-out. The one change a client makes is an admin removing an entry (a delete; the
 * permission table allows nothing else), so every field stays as the server wrote it.
 */
export const waitlistEntries: CollectionRules<'waitlistEntries'> = {
  immutable: ['invitationId', 'teamId', 'productId', 'account', 'joinedAt', 'rank', 'status', 'endedAt', 'licenseId', 'reason'],
};
