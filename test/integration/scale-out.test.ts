import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../server/store/open-store';
import { CATALOG_ORG, listDocs, orgTx } from '../../server/store/docs';
import { createSession } from '../../server/auth/session';
import { newId, randomToken } from '../../shared/ids';
import { skipWithoutPg } from '../helpers/pg';
import { startSmtpCapture, type SmtpCapture } from '../helpers/smtp';
import { openStream, type OpenStream } from '../helpers/sse';
import { pgAdmin } from '../helpers/pg-admin';
import { adminQuery, startServerProcess, throwawayDatabase, until, type ServerProcess } from '../helpers/server-process';
import { parseJson } from '../helpers/json';
import { accountByEmail, ensureAccountRow } from '../../server/store/accounts';
import { pullPath, pushPath } from '../helpers/sync-api';


/** The address people open: what the balancer in front of the instances answers to. */
const PUBLIC_URL = 'https://allot.example.test';
const SEATS = 10;
const CLAIMANTS = 30;
const RATE = 5;

interface Answer {
  status: number;
  json: ReturnType<typeof parseJson>;
  /** The instance that answered (undefined when none did: 502). */
  via?: ServerProcess;
}

/**
 * What a round-robin load balancer does (nginx `upstream` with `proxy_next_upstream error`):
 * each request goes to the next instance; one that refuses the connection is skipped; a
 * connection that breaks after the request was sent is the client's 502.
 */
