/**
 * The invitation page's data (DESIGN §6): the public offer behind a link, who is signed in,
 * and the claim. Everything here is the server's: an invitee has no local database.
 */
import type { License } from '../../shared/schemas';
import type { InvitationEligibility } from '../../shared/invitation-info';
import { api, type ApiResult, type InvitationInfo, type MyLicense } from '../api';

export type { InvitationInfo };

/** The public facts of an invitation; an unknown link answers `invitation-not-found`. */
export async function invitationOffer(token: string): Promise<ApiResult<InvitationInfo>> {
  const r = await api.invitation(token);
  return !r.ok && r.code === 'not-found' ? { ...r, code: 'invitation-not-found' } : r;
}

/** The signed-in account, or null when nobody is (or the server cannot say). */
export async function signedInAccount(): Promise<{ id: string; email: string; name: string } | null> {
  const session = await api.session();
  if (session.ok && !session.value.signedIn) return null;
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

/** Signs out, so someone refused for their address can sign in with another. */
export const signOutHere = () => api.logout();

/**
 * The license of this invitation's product in its team that the signed-in person already holds
 * (matched by the names the link shows, from My licenses), or null.
 */
export async function heldHere(offer: Pick<InvitationInfo, 'organization' | 'team' | 'product'>): Promise<MyLicense | null> {
  const r = await api.myLicenses();
  if (!r.ok) return null;
  return r.value.licenses.find((l) => l.organization.name === offer.organization && l.team.name === offer.team && l.product.name === offer.product) ?? null;
}

/** Who may claim, in words: "Anyone", or the domains ("partners.test", "any subdomain of example.org"). */
export function domainWords(patterns: readonly string[]): string {
  if (!patterns.length) return 'Anyone with the link';
  const one = (p: string) => (p.startsWith('*.') ? `addresses at any subdomain of ${p.slice(2)} (not ${p.slice(2)} itself)` : `addresses at ${p}`);
  return `Only ${patterns.map(one).join(', or ')}`;
}

/** Who may claim and whether a seat is free now (null when the server cannot say). */
export async function invitationEligibility(token: string): Promise<InvitationEligibility | null> {
  const r = await api.invitationEligibility(token);
  return r.ok ? r.value : null;
}
