import { docExists } from '../store/docs';
import { checkReferences, one } from './references';
import type { CollectionRules } from './types';

/** Bulk invitation links (DESIGN §3, §6): the link, its team and product never change. */
export const invitations: CollectionRules<'invitations'> = {
  immutable: ['token', 'teamId', 'productId', 'createdByMemberId'],
  async check({ w, before, after }) {
    const refused = await checkReferences(w, before, after, [one('teamId', 'teams'), one('productId', 'products')]);
    if (refused) return refused;
    // DESIGN §9: a token is unique, deleted invitations' included (the database index keeps
    // them too). Checked before writing, so the row is refused like any other instead of
    // the index aborting the whole push.
    const taken = await docExists(w.tx, { collection: 'invitations', where: { token: after.token }, exceptId: after.id, withDeleted: true });
    return taken
      ? { code: 'token-taken', message: 'Another invitation already uses this link; create the invitation again for a new one', fields: ['token'] }
      : null;
  },
};
