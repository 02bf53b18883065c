/**
 * The OAuth 2.0 Device Authorization Grant (RFC 8628) as Allot runs it (DESIGN §14 points 1–3):
 * a product asks for a code, the person approves it on /activate with one of their licenses,
 * and the product's polling ends in tokens bound to that product, account and license.
 */
import { randomInt } from 'node:crypto';
import { addDays, isAtOrBefore } from '../../shared/dates';
import { fail, ok, type Result } from '../../shared/errors';
import { newId } from '../../shared/ids';
import type { DeviceLicenseOption, DeviceRequestInfo } from '../../shared/activation-api';
import { formatUserCode, normalizeUserCode, USER_CODE_ALPHABET, USER_CODE_LENGTH } from '../../shared/user-code';
import type { AppDeps } from '../app-env';
import type { Account } from '../auth/session';
import { randomSecret, sha256 } from '../auth/hash';
import { publicUrl } from '../config';
import {
  appendActivationEvent,
  decideDeviceAuthorization,
  deleteExpiredDeviceAuthorizations,
  deviceAuthorizationBy,
  grantOfToken,
  insertDeviceAuthorization,
  insertGrant,
  insertToken,
  markDeviceAuthorizationUsed,
  recordDevicePoll,
  revokeGrant,
  type DeviceAuthorizationRow,
  type GrantRow,
} from '../store/activation';
import { findDoc, plainTx } from '../store/docs';
import { activeMachinesOf } from '../store/machines';
import { heldLicenses, machinesPerLicense, nameIn, productByCode } from './licenses';
import { oauthError, type OAuthError } from './oauth-errors';

/** RFC 8628 §3.2: how long a code may be used, and the least time between polls (seconds). */
export const DEVICE_CODE_SECONDS = 600;
export const POLL_INTERVAL_SECONDS = 5;
/** RFC 8628 §3.5: each slow_down adds this to the interval for the rest of the request's life. */
export const SLOW_DOWN_STEP_SECONDS = 5;
export const ACCESS_TOKEN_SECONDS = 3600;
export const REFRESH_TOKEN_DAYS = 365;
export const DEVICE_GRANT_TYPE = 'urn:ietf:params:oauth:grant-type:device_code';

type OAuthResult<T> = { ok: true; value: T } | { ok: false; error: OAuthError };

export interface DeviceAuthorizationResponse {
  device_code: string;
  user_code: string;
  verification_uri: string;
  verification_uri_complete: string;
  expires_in: number;
  interval: number;
}

export interface TokenResponse {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  refresh_token?: string;
}

const newUserCode = (): string => Array.from({ length: USER_CODE_LENGTH }, () => USER_CODE_ALPHABET[randomInt(USER_CODE_ALPHABET.length)]).join('');

/**
 * `POST /oauth/device_authorization` (RFC 8628 §3.1–3.2). `client_id` is a product code of the
 * catalog (else invalid_client); `machine_name` (an Allot extension, optional) is what the
 * /activate page shows as the machine.
 */
