import http from 'node:http';
import { readFileSync } from 'node:fs';
/**
 * Shared pieces of `npm run bench`: statistics, a real server in a child process (so its
 * memory and CPU are its own), direct bulk seeding through the store, and accounts with
 * sessions made without the sign-in round trip.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { sql } from 'kysely';
import { openStore, dropPgSchema, type Store } from '../../server/store/open-store';
import { CATALOG_ORG, columnsOf, listDocs } from '../../server/store/docs';
import { listOutbox } from '../../server/store/outbox';
import { randomSecret, sha256 } from '../../server/auth/hash';
import { newId, newOrderedId, randomToken } from '../../shared/ids';
import type { CollectionName } from '../../shared/schemas';
import { freePort } from '../helpers/net';

export { freePort };

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const QUICK = process.env.BENCH_QUICK === '1';
export const PG_URL = process.env.TEST_DATABASE_URL ?? process.env.BENCH_DATABASE_URL;

export const now = () => performance.timeOrigin + performance.now();

/**
 * CPU time (ms, user + system, all threads) a process has used so far, read from Linux's
 * /proc/<pid>/stat (fields 14 and 15, in clock ticks of 10 ms); null where there is no /proc.
 */
export function processCpuMs(pid: number): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return null;
  }
}
/**
 * A load generator's HTTP/1.1 client: node:http over keep-alive connections (at most
 * `connections` open), each answer read whole as text. On this two-core machine the load
 * generator shares the CPU with the server it measures, and node:http costs a claim about a
 * quarter of fetch's CPU (0.35 ms against 1.6 ms measured: fetch builds undici's web Request,
 * Headers and streams per request), so the figure is less of the generator's own cost.
 */
