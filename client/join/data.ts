/**
 * The invitation page's data (DESIGN §6): the public offer behind a link, who is signed in,
 * and the claim. Everything here is the server's: an invitee has no local database.
 */
import type { License } from '../../shared/schemas';
import { api, type ApiResult, type InvitationInfo } from '../api';

export type { InvitationInfo };

/** The public facts of an invitation; an unknown link answers `invitation-not-found`. */
export async function invitationOffer(token: string): Promise<ApiResult<InvitationInfo>> {
  const r = await api.invitation(token);
  return !r.ok && r.code === 'not-found' ? { ...r, code: 'invitation-not-found' } : r;
}

/** The signed-in account, or null when nobody is (or the server cannot say). */
export async function signedInAccount(): Promise<{ id: string; email: string; name: string } | null> {
  const r = await api.me();
  return r.ok ? r.value.account : null;
}

/** Claims a license (DESIGN §6: the first failing check's code, or the license). */
export const claimLicense = (token: string): Promise<ApiResult<License>> => api.claim(token);

export type { WaitlistStatus } from '../../shared/api';

/** Joins the invitation's waitlist after "No assets left" (DESIGN §6): waiting with a position, or served at once. */
export const joinWaitlist = (token: string) => api.joinWaitlist(token);

/** Where the signed-in person stands on the waitlist (`not-on-waitlist` when they are not on it). */
export const waitlistStatus = (token: string) => api.waitlistStatus(token);

/** Leaves the waitlist. */
export const leaveWaitlist = (token: string) => api.leaveWaitlist(token);