export async function startDeviceAuthorization(
  deps: AppDeps,
  form: { client_id?: string; machine_name?: string },
): Promise<OAuthResult<DeviceAuthorizationResponse>> {
  const clientId = form.client_id ?? '';
  if (!clientId) return oauthError('invalid_request', 'client_id (the product code) is required');
  const product = clientId.length <= 40 ? await productByCode(deps.store.db, clientId) : undefined;
  if (!product || product._deleted) return oauthError('invalid_client', `No product has the code "${clientId.slice(0, 40)}"`);
  const machineName = (form.machine_name ?? '').trim().slice(0, 200) || 'Unnamed machine';
  const now = deps.clock.now();
  const deviceCode = randomSecret();
  const base = publicUrl(deps.config);
  // Old requests go as new ones come: nothing can use them any more.
  await deleteExpiredDeviceAuthorizations(deps.store.db, addDays(now, -1).toISOString());
  for (let attempt = 0; ; attempt++) {
    const userCode = newUserCode();
    try {
      await insertDeviceAuthorization(deps.store.db, {
        id: newId(),
        device_code_hash: sha256(deviceCode),
        user_code_hash: sha256(userCode),
        product_code: product.code,
        machine_name: machineName,
        status: 'pending',
        account_id: null,
        license_id: null,
        interval_s: POLL_INTERVAL_SECONDS,
        last_polled_at: null,
        expires_at: new Date(now.getTime() + DEVICE_CODE_SECONDS * 1000).toISOString(),
        created_at: now.toISOString(),
      });
      const shown = formatUserCode(userCode);
      return ok({
        device_code: deviceCode,
        user_code: shown,
        verification_uri: `${base}/activate`,
        verification_uri_complete: `${base}/activate?code=${shown}`,
        expires_in: DEVICE_CODE_SECONDS,
        interval: POLL_INTERVAL_SECONDS,
      });
    } catch (err) {
      // A user code already in use (1 in 20^8 per live request): draw another.
      if (attempt >= 3) throw err;
    }
  }
}

async function issueTokens(deps: AppDeps, grant: GrantRow, withRefresh: boolean, now: Date): Promise<TokenResponse> {
  const access = randomSecret();
  const refresh = withRefresh ? randomSecret() : undefined;
  await insertToken(deps.store.db, {
    tokenHash: sha256(access),
    grantId: grant.id,
    kind: 'access',
    expiresAt: new Date(now.getTime() + ACCESS_TOKEN_SECONDS * 1000).toISOString(),
    createdAt: now.toISOString(),
  });
  if (refresh) {
    await insertToken(deps.store.db, {
      tokenHash: sha256(refresh),
      grantId: grant.id,
      kind: 'refresh',
      expiresAt: addDays(now, REFRESH_TOKEN_DAYS).toISOString(),
      createdAt: now.toISOString(),
    });
  }
  return { access_token: access, token_type: 'Bearer', expires_in: ACCESS_TOKEN_SECONDS, ...(refresh ? { refresh_token: refresh } : {}) };
}

/**
 * `POST /oauth/token` (RFC 8628 §3.4–3.5, RFC 6749 §5–6): the device code grant, polled until
 * the person decides, and the refresh token grant for a new access token.
 */
export async function tokenRequest(deps: AppDeps, form: Record<string, string | undefined>): Promise<OAuthResult<TokenResponse>> {
  const grantType = form.grant_type;
  if (!grantType) return oauthError('invalid_request', 'grant_type is required');
  if (grantType === 'refresh_token') return refreshRequest(deps, form);
  if (grantType !== DEVICE_GRANT_TYPE) return oauthError('unsupported_grant_type', `grant_type ${grantType.slice(0, 80)} is not supported`);
  const deviceCode = form.device_code;
  const clientId = form.client_id;
  if (!deviceCode || !clientId) return oauthError('invalid_request', 'device_code and client_id are required');
  const db = deps.store.db;
  const row = deviceCode.length <= 100 ? await deviceAuthorizationBy(db, { deviceCodeHash: sha256(deviceCode) }) : undefined;
  if (!row || row.product_code !== clientId) return oauthError('invalid_grant', 'Unknown device_code for this client');
  const now = deps.clock.now();
  if (row.status === 'used') return oauthError('invalid_grant', 'This device_code was already exchanged');
  if (isAtOrBefore(row.expires_at, now)) return oauthError('expired_token', 'The device_code has expired; start again');
  if (row.status === 'denied') return oauthError('access_denied', 'The person denied the request');
  if (row.status === 'pending') return pendingPoll(deps, row, now);
  // Approved: the tokens, once.
  if (!row.account_id || !row.license_id || !(await markDeviceAuthorizationUsed(db, row.id))) {
    return oauthError('invalid_grant', 'This device_code was already exchanged');
  }
  const license = await findDoc(db, 'licenses', row.license_id);
  if (!license) return oauthError('invalid_grant', 'The license approved is gone');
  const grant: GrantRow = {
    id: newId(),
    account_id: row.account_id,
    product_code: row.product_code,
    org_id: license.orgId,
    license_id: license.id,
    team_id: license.teamId,
    machine_id: null,
    created_at: now.toISOString(),
    revoked_at: null,
  };
  await insertGrant(db, grant);
  return ok(await issueTokens(deps, grant, true, now));
}

