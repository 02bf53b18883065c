import { randomToken } from '../../shared/tokens';
import { docExists } from '../store/docs';
import { checkReferences, one } from './references';
import { isArriving, type CollectionRules } from './types';

/**
 * Bulk invitation links (DESIGN §3, §6): the link, its team and product never change. The
 * server makes the link's token (128 random bits) when the invitation first arrives: a token a
 * client chose could be guessable, so a pushed one is refused (`server-only`).
 */
export const invitations: CollectionRules<'invitations'> = {
  immutable: ['token', 'teamId', 'productId', 'createdByMemberId'],
  serverOnly: ['token'],
  async check({ w, before, after }) {
    return checkReferences(w, before, after, [one('teamId', 'teams'), one('productId', 'products')]);
  },
  async fill({ w, before, after }) {
    if (after.token || !isArriving(before, after)) return after;
    // DESIGN §9: a token is unique, deleted invitations' included. 128 random bits do not
    // collide in practice; the loop keeps the index from ever aborting the push if they did.
    for (;;) {
      const token = randomToken();
      if (!(await docExists(w.tx, { collection: 'invitations', where: { token }, withDeleted: true }))) return { ...after, token };
    }
  },
};
