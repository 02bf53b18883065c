/**
 * The HTTP API outside replication (DESIGN §6, §8): each request body as the valibot schema
 * the server validates it with, and each answer's type. Sync's wire types are in sync.ts.
 */
import * as v from 'valibot';
import { emailAddress } from './addresses';
import { BULLETIN_TOPICS } from './notifications';
import type { ContactRole, License } from './schemas';
import { id, nonEmpty } from './schemas/common';
import type { InvitationInfo } from './invitation-info';

export type { InvitationInfo };

/** `POST /api/auth/email`: a sign-in link and code to this address, then back to `returnTo` (a path on this site). */
export const signInRequestSchema = v.object({
  email: emailAddress,
  returnTo: v.optional(v.pipe(v.string(), v.maxLength(500))),
});
export type SignInRequest = v.InferInput<typeof signInRequestSchema>;

const linkToken = v.pipe(v.string(), v.minLength(10), v.maxLength(200));

/** `POST /api/auth/link`: a sign-in link's token, to learn whom it signs in (the link stays unused). */
export const linkRequestSchema = v.object({ token: linkToken });
export type LinkRequest = v.InferInput<typeof linkRequestSchema>;

/** `POST /api/auth/link` → the address the link would sign in; 400 `invalid-link` when it is unknown, used or expired. */
export interface LinkResponse {
  email: string;
}

/** `POST /api/auth/verify`: the link's token, or the address and its 6-digit code. */
export const verifyRequestSchema = v.union([
  v.object({ token: linkToken }),
  v.object({ email: emailAddress, code: v.pipe(v.string(), v.trim(), v.regex(/^\d{6}$/, 'The code has 6 digits')) }),
]);
export type VerifyRequest = v.InferInput<typeof verifyRequestSchema>;

/** The account part of /api/me and of a successful verify. */
export interface AccountInfo {
  id: string;
  email: string;
  name: string;
}

/** `POST /api/auth/verify` → the session cookie, and this. */
export interface VerifyResponse {
  account: AccountInfo;
  returnTo: string;
}

const setupText = v.optional(v.pipe(v.string(), v.trim(), v.maxLength(200)));

/**
 * `POST /api/setup`, first run — "Create your organization (name, your email)", DESIGN §8:
 * `{name, email}`, where name is the organization's. The app sends `{orgName, email,
 * adminName}`; `{orgName, email, name}` (name then being the admin's) is read as before.
 */
export const setupRequestSchema = v.pipe(
  v.object({
    orgName: setupText,
    name: setupText,
    adminName: setupText,
    email: emailAddress,
  }),
  v.transform(({ orgName, name, adminName, email }) => ({
    orgName: orgName || (orgName === undefined ? name : '') || '',
    adminName: adminName ?? (orgName !== undefined ? name : undefined),
    email,
  })),
  v.check((b) => b.orgName.length > 0, 'Name the organization'),
);
export type SetupRequest = v.InferInput<typeof setupRequestSchema>;

/** `GET /api/setup`. */
export interface SetupStatus {
  needsSetup: boolean;
}

/** `POST /api/notifications/bulletin` (org admins): a security/privacy update or data-protection notice. */
export const bulletinRequestSchema = v.object({
  topic: v.picklist(BULLETIN_TOPICS),
  subject: v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(200)),
  body: v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(20_000)),
});
export type BulletinRequest = v.InferInput<typeof bulletinRequestSchema>;

/**
 * `POST /api/orgs/:orgId/contacts/merge` (org admins): contacts of one address (compared
 * case-insensitively) become the one to keep, with every role and order of the others.
 */
export const mergeContactsRequestSchema = v.object({
  keepId: id,
  mergeIds: v.pipe(v.array(id), v.minLength(1), v.maxLength(50)),
});
export type MergeContactsRequest = v.InferInput<typeof mergeContactsRequestSchema>;

/** `PATCH /api/me` (signed in): the name the account goes by (asked at first sign-in, editable later). */
export const profileRequestSchema = v.object({
  name: nonEmpty(200),
});
export type ProfileRequest = v.InferInput<typeof profileRequestSchema>;

/** The answer to a bulletin: its id and how many people it was queued for. */
export interface BulletinResponse {
  id: string;
  recipients: number;
}

/**
 * What the person is in one organization (DESIGN §3, §4): their member roles (org admin, team
 * admin of `adminOfTeamIds`), the roles of their enabled contacts there, and whether they hold
 * one of its licenses. Computed for this (account, organization) pair alone — the same reach
 * `/api/orgs/:orgId/sync/…` authorizes with (shared/permissions.ts `personInOrganization`).
 */
export interface MyOrganization {
  id: string;
  name: string;
  isOrgAdmin: boolean;
  adminOfTeamIds: string[];
  /** The contact roles the person holds in this organization (DESIGN §3), union of their enabled contacts. */
  roles: ContactRole[];
  /** Holds a license of this organization. */
  holdsLicense: boolean;
  /** Their enabled member record here, if any (what invitations and quotes they create name as theirs). */
  memberId: string | null;
  /** The orders their enabled contacts here are assigned to (order-specific contacts, DESIGN §4). */
  orderIds: string[];
  /** Their member record here is a partner's (DESIGN §4); absent = false. */
  isPartner?: boolean;
  /** The orders they placed here as a partner (what they see of the organization). */
  placedOrderIds?: string[];
}

