import { randomToken } from '../../shared/tokens';
import { checkReferences, one } from './references';
import type { CollectionRules } from './types';

/**
 * Bulk invitation links (DESIGN §3, §6): the link, its team and product never change. The
 * server makes the link's token when an invitation arrives (128 random bits, shared/tokens.ts),
 * whatever the client sent ('' from the app; an older app's own token is replaced), so no
 * client can choose a guessable link or one another invitation uses.
 */
export const invitations: CollectionRules<'invitations'> = {
  immutable: ['token', 'teamId', 'productId', 'createdByMemberId'],
  async check({ w, before, after }) {
    return checkReferences(w, before, after, [one('teamId', 'teams'), one('productId', 'products')]);
  },
  async fill({ before, after }) {
    // A new invitation gets its token here; a stored one keeps its own (immutable above).
    return before ? after : { ...after, token: randomToken() };
  },
};
