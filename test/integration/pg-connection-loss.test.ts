import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { startTestServer, type TestServer } from '../helpers/server';
import { skipWithoutPg } from '../helpers/pg';
import { pgAdmin } from '../helpers/pg-admin';
import { openStream } from '../helpers/sse';
import { newId } from '../../shared/ids';
import { claim, claimFixture, liveDocs, outboxRows } from './claims-fixtures';
import { contact, eventually } from './sync-clients';
import { pullPath, pushPath } from '../helpers/sync-api';


const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * PostgreSQL ends the server's connections (a restart, a failover, an idle timeout; here
 * pg_terminate_backend on this test's own connections only, told apart by application_name).
 * The server must stay up, answer a request caught in flight with 503 `busy` having written
 * nothing, serve the next ones, and bring its LISTEN connection back so no stream misses a change.
 */
describe.skipIf(skipWithoutPg('postgres', 'the connection-loss suite'))('the server when PostgreSQL drops its connections', () => {
  let s: TestServer;
  let admin: Awaited<ReturnType<typeof pgAdmin>>;
  const logLines: string[] = [];
  const pool = () => `allot:${s.pgSchema}`;
  const listener = () => `allot-listen:${s.pgSchema}`;

  beforeAll(async () => {
    const sink = new Writable({
      write(chunk, _enc, done) {
        logLines.push(String(chunk));
        done();
      },
    });
    s = await startTestServer({ dialect: 'postgres', logger: pino({ level: 'info' }, sink) });
    admin = await pgAdmin();
  });
  afterAll(async () => {
    await admin?.end();
    await s?.close();
  });

  const push = (org: { cookie: string; orgId: string }, docs: Record<string, unknown>[]) =>
    s.request(pushPath(org.orgId, 'contacts'), { cookie: org.cookie, body: docs.map((d) => ({ newDocumentState: d })) });

  it('survives every connection of its pool being terminated and serves the next requests', async () => {
    const org = await s.createOrg(`Org ${newId().slice(0, 6)}`, `ada-${newId().slice(0, 6)}@acme.test`);
    // Several pool connections open and idle.
    await Promise.all(Array.from({ length: 6 }, () => s.request(pullPath(org.orgId, 'contacts'), { cookie: org.cookie, body: { checkpoint: null } })));
    expect(await admin.terminate([pool()])).toBeGreaterThan(0);
    await sleep(200);

    const doc = contact(org.orgId, { email: `after-${newId().slice(0, 6)}@acme.test` });
    const pushed = await push(org, [doc]);
    expect(pushed.status).toBe(200);
    expect(pushed.json).toEqual({ conflicts: [], rejected: [] });
    const pulled = await s.request(pullPath(org.orgId, 'contacts'), { cookie: org.cookie, body: { checkpoint: null } });
    expect(pulled.status).toBe(200);
    expect(pulled.json.documents.map((d: { id: string }) => d.id)).toContain(doc.id);
    const health = await s.request('/api/health');
    expect(health.status).toBe(200);
    expect(health.json).toMatchObject({ ok: true, database: 'up', listen: 'up' });
    expect(logLines.join('')).toContain('database connection lost');
  });

  it('answers a claim caught in flight with 503 busy and writes none of it', async () => {
    const f = await claimFixture(s, { seats: 1 });
    const cookie = await s.signIn(`kim-${newId().slice(0, 6)}@people.test`);
    // Hold the claim inside its transaction, after it assigned the license and recorded the
    // acceptance, just before it queues the email.
    await admin.client.query('begin');
    await admin.client.query(`lock table ${s.pgSchema}.outbox in exclusive mode`);
    const inFlight = claim(s, f.invitation.token, cookie);
    let pids: number[] = [];
    await eventually(async () => {
      pids = await admin.waitingOnLock(pool());
      expect(pids).toHaveLength(1);
    });
    await admin.client.query('select pg_terminate_backend($1)', [pids[0]]);
    const answer = await inFlight;
    await admin.client.query('rollback');

    expect(answer.status).toBe(503);
    expect(answer.json.error).toBe('busy');
    const licenses = await liveDocs(s, 'licenses', f.org.orgId);
    expect(licenses.map((l) => l.status)).toEqual(['available']);
    expect(await liveDocs(s, 'acceptances', f.org.orgId)).toEqual([]);
    expect((await outboxRows(s, 'license-claimed')).filter((r) => r.org_id === f.org.orgId)).toEqual([]);

    // Tried again, it goes through.
    const again = await claim(s, f.invitation.token, cookie);
    expect(again.status).toBe(200);
    expect(again.json.status).toBe('assigned');
  });

  it('brings its LISTEN connection back and every stream gets the changes made while it was down', async () => {
    const org = await s.createOrg(`Org ${newId().slice(0, 6)}`, `ada-${newId().slice(0, 6)}@acme.test`);
    const stream = openStream(s.url, org.cookie, org.orgId);
    await stream.opened;

    // The listening connection keeps being terminated for a while (PostgreSQL restarting):
    // changes are pushed meanwhile, and health says what is going on.
    const written: string[] = [];
    const seen = new Set<string>();
    // Fifteen changes, and at least 1.5 s of a listener being cut: a loaded machine takes longer
    // per round, so the loop counts changes rather than time.
    const stopAt = Date.now() + 1500;
    while (written.length < 15 || Date.now() < stopAt) {
      await admin.terminate([listener()]);
      const health = await s.request('/api/health');
      expect(health.status).toBe(200);
      seen.add(health.json.listen);
      if (written.length < 15) {
        const doc = contact(org.orgId, { email: `c${written.length}-${newId().slice(0, 6)}@acme.test` });
        expect((await push(org, [doc])).status).toBe(200);
        written.push(doc.id);
      }
      await sleep(50);
    }
    expect(written).toHaveLength(15);
    expect(seen).toContain('reconnecting');

    await eventually(async () => {
      expect((await s.request('/api/health')).json).toMatchObject({ ok: true, database: 'up', listen: 'up' });
    });
    await eventually(() => {
      const ids = stream.ids();
      expect(written.filter((id) => !ids.has(id))).toEqual([]);
    }, 15_000);

    // And live again: a later change arrives as usual.
    const later = contact(org.orgId, { email: `later-${newId().slice(0, 6)}@acme.test` });
    expect((await push(org, [later])).status).toBe(200);
    await eventually(() => expect(stream.ids().has(later.id)).toBe(true), 10_000);
    stream.close();
    const log = logLines.join('');
    expect(log).toContain('database LISTEN connection lost');
    expect(log).toContain('database LISTEN connection restored');
  });
});
