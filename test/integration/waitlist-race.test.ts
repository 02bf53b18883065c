/**
 * DESIGN §6 Waitlist under concurrency: 30 people wait on an invitation whose 25 licenses are
 * all taken; 10 licenses are revoked at once by two admins — on SQLite through one server, on
 * PostgreSQL through two server processes sharing the database. Exactly the first 10 waiting,
 * in order, get a license each and one "your license is ready" email each; nobody gets two; the
 * other 20 move up.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId, randomToken } from '../../shared/ids';
import type { PushResponse } from '../../shared/sync';
import type { WireDoc } from '../../shared/schemas';
import { createSession } from '../../server/auth/session';
import { ensureAccountRow } from '../../server/store/accounts';
import { CATALOG_ORG, getDoc, listDocs, orgTx } from '../../server/store/docs';
import { openStore, type Store } from '../../server/store/open-store';
import { smtpMailer } from '../../server/mail/mailer';
import { startOutboxWorker, type OutboxWorker } from '../../server/mail/worker';
import { skipWithoutPg } from '../helpers/pg';
import { startServerProcess, throwawayDatabase, type ServerProcess } from '../helpers/server-process';
import { startSmtpCapture, type SmtpCapture } from '../helpers/smtp';
import { startTestServer, TEST_RATES, type TestServer } from '../helpers/server';
import { syncPath } from '../helpers/sync-path';
import { parseJson } from '../helpers/json';

const SEATS = 25;
const WAITING = 30;
const REVOKED = 10;
const PUBLIC_URL = 'http://allot.race.test';

/** One of the servers the test talks to (two processes on PostgreSQL; the same one twice on SQLite). */
type Send = (path: string, init: { cookie: string; method?: string; body?: unknown }) => Promise<{ status: number; json: ReturnType<typeof parseJson> }>;

