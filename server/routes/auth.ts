import { Hono } from 'hono';
import { getCookie } from 'hono/cookie';
import * as v from 'valibot';
import type { AppEnv } from '../app-env';
import { requestSignIn, verifySignIn } from '../auth/signin';
import { clearSessionCookie, createSession, deleteSession, SESSION_COOKIE, setSessionCookie } from '../auth/session';
import { apiError, validate } from '../http';
import { signinRateLimit } from '../security/limits';

const emailField = v.pipe(v.string(), v.trim(), v.toLowerCase(), v.maxLength(254), v.email('Enter a valid email address'));

export const signInRequestSchema = v.object({
  email: emailField,
  returnTo: v.optional(v.pipe(v.string(), v.maxLength(500))),
});

export const verifySchema = v.union([
  v.object({ token: v.pipe(v.string(), v.minLength(10), v.maxLength(200)) }),
  v.object({ email: emailField, code: v.pipe(v.string(), v.trim(), v.regex(/^\d{6}$/, 'The code has 6 digits')) }),
]);

export const authRoutes = new Hono<AppEnv>()
  .post('/email', signinRateLimit, validate('json', signInRequestSchema), async (c) => {
    const { email, returnTo } = c.req.valid('json');
    const r = await requestSignIn(c.get('deps'), email, returnTo);
    if (!r.ok) return apiError(c, r.code, r.message);
    return c.json({ ok: true });
  })
  .post('/verify', signinRateLimit, validate('json', verifySchema), async (c) => {
    const deps = c.get('deps');
    const r = await verifySignIn(deps, c.req.valid('json'));
    if (!r.ok) return apiError(c, r.code, r.message);
    const { account, returnTo } = r.value;
    const secret = await createSession(deps.store.db, account.id, deps.clock.now());
    setSessionCookie(c, secret);
    return c.json({ account: { id: account.id, email: account.email, name: account.name }, returnTo: returnTo ?? '/' });
  })
  .post('/logout', async (c) => {
    const secret = getCookie(c, SESSION_COOKIE);
    if (secret) await deleteSession(c.get('deps').store.db, secret);
    clearSessionCookie(c);
    return c.json({ ok: true });
  });
