/**
 * DESIGN §8, §10: Origin checks on state-changing requests, security headers, rate limits on
 * sign-in (per client address and per email) and on claims, over a real port.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server';
import { parseConfig } from '../../server/config';
import { claim, claimFixture } from './claims-fixtures';

describe('origin check', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(async () => s?.close());

  it('refuses a cross-origin POST with 403 and a code, whatever its content type', async () => {
    const json = await s.request('/api/auth/email', { body: { email: 'x@acme.test' }, headers: { origin: 'https://evil.test' } });
    expect(json.status).toBe(403);
    expect(json.json.error).toBe('origin-not-allowed');
    // The usual cause is the app opened at another address than PUBLIC_URL: the answer names both.
    expect(json.json.details).toEqual({ origin: 'https://evil.test', expected: new URL(s.url).origin });
    expect(json.json.message).toContain(new URL(s.url).origin);
    const form = await fetch(`${s.url}/api/auth/logout`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.test' },
      body: 'a=1',
    });
    expect(form.status).toBe(403);
    expect((await form.json()).error).toBe('origin-not-allowed');
    // A form post with no Origin at all (hono/csrf): refused as well.
    const bare = await fetch(`${s.url}/api/auth/logout`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'x' });
    expect(bare.status).toBe(403);
    // A browser's own mark of a cross-site request.
    const site = await fetch(`${s.url}/api/auth/logout`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'sec-fetch-site': 'cross-site' },
      body: '{}',
    });
    expect(site.status).toBe(403);
    // The sync endpoints too.
    const cookie = await s.signIn('ada@acme.test');
    const push = await s.request('/api/sync/contacts/push', { cookie, body: [], headers: { origin: 'http://127.0.0.1:1' } });
    expect(push.status).toBe(403);
  });

  it('lets same-origin requests, and reads from anywhere, through', async () => {
    expect((await s.request('/api/auth/email', { body: { email: 'y@acme.test' } })).status).toBe(200);
    expect((await s.request('/api/health', { headers: { origin: 'https://evil.test' } })).status).toBe(200);
  });

  it('sends secure headers with a Content-Security-Policy', async () => {
    const res = await s.request('/api/health');
    const csp = res.headers.get('content-security-policy') ?? '';
    for (const d of [
      "default-src 'self'",
      "script-src 'self'",
      "style-src 'self' 'unsafe-inline'",
      "img-src 'self' data:",
      "connect-src 'self'",
      "worker-src 'self'",
      "manifest-src 'self'",
      "frame-ancestors 'none'",
    ]) {
      expect(csp).toContain(d);
    }
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('referrer-policy')).toBe('same-origin');
  });
});

describe('rate limits', () => {
  it('are real by default: 10 sign-ins and 30 claims a minute per address', () => {
    const c = parseConfig({});
    expect(c.SIGNIN_RATE).toBe(10);
    expect(c.CLAIM_RATE).toBe(30);
    expect(() => parseConfig({ SIGNIN_RATE: 'lots' })).toThrow(/SIGNIN_RATE/);
  });

  it('answers 429 with a code beyond SIGNIN_RATE per client address', async () => {
    const s = await startTestServer({ env: { SIGNIN_RATE: '3' } });
    try {
      for (let i = 0; i < 3; i++) expect((await s.request('/api/auth/email', { body: { email: `p${i}@acme.test` } })).status).toBe(200);
      const limited = await s.request('/api/auth/email', { body: { email: 'p9@acme.test' } });
      expect(limited.status).toBe(429);
      expect(limited.json.error).toBe('rate-limited');
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
      // Guessing codes counts against the same budget.
      const guess = await s.request('/api/auth/verify', { body: { email: 'p0@acme.test', code: '123456' } });
      expect(guess.status).toBe(429);
      // Without TRUST_PROXY a forged X-Forwarded-For changes nothing.
      const forged = await s.request('/api/auth/email', { body: { email: 'p8@acme.test' }, headers: { 'x-forwarded-for': '203.0.113.7' } });
      expect(forged.status).toBe(429);
    } finally {
      await s.close();
    }
  });

  it('behind a trusted proxy, limits per forwarded address and still per email', async () => {
    const s = await startTestServer({ env: { SIGNIN_RATE: '2', TRUST_PROXY: '1' } });
    try {
      const from = (addr: string, email: string) =>
        s.request('/api/auth/email', { body: { email }, headers: { 'x-forwarded-for': `198.51.100.1, ${addr}` } });
      expect((await from('203.0.113.1', 'a@acme.test')).status).toBe(200);
      expect((await from('203.0.113.1', 'b@acme.test')).status).toBe(200);
      expect((await from('203.0.113.1', 'c@acme.test')).status).toBe(429);
      // Another address has its own budget…
      expect((await from('203.0.113.2', 'c@acme.test')).status).toBe(200);
      // …but one email is limited whatever address asks for it (the refused request above sent nothing).
      expect((await from('203.0.113.3', 'c@acme.test')).status).toBe(200);
      const perEmail = await from('203.0.113.4', 'c@acme.test');
      expect(perEmail.status).toBe(429);
      expect(perEmail.json.error).toBe('rate-limited');
    } finally {
      await s.close();
    }
  });

  it('answers 429 beyond CLAIM_RATE claims per client address', async () => {
    const s = await startTestServer({ env: { CLAIM_RATE: '2' } });
    try {
      const f = await claimFixture(s, { seats: 5 });
      const cookies = await Promise.all([1, 2, 3].map((i) => s.signIn(`claimer${i}@acme.test`)));
      expect((await claim(s, f.invitation.token, cookies[0])).status).toBe(200);
      expect((await claim(s, f.invitation.token, cookies[1])).status).toBe(200);
      const limited = await claim(s, f.invitation.token, cookies[2]);
      expect(limited.status).toBe(429);
      expect(limited.json.error).toBe('rate-limited');
    } finally {
      await s.close();
    }
  });

  it('limits claims per account too, whatever address they come from', async () => {
    const s = await startTestServer({ env: { CLAIM_RATE: '2', TRUST_PROXY: 'true' } });
    try {
      const f = await claimFixture(s, { seats: 5 });
      const cookie = await s.signIn('eager@acme.test');
      const from = (addr: string) =>
        s.request(`/api/invitations/${f.invitation.token}/claim`, { cookie, body: {}, headers: { 'x-forwarded-for': addr } });
      expect((await from('203.0.113.1')).status).toBe(200);
      expect((await from('203.0.113.2')).status).toBe(200); // the same license again: idempotent
      const limited = await from('203.0.113.3');
      expect(limited.status).toBe(429);
      expect(limited.json.error).toBe('rate-limited');
    } finally {
      await s.close();
    }
  });
});
