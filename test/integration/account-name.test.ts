/**
 * The name an account goes by (issue 16 §11): a new account has none (never half its address),
 * the person gives one at first sign-in (`PATCH /api/me`), and it is what a claim records.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server';
import { skipWithoutPg } from '../helpers/pg';
import { startSmtpCapture, type SmtpCapture } from '../helpers/smtp';
import { sessionCookie, signInSecrets } from '../helpers/auth-kit';
import { smtpMailer } from '../../server/mail/mailer';
import { startOutboxWorker, type OutboxWorker } from '../../server/mail/worker';
import { claim, claimFixture } from './claims-fixtures';
import { findDoc } from '../../server/store/docs';

for (const dialect of ['sqlite', 'postgres'] as const) {
  describe.skipIf(skipWithoutPg(dialect, 'account names'))(`an account's name on ${dialect}`, () => {
    let s: TestServer;
    let smtp: SmtpCapture;
    let worker: OutboxWorker;
    beforeAll(async () => {
      smtp = await startSmtpCapture();
      s = await startTestServer({ dialect, mailer: smtpMailer(smtp.url) });
      worker = startOutboxWorker(s.deps, { intervalMs: 50 });
    }, 60_000);
    afterAll(async () => {
      await worker?.stop();
      await s?.close();
      await smtp?.close();
    });

    async function signUp(email: string): Promise<string> {
      const before = smtp.messages.length;
      expect((await s.request('/api/auth/email', { body: { email } })).status).toBe(200);
      const msgs = await smtp.waitFor((m) => m.slice(before).some((x) => x.to.includes(email)));
      const { code } = signInSecrets(msgs.slice(before).find((x) => x.to.includes(email))!);
      const verified = await s.request('/api/auth/verify', { body: { email, code } });
      return sessionCookie(verified.headers);
    }

    it('starts empty, is set by the person, and is what their claim records', async () => {
      const cookie = await signUp('pia@partners.test');
      expect((await s.request('/api/me', { cookie })).json.account).toMatchObject({ email: 'pia@partners.test', name: '' });
      const named = await s.request('/api/me', { method: 'PATCH', cookie, body: { name: '  Pia Nováková ' } });
      expect(named.status).toBe(200);
      expect(named.json.account).toMatchObject({ email: 'pia@partners.test', name: 'Pia Nováková' });
      expect((await s.request('/api/me', { cookie })).json.account.name).toBe('Pia Nováková');
      const f = await claimFixture(s, { seats: 1 });
      const got = await claim(s, f.invitation.token, cookie);
      expect(got.status).toBe(200);
      expect(got.json.assignee).toMatchObject({ name: 'Pia Nováková', email: 'pia@partners.test' });
      expect(await findDoc(s.store.db, 'licenses', got.json.id)).toMatchObject({ assignee: { name: 'Pia Nováková' } });
    });

    it.each([
      ['empty', ''],
      ['only spaces', '   '],
      ['over 200 characters', 'x'.repeat(201)],
      ['a NUL', 'Pia\u0000'],
      ['not a string', 42],
    ])('refuses a name that is %s, and keeps the one it had', async (_what, name) => {
      const cookie = await s.signIn('ivy@partners.test', 'Ivy');
      const r = await s.request('/api/me', { method: 'PATCH', cookie, body: { name } });
      expect(r.status).toBe(400);
      expect(r.json.error).toBe('invalid-body');
      expect((await s.request('/api/me', { cookie })).json.account.name).toBe('Ivy');
    });

    it('is for the signed-in person only', async () => {
      const r = await s.request('/api/me', { method: 'PATCH', body: { name: 'Mallory' } });
      expect(r.status).toBe(401);
    });

    it('GET /api/auth/session says whether a session is live, 200 either way (the app asks it first: no 401 on a signed-out first load)', async () => {
      const out = await s.request('/api/auth/session');
      expect(out.status).toBe(200);
      expect(out.json).toEqual({ signedIn: false });
      const cookie = await s.signIn('sam@partners.test', 'Sam');
      expect((await s.request('/api/auth/session', { cookie })).json).toEqual({ signedIn: true });
      expect((await s.request('/api/me')).status).toBe(401);
    });
  });
}