/** A poll while the person has not decided: slow_down when sooner than the interval (which then grows), else authorization_pending. */
async function pendingPoll(deps: AppDeps, row: DeviceAuthorizationRow, now: Date): Promise<OAuthResult<TokenResponse>> {
  const last = row.last_polled_at ? Date.parse(row.last_polled_at) : null;
  if (last !== null && now.getTime() - last < row.interval_s * 1000) {
    await recordDevicePoll(deps.store.db, row.id, now.toISOString(), row.interval_s + SLOW_DOWN_STEP_SECONDS);
    return oauthError('slow_down', `Poll at most every ${row.interval_s + SLOW_DOWN_STEP_SECONDS} seconds`);
  }
  await recordDevicePoll(deps.store.db, row.id, now.toISOString(), row.interval_s);
  return oauthError('authorization_pending', 'Waiting for the person to approve');
}

async function refreshRequest(deps: AppDeps, form: Record<string, string | undefined>): Promise<OAuthResult<TokenResponse>> {
  const token = form.refresh_token;
  const clientId = form.client_id;
  if (!token || !clientId) return oauthError('invalid_request', 'refresh_token and client_id are required');
  const found = token.length <= 100 ? await grantOfToken(deps.store.db, sha256(token), 'refresh') : undefined;
  const now = deps.clock.now();
  if (!found || found.grant.product_code !== clientId || found.grant.revoked_at || isAtOrBefore(found.expiresAt, now)) {
    return oauthError('invalid_grant', 'The refresh token is unknown, revoked or expired');
  }
  return ok(await issueTokens(deps, found.grant, false, now));
}

/** `POST /oauth/revoke` (RFC 7009): revokes the grant a token belongs to; unknown tokens are no error. */
export async function revokeToken(deps: AppDeps, form: Record<string, string | undefined>): Promise<OAuthResult<Record<string, never>>> {
  const token = form.token;
  if (!token) return oauthError('invalid_request', 'token is required');
  if (token.length > 100) return ok({});
  const hash = sha256(token);
  const found = (await grantOfToken(deps.store.db, hash, 'refresh')) ?? (await grantOfToken(deps.store.db, hash, 'access'));
  if (found && (!form.client_id || found.grant.product_code === form.client_id)) await revokeGrant(deps.store.db, found.grant.id, deps.clock.now().toISOString());
  return ok({});
}

/** The request behind a code a person typed, when it can still be decided on. */
async function pendingRequest(deps: AppDeps, userCode: string): Promise<Result<DeviceAuthorizationRow>> {
  const code = normalizeUserCode(userCode);
  const row = code ? await deviceAuthorizationBy(deps.store.db, { userCodeHash: sha256(code) }) : undefined;
  if (!row) return fail('device-code-not-found', 'No product is waiting for this code');
  if (isAtOrBefore(row.expires_at, deps.clock.now())) return fail('device-code-expired', 'This code has expired');
  return ok(row);
}

async function optionsFor(deps: AppDeps, account: Account, productCode: string): Promise<{ product: { id: string; code: string; name: string } | undefined; options: DeviceLicenseOption[] }> {
  const db = deps.store.db;
  const product = await productByCode(db, productCode);
  if (!product) return { product: undefined, options: [] };
  const held = await heldLicenses(db, account.id, product.id, deps.clock.now());
  const options: DeviceLicenseOption[] = [];
  for (const l of held) {
    options.push({
      id: l.id,
      organization: { id: l.orgId, name: await nameIn(db, 'organizations', l.orgId) },
      team: { name: await nameIn(db, 'teams', l.teamId) },
      validUntil: l.validUntil,
      machines: (await activeMachinesOf(db, l.id, account.id)).length,
      machinesPerLicense: machinesPerLicense(product),
    });
  }
  return { product, options };
}