const sender =
  (url: string, origin: string): Send =>
  async (path, init) => {
    const res = await fetch(url + path, {
      method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
      headers: { 'content-type': 'application/json', origin, cookie: init.cookie },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
    return { status: res.status, json: parseJson(await res.text()) };
  };

async function seed(store: Store) {
  const now = new Date();
  const ids = { orgId: newId(), teamId: newId(), productId: newId(), orderId: newId(), invitationId: newId(), token: randomToken() };
  const cookieOf = async (email: string, name: string) => {
    const acc = await ensureAccountRow(store.db, email, now.toISOString(), { verified: true, name });
    return { account: acc, cookie: `allot_session=${await createSession(store.db, acc.id, now)}` };
  };
  const admins = [await cookieOf('ada@race.test', 'Ada'), await cookieOf('bea@race.test', 'Bea')];
  const creatorId = newId();
  await orgTx(store, CATALOG_ORG, now, (w) => w.put('products', { id: ids.productId, code: `R${ids.productId.slice(0, 5)}`, name: 'Rocket IDE', _deleted: false }));
  await orgTx(store, ids.orgId, now, async (w) => {
    await w.put('organizations', { id: ids.orgId, orgId: ids.orgId, name: 'Race Co', _deleted: false });
    for (const [i, a] of admins.entries()) {
      await w.put('members', {
        id: i === 0 ? creatorId : newId(),
        orgId: ids.orgId,
        accountId: a.account.id,
        email: a.account.email,
        name: a.account.name,
        isOrgAdmin: true,
        adminOfTeamIds: [],
        disabled: false,
        _deleted: false,
      });
    }
    await w.put('teams', { id: ids.teamId, orgId: ids.orgId, name: 'Launch', _deleted: false });
    for (let i = 0; i < SEATS; i++) {
      await w.put('licenses', { id: newId(), orgId: ids.orgId, orderId: ids.orderId, teamId: ids.teamId, productId: ids.productId, status: 'available', validUntil: '2099-12-31', _deleted: false });
    }
    await w.put('invitations', {
      id: ids.invitationId,
      orgId: ids.orgId,
      teamId: ids.teamId,
      productId: ids.productId,
      name: 'Everyone',
      token: ids.token,
      allowedDomains: [],
      createdByMemberId: creatorId,
      _deleted: false,
    });
  });
  const holders = await Promise.all(Array.from({ length: SEATS }, (_, i) => cookieOf(`holder${i}@people.test`, `Holder ${i}`)));
  const waiters = await Promise.all(Array.from({ length: WAITING }, (_, i) => cookieOf(`waiter${i}@people.test`, `Waiter ${i}`)));
  return { ...ids, admins, holders, waiters };
}

async function race(store: Store, servers: [Send, Send], smtp: SmtpCapture) {
  const f = await seed(store);
  const token = f.token;
  // Every license taken, then 30 people told "No assets left" join, one after another.
  for (const [i, h] of f.holders.entries()) expect((await servers[i % 2](`/api/invitations/${token}/claim`, { cookie: h.cookie, body: {} })).status).toBe(200);
  for (const [i, w] of f.waiters.entries()) {
    expect((await servers[i % 2](`/api/invitations/${token}/claim`, { cookie: w.cookie, body: {} })).json.error).toBe('no-assets-left');
    const joined = await servers[(i + 1) % 2](`/api/invitations/${token}/waitlist`, { cookie: w.cookie, body: {} });
    expect(joined.status).toBe(202);
    expect(joined.json).toMatchObject({ status: 'waiting', position: i + 1 });
  }

  // Ten licenses revoked at once: each admin revokes five, one push per license, through both servers.
  const taken = (await listDocs(store.db, { collection: 'licenses', org: f.orgId })) as WireDoc<'licenses'>[];
  const victims = taken.slice(0, REVOKED);
  const answers = await Promise.all(
    victims.map(async (lic, i) => {
      const { assignee: _a, assignedAt: _b, assignedVia: _c, ...rest } = lic;
      const admin = f.admins[i % 2];
      return servers[Math.floor(i / 2) % 2](syncPath(f.orgId, 'licenses', 'push'), {
        cookie: admin.cookie,
        body: [{ assumedMasterState: lic, newDocumentState: { ...rest, status: 'available' } }],
      });
    }),
  );
  for (const a of answers) {
    expect(a.status).toBe(200);
    expect((a.json as PushResponse).rejected).toEqual([]);
  }

  const licenses = (await listDocs(store.db, { collection: 'licenses', org: f.orgId })) as WireDoc<'licenses'>[];
  expect(licenses).toHaveLength(SEATS);
  expect(licenses.every((l) => l.status === 'assigned')).toBe(true);
  const holderEmails = licenses.map((l) => l.assignee!.email);
  expect(new Set(holderEmails).size).toBe(SEATS);
  const first = f.waiters.slice(0, REVOKED).map((w) => w.account.email);
  const rest = f.waiters.slice(REVOKED);
  // Exactly the first ten, each holding one of the revoked licenses.
  expect(holderEmails.filter((e) => e.startsWith('waiter')).sort()).toEqual([...first].sort());
  for (const v of victims) expect(first).toContain(((await getDoc(store.db, 'licenses', v.id)) as WireDoc<'licenses'>).assignee!.email);
  for (const w of f.waiters.slice(0, REVOKED)) {
    expect((await servers[0](`/api/invitations/${token}/waitlist`, { cookie: w.cookie })).json).toMatchObject({ status: 'served' });
  }
  // The other twenty moved up, in order.
  for (const [i, w] of rest.entries()) {
    expect((await servers[i % 2](`/api/invitations/${token}/waitlist`, { cookie: w.cookie })).json).toMatchObject({ status: 'waiting', position: i + 1 });
  }

  // One "your license is ready" email each to the first ten, none to anyone else; the creator hears of each claim.
  const ready = (m: SmtpCapture['messages']) => m.filter((x) => x.subject === 'Your Rocket IDE license is ready');
  await smtp.waitFor((m) => ready(m).length >= REVOKED, 30_000);
  await smtp.waitFor((m) => m.filter((x) => x.to.includes('ada@race.test')).length >= SEATS + REVOKED, 30_000);
  await new Promise((r) => setTimeout(r, 500));
  const got = ready(smtp.messages).flatMap((m) => m.to);
  expect(got.sort()).toEqual([...first].sort());
  expect(smtp.messages.filter((x) => x.to.includes('ada@race.test'))).toHaveLength(SEATS + REVOKED);
}

describe('waitlist race on sqlite', () => {
  let s: TestServer;
  let smtp: SmtpCapture;
  let worker: OutboxWorker;
  beforeAll(async () => {
    smtp = await startSmtpCapture();
    s = await startTestServer({ mailer: smtpMailer(smtp.url) });
    worker = startOutboxWorker(s.deps, { intervalMs: 50 });
  });
  afterAll(async () => {
    await worker?.stop();
    await s?.close();
    await smtp?.close();
  });

  it(`${WAITING} waiting, ${SEATS} taken, ${REVOKED} revoked at once by two admins: the first ${REVOKED} get one each, the rest move up`, async () => {
    const send = sender(s.url, s.url);
    await race(s.store, [send, send], smtp);
  }, 120_000);
});

describe.skipIf(skipWithoutPg('postgres', 'the waitlist race (two server processes on one PostgreSQL)'))('waitlist race on two server processes sharing PostgreSQL', () => {
  let db: Awaited<ReturnType<typeof throwawayDatabase>>;
  let smtp: SmtpCapture;
  let store: Store;
  const servers: ServerProcess[] = [];
  beforeAll(async () => {
    db = await throwawayDatabase('allot_waitlist_audit_race');
    smtp = await startSmtpCapture();
    const env = { DATABASE_URL: db.url, PUBLIC_URL, SMTP_URL: smtp.url, CATALOG: '', ...TEST_RATES };
    servers.push(...(await Promise.all([0, 1].map(() => startServerProcess(env)))));
    store = await openStore({ databaseUrl: db.url });
  }, 120_000);
  afterAll(async () => {
    await Promise.all(servers.map((p) => p.kill('SIGTERM')));
    await store?.close();
    await smtp?.close();
    await db?.drop();
  });

  it(`${WAITING} waiting, ${SEATS} taken, ${REVOKED} revoked at once by two admins on two processes: the first ${REVOKED} get one each`, async () => {
    await race(store, [sender(servers[0].url, PUBLIC_URL), sender(servers[1].url, PUBLIC_URL)], smtp);
  }, 180_000);
});
