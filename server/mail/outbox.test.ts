import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startAuthKit, type AuthKit } from '../../test/helpers/auth-kit';
import { skipWithoutPg } from '../../test/helpers/pg';
import { newId } from '../../shared/ids';
import { sha256 } from '../auth/hash';
import { getDoc, listDocs, orgTx } from '../store/docs';
import { listOutbox } from '../store/outbox';
import type { AppDeps } from '../app-env';
import type { Mailer } from './mailer';
import { enqueueMail, type OutboxMessage } from './outbox';
import { startOutboxWorker, type OutboxWorker } from './worker';
import { layoutEmail } from '../notify/layout';


const msg = (to: string, key = `test:${newId()}`): OutboxMessage => ({
  dedupeKey: key,
  topic: 'license-claimed',
  to,
  ...layoutEmail({ subject: 'A <b>claim</b> & more', paragraphs: ['Dear <script>x</script>'], link: { url: 'http://localhost/teams', label: 'Open' } }),
});

for (const dialect of ['sqlite', 'postgres'] as const) {
  describe.skipIf(skipWithoutPg(dialect, 'the outbox suite'))(`outbox on ${dialect}`, () => {
    let kit: AuthKit;
    const orgId = newId();
    const workers: OutboxWorker[] = [];
    const worker = (deps: AppDeps = kit.deps, opts: Parameters<typeof startOutboxWorker>[1] = {}) => {
      const w = startOutboxWorker(deps, { intervalMs: 60_000, ...opts });
      workers.push(w);
      return w;
    };
    beforeAll(async () => {
      kit = await startAuthKit({ dialect });
    });
    afterEach(async () => {
      await Promise.all(workers.splice(0).map((w) => w.stop()));
    });
    afterAll(async () => {
      await kit?.close();
    });

    const queue = (m: OutboxMessage) => orgTx(kit.store, orgId, kit.clock.now(), (w) => enqueueMail(w, m));
    const row = async (key: string) => {
      const [found] = await listOutbox(kit.store.db, { dedupeKey: key });
      if (!found) throw new Error(`no outbox row ${key}`);
      return found;
    };
    const logEntry = async (key: string) => (await getDoc(kit.store.db, 'notifications', (await row(key)).notification_id!))!;

    it('queues an event once, with one entry in the notification log', async () => {
      const m = msg('once@acme.test');
      expect(await queue(m)).toBe(true);
      expect(await queue({ ...m, subject: 'again' })).toBe(false);
      const rows = await listOutbox(kit.store.db, { dedupeKey: m.dedupeKey });
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ org_id: orgId, status: 'queued', attempts: 0, recipient: 'once@acme.test' });
      const logs = await listDocs(kit.store.db, { collection: 'notifications', org: orgId, withDeleted: true });
      expect(logs.map((l) => l.id)).toEqual([rows[0].notification_id]);
      expect(await logEntry(m.dedupeKey)).toMatchObject({ topic: 'license-claimed', recipients: ['once@acme.test'], status: 'queued', attempts: 0 });

      const w = worker();
      await w.drain();
      const sent = kit.smtp.messages.filter((x) => x.to.includes('once@acme.test'));
      expect(sent).toHaveLength(1);
      expect(sent[0].messageId).toBe(`<${sha256(m.dedupeKey)}@allot>`);
      expect(sent[0].subject).toBe('A <b>claim</b> & more');
      expect(sent[0].html).toContain('Dear &lt;script&gt;x&lt;/script&gt;');
      expect(sent[0].text).toContain('Dear <script>x</script>');
      expect((await row(m.dedupeKey)).status).toBe('sent');
      expect(await logEntry(m.dedupeKey)).toMatchObject({ status: 'sent', attempts: 1, sentAt: kit.clock.now().toISOString() });

      // Queuing the same event after it was sent still sends nothing more.
      expect(await queue(m)).toBe(false);
      await w.drain();
      expect(kit.smtp.messages.filter((x) => x.to.includes('once@acme.test'))).toHaveLength(1);
    });

    it('retries with growing delays while SMTP is down, and sends once it is back', async () => {
      await kit.smtp.setDown(true);
      const m = msg('patient@acme.test');
      await queue(m);
      const w = worker();
      await w.drain();
      let r = await row(m.dedupeKey);
      expect(r).toMatchObject({ status: 'queued', attempts: 1 });
      expect(r.last_error).toMatch(/ECONNREFUSED/);
      const t0 = kit.clock.now().getTime();
      expect(new Date(r.next_attempt_at).getTime() - t0).toBe(2_000);
      expect(await logEntry(m.dedupeKey)).toMatchObject({ status: 'queued', attempts: 1, lastError: expect.stringMatching(/ECONNREFUSED/) });

      // Not due yet: nothing is tried.
      await w.drain();
      expect((await row(m.dedupeKey)).attempts).toBe(1);

      kit.clock.advance(2_000);
      await w.drain();
      r = await row(m.dedupeKey);
      expect(r).toMatchObject({ status: 'queued', attempts: 2 });
      expect(new Date(r.next_attempt_at).getTime() - kit.clock.now().getTime()).toBe(4_000);

      await kit.smtp.setDown(false);
      kit.clock.advance(4_000);
      await w.drain();
      expect(await row(m.dedupeKey)).toMatchObject({ status: 'sent', attempts: 3, last_error: null });
      const entry = await logEntry(m.dedupeKey);
      expect(entry).toMatchObject({ status: 'sent', attempts: 3 });
      expect(entry.lastError).toBeUndefined();
      expect(kit.smtp.messages.filter((x) => x.to.includes('patient@acme.test'))).toHaveLength(1);
    });

    it('gives up once the retry window is over, the last try at its very end', async () => {
      await kit.smtp.setDown(true);
      const m = msg('doomed@acme.test');
      await queue(m);
      const queuedAt = kit.clock.now().getTime();
      const w = worker(kit.deps, { retryWindowMs: 60_000, baseDelayMs: 10_000 });
      await w.drain();
      // 20 s, then 40 s would pass the window's end: the second try is at the end instead.
      expect(new Date((await row(m.dedupeKey)).next_attempt_at).getTime() - queuedAt).toBe(20_000);
      kit.clock.advance(20_000);
      await w.drain();
      expect(new Date((await row(m.dedupeKey)).next_attempt_at).getTime() - queuedAt).toBe(60_000);
      expect(await logEntry(m.dedupeKey)).toMatchObject({ status: 'queued', attempts: 2, nextAttemptAt: new Date(queuedAt + 60_000).toISOString() });
      kit.clock.advance(40_000);
      await w.drain();
      await kit.smtp.setDown(false);
      kit.clock.advance(3_600_000);
      await w.drain();
      expect(await row(m.dedupeKey)).toMatchObject({ status: 'failed', attempts: 3 });
      const entry = await logEntry(m.dedupeKey);
      expect(entry).toMatchObject({ status: 'failed', attempts: 3, lastError: expect.stringMatching(/ECONNREFUSED/) });
      expect(entry.nextAttemptAt).toBeUndefined();
      expect(kit.smtp.messages.filter((x) => x.to.includes('doomed@acme.test'))).toHaveLength(0);
    });

    it('marks a permanently refused address failed at once, visible in the log', async () => {
      kit.smtp.refuse('nobody@acme.test');
      const bad = msg('nobody@acme.test');
      const good = msg('somebody@acme.test');
      await queue(bad);
      await queue(good);
      await worker().drain();
      expect(await row(bad.dedupeKey)).toMatchObject({ status: 'failed', attempts: 1 });
      const entry = await logEntry(bad.dedupeKey);
      expect(entry).toMatchObject({ status: 'failed', attempts: 1 });
      expect(entry.lastError).toMatch(/550/);
      expect(await row(good.dedupeKey)).toMatchObject({ status: 'sent' });
    });

    it('keeps a row queued until the SMTP server took it, across a crash', async () => {
      let entered!: () => void;
      const sending = new Promise<void>((resolve) => (entered = resolve));
      // A sender that dies mid-delivery: it never returns.
      const hanging: Mailer = {
        kind: 'smtp',
        send: () => {
          entered();
          return new Promise<void>(() => {});
        },
        close() {},
      };
      const m = msg('survivor@acme.test');
      await queue(m);
      const crashed = startOutboxWorker({ ...kit.deps, mailer: hanging }, { intervalMs: 60_000 });
      await sending;
      expect((await row(m.dedupeKey)).status).not.toBe('sent');
      expect((await logEntry(m.dedupeKey)).status).toBe('queued');
      void crashed.stop();

      // The restarted server sends it: on SQLite at once, on PostgreSQL once the dead sender's lease ran out.
      if (dialect === 'postgres') kit.clock.advance(60_000);
      await worker().drain();
      expect(await row(m.dedupeKey)).toMatchObject({ status: 'sent', attempts: 1 });
      expect(kit.smtp.messages.filter((x) => x.to.includes('survivor@acme.test'))).toHaveLength(1);
    });

    it('holds mail printed by the log mailer', async () => {
      const printed: string[] = [];
      const log: Mailer = { kind: 'log', send: async (x) => void printed.push(x.text), close() {} };
      const m = msg('held@acme.test');
      await queue(m);
      await worker({ ...kit.deps, mailer: log }).drain();
      expect(printed.some((t) => t.includes('http://localhost/teams'))).toBe(true);
      expect(await row(m.dedupeKey)).toMatchObject({ status: 'held' });
      expect(await logEntry(m.dedupeKey)).toMatchObject({ status: 'held', attempts: 1 });
    });

    it('wakes on a committed organization change', async () => {
      worker();
      const m = msg('prompt@acme.test');
      await queue(m);
      await kit.smtp.waitFor((all) => all.some((x) => x.to.includes('prompt@acme.test')));
    });
  });
}
