import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server';
import { skipWithoutPg } from '../helpers/pg';
import { startSmtpCapture } from '../helpers/smtp';
import { smtpMailer } from '../../server/mail/mailer';
import { startOutboxWorker } from '../../server/mail/worker';
import { claim, claimFixture, liveDocs } from './claims-fixtures';
import { claimLicense } from '../../server/claims/claim';
import { ensureAccountRow } from '../../server/store/accounts';


const CLAIMANTS = 200;
const SEATS = 25;

for (const dialect of ['sqlite', 'postgres'] as const) {
  describe.skipIf(skipWithoutPg(dialect, 'the claim race'))(`claim race on ${dialect}`, () => {
    let s: TestServer;
    let smtp: Awaited<ReturnType<typeof startSmtpCapture>>;
    let worker: ReturnType<typeof startOutboxWorker>;
    beforeAll(async () => {
      smtp = await startSmtpCapture();
      s = await startTestServer({ dialect, mailer: smtpMailer(smtp.url) });
      worker = startOutboxWorker(s.deps, { intervalMs: 50 });
    });
    afterAll(async () => {
      await worker?.stop();
      await s?.close();
      await smtp?.close();
    });

    it(`${CLAIMANTS} people race for ${SEATS} licenses: exactly ${SEATS} win, each license once, one email per claim`, async () => {
      const f = await claimFixture(s, { seats: SEATS, adminEmail: 'creator@acme.test' });
      const cookies: string[] = [];
      for (let i = 0; i < CLAIMANTS; i++) cookies.push(await s.signIn(`racer${i}@people.test`, `Racer ${i}`));

      const answers = await Promise.all(cookies.map((cookie) => claim(s, f.invitation.token, cookie)));

      const won = answers.filter((a) => a.status === 200);
      const lost = answers.filter((a) => a.status !== 200);
      expect(won).toHaveLength(SEATS);
      expect(lost).toHaveLength(CLAIMANTS - SEATS);
      expect(lost.every((a) => a.status === 409 && a.json.error === 'no-assets-left')).toBe(true);
      expect(new Set(won.map((a) => a.json.id)).size).toBe(SEATS);
      expect(new Set(won.map((a) => a.json.assignee.accountId)).size).toBe(SEATS);

      const licenses = await liveDocs(s, 'licenses', f.org.orgId);
      expect(licenses).toHaveLength(SEATS);
      expect(licenses.every((l) => l.status === 'assigned')).toBe(true);
      expect(new Set(licenses.map((l) => l.assignee!.accountId)).size).toBe(SEATS);
      const acceptances = await liveDocs(s, 'acceptances', f.org.orgId);
      expect(acceptances).toHaveLength(SEATS);
      expect(new Set(acceptances.map((a) => a.licenseId))).toEqual(new Set(licenses.map((l) => l.id)));

      await worker.drain();
      const claimMails = smtp.messages.filter((m) => m.to.includes('creator@acme.test'));
      expect(claimMails).toHaveLength(SEATS);
      expect(new Set(claimMails.map((m) => m.messageId)).size).toBe(SEATS);
      const winners = new Set(won.map((a) => a.json.assignee.email));
      for (const m of claimMails) expect([...winners].some((w) => m.text.includes(w))).toBe(true);

      // A winner asking again gets the same license, and no second email.
      const winner = won[0].json;
      const again = await claim(s, f.invitation.token, cookies[Number(winner.assignee.email.match(/racer(\d+)@/)![1])]);
      expect(again.status).toBe(200);
      expect(again.json.id).toBe(winner.id);
      await worker.drain();
      expect(smtp.messages.filter((m) => m.to.includes('creator@acme.test'))).toHaveLength(SEATS);
    });

    it(`${CLAIMANTS} claims arriving at once share a few transactions (group commit): still exactly ${SEATS} win`, async () => {
      const f = await claimFixture(s, { seats: SEATS, adminEmail: 'grouped@acme.test' });
      const accounts = await Promise.all(
        Array.from({ length: CLAIMANTS }, async (_, i) => {
          const email = `grouped${i}@people.test`;
          const at = new Date().toISOString();
          return { id: (await ensureAccountRow(s.store.db, email, at, { verified: true, name: `Grouped ${i}` })).id, email, name: `Grouped ${i}`, emailVerifiedAt: at };
        }),
      );
      // Every committed transaction of the organization is announced once (SQLite directly, PostgreSQL by NOTIFY).
      let commits = 0;
      const off = s.store.onChange((orgId) => {
        if (orgId === f.org.orgId) commits++;
      });
      const results = await Promise.all(accounts.map((account) => claimLicense(s.deps, { token: f.invitation.token, account })));
      await new Promise((r) => setTimeout(r, 300));
      off();
      expect(commits).toBeGreaterThan(0);
      // A few transactions of claims (at most GROUP_MAX each), plus the outbox worker's records of
      // the emails it sent meanwhile, whose number depends on the machine's speed (20 seen under a
      // loaded CI run). Without group commit the claims alone would be CLAIMANTS transactions.
      expect(commits).toBeLessThan(CLAIMANTS / 2);
      const won = results.filter((r) => r.ok);
      expect(won).toHaveLength(SEATS);
      expect(results.filter((r) => !r.ok).every((r) => !r.ok && r.code === 'no-assets-left')).toBe(true);
      const licenses = await liveDocs(s, 'licenses', f.org.orgId);
      expect(licenses.filter((l) => l.status === 'assigned')).toHaveLength(SEATS);
      expect(new Set(licenses.map((l) => l.assignee!.accountId)).size).toBe(SEATS);
      expect(await liveDocs(s, 'acceptances', f.org.orgId)).toHaveLength(SEATS);
      // Each loser's refusal is kept (DESIGN §6 Refused attempts), one per address.
      expect(await liveDocs(s, 'refusedClaims', f.org.orgId)).toHaveLength(CLAIMANTS - SEATS);
      await worker.drain();
      expect(smtp.messages.filter((m) => m.to.includes('grouped@acme.test'))).toHaveLength(SEATS);
    });
  });
}
