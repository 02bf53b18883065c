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
