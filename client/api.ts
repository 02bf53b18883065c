/**
 * The one place the client talks to the server outside replication. Every call answers
 * `{ok: true, value}` or `{ok: false, code, message, details}` so screens never see a
 * thrown network error or an HTTP status.
 */
import type { ErrorCode } from '../shared/errors';
import type { Contact, License, Notification } from '../shared/schemas';
import type { BulletinTopic } from '../shared/notifications';
import type { ActivationEventsResponse, LinkResponse, MachineInfo, MeResponse, MyLicense, MyLicensesResponse, MyOrganization, MyWaitlistPlace, OrgMachinesResponse, WaitlistStatus } from '../shared/api';
import type { DeviceRequestInfo } from '../shared/activation-api';
import type { InvitationEligibility, InvitationInfo } from '../shared/invitation-info';
import { MY_LICENSES_PATH, myMachineDeactivatePath, orgApiPath, syncPath } from '../shared/sync-paths';
import { SCHEMA_VERSION, type FeedCollectionName } from '../shared/schemas';
import { SCHEMA_HEADER, type PullRequest, type PullResponse, type PushResponse, type PushRow } from '../shared/sync';

/** The schema version a sync request names (older apps are answered 426, DESIGN §5). */
const SCHEMA_HEADERS = { [SCHEMA_HEADER]: String(SCHEMA_VERSION) };

export type ApiResult<T> = { ok: true; value: T } | { ok: false; code: ErrorCode | 'network'; message: string; details?: unknown };

/** `GET /api/me` (DESIGN §5): the account and every organization it has reach in. */
export type Me = MeResponse;

export type { InvitationInfo, MachineInfo, MyLicense, MyOrganization, MyWaitlistPlace };

let base = '';
/** Tests and a split deployment point the client at another origin. */
export function setApiBase(url: string) {
  base = url.replace(/\/$/, '');
}

/** The address of an API path for a plain link (a file the browser downloads). */
export const apiHref = (path: string): string => base + path;

async function call<T>(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string, body?: unknown, headers?: Record<string, string>): Promise<ApiResult<T>> {
  let res: Response;
  try {
    res = await fetch(base + path, {
      method,
      credentials: 'include',
      headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (err) {
    return { ok: false, code: 'network', message: err instanceof Error ? err.message : String(err) };
  }
  const text = await res.text();
  let data: unknown = undefined;
  try {
    data = text ? JSON.parse(text) : undefined;
  } catch {
    // A proxy's HTML error page: fall through to the status.
  }
  if (!res.ok) {
    const e = (data ?? {}) as { error?: ErrorCode; message?: string; details?: unknown };
    return {
      ok: false,
      code: e.error ?? (res.status === 401 ? 'unauthenticated' : 'internal'),
      message: e.message ?? `HTTP ${res.status}`,
      details: e.details,
    };
  }
  return { ok: true, value: data as T };
}

export const api = {
  setup: () => call<{ needsSetup: boolean }>('GET', '/api/setup'),
  createOrganization: (input: { orgName: string; email: string; adminName?: string }) =>
    call<{ ok: boolean }>('POST', '/api/setup', input),
  requestSignIn: (input: { email: string; returnTo?: string }) => call<{ ok: boolean }>('POST', '/api/auth/email', input),
  signInLink: (token: string) => call<LinkResponse>('POST', '/api/auth/link', { token }),
  verifyToken: (token: string) => call<{ account: Me['account']; returnTo?: string }>('POST', '/api/auth/verify', { token }),
  verifyCode: (email: string, code: string) =>
    call<{ account: Me['account']; returnTo?: string }>('POST', '/api/auth/verify', { email, code }),
  session: () => call<{ signedIn: boolean }>('GET', '/api/auth/session'),
  me: () => call<Me>('GET', '/api/me'),
  setMyName: (name: string) => call<Me>('PATCH', '/api/me', { name }),
  myLicenses: () => call<MyLicensesResponse>('GET', MY_LICENSES_PATH),
  logout: () => call<{ ok: boolean }>('POST', '/api/auth/logout', {}),
  invitation: (token: string) => call<InvitationInfo>('GET', `/api/invitations/${encodeURIComponent(token)}`),
  invitationEligibility: (token: string) => call<InvitationEligibility>('GET', `/api/invitations/${encodeURIComponent(token)}/eligibility`),
  claim: (token: string) => call<License>('POST', `/api/invitations/${encodeURIComponent(token)}/claim`, {}),
  joinWaitlist: (token: string) => call<WaitlistStatus>('POST', `/api/invitations/${encodeURIComponent(token)}/waitlist`, {}),
  waitlistStatus: (token: string) => call<WaitlistStatus>('GET', `/api/invitations/${encodeURIComponent(token)}/waitlist`),
  leaveWaitlist: (token: string) => call<{ left: true }>('DELETE', `/api/invitations/${encodeURIComponent(token)}/waitlist`),
  /** One page of a collection the app reads as a feed (client/db/feeds.ts), from the organization's pull endpoint. */
  pullFeed: <C extends FeedCollectionName>(orgId: string, collection: C, body: PullRequest) =>
    call<PullResponse<C>>('POST', syncPath(orgId, collection, 'pull'), body, SCHEMA_HEADERS),
  /** Pushes rows of a feed's collection (an admin removing a waitlist entry) to the organization's push endpoint. */
  pushFeed: <C extends FeedCollectionName>(orgId: string, collection: C, rows: PushRow[]) =>
    call<PushResponse<C>>('POST', syncPath(orgId, collection, 'push'), rows, SCHEMA_HEADERS),
  sendBulletin: (orgId: string, input: { topic: BulletinTopic; subject: string; body: string }) =>
    call<unknown>('POST', orgApiPath(orgId, '/notifications/bulletin'), input),
  mergeContacts: (orgId: string, keepId: string, mergeIds: string[]) =>
    call<Contact>('POST', orgApiPath(orgId, '/contacts/merge'), { keepId, mergeIds }),
  retryEmail: (orgId: string, notificationId: string) =>
    call<Notification>('POST', orgApiPath(orgId, `/notifications/${encodeURIComponent(notificationId)}/retry`), {}),
  /** The /activate page (DESIGN §14): what a product's user code asks for, and the person's answer. */
  deviceRequest: (userCode: string) => call<DeviceRequestInfo>('GET', `/api/device/${encodeURIComponent(userCode)}`),
  approveDevice: (input: { userCode: string; licenseId?: string }) => call<{ status: 'approved'; licenseId: string }>('POST', '/api/device/approve', input),
  denyDevice: (userCode: string) => call<{ status: 'denied' }>('POST', '/api/device/deny', { userCode }),
  /** The holder frees one of their machines (My licenses). */
  deactivateMachine: (machineId: string) => call<{ id: string; deactivatedAt: string }>('POST', myMachineDeactivatePath(machineId), {}),
  /** Admins: the machines of the licenses they administer in the organization (Licenses, Overview). */
  orgMachines: (orgId: string) => call<OrgMachinesResponse>('GET', orgApiPath(orgId, '/machines')),
  /** Org admins: the organization's product activations (the notification log). */
  activationEvents: (orgId: string) => call<ActivationEventsResponse>('GET', orgApiPath(orgId, '/activation-events')),
};
