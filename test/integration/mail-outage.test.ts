import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server';
import { skipWithoutPg } from '../helpers/pg';
import { startSmtpCapture, type SmtpCapture } from '../helpers/smtp';
import { manualClock } from '../../server/clock';
import { smtpMailer } from '../../server/mail/mailer';
import { startOutboxWorker, type OutboxWorker } from '../../server/mail/worker';
import { newId } from '../../shared/ids';
import { claim, claimFixture, outboxRows } from './claims-fixtures';
import { pullPath, retryPath } from '../helpers/sync-api';


const MIN = 60_000;
const HOUR = 60 * MIN;

/**
 * The SMTP server is down for hours (a provider's maintenance, a password fixed later), or
 * refuses an address for good. Simulated time (server/clock.ts) stands in for the hours; the
 * SMTP server, the outbox and the HTTP API are real.
 */
for (const dialect of ['sqlite', 'postgres'] as const) {
  describe.skipIf(skipWithoutPg(dialect, 'the mail-outage suite'))(`email through a long SMTP outage on ${dialect}`, () => {
    let s: TestServer;
    let smtp: SmtpCapture;
    let worker: OutboxWorker;
    const clock = manualClock(new Date('2026-05-01T09:00:00Z'));
    beforeAll(async () => {
      smtp = await startSmtpCapture();
      s = await startTestServer({ dialect, clock, mailer: smtpMailer(smtp.url) });
      // Only the test's drains (and commits' wake-ups) drive this worker: each step is deterministic.
      worker = startOutboxWorker(s.deps, { intervalMs: 3_600_000 });
    });
    afterAll(async () => {
      await worker?.stop();
      await s?.close();
      await smtp?.close();
    });

    /** Lets `ms` of simulated time pass, the worker looking for due mail every minute. */
    async function pass(ms: number) {
      for (let t = 0; t < ms; t += MIN) {
        clock.advance(Math.min(MIN, ms - t));
        await worker.drain();
      }
    }
    type Who = { cookie: string; orgId: string };
    const logOf = async (who: Who, notificationId: string | null) => {
      const pulled = await s.request(pullPath(who.orgId, 'notifications'), { cookie: who.cookie, body: { checkpoint: null, batchSize: 1000 } });
      expect(pulled.status).toBe(200);
      return pulled.json.documents.find((d: { id: string }) => d.id === notificationId);
    };
    /**
     * An organization whose admin (`<who>-…@acme.test`) is emailed about a claim made now, the
     * worker's first attempt done; `before` runs first (to make the SMTP server refuse the admin).
     */
    async function claimEmailed(who: string, before?: (admin: string) => void) {
      const admin = `${who}-${newId().slice(0, 6)}@acme.test`;
      before?.(admin);
      const f = await claimFixture(s, { seats: 2, adminEmail: admin });
      const claimant = await s.signIn(`claimant-${newId().slice(0, 6)}@people.test`);
      expect((await claim(s, f.invitation.token, claimant)).status).toBe(200);
      await worker.drain();
      const row = async () => (await outboxRows(s, 'license-claimed')).find((r) => r.recipient === admin)!;
      return { admin, f, claimant, row };
    }
    const retry = (id: string, who: Who) => s.request(retryPath(who.orgId, id), { method: 'POST', cookie: who.cookie, body: {} });

    it('delivers all 3 sign-in emails asked for during a 5-hour outage once SMTP is back', async () => {
      await smtp.setDown(true);
      const people = ['ann', 'ben', 'cem'].map((n) => `${n}-${newId().slice(0, 6)}@people.test`);
      for (const email of people) expect((await s.request('/api/auth/email', { body: { email } })).status).toBe(200);
      await worker.drain();

      await pass(5 * HOUR);
      const waiting = (await outboxRows(s, 'sign-in')).filter((r) => people.includes(r.recipient));
      expect(waiting.map((r) => r.status)).toEqual(['queued', 'queued', 'queued']);
      for (const r of waiting) {
        expect(r.attempts).toBeGreaterThan(30);
        expect(r.last_error).toMatch(/ECONNREFUSED/);
        // Never more than 10 minutes away.
        expect(new Date(r.next_attempt_at).getTime() - clock.now().getTime()).toBeLessThanOrEqual(10 * MIN);
      }
      expect(smtp.messages).toHaveLength(0);

      await smtp.setDown(false);
      await pass(10 * MIN);
      const sent = (await outboxRows(s, 'sign-in')).filter((r) => people.includes(r.recipient));
      expect(sent.map((r) => r.status)).toEqual(['sent', 'sent', 'sent']);
      for (const email of people) expect(smtp.messages.filter((m) => m.to.includes(email))).toHaveLength(1);
    });

    it('shows a waiting email in the notification log with its reason and next attempt, and sends it once SMTP is back', async () => {
      await smtp.setDown(true);
      const { admin, f, row: rowOf } = await claimEmailed('creator');
      await pass(30 * MIN);
      const row = await rowOf();
      expect(row.status).toBe('queued');
      const log = await logOf(f.org, row.notification_id);
      expect(log).toMatchObject({ status: 'queued', attempts: row.attempts, lastError: expect.stringMatching(/ECONNREFUSED/), nextAttemptAt: row.next_attempt_at });
      expect(row.attempts).toBeGreaterThan(8);

      await smtp.setDown(false);
      await pass(10 * MIN);
      expect(await logOf(f.org, row.notification_id)).toMatchObject({ status: 'sent' });
      expect((await logOf(f.org, row.notification_id)).nextAttemptAt).toBeUndefined();
      expect(smtp.messages.filter((m) => m.to.includes(admin))).toHaveLength(1);
    });

    it('gives up after MAIL_RETRY_HOURS (72 by default) and keeps why', async () => {
      await smtp.setDown(true);
      const { admin, f, row: rowOf } = await claimEmailed('patient');
      const started = clock.now().getTime();
      // Ten minutes at a time: the longest wait between attempts.
      while (clock.now().getTime() < started + 71 * HOUR) {
        clock.advance(10 * MIN);
        await worker.drain();
      }
      expect((await rowOf()).status).toBe('queued');
      await pass(2 * HOUR);
      const row = await rowOf();
      expect(row.status).toBe('failed');
      expect(await logOf(f.org, row.notification_id)).toMatchObject({ status: 'failed', lastError: expect.stringMatching(/ECONNREFUSED/) });
      await smtp.setDown(false);
      await pass(HOUR);
      expect(smtp.messages.filter((m) => m.to.includes(admin))).toHaveLength(0);

      // The admin retries it (SMTP works again): sent.
      expect((await retry(row.notification_id!, f.org)).status).toBe(200);
      await worker.drain();
      expect(smtp.messages.filter((m) => m.to.includes(admin))).toHaveLength(1);
    });

    it('fails a 550 at once; an org admin retries it and it is sent', async () => {
      const { admin, f, claimant, row: rowOf } = await claimEmailed('bounce', (a) => smtp.refuse(a));
      const row = await rowOf();
      expect(row).toMatchObject({ status: 'failed', attempts: 1 });
      const id = row.notification_id!;
      expect(await logOf(f.org, id)).toMatchObject({ status: 'failed', attempts: 1, lastError: expect.stringMatching(/550/) });

      // Only an org admin of this organization may retry it.
      expect((await retry(id, { cookie: claimant, orgId: f.org.orgId })).json.error).toBe('forbidden');
      const other = await s.createOrg('Other', `other-${newId().slice(0, 6)}@other.test`);
      expect((await retry(id, other)).status).toBe(404);
      expect((await retry(newId(), f.org)).status).toBe(404);
      expect(smtp.messages.filter((m) => m.to.includes(admin))).toHaveLength(0);

      smtp.accept(admin);
      const retried = await retry(id, f.org);
      expect(retried.status).toBe(200);
      expect(retried.json).toMatchObject({ id, status: 'queued', attempts: 1 });
      expect(await logOf(f.org, id)).toMatchObject({ status: 'queued' });
      await worker.drain();
      expect(smtp.messages.filter((m) => m.to.includes(admin))).toHaveLength(1);
      expect(await logOf(f.org, id)).toMatchObject({ status: 'sent', attempts: 2 });

      const again = await retry(id, f.org);
      expect(again.status).toBe(409);
      expect(again.json.error).toBe('already-sent');
    });

    it('sends a waiting email at once when an admin retries it', async () => {
      await smtp.setDown(true);
      const { admin, f, row: rowOf } = await claimEmailed('eager');
      await pass(20 * MIN);
      const row = await rowOf();
      expect(new Date(row.next_attempt_at).getTime()).toBeGreaterThan(clock.now().getTime());
      await smtp.setDown(false);
      expect((await retry(row.notification_id!, f.org)).status).toBe(200);
      await worker.drain();
      expect(smtp.messages.filter((m) => m.to.includes(admin))).toHaveLength(1);
    });
  });
}
