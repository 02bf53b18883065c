import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openStore, type Store } from '../../server/store/open-store';
import { CATALOG_ORG, listDocs, orgTx } from '../../server/store/docs';
import { createSession } from '../../server/auth/session';
import { skipWithoutPg } from '../helpers/pg';
import { startSmtpCapture, type SmtpCapture } from '../helpers/smtp';
import { newId, randomToken } from '../../shared/ids';
import { freePort } from '../helpers/net';
import { ensureAccountRow } from '../../server/store/accounts';
import { listOutbox } from '../../server/store/outbox';
import { throwawayDatabase, TSX_LOADER, until } from '../helpers/server-process';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** An organization, a team with one license, an invitation, and a signed-in claimant, written straight into the file. */
async function seed(store: Store) {
  const now = new Date();
  const orgId = newId();
  const memberId = newId();
  const teamId = newId();
  const productId = newId();
  const token = randomToken();
  const adminAccount = (await ensureAccountRow(store.db, 'creator@acme.test', now.toISOString(), { verified: true, name: 'Creator' })).id;
  const claimant = (await ensureAccountRow(store.db, 'kim@people.test', now.toISOString(), { verified: true, name: 'Kim' })).id;
  await orgTx(store, CATALOG_ORG, now, (w) => w.put('products', { id: productId, code: 'RKT', name: 'Rocket IDE', _deleted: false }));
  await orgTx(store, orgId, now, async (w) => {
    await w.put('organizations', { id: orgId, orgId, name: 'Acme', _deleted: false });
    await w.put('members', { id: memberId, orgId, accountId: adminAccount, email: 'creator@acme.test', name: 'Creator', isOrgAdmin: true, adminOfTeamIds: [], disabled: false, _deleted: false });
    await w.put('teams', { id: teamId, orgId, name: 'Launch', _deleted: false });
    await w.put('licenses', { id: newId(), orgId, orderId: newId(), teamId, productId, status: 'available', validUntil: '2099-12-31', _deleted: false });
    await w.put('invitations', { id: newId(), orgId, teamId, productId, token, allowedDomains: [], createdByMemberId: memberId, _deleted: false });
  });
  const cookie = `allot_session=${await createSession(store.db, claimant, now)}`;
  return { token, cookie };
}

/** Another organization with `seats` licenses behind one invitation, and `claimants` signed-in people. */
async function seedCrowd(store: Store, seats: number, claimants: number) {
  const now = new Date();
  const orgId = newId();
  const teamId = newId();
  const productId = newId();
  const token = randomToken();
  await orgTx(store, CATALOG_ORG, now, (w) => w.put('products', { id: productId, code: 'CRW', name: 'Crowd IDE', _deleted: false }));
  await orgTx(store, orgId, now, async (w) => {
    await w.put('organizations', { id: orgId, orgId, name: 'Crowd', _deleted: false });
    await w.put('teams', { id: teamId, orgId, name: 'Everyone', _deleted: false });
    for (let i = 0; i < seats; i++) {
      await w.put('licenses', { id: newId(), orgId, orderId: newId(), teamId, productId, status: 'available', validUntil: '2099-12-31', _deleted: false });
    }
    await w.put('invitations', { id: newId(), orgId, teamId, productId, token, allowedDomains: [], createdByMemberId: newId(), _deleted: false });
  });
  const people: { accountId: string; cookie: string }[] = [];
  for (let i = 0; i < claimants; i++) {
    const accountId = (await ensureAccountRow(store.db, `crowd${i}@people.test`, now.toISOString(), { verified: true, name: `Crowd ${i}` })).id;
    people.push({ accountId, cookie: `allot_session=${await createSession(store.db, accountId, now)}` });
  }
  return { orgId, token, people };
}

