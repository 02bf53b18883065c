import { Hono } from 'hono';
import type { AppEnv } from '../app-env';
import { activationRequestSchema } from '../../shared/activation-api';
import { answer, apiError, validate } from '../http';
import { activate, grantOfAccessToken } from '../activation/activate';

/** `POST /api/activations` (DESIGN §14 point 4): a product's Bearer access token (RFC 6750). */
export const activationRoutes = new Hono<AppEnv>().post('/', validate('json', activationRequestSchema), async (c) => {
  const m = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/.exec(c.req.header('authorization') ?? '');
  const deps = c.get('deps');
  const grant = m ? await grantOfAccessToken(deps, m[1]) : null;
  if (!grant) {
    // RFC 6750 §3: say which kind of token is wanted and why this one is not.
    c.header('WWW-Authenticate', m ? 'Bearer error="invalid_token"' : 'Bearer');
    return apiError(c, 'invalid-token', m ? 'The access token is unknown, revoked or expired' : 'Send the access token as Authorization: Bearer …');
  }
  return answer(c, await activate(deps, grant, c.req.valid('json')));
});
