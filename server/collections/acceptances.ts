import type { CollectionRules } from './types';

/** Acceptances (DESIGN §6): recorded by claims (server/claims/claim.ts), marked revoked by revokes (licenses.ts); never by a client. */
export const acceptances: CollectionRules<'acceptances'> = {
  serverWritten: true,
  immutable: ['invitationId', 'licenseId'],
};