function balancer(instances: () => ServerProcess[]) {
  let next = 0;
  return async function request(
    path: string,
    init: { cookie?: string; body?: unknown; method?: string; from?: string } = {},
  ): Promise<Answer> {
    const live = instances();
    for (let tried = 0; tried < live.length; tried++) {
      const target = live[next++ % live.length];
      let res: Response;
      try {
        res = await fetch(target.url + path, {
          method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
          headers: {
            'content-type': 'application/json',
            origin: PUBLIC_URL,
            'x-forwarded-for': init.from ?? '192.0.2.1',
            ...(init.cookie ? { cookie: init.cookie } : {}),
          },
          body: init.body === undefined ? undefined : JSON.stringify(init.body),
        });
      } catch (err) {
        const code = (err as { cause?: { code?: string } }).cause?.code;
        if (code === 'ECONNREFUSED') continue;
        return { status: 502, json: undefined };
      }
      const text = await res.text().catch(() => '');
      const json = parseJson(text);
      return { status: res.status, json, via: target };
    }
    return { status: 502, json: undefined };
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * DESIGN §9: several stateless server processes behind a load balancer on one PostgreSQL.
 * Three real `server/main.ts` processes on a throwaway database, driven as a balancer would:
 * live updates cross instances, a claim race never oversells, rate limits hold for all of them
 * together, a SIGKILLed instance loses nothing it acknowledged, and every instance comes back
 * after the database ended all their connections.
 */
describe.skipIf(skipWithoutPg('postgres', 'the scale-out suite (three server processes on one PostgreSQL)'))('three instances on one PostgreSQL behind a round-robin balancer', () => {
  let db: Awaited<ReturnType<typeof throwawayDatabase>>;
  let store: Store;
  let smtp: SmtpCapture;
  let env: Record<string, string>;
  const instances: ServerProcess[] = [];
  const streams: OpenStream[] = [];
  const request = balancer(() => instances.filter((i) => i.alive()));
  const seed = {
    orgId: newId(),
    memberId: newId(),
    teamId: newId(),
    productId: newId(),
    token: randomToken(),
    adminCookie: '',
  };

  async function account(email: string): Promise<string> {
    const { id } = await ensureAccountRow(store.db, email, new Date().toISOString(), { verified: true });
    return `allot_session=${await createSession(store.db, id, new Date())}`;
  }

  beforeAll(async () => {
    db = await throwawayDatabase('allot_scale');
    smtp = await startSmtpCapture();
    env = {
      DATABASE_URL: db.url,
      PUBLIC_URL,
      TRUST_PROXY: '1',
      SIGNIN_RATE: String(RATE),
      CLAIM_RATE: String(RATE),
      SMTP_URL: smtp.url,
      CATALOG: '',
    };
    // Started together on the empty database, as a deployment does: the migrations and the
    // product catalog take turns on their own.
    instances.push(...(await Promise.all([0, 1, 2].map(() => startServerProcess(env)))));
    store = await openStore({ databaseUrl: db.url });
    const now = new Date();
    seed.adminCookie = await account('ada@acme.test');
    const adminId = (await accountByEmail(store.db, 'ada@acme.test'))!.id;
    await orgTx(store, CATALOG_ORG, now, (w) => w.put('products', { id: seed.productId, code: 'RKT', name: 'Rocket IDE', _deleted: false }));
    await orgTx(store, seed.orgId, now, async (w) => {
      await w.put('organizations', { id: seed.orgId, orgId: seed.orgId, name: 'Acme', _deleted: false });
      await w.put('members', {
        id: seed.memberId,
        orgId: seed.orgId,
        accountId: adminId,
        email: 'ada@acme.test',
        name: 'Ada',
        isOrgAdmin: true,
        adminOfTeamIds: [],
        disabled: false,
        _deleted: false,
      });
      await w.put('teams', { id: seed.teamId, orgId: seed.orgId, name: 'Launch', _deleted: false });
      const orderId = newId();
      for (let i = 0; i < SEATS; i++) {
        await w.put('licenses', {
          id: newId(),
          orgId: seed.orgId,
          orderId,
          teamId: seed.teamId,
          productId: seed.productId,
          status: 'available',
          validUntil: '2099-12-31',
          _deleted: false,
        });
      }
      await w.put('invitations', {
        id: newId(),
        orgId: seed.orgId,
        teamId: seed.teamId,
        productId: seed.productId,
        name: 'Everyone',
        token: seed.token,
        allowedDomains: [],
        createdByMemberId: seed.memberId,
        _deleted: false,
      });
    });
  }, 120_000);

  afterAll(async () => {
    for (const s of streams) s.close();
    await Promise.all(instances.map((i) => i.kill('SIGTERM')));
    await store?.close();
    await smtp?.close();
    await db?.drop();
  });

  const contact = (tag: string) => ({
    id: newId(),
    orgId: seed.orgId,
    name: `Person ${tag}`,
    email: `${tag}-${newId().slice(0, 6)}@acme.test`,
    roles: [],
    orderIds: [],
    disabled: false,
    source: 'manual',
  });

  /**
   * Pushes one new contact through the balancer until it is acknowledged, as the app's
   * replication retries: a 502 or 503 is tried again; an answer saying the document is already
   * stored as sent (a retried push that had landed) is an acknowledgement too.
   */
  async function pushUntilAcknowledged(doc: ReturnType<typeof contact>): Promise<void> {
    for (let attempt = 0; attempt < 50; attempt++) {
      const r = await request(pushPath(seed.orgId, 'contacts'), { cookie: seed.adminCookie, body: [{ newDocumentState: doc }] });
      if (r.status === 200) {
        expect(r.json.rejected).toEqual([]);
        if (r.json.conflicts.length === 0) return;
        expect(r.json.conflicts[0]).toMatchObject({ id: doc.id, email: doc.email });
        return;
      }
      expect([502, 503]).toContain(r.status);
      await sleep(100);
    }
    throw new Error(`contact ${doc.id} was never acknowledged`);
  }

  async function storedContactIds(): Promise<Set<string>> {
    const rows = await listDocs(store.db, { collection: 'contacts', org: seed.orgId });
    return new Set(rows.map((r) => r.id));
  }

  it('every instance says it is healthy, and a change made through any of them reaches streams on all of them', async () => {
    for (const i of instances) {
      const health = await (await fetch(`${i.url}/api/health`)).json();
      expect(health).toMatchObject({ ok: true, database: 'up', listen: 'up' });
    }
    const instanceNames = new Set(await Promise.all(instances.map(async (i) => (await (await fetch(`${i.url}/api/health`)).json()).instance)));
    expect(instanceNames.size).toBe(3);

    for (const i of instances) streams.push(openStream(i.url, seed.adminCookie, seed.orgId));
    await Promise.all(streams.map((s) => s.opened));
    const docs = Array.from({ length: 9 }, (_, k) => contact(`live${k}`));
    const answered = new Set<ServerProcess | undefined>();
    for (const doc of docs) {
      const r = await request(pushPath(seed.orgId, 'contacts'), { cookie: seed.adminCookie, body: [{ newDocumentState: doc }] });
      expect(r.status).toBe(200);
      expect(r.json).toEqual({ conflicts: [], rejected: [] });
      answered.add(r.via);
    }
    expect(answered.size).toBe(3);
    await until('every stream to receive all 9 changes', async () => streams.every((s) => docs.every((d) => s.ids().has(d.id))), 20_000);
  });

  it(`hands out exactly ${SEATS} licenses to ${CLAIMANTS} people claiming at once through all three`, async () => {
    const cookies = await Promise.all(Array.from({ length: CLAIMANTS }, (_, k) => account(`claimant${k}@people.test`)));
    const answers = await Promise.all(
      cookies.map((cookie, k) =>
        request(`/api/invitations/${seed.token}/claim`, { cookie, body: {}, from: `198.51.100.${k + 1}` }),
      ),
    );
    expect(new Set(answers.map((a) => a.via)).size).toBe(3);
    expect(answers.filter((a) => a.status === 200)).toHaveLength(SEATS);
    const refused = answers.filter((a) => a.status !== 200);
    expect(refused.map((a) => a.json?.error)).toEqual(Array(CLAIMANTS - SEATS).fill('no-assets-left'));
    const assigned = await listDocs(store.db, { collection: 'licenses', org: seed.orgId, where: { status: 'assigned' }, withDeleted: true });
    expect(assigned).toHaveLength(SEATS);
    expect(new Set(assigned.map((l) => l.assignee?.accountId)).size).toBe(SEATS);
    // Every stream, on every instance, saw each license go.
    const ids = assigned.map((l) => l.id);
    await until('every stream to see the claimed licenses', async () => streams.every((s) => ids.every((id) => s.ids().has(id))), 20_000);
  });

  it(`holds SIGNIN_RATE and CLAIM_RATE (${RATE} a minute) for the three together`, async () => {
    const signIns = [];
    for (let k = 0; k < 3 * RATE; k++) {
      signIns.push(await request('/api/auth/email', { body: { email: `visitor${k}@people.test` }, from: '203.0.113.77' }));
    }
    expect(new Set(signIns.map((a) => a.via)).size).toBe(3);
    expect(signIns.filter((a) => a.status === 200)).toHaveLength(RATE);
    expect(signIns.filter((a) => a.status === 429).map((a) => a.json.error)).toEqual(Array(2 * RATE).fill('rate-limited'));

    const eager = await account('eager@people.test');
    const claims = [];
    for (let k = 0; k < 3 * RATE; k++) {
      claims.push(await request(`/api/invitations/${seed.token}/claim`, { cookie: eager, body: {}, from: `203.0.113.${100 + k}` }));
    }
    expect(claims.filter((a) => a.status === 429)).toHaveLength(2 * RATE);
  });

  it('loses nothing it acknowledged when one instance is SIGKILLed mid-burst; the others carry on', async () => {
    const before = await storedContactIds();
    const docs = Array.from({ length: 60 }, (_, k) => contact(`burst${k}`));
    const acknowledged: string[] = [];
    let killed = false;
    // Three clients push twenty contacts each, one at a time; the second instance dies a third of the way in.
    await Promise.all(
      [0, 1, 2].map(async (c) => {
        for (const doc of docs.slice(c * 20, c * 20 + 20)) {
          await pushUntilAcknowledged(doc);
          acknowledged.push(doc.id);
          if (!killed && acknowledged.length >= 20) {
            killed = true;
            instances[1].child.kill('SIGKILL');
          }
        }
      }),
    );
    await instances[1].exited;
    expect(instances[1].child.signalCode).toBe('SIGKILL');
    expect(acknowledged).toHaveLength(60);

    const stored = await storedContactIds();
    expect(docs.filter((d) => !stored.has(d.id))).toEqual([]);
    expect(stored.size).toBe(before.size + 60);
    // The streams on the survivors saw every change; the killed one's stream ended.
    await instances[1].exited;
    await streams[1].ended;
    await until('the surviving streams to see all 60', async () => [streams[0], streams[2]].every((s) => docs.every((d) => s.ids().has(d.id))), 20_000);
    // A tab whose stream ended reconnects through the balancer and pulls what it missed.
    const pulled = await request(pullPath(seed.orgId, 'contacts'), { cookie: seed.adminCookie, body: { checkpoint: null, batchSize: 1000 } });
    expect(pulled.status).toBe(200);
    const pulledIds = new Set(pulled.json.documents.map((d: { id: string }) => d.id));
    expect(docs.filter((d) => !pulledIds.has(d.id))).toEqual([]);

    // The instance is replaced (a process manager restarts it).
    instances[1] = await startServerProcess(env);
    streams[1] = openStream(instances[1].url, seed.adminCookie, seed.orgId);
    await streams[1].opened;
  });

  it('every instance recovers after the database ended all their connections', async () => {
    for (const i of instances) expect((await (await fetch(`${i.url}/api/health`)).json()).listen).toBe('up');
    // PostgreSQL restarting: every connection to this database ends and new ones are refused
    // for a moment. Balancers see it in /api/health.
    await adminQuery(`alter database ${db.name} with allow_connections false`);
    const admin = await pgAdmin();
    try {
      expect(await admin.terminateDatabase(db.name)).toBeGreaterThanOrEqual(3 * 2);
    } finally {
      await admin.end();
    }
    for (const i of instances) {
      await until(`${i.url} to report the database down`, async () => {
        const res = await fetch(`${i.url}/api/health`);
        const body = await res.json();
        return res.status === 503 && body.ok === false && body.database === 'down';
      });
    }
    const during = await request(pushPath(seed.orgId, 'contacts'), { cookie: seed.adminCookie, body: [{ newDocumentState: contact('during') }] });
    expect(during.status).toBe(503);
    expect(during.json.error).toBe('busy');
    await adminQuery(`alter database ${db.name} with allow_connections true`);

    for (const i of instances) {
      expect(i.alive()).toBe(true);
      await until(`${i.url} to be healthy again`, async () => {
        const res = await fetch(`${i.url}/api/health`);
        const body = await res.json();
        return res.status === 200 && body.ok && body.database === 'up' && body.listen === 'up';
      });
    }
    // Each serves again: a change through each reaches the streams on all three.
    const docs = instances.map((_, k) => contact(`after${k}`));
    for (const [k, i] of instances.entries()) {
      const res = await fetch(i.url + pushPath(seed.orgId, 'contacts'), {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: PUBLIC_URL, cookie: seed.adminCookie },
        body: JSON.stringify([{ newDocumentState: docs[k] }]),
      });
      expect(res.status).toBe(200);
    }
    await until('every stream to see the changes made after the outage', async () => streams.every((s) => docs.every((d) => s.ids().has(d.id))), 30_000);
    for (const i of instances) {
      expect(i.output()).toContain('database LISTEN connection lost');
      expect(i.output()).toContain('database LISTEN connection restored');
    }
  });
});
