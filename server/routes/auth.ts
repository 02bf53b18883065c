import { Hono } from 'hono';
import { getCookie } from 'hono/cookie';
import { linkRequestSchema, signInRequestSchema, verifyRequestSchema, type LinkResponse, type VerifyResponse } from '../../shared/api';
import type { AppEnv } from '../app-env';
import { peekSignInLink, requestSignIn, verifySignIn } from '../auth/signin';
import { clearSessionCookie, createSession, deleteSession, SESSION_COOKIE, setSessionCookie } from '../auth/session';
import { apiError, validate } from '../http';
import { signinRateLimit } from '../security/limits';
import { auditClientOf } from '../audit/client';
import { auditSignIn } from '../audit/sign-in';

/** Passwordless sign-in (DESIGN §8). */
export const authRoutes = new Hono<AppEnv>()
  .post('/email', signinRateLimit, validate('json', signInRequestSchema), async (c) => {
    const { email, returnTo } = c.req.valid('json');
    const r = await requestSignIn(c.get('deps'), email, returnTo);
    if (!r.ok) return apiError(c, r.code, r.message);
    return c.json({ ok: true });
  })
  // Whom a link would sign in, without using it: the page asks "Sign in as <address>?" first.
  .post('/link', signinRateLimit, validate('json', linkRequestSchema), async (c) => {
    const r = await peekSignInLink(c.get('deps'), c.req.valid('json').token);
    if (!r.ok) return apiError(c, r.code, r.message);
    return c.json(r.value satisfies LinkResponse);
  })
  .post('/verify', signinRateLimit, validate('json', verifyRequestSchema), async (c) => {
    const deps = c.get('deps');
    const r = await verifySignIn(deps, c.req.valid('json'));
    if (!r.ok) {
      const retryAfter = (r.details as { retryAfter?: number } | undefined)?.retryAfter;
      if (retryAfter) c.header('Retry-After', String(retryAfter));
      return apiError(c, r.code, r.message, r.details);
    }
    const { account, returnTo } = r.value;
    await auditSignIn(deps, account, auditClientOf(c));
    const secret = await createSession(deps.store.db, account.id, deps.clock.now());
    setSessionCookie(c, secret);
    return c.json({ account: { id: account.id, email: account.email, name: account.name }, returnTo: returnTo ?? '/' } satisfies VerifyResponse);
  })
  /**
   * Whether this request carries a live session: 200 `{signedIn}` either way, so an app
   * opening signed out asks without a 401 in the browser's console (issue 16 §17); `/api/me`
   * still answers 401 to a signed-out caller (DESIGN §8).
   */
  .get('/session', (c) => c.json({ signedIn: !!c.get('account') }))
  .post('/logout', async (c) => {
    const secret = getCookie(c, SESSION_COOKIE);
    // Its live streams in this process end now; in other processes at their next session check.
    if (secret) c.get('deps').sessions.ended(await deleteSession(c.get('deps').store.db, secret));
    clearSessionCookie(c);
    return c.json({ ok: true });
  });
