import type { CollectionRules } from './types';

/** Refused claims (DESIGN §6 Refused attempts): recorded by claims (server/claims/claim.ts), never by a client. */
export const refusedClaims: CollectionRules<'refusedClaims'> = { serverWritten: true };
