import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server';
import { skipWithoutPg } from '../helpers/pg';
import { startSmtpCapture, type SmtpCapture } from '../helpers/smtp';
import { manualClock } from '../../server/clock';
import { smtpMailer } from '../../server/mail/mailer';
import { startOutboxWorker, type OutboxWorker } from '../../server/mail/worker';
import { sha256 } from '../../server/auth/hash';
import { newId } from '../../shared/ids';
import { claim, claimFixture, liveDocs, outboxRows } from './claims-fixtures';
import { pullPath } from '../helpers/sync-api';
import { orgPath } from '../../shared/links';


for (const dialect of ['sqlite', 'postgres'] as const) {
  describe.skipIf(skipWithoutPg(dialect, 'the outbox delivery suite'))(`claim emails through the outbox on ${dialect}`, () => {
    let s: TestServer;
    let smtp: SmtpCapture;
    let worker: OutboxWorker;
    const clock = manualClock(new Date('2026-05-01T09:00:00Z'));
    beforeAll(async () => {
      smtp = await startSmtpCapture();
      s = await startTestServer({ dialect, clock, mailer: smtpMailer(smtp.url) });
      // Only the test's drains and commits drive this worker, so each step is deterministic.
      worker = startOutboxWorker(s.deps, { intervalMs: 3_600_000, baseDelayMs: 1000 });
    });
    afterAll(async () => {
      await worker?.stop();
      await s?.close();
      await smtp?.close();
    });

    const notificationOf = async (orgId: string, id: string | null) =>
      (await liveDocs(s, 'notifications', orgId)).find((n) => n.id === id);

    it('keeps a claim email while the SMTP server is down and sends it, once, when it is back', async () => {
      await smtp.setDown(true);
      const admin = `creator-${newId().slice(0, 6)}@acme.test`;
      const f = await claimFixture(s, { seats: 2, adminEmail: admin });
      const claimer = `ivy-${newId().slice(0, 6)}@people.test`;
      expect((await claim(s, f.invitation.token, await s.signIn(claimer, 'Ivy <Admin>'))).status).toBe(200);

      await worker.drain();
      let [row] = (await outboxRows(s, 'license-claimed')).filter((r) => r.recipient === admin);
      expect(row).toMatchObject({ status: 'queued', attempts: 1 });
      expect(row.last_error).toBeTruthy();
      let log = await notificationOf(f.org.orgId, row.notification_id);
      expect(log).toMatchObject({ topic: 'license-claimed', status: 'queued', attempts: 1, recipients: [admin] });
      expect(log!.lastError).toBeTruthy();
      expect(smtp.messages).toHaveLength(0);

      await smtp.setDown(false);
      await worker.drain();
      expect(smtp.messages).toHaveLength(0); // still waiting out its backoff
      clock.advance(60_000);
      await worker.drain();
      [row] = (await outboxRows(s, 'license-claimed')).filter((r) => r.recipient === admin);
      expect(row).toMatchObject({ status: 'sent', attempts: 2 });
      log = await notificationOf(f.org.orgId, row.notification_id);
      expect(log).toMatchObject({ status: 'sent', attempts: 2 });
      expect(log!.sentAt).toBeTruthy();

      const mails = smtp.messages.filter((m) => m.to.includes(admin));
      expect(mails).toHaveLength(1);
      const [mail] = mails;
      expect(mail.messageId).toBe(`<${sha256(row.dedupe_key)}@allot>`);
      expect(mail.subject).toBe('Ivy <Admin> claimed Rocket IDE');
      expect(mail.text).toContain(`Ivy <Admin> (${claimer}) claimed a license of Rocket IDE in the team Launch`);
      expect(mail.text).toContain(`${s.url}${orgPath(f.org.orgId, `/invitations/${f.invitation.id}`)}`);
      expect(mail.html).toContain('Ivy &lt;Admin&gt;');
      expect(mail.html).not.toContain('Ivy <Admin>');
      expect(mail.html).toContain(`href="${s.url}${orgPath(f.org.orgId, `/invitations/${f.invitation.id}`)}"`);
      const page = await fetch(`${s.url}/api/invitations/${f.invitation.token}`);
      expect(page.status).toBe(200);

      clock.advance(3_600_000);
      await worker.drain();
      expect(smtp.messages.filter((m) => m.to.includes(admin))).toHaveLength(1);
    });

    it('marks a claim email to a refused address as failed and shows it in the notification log', async () => {
      const admin = `bounce-${newId().slice(0, 6)}@acme.test`;
      smtp.refuse(admin);
      const f = await claimFixture(s, { seats: 1, adminEmail: admin });
      expect((await claim(s, f.invitation.token, await s.signIn(`jo-${newId().slice(0, 6)}@people.test`))).status).toBe(200);
      await worker.drain();
      const [row] = (await outboxRows(s, 'license-claimed')).filter((r) => r.recipient === admin);
      expect(row).toMatchObject({ status: 'failed', attempts: 1 });
      expect(row.last_error).toMatch(/550/);
      const pulled = await s.request(pullPath(f.org.orgId, 'notifications'), { cookie: f.org.cookie, body: { checkpoint: null, batchSize: 100 } });
      expect(pulled.status).toBe(200);
      const log = pulled.json.documents.find((d: { id: string }) => d.id === row.notification_id);
      expect(log).toMatchObject({ topic: 'license-claimed', status: 'failed', recipients: [admin] });
      expect(log.lastError).toMatch(/550/);
      clock.advance(86_400_000);
      await worker.drain();
      expect(smtp.messages.filter((m) => m.to.includes(admin))).toHaveLength(0);
    });
  });
}
