import { Hono, type Context } from 'hono';
import type { AppEnv } from '../app-env';
import { revokeToken, startDeviceAuthorization, tokenRequest } from '../activation/device';
import { oauthStatus, type OAuthError } from '../activation/oauth-errors';
import { publicRateLimit } from '../security/limits';

/** RFC 6749 §3.2 / RFC 8628 §3.1: requests are form-encoded; parameters sent twice are an error. */
async function formOf(c: Context<AppEnv>): Promise<Record<string, string | undefined> | OAuthError> {
  const type = c.req.header('content-type') ?? '';
  if (!/^application\/x-www-form-urlencoded\b/i.test(type)) {
    return { error: 'invalid_request', error_description: 'Send the parameters form-encoded (application/x-www-form-urlencoded)' };
  }
  const params = new URLSearchParams(await c.req.text());
  const out: Record<string, string> = {};
  for (const [k, v] of params) {
    if (k in out) return { error: 'invalid_request', error_description: `${k.slice(0, 40)} is given more than once` };
    out[k] = v;
  }
  return out;
}

/** RFC 6749 §5.1: token answers are never cached. */
function send(c: Context<AppEnv>, r: { ok: true; value: object } | { ok: false; error: OAuthError }) {
  c.header('Cache-Control', 'no-store');
  c.header('Pragma', 'no-cache');
  return r.ok ? c.json(r.value) : c.json(r.error, oauthStatus(r.error));
}

const isError = (f: Record<string, string | undefined> | OAuthError): f is OAuthError => typeof f.error === 'string' && 'error_description' in f;

/**
 * The OAuth endpoints a product calls (DESIGN §14, RFC 8628, RFC 7009). Starting a device
 * authorization writes a row: PUBLIC_RATE per client address and minute, like every route
 * anyone may call. Polling is bounded by `interval` itself (slow_down).
 */
export const oauthRoutes = new Hono<AppEnv>()
  .post('/device_authorization', publicRateLimit, async (c) => {
    const form = await formOf(c);
    return send(c, isError(form) ? { ok: false, error: form } : await startDeviceAuthorization(c.get('deps'), form));
  })
  .post('/token', async (c) => {
    const form = await formOf(c);
    return send(c, isError(form) ? { ok: false, error: form } : await tokenRequest(c.get('deps'), form));
  })
  .post('/revoke', async (c) => {
    const form = await formOf(c);
    return send(c, isError(form) ? { ok: false, error: form } : await revokeToken(c.get('deps'), form));
  });