for (const dialect of ['sqlite', 'postgres'] as const)
describe.skipIf(skipWithoutPg(dialect, 'the SIGKILL suite'))(`claims and their email survive SIGKILL of the server on ${dialect}`, () => {
  // Made when the suite runs, not when the file is collected (a skipped suite touches nothing).
  // The server child reads DATABASE_URL only, so on PostgreSQL it gets a database of its own.
  let dir = '';
  let database: Awaited<ReturnType<typeof throwawayDatabase>> | undefined;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'allot-sigkill-'));
    if (dialect === 'postgres') database = await throwawayDatabase('allot_sigkill');
  });
  const databaseUrl = () => database?.url ?? '';
  let smtp: SmtpCapture | undefined;
  let child: ChildProcess | undefined;
  let store: Store | undefined;
  const output: string[] = [];
  afterAll(async () => {
    child?.kill('SIGKILL');
    if (child) await exited(child);
    await store?.close();
    await smtp?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
    await database?.drop();
  });

  function startServer(env: Record<string, string>): ChildProcess {
    // node with tsx's loader, not the `tsx` wrapper: SIGKILL must reach the server itself.
    const proc = spawn(process.execPath, ['--import', TSX_LOADER, 'server/main.ts'], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: databaseUrl(), LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    proc.stdout!.on('data', (d) => output.push(String(d)));
    proc.stderr!.on('data', (d) => output.push(String(d)));
    return proc;
  }
  const exited = (proc: ChildProcess) =>
    new Promise<void>((res) => (proc.exitCode !== null || proc.signalCode !== null ? res() : proc.once('exit', () => res())));

  it('sends the email exactly once after a restart', { timeout: 150_000 }, async () => {
    smtp = await startSmtpCapture();
    await smtp.setDown(true);
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const env = { DATA_DIR: dir, PORT: String(port), PUBLIC_URL: url, SMTP_URL: smtp.url };

    store = await openStore(dialect === 'postgres' ? { databaseUrl: databaseUrl() } : { dataDir: dir });
    const { token, cookie } = await seed(store);

    child = startServer(env);
    await until('the server to start', async () => (await fetch(`${url}/api/health`)).ok).catch((e) => {
      throw new Error(`${e.message}\n${output.join('')}`);
    });
    const res = await fetch(`${url}/api/invitations/${token}/claim`, { method: 'POST', headers: { cookie, origin: url, 'content-type': 'application/json' }, body: '{}' });
    expect(res.status).toBe(200);
    const queued = (await listOutbox(store.db)).filter((r) => r.topic === 'license-claimed');
    expect(queued).toHaveLength(1);
    expect(queued[0].status).not.toBe('sent');
    // Killed between attempts (SMTP is down): a row killed mid-attempt stays leased to the dead
    // process for a minute on PostgreSQL before another takes it over (worker.ts, leaseMs).
    await until('a first failed attempt', async () => {
      const row = (await listOutbox(store!.db)).find((r) => r.id === queued[0].id);
      return row?.status === 'queued' && row.attempts >= 1;
    });

    child.kill('SIGKILL');
    await exited(child);
    expect(smtp.messages).toHaveLength(0);

    await smtp.setDown(false);
    // Another port: the killed process's may not be free yet. PUBLIC_URL stays (the email was
    // written at claim time).
    child = startServer({ ...env, PORT: String(await freePort()) });
    // Within its next attempts (2 s, 4 s…) — or, should the kill have caught it mid-attempt after all, once the lease ran out.
    await smtp.waitFor((msgs) => msgs.some((m) => m.to.includes('creator@acme.test')), 90_000).catch((e) => {
      throw new Error(`${e.message}\n${output.join('')}`);
    });
    await until('the outbox row to be marked sent', async () => {
      const row = (await listOutbox(store!.db)).find((r) => r.id === queued[0].id);
      return row?.status === 'sent';
    });
    child.kill('SIGTERM');
    await exited(child);

    const mails = smtp.messages.filter((m) => m.to.includes('creator@acme.test'));
    expect(mails).toHaveLength(1);
    expect(mails[0].subject).toBe('Kim claimed Rocket IDE');
    expect(mails[0].text).toMatch(new RegExp(`${url}/o/[0-9a-f-]{36}/invitations/`));
  });

  it('loses no acknowledged claim when killed while claims commit in groups', { timeout: 150_000 }, async () => {
    const SEATS = 150;
    const crowd = await seedCrowd(store!, SEATS, 200);
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    child = startServer({ DATA_DIR: dir, PORT: String(port), PUBLIC_URL: url, CLAIM_RATE: '100000' });
    await until('the server to start', async () => (await fetch(`${url}/api/health`)).ok).catch((e) => {
      throw new Error(`${e.message}\n${output.join('')}`);
    });
    const proc = child;
    // Connections open first, as a browser's are before it claims: Node accepts one new connection
    // per turn of its event loop, so claims each on a connection of its own would reach the
    // server one at a time, each in a transaction of its own, and never make a group.
    await Promise.all(crowd.people.map(() => fetch(`${url}/api/health`).then((r) => r.arrayBuffer())));
    // Everyone at once: the claims queue behind the organization's transaction and commit in groups;
    // the server is killed once twenty are answered, with the next groups in flight.
    const acknowledged: { accountId: string; licenseId: string }[] = [];
    let answered = 0;
    const attempts = crowd.people.map(async (p) => {
      try {
        const res = await fetch(`${url}/api/invitations/${crowd.token}/claim`, {
          method: 'POST',
          headers: { cookie: p.cookie, origin: url, 'content-type': 'application/json' },
          body: '{}',
        });
        const body = (await res.json()) as { id?: string };
        if (res.status === 200 && body.id) acknowledged.push({ accountId: p.accountId, licenseId: body.id });
        if (++answered === 20) proc.kill('SIGKILL');
      } catch {
        // Cut off by the kill: not acknowledged, so it may or may not have committed.
      }
    });
    await Promise.all(attempts);
    proc.kill('SIGKILL');
    await exited(proc);
    expect(acknowledged.length).toBeGreaterThanOrEqual(20);

    // Read the file (or database) as the dead server left it.
    const licenses = await listDocs(store!.db, { collection: 'licenses', org: crowd.orgId });
    const acceptances = await listDocs(store!.db, { collection: 'acceptances', org: crowd.orgId });
    const assigned = licenses.filter((l) => l.status === 'assigned');
    for (const a of acknowledged) {
      const l = licenses.find((x) => x.id === a.licenseId);
      expect(l?.status).toBe('assigned');
      expect(l?.assignee?.accountId).toBe(a.accountId);
    }
    // Nothing oversold, and every assignment has its acceptance (none half-written).
    expect(licenses).toHaveLength(SEATS);
    expect(new Set(assigned.map((l) => l.assignee!.accountId)).size).toBe(assigned.length);
    expect(new Set(acceptances.map((a) => a.licenseId))).toEqual(new Set(assigned.map((l) => l.id)));
    // Claims did share transactions: several acceptances carry one transaction's time and consecutive change numbers.
    const perCommit = new Map<string, number>();
    for (const a of acceptances) perCommit.set(a.updatedAt, (perCommit.get(a.updatedAt) ?? 0) + 1);
    expect(Math.max(...perCommit.values())).toBeGreaterThan(1);
  });
});