/**
 * `GET /api/me` (DESIGN §5): who is signed in and every organization they have reach in —
 * member, contact (once the address is proven) or license holder — ordered by name.
 */
export interface MeResponse {
  account: AccountInfo;
  organizations: MyOrganization[];
}

/**
 * A machine a license is activated on (DESIGN §14). Server-only data, read through
 * `GET /api/me/licenses` (the holder's active machines) and `GET /api/orgs/:orgId/machines`
 * (admins). Timestamps are ISO 8601 (UTC).
 */
export interface MachineInfo {
  id: string;
  licenseId: string;
  /** What the person calls it (the host name the product sent), at most 200 characters. */
  name: string;
  /** The first activation on this machine. */
  firstSeenAt: string;
  /** The last check-in: the last activation or renewal ("Last used"). */
  lastSeenAt: string;
  /** Set when it was deactivated (by the holder, or a revoke of the license): it no longer counts. */
  deactivatedAt?: string;
}

/**
 * `GET /api/orgs/:orgId/machines` → the machines of the licenses the caller administers (org
 * admin: every license; team admin: their teams' licenses), newest check-in first, at most
 * ORG_MACHINES_LIMIT. Anyone else: 403 `forbidden`.
 */
export interface OrgMachinesResponse {
  machines: MachineInfo[];
}

/**
 * One event of a product's activation (DESIGN §14 point 7), as the organization's
 * notification log shows it: `approved`/`denied` on /activate, `activated` on a new machine,
 * `renewed`, `refused` (with `code`), or a machine `deactivated`. `email` is the person's.
 */
export interface ActivationEvent {
  action: 'approved' | 'denied' | 'activated' | 'renewed' | 'refused' | 'deactivated';
  /** ISO 8601 (UTC). */
  at: string;
  email?: string;
  /** The product's code. */
  product?: string;
  machine?: string;
  licenseId?: string;
  /** Why an activation was refused (shared/errors.ts). */
  code?: string;
}

/** `GET /api/orgs/:orgId/activation-events` (org admins; anyone else 403 `forbidden`): newest first. */
export interface ActivationEventsResponse {
  events: ActivationEvent[];
}

/** The most events `GET /api/orgs/:orgId/activation-events` answers. */
export const ACTIVATION_EVENTS_LIMIT = 200;

/** The most machines `GET /api/orgs/:orgId/machines` answers. */
export const ORG_MACHINES_LIMIT = 20_000;

/** One license the person holds, with where it comes from (DESIGN §5 "My licenses"). */
export interface MyLicense {
  license: License;
  organization: { id: string; name: string };
  /** machinesPerLicense: how many machines the license may be active on (catalog, DESIGN §14). */
  product: { code: string; name: string; machinesPerLicense?: number };
  team: { name: string };
  /** The machines it is active on now, first activated first. */
  machines: MachineInfo[];
}

/**
 * A waitlist the person is on (DESIGN §6 Waitlist), in any organization: their place in line
 * (1 = next; the queue of the team and product, across the team's invitations), since when,
 * and the invitation's link token (they opened that link already) to leave it from there.
 */
export interface MyWaitlistPlace {
  organization: { id: string; name: string };
  product: { code: string; name: string };
  team: { name: string };
  invitation: { name: string; token: string };
  position: number;
  /** ISO 8601. */
  joinedAt: string;
}

/**
 * `GET /api/me/licenses`: every license the account holds, in every organization, and the
 * waitlists it is on (`waiting`, present only when there is at least one).
 */
export interface MyLicensesResponse {
  licenses: MyLicense[];
  waiting?: MyWaitlistPlace[];
}

/**
 * `GET /api/me/stream` (Server-Sent Events): `me` (data: MeResponse) and `licenses` (data:
 * MyLicensesResponse), each sent when the stream opens and again whenever it changes — a
 * claim, revoke or move, a membership or contact change in any organization. Comments keep
 * it open; it ends when the session ends.
 */
export type MeStreamEvent = { event: 'me'; data: MeResponse } | { event: 'licenses'; data: MyLicensesResponse };

/** `POST /api/invitations/:token/claim` → the license now held. */
export type ClaimResponse = License;

/** The plain acknowledgement of setup, sign-in requests and logout. */
export interface OkResponse {
  ok: true;
}

/**
 * `POST|GET /api/invitations/:token/waitlist` (DESIGN §6 Waitlist): waiting (1 = first in line,
 * across the team's invitations of that product), served (the license handed out), or ended
 * (`reason`: the code of the check the person no longer passed, `removed` by an admin, or
 * `license-revoked` after being served).
 */
export type WaitlistStatus =
  | { status: 'waiting'; position: number; joinedAt: string }
  | { status: 'served'; license: License }
  | { status: 'ended'; reason: string };
