/**
 * What a product does to activate (DESIGN §14), over HTTP only: the device authorization
 * request, the token polling of RFC 8628 §3.4–3.5, the activation call and the JWKS. The CLI's
 * `activate` command, the tests and the bench act as a product through it.
 */
import type { JSONWebKeySet } from 'jose';
import type { ActivationResponse } from '../../shared/activation-api';
import { DEVICE_GRANT_TYPE, type DeviceAuthorizationResponse, type TokenResponse } from './device';
import type { OAuthError } from './oauth-errors';

const form = (params: Record<string, string>) => ({
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams(params).toString(),
});

async function jsonOf(res: Response): Promise<unknown> {
  const text = await res.text();
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new Error(`${res.status} ${res.statusText}: not JSON: ${text.slice(0, 200)}`);
  }
}

/** RFC 8628 §3.1: asks for a device code and a user code for `product` on a machine called `machineName`. */
export async function requestDeviceCode(server: string, product: string, machineName: string): Promise<DeviceAuthorizationResponse> {
  const res = await fetch(`${server}/oauth/device_authorization`, form({ client_id: product, machine_name: machineName }));
  const body = (await jsonOf(res)) as DeviceAuthorizationResponse & Partial<OAuthError>;
  if (!res.ok) throw new Error(`device authorization refused: ${body.error ?? res.status}: ${body.error_description ?? ''}`);
  return body;
}

export type TokenAnswer = { ok: true; token: TokenResponse } | { ok: false; status: number; error: OAuthError };

/** One poll of the token endpoint (RFC 8628 §3.4). */
export async function pollToken(server: string, product: string, deviceCode: string): Promise<TokenAnswer> {
  const res = await fetch(`${server}/oauth/token`, form({ grant_type: DEVICE_GRANT_TYPE, device_code: deviceCode, client_id: product }));
  const body = await jsonOf(res);
  return res.ok ? { ok: true, token: body as TokenResponse } : { ok: false, status: res.status, error: body as OAuthError };
}

/** RFC 6749 §6: a new access token from the refresh token. */
export async function refreshToken(server: string, product: string, refresh: string): Promise<TokenAnswer> {
  const res = await fetch(`${server}/oauth/token`, form({ grant_type: 'refresh_token', refresh_token: refresh, client_id: product }));
  const body = await jsonOf(res);
  return res.ok ? { ok: true, token: body as TokenResponse } : { ok: false, status: res.status, error: body as OAuthError };
}

/**
 * Polls until the person approves or denies, keeping the interval and growing it on slow_down
 * (RFC 8628 §3.5). Ends with the tokens, or throws with the OAuth error (access_denied,
 * expired_token, …). `sleep` is injectable so tests need not wait.
 */
export async function waitForToken(
  server: string,
  product: string,
  device: Pick<DeviceAuthorizationResponse, 'device_code' | 'interval'>,
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
): Promise<TokenResponse> {
  let interval = device.interval;
  for (;;) {
    await sleep(interval * 1000);
    const r = await pollToken(server, product, device.device_code);
    if (r.ok) return r.token;
    if (r.error.error === 'authorization_pending') continue;
    if (r.error.error === 'slow_down') {
      interval += 5;
      continue;
    }
    throw new Error(`${r.error.error}: ${r.error.error_description}`);
  }
}

export type ActivationAnswer = { ok: true; value: ActivationResponse } | { ok: false; status: number; error: string; message: string };

/** `POST /api/activations`: activates (or renews) on this machine and gets a ticket. */
export async function requestTicket(server: string, accessToken: string, machine: { fingerprint: string; name: string }): Promise<ActivationAnswer> {
  const res = await fetch(`${server}/api/activations`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${accessToken}` },
    body: JSON.stringify({ machine }),
  });
  const body = (await jsonOf(res)) as ActivationResponse & { error?: string; message?: string };
  return res.ok ? { ok: true, value: body } : { ok: false, status: res.status, error: body.error ?? String(res.status), message: body.message ?? '' };
}

/** The server's published ticket keys. */
export async function fetchJwks(server: string): Promise<JSONWebKeySet> {
  const res = await fetch(`${server}/.well-known/jwks.json`);
  if (!res.ok) throw new Error(`JWKS: ${res.status}`);
  return (await jsonOf(res)) as JSONWebKeySet;
}