/** `GET /api/device/:userCode`: what the /activate page shows (DESIGN §14 point 2). */
export async function deviceRequestInfo(deps: AppDeps, account: Account, userCode: string): Promise<Result<DeviceRequestInfo>> {
  const found = await pendingRequest(deps, userCode);
  if (!found.ok) return found;
  const row = found.value;
  const { product, options } = await optionsFor(deps, account, row.product_code);
  const code = normalizeUserCode(userCode)!;
  return ok({
    userCode: formatUserCode(code),
    product: { code: row.product_code, name: product?.name ?? row.product_code },
    machineName: row.machine_name,
    expiresAt: row.expires_at,
    status: row.status === 'pending' ? 'pending' : row.status === 'denied' ? 'denied' : 'approved',
    licenses: options,
  });
}

/**
 * `POST /api/device/approve {userCode, licenseId?}`: the signed-in person lets the product use
 * one of their licenses of it — the one they chose, or their only one.
 */
export async function approveDevice(deps: AppDeps, account: Account, input: { userCode: string; licenseId?: string }): Promise<Result<{ status: 'approved'; licenseId: string }>> {
  const found = await pendingRequest(deps, input.userCode);
  if (!found.ok) return found;
  const row = found.value;
  if (row.status !== 'pending') return fail('device-code-decided', 'This request was already approved or denied');
  const { options } = await optionsFor(deps, account, row.product_code);
  if (!options.length) return fail('no-license', `You hold no license of ${row.product_code}`);
  let chosen = options[0];
  if (input.licenseId !== undefined) {
    const match = options.find((o) => o.id === input.licenseId);
    if (!match) return fail('license-not-held', 'That license is not one of yours for this product');
    chosen = match;
  } else if (options.length > 1) {
    return fail('license-choice-required', 'Choose which of your licenses this machine will use', { licenses: options.map((o) => o.id) });
  }
  const now = deps.clock.now().toISOString();
  const decided = await plainTx(deps.store, async (tx) => {
    if (!(await decideDeviceAuthorization(tx, row.id, { status: 'approved', accountId: account.id, licenseId: chosen.id }))) return false;
    await appendActivationEvent(tx, {
      orgId: chosen.organization.id,
      accountId: account.id,
      action: 'activation.approved',
      detail: { product: row.product_code, machine: row.machine_name, licenseId: chosen.id, email: account.email },
      at: now,
    });
    return true;
  });
  if (!decided) return fail('device-code-decided', 'This request was already approved or denied');
  return ok({ status: 'approved', licenseId: chosen.id });
}

/** `POST /api/device/deny {userCode}`: the product's next poll answers access_denied. */
export async function denyDevice(deps: AppDeps, account: Account, input: { userCode: string }): Promise<Result<{ status: 'denied' }>> {
  const found = await pendingRequest(deps, input.userCode);
  if (!found.ok) return found;
  const row = found.value;
  if (row.status !== 'pending') return fail('device-code-decided', 'This request was already approved or denied');
  const { options } = await optionsFor(deps, account, row.product_code);
  const now = deps.clock.now().toISOString();
  const decided = await plainTx(deps.store, async (tx) => {
    if (!(await decideDeviceAuthorization(tx, row.id, { status: 'denied', accountId: account.id, licenseId: null }))) return false;
    // Each organization whose license the product asked for hears that it was refused.
    for (const orgId of new Set(options.map((o) => o.organization.id))) {
      await appendActivationEvent(tx, {
        orgId,
        accountId: account.id,
        action: 'activation.denied',
        detail: { product: row.product_code, machine: row.machine_name, email: account.email },
        at: now,
      });
    }
    return true;
  });
  if (!decided) return fail('device-code-decided', 'This request was already approved or denied');
  return ok({ status: 'denied' });
}
