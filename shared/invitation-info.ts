/** What `GET /api/invitations/:token` answers to anyone holding the link (DESIGN §6). */
export type InvitationStatus = 'active' | 'expired' | 'disabled' | 'used-up';

export interface InvitationInfo {
  organization: string;
  team: string;
  product: string;
  name: string | null;
  expiresAt: string | null;
  status: InvitationStatus;
}

/**
 * `GET /api/invitations/:token/eligibility` (public, beside the answer above, which stays as
 * DESIGN §6 says): who may claim and whether a seat is free now, so the join page tells the
 * truth before anyone signs up (issue 16 §10). No ids, no counts.
 */
export interface InvitationEligibility {
  /** The allowed domain patterns, normalized (`example.com`; `*.example.com` = its subdomains only); [] = anyone. */
  allowedDomains: string[];
  /** A license is available to claim now (false: a claim would answer "No assets left"). */
  seatsLeft: boolean;
}