export function keepAliveClient(baseUrl: string, connections: number) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const { hostname, port } = new URL(baseUrl);
  return {
    request(method: string, path: string, headers: Record<string, string>, body?: string): Promise<{ status: number; text: string }> {
      return new Promise((resolve, reject) => {
        const req = http.request({ host: hostname, port, method, path, agent, headers: body === undefined ? headers : { ...headers, 'content-length': String(Buffer.byteLength(body)) } }, (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (text += chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
          res.on('error', reject);
        });
        req.on('error', reject);
        req.end(body);
      });
    },
    close: () => agent.destroy(),
  };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
export const round = (x: number, d = 1) => (Number.isFinite(x) ? Math.round(x * 10 ** d) / 10 ** d : x);

export interface Summary {
  n: number;
  min: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

/** Nearest-rank percentiles of a sample (ms or whatever unit it is in). */
export function summarize(xs: number[]): Summary {
  const s = [...xs].sort((a, b) => a - b);
  const at = (p: number) => (s.length ? s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] : NaN);
  const mean = s.length ? s.reduce((a, b) => a + b, 0) / s.length : NaN;
  return {
    n: s.length,
    min: round(s[0] ?? NaN, 2),
    p50: round(at(50), 2),
    p95: round(at(95), 2),
    p99: round(at(99), 2),
    max: round(s[s.length - 1] ?? NaN, 2),
    mean: round(mean, 2),
  };
}

export function log(line: string) {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}\n`);
}

/** Runs `fn` over `items` with at most `concurrency` in flight. */
export async function pool<T, R>(items: T[], concurrency: number, fn: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      for (;;) {
        const i = next++;
        if (i >= items.length) return;
        out[i] = await fn(items[i], i);
      }
    }),
  );
  return out;
}

const tsxUrl = () => pathToFileURL(createRequire(join(ROOT, 'package.json')).resolve('tsx')).href;

export type DbTarget = { dialect: 'sqlite'; dataDir: string } | { dialect: 'postgres'; url: string; schema: string };

export function sqliteTarget(dataDir: string): DbTarget {
  return { dialect: 'sqlite', dataDir };
}
export function pgTarget(): DbTarget {
  if (!PG_URL) throw new Error('TEST_DATABASE_URL is not set');
  return { dialect: 'postgres', url: PG_URL, schema: `bench_${newId().replace(/-/g, '').slice(0, 12)}` };
}

export function openTarget(t: DbTarget): Promise<Store> {
  return t.dialect === 'sqlite'
    ? openStore({ dataDir: t.dataDir, sqliteFile: 'allot.db' })
    : openStore({ databaseUrl: t.url, pgSchema: t.schema });
}

export async function dropTarget(t: DbTarget) {
  if (t.dialect === 'postgres') await dropPgSchema(t.url, t.schema);
}

export interface ChildServer {
  url: string;
  child: ChildProcess;
  /** process.memoryUsage() of the server, after a forced GC when `gc` is true. */
  memory(gc?: boolean): Promise<NodeJS.MemoryUsage & { connections: number }>;
  /** Wall-clock ms (fractional) at which the server's store reported each committed change. */
  commits: { orgId: string; t: number }[];
  stop(): Promise<void>;
}

/**
 * The real app (server/app.ts) on its own Node process, over the given database, serving
 * `staticRoot` like server/main.ts does. Talks to the bench over IPC.
 */
export async function startChildServer(t: DbTarget, opts: { staticRoot?: string; script?: string } = {}): Promise<ChildServer> {
  const port = await freePort();
  const url = `http://localhost:${port}`;
  const child = fork(opts.script ?? join(ROOT, 'test/bench/server-child.ts'), [], {
    // BENCH_CPU_PROF=dir: a V8 CPU profile of the server process (to see what limits a figure).
    execArgv: ['--import', tsxUrl(), '--expose-gc', ...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [])],
    env: {
      ...process.env,
      BENCH_PORT: String(port),
      PUBLIC_URL: url,
      LOG_LEVEL: 'silent',
      // The bench signs in and claims far faster than people do: the limits would measure themselves.
      SIGNIN_RATE: '100000',
      CLAIM_RATE: '100000',
      PUBLIC_RATE: '100000',
      BENCH_DB: JSON.stringify(t),
      BENCH_STATIC: opts.staticRoot ?? '',
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const commits: ChildServer['commits'] = [];
  const waiting = new Map<string, (v: unknown) => void>();
  child.on('message', (raw: unknown) => {
    const m = raw as ChildMessage | null;
    if (m?.type === 'commit') commits.push({ orgId: m.orgId ?? '', t: m.t ?? 0 });
    else if (m?.id && waiting.has(m.id)) {
      waiting.get(m.id)!(m.value);
      waiting.delete(m.id);
    }
  });
  await new Promise<void>((resolve, reject) => {
    const onMsg = (m: unknown) => {
      if ((m as ChildMessage | null)?.type === 'ready') {
        child.off('message', onMsg);
        resolve();
      }
    };
    child.on('message', onMsg);
    child.once('exit', (code) => reject(new Error(`bench server exited (${code}) before it was ready`)));
  });
  const ask = <T>(type: string, extra: Record<string, unknown> = {}) =>
    new Promise<T>((resolve) => {
      const id = newId();
      waiting.set(id, (v) => resolve(v as T));
      child.send({ type, id, ...extra });
    });
  return {
    url,
    child,
    commits,
    memory: (gc = true) => ask<NodeJS.MemoryUsage & { connections: number }>('memory', { gc }),
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

type Row = Record<string, unknown> & { id: string };

/** What a bench server child process tells its parent. */
type ChildMessage = { type?: string; id?: string; value?: unknown; orgId?: string; t?: number };

/**
 * Writes documents as the server stores them (seq from the organization's counter, the
 * query columns), in one transaction with multi-row inserts: seeding 100,000 licenses
 * through HTTP or one `put` at a time would take longer than the figures.
 */
export async function bulkSeed(store: Store, orgId: string, batches: { collection: CollectionName; docs: Row[] }[]) {
  const nowIso = new Date().toISOString();
  await store.db.transaction().execute(async (tx) => {
    const counters = new Map<string, number>();
    const nextSeq = async (key: string) => {
      if (!counters.has(key)) {
        await tx.insertInto('org_seq').values({ org_id: key, seq: 0 }).onConflict((oc) => oc.column('org_id').doNothing()).execute();
        const r = await tx.selectFrom('org_seq').select('seq').where('org_id', '=', key).executeTakeFirstOrThrow();
        counters.set(key, Number(r.seq));
      }
      const s = counters.get(key)! + 1;
      counters.set(key, s);
      return s;
    };
    for (const { collection, docs } of batches) {
      const key = collection === 'products' ? CATALOG_ORG : orgId;
      const CHUNK = 1000;
      for (let i = 0; i < docs.length; i += CHUNK) {
        const rows = [];
        for (const d of docs.slice(i, i + CHUNK)) {
          const seq = await nextSeq(key);
          const doc = { ...d, seq, updatedAt: nowIso };
          rows.push({
            collection,
            id: d.id,
            org_id: key,
            seq,
            updated_at: nowIso,
            deleted: 0,
            data: JSON.stringify(doc),
            ...columnsOf(collection, { ...doc, _deleted: false }),
          });
        }
        await tx.insertInto('docs').values(rows).execute();
      }
    }
    for (const [key, seq] of counters) await tx.updateTable('org_seq').set({ seq }).where('org_id', '=', key).execute();
  });
}

/** Verified accounts with one session each; returns the Cookie header values. */
export async function bulkAccounts(store: Store, emails: string[]): Promise<{ id: string; email: string; cookie: string; secret: string }[]> {
  const at = new Date();
  const out = emails.map((email) => ({ id: newId(), email: email.toLowerCase(), secret: randomSecret(), cookie: '' }));
  for (const o of out) o.cookie = `allot_session=${o.secret}`;
  await store.db.transaction().execute(async (tx) => {
    for (let i = 0; i < out.length; i += 500) {
      const part = out.slice(i, i + 500);
      await tx
        .insertInto('accounts')
        .values(part.map((o) => ({ id: o.id, email: o.email, name: o.email.split('@')[0], email_verified_at: at.toISOString(), created_at: at.toISOString() })))
        .execute();
      await tx
        .insertInto('sessions')
        .values(
          part.map((o) => ({
            id_hash: sha256(o.secret),
            account_id: o.id,
            created_at: at.toISOString(),
            expires_at: new Date(at.getTime() + 7 * 86_400_000).toISOString(),
          })),
        )
        .execute();
    }
  });
  return out;
}

/** More sessions of one account (many streams of one person). */
export async function bulkSessions(store: Store, accountId: string, n: number): Promise<string[]> {
  const at = new Date();
  const secrets = Array.from({ length: n }, () => randomSecret());
  await store.db.transaction().execute(async (tx) => {
    for (let i = 0; i < secrets.length; i += 500) {
      await tx
        .insertInto('sessions')
        .values(
          secrets.slice(i, i + 500).map((s) => ({
            id_hash: sha256(s),
            account_id: accountId,
            created_at: at.toISOString(),
            expires_at: new Date(at.getTime() + 7 * 86_400_000).toISOString(),
          })),
        )
        .execute();
    }
  });
  return secrets;
}

export interface SeededOrg {
  orgId: string;
  memberId: string;
  admin: { id: string; email: string; cookie: string; secret: string };
  productIds: string[];
  teamIds: string[];
  orderIds: string[];
  counts: Record<string, number>;
}

/**
 * An organization of realistic shape: an org admin, products, teams, orders, `licenses`
 * licenses (a third assigned) and `contacts` contacts.
 */
export async function seedOrg(store: Store, opts: { name: string; licenses: number; contacts: number; teams?: number }): Promise<SeededOrg> {
  const orgId = newId();
  const tag = orgId.slice(0, 8);
  const [admin] = await bulkAccounts(store, [`admin-${tag}@bench.test`]);
  const memberId = newId();
  const productIds = Array.from({ length: 5 }, () => newId());
  const teamIds = Array.from({ length: opts.teams ?? 20 }, () => newId());
  const orderIds = Array.from({ length: 10 }, () => newId());
  const contactIds = Array.from({ length: Math.max(opts.contacts, 2) }, () => newId());
  const placed = '2026-01-15T10:00:00.000Z';
  const products = productIds.map((id, i) => ({ id, code: `B${tag}${i}`, name: `Bench product ${i} ${tag}` }));
  const orders = orderIds.map((id, i) => ({
    id,
    orgId,
    reference: `PO-${tag}-${i}`,
    placedAt: placed,
    teamId: teamIds[i % teamIds.length],
    licensee: { name: `Licensee ${i}`, email: `licensee${i}@${tag}.bench.test` },
    licenseeContactId: contactIds[0],
    billingContactId: contactIds[1],
    lines: [{ productId: productIds[i % productIds.length], quantity: Math.max(1, Math.ceil(opts.licenses / orderIds.length)) }],
    validUntil: '2099-12-31',
    materializedAt: placed,
  }));
  const licenses = Array.from({ length: opts.licenses }, (_, i) => {
    const o = i % orderIds.length;
    const assigned = i % 3 === 0;
    return {
      // Ordered ids, as an order's licenses get (server/collections/orders.ts).
      id: newOrderedId(),
      orgId,
      orderId: orderIds[o],
      teamId: teamIds[i % teamIds.length],
      productId: productIds[o % productIds.length],
      status: assigned ? 'assigned' : 'available',
      ...(assigned
        ? {
            assignee: { accountId: newId(), email: `user${i}@${tag}.bench.test`, name: `User ${i}` },
            assignedAt: placed,
          }
        : {}),
      validUntil: '2099-12-31',
    };
  });
  const roles = ['primaryLicensee', 'primaryTechnical', 'primaryBilling', 'unpaidInvoices', 'newQuotes', 'securityPrivacy', 'dataProtection'];
  const contacts = contactIds.slice(0, opts.contacts).map((id, i) => ({
    id,
    orgId,
    name: `Contact ${String(i).padStart(6, '0')}`,
    email: `contact${i}@${tag}.bench.test`,
    roles: i % 4 === 0 ? [roles[i % roles.length]] : [],
    orderIds: i % 4 === 1 ? [orderIds[i % orderIds.length]] : [],
    disabled: false,
    source: i % 4 === 1 ? 'order' : 'manual',
  }));
  await bulkSeed(store, orgId, [
    { collection: 'products', docs: products },
    { collection: 'organizations', docs: [{ id: orgId, orgId, name: opts.name }] },
    {
      collection: 'members',
      docs: [{ id: memberId, orgId, accountId: admin.id, email: admin.email, name: 'Bench admin', isOrgAdmin: true, adminOfTeamIds: [], disabled: false }],
    },
    { collection: 'teams', docs: teamIds.map((id, i) => ({ id, orgId, name: `Team ${String(i).padStart(3, '0')}` })) },
    { collection: 'orders', docs: orders },
    { collection: 'contacts', docs: contacts },
    { collection: 'licenses', docs: licenses },
  ]);
  return {
    orgId,
    memberId,
    admin,
    productIds,
    teamIds,
    orderIds,
    counts: {
      organizations: 1,
      members: 1,
      teams: teamIds.length,
      orders: orders.length,
      contacts: contacts.length,
      licenses: licenses.length,
    },
  };
}

/** Pools for claims: per pool a team, a product, `seats` available licenses and an invitation. */
export async function seedClaimPools(store: Store, opts: { pools: number; seats: number; contacts?: number }) {
  const orgId = newId();
  const tag = orgId.slice(0, 8);
  const [admin] = await bulkAccounts(store, [`creator-${tag}@bench.test`]);
  const memberId = newId();
  const orderId = newId();
  const pools = Array.from({ length: opts.pools }, (_, i) => ({ teamId: newId(), productId: newId(), invitationId: newId(), token: randomToken(), i }));
  await bulkSeed(store, orgId, [
    { collection: 'products', docs: pools.map((p) => ({ id: p.productId, code: `C${tag}${p.i}`, name: `Claim product ${p.i}` })) },
    { collection: 'organizations', docs: [{ id: orgId, orgId, name: `Claims ${tag}` }] },
    {
      collection: 'members',
      docs: [{ id: memberId, orgId, accountId: admin.id, email: admin.email, name: 'Creator', isOrgAdmin: true, adminOfTeamIds: [], disabled: false }],
    },
    { collection: 'teams', docs: pools.map((p) => ({ id: p.teamId, orgId, name: `Pool ${p.i}` })) },
    {
      collection: 'licenses',
      docs: pools.flatMap((p) =>
        // Ordered ids, as an order's licenses get (server/collections/orders.ts).
        Array.from({ length: opts.seats }, () => ({
          id: newOrderedId(),
          orgId,
          orderId,
          teamId: p.teamId,
          productId: p.productId,
          status: 'available',
          validUntil: '2099-12-31',
        })),
      ),
    },
    {
      collection: 'contacts',
      docs: Array.from({ length: opts.contacts ?? 0 }, (_, i) => ({
        id: newId(),
        orgId,
        name: `Contact ${i}`,
        email: `contact${i}@${tag}.bench.test`,
        // A few primary contacts (they get an email per claim); the rest notification-only or none.
        roles: i < 3 ? ['primaryLicensee'] : i % 4 === 0 ? ['unpaidInvoices'] : [],
        orderIds: [],
        disabled: false,
        source: 'manual',
      })),
    },
    {
      collection: 'invitations',
      docs: pools.map((p) => ({
        id: p.invitationId,
        orgId,
        teamId: p.teamId,
        productId: p.productId,
        name: `Pool ${p.i}`,
        token: p.token,
        allowedDomains: [],
        createdByMemberId: memberId,
      })),
    },
  ]);
  return { orgId, memberId, admin, pools };
}

/** Assigned licenses per pool and whether any license or person was counted twice. */
export async function oversellCheck(store: Store, orgId: string, pools: { teamId: string; invitationId: string }[], seats: number) {
  const rows = await listDocs(store.db, { collection: 'licenses', org: orgId, where: { status: 'assigned' } });
  const acc = await listDocs(store.db, { collection: 'acceptances', org: orgId });
  const perPool = pools.map((p) => rows.filter((r) => r.teamId === p.teamId).length);
  const people = new Set(rows.map((r) => `${r.teamId}:${r.assignee?.accountId}`));
  const licIds = acc.map((a) => a.licenseId);
  const ok =
    perPool.every((n) => n <= seats) && people.size === rows.length && new Set(licIds).size === licIds.length && acc.length === rows.length;
  const outboxRows = (await listOutbox(store.db)).filter((r) => r.org_id === orgId).length;
  return { ok, assigned: rows.length, acceptances: acc.length, maxPerPool: Math.max(...perPool), seatsPerPool: seats, outboxRows };
}

export async function sqliteSynchronous(store: Store): Promise<string | undefined> {
  if (store.dialect !== 'sqlite') return undefined;
  const r = await sql<{ synchronous: number }>`PRAGMA synchronous`.execute(store.db);
  return ['OFF', 'NORMAL', 'FULL', 'EXTRA'][Number(r.rows[0]?.synchronous)] ?? String(r.rows[0]?.synchronous);
}
