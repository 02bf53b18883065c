/**
 * Figure 3: live updates. N stream clients (GET /api/orgs/:orgId/sync/stream, each its own session of
 * an org admin) on the real server in its own process; a change is pushed over HTTP and the
 * time from its commit (the server's store announcing it) to each client's receipt is
 * measured, with the server's memory per connection; at 1,000 streams, then at 10,000 (fewer
 * changes). Baseline: the same N clients on a bare node:http SSE broadcaster in its own process.
 */
import http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { getDoc, listDocs } from '../../server/store/docs';
import { SCHEMA_VERSION } from '../../shared/schemas';
import { SCHEMA_HEADER } from '../../shared/sync';
import { newId } from '../../shared/ids';
import { streamPath, syncPath } from '../../shared/sync-paths';
import {
  QUICK,
  ROOT,
  bulkSessions,
  log,
  now,
  openTarget,
  pool,
  round,
  seedOrg,
  sleep,
  sqliteTarget,
  startChildServer,
  summarize,
  type ChildServer,
} from './lib';

const CLIENTS = QUICK ? 300 : 1000;
const CHANGES = QUICK ? 5 : 20;
/** The larger run: memory per connection (and latency, over fewer changes) at 10,000 streams. */
const MANY = QUICK ? 3000 : 10_000;
const MANY_CHANGES = QUICK ? 3 : 5;

interface Client {
  req: http.ClientRequest;
  received: Map<string, number>;
  watch: Set<string>;
  opened: Promise<void>;
}

function connect(url: string, cookie: string, agent: http.Agent): Client {
  // `url` is the stream's whole address.
  const received = new Map<string, number>();
  const watch = new Set<string>();
  let tail = '';
  let openedResolve!: () => void;
  let openedReject!: (e: unknown) => void;
  const opened = new Promise<void>((res, rej) => {
    openedResolve = res;
    openedReject = rej;
  });
  const req = http.get(
    url,
    { agent, headers: { cookie, accept: 'text/event-stream', [SCHEMA_HEADER]: String(SCHEMA_VERSION) } },
    (res) => {
      if (res.statusCode !== 200) {
        openedReject(new Error(`stream answered ${res.statusCode}`));
        res.resume();
        return;
      }
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        const t = now();
        const text = tail + chunk;
        if (text.includes(': subscribed')) openedResolve();
        for (const m of watch) {
          if (!received.has(m) && text.includes(m)) received.set(m, t);
        }
        tail = text.slice(-64);
      });
    },
  );
  req.on('error', (e) => openedReject(e));
  return { req, received, watch, opened };
}

async function measure(
  server: ChildServer,
  cookies: string[],
  change: (marker: string) => Promise<void>,
  orgId: string,
  streamUrl: string,
  changes = CHANGES,
) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });
  const before = await server.memory(true);
  const clients: Client[] = [];
  await pool(cookies, 25, async (cookie) => {
    const c = connect(streamUrl, cookie, agent);
    clients.push(c);
    await c.opened;
  });
  await sleep(1000);
  const after = await server.memory(true);
  const latencies: number[] = [];
  let missing = 0;
  const perChange: number[] = [];
  for (let k = 0; k < changes; k++) {
    const marker = `live${k}x${newId().slice(0, 8)}`;
    for (const c of clients) c.watch.add(marker);
    const sent = now();
    await change(marker);
    const deadline = Date.now() + 15_000;
    while (clients.some((c) => !c.received.has(marker)) && Date.now() < deadline) await sleep(5);
    await sleep(50);
    const commit = server.commits.find((x) => x.orgId === orgId && x.t >= sent - 1);
    if (!commit) throw new Error('no commit was announced for the change');
    const lat = clients.filter((c) => c.received.has(marker)).map((c) => c.received.get(marker)! - commit.t);
    missing += clients.length - lat.length;
    latencies.push(...lat);
    perChange.push(Math.max(...lat));
    for (const c of clients) c.watch.delete(marker);
    await sleep(150);
  }
  for (const c of clients) c.req.destroy();
  agent.destroy();
  return {
    clients: clients.length,
    changes,
    latencyMs: summarize(latencies),
    lastClientMs: summarize(perChange),
    missing,
    memory: {
      rssBeforeMB: round(before.rss / 2 ** 20),
      rssAfterMB: round(after.rss / 2 ** 20),
      rssPerConnKB: round((after.rss - before.rss) / clients.length / 1024),
      heapPerConnKB: round((after.heapUsed - before.heapUsed) / clients.length / 1024),
      serverCountedConnections: after.connections,
    },
  };
}

export async function liveFigure() {
  const dir = mkdtempSync(join(ROOT, 'bench/tmp/live-'));
  const target = sqliteTarget(dir);
  const store = await openTarget(target);
  try {
    const org = await seedOrg(store, { name: 'Live', licenses: 100, contacts: 100, teams: 5 });
    const secrets = await bulkSessions(store, org.admin.id, MANY);
    const allCookies = secrets.map((s) => `allot_session=${s}`);
    const contactId = (
      await listDocs(store.db, { collection: 'contacts', org: org.orgId }, { orderBy: 'seq', limit: 1, offset: 10 })
    )[0].id;

    /** `n` streams on one child server (the app, or the bare broadcaster of `script`) over `changes` changes. */
    const on = async (n: number, changes: number, script: string | undefined, change: (server: ChildServer, marker: string) => Promise<void>, orgId: string) => {
      const server = await startChildServer(target, script ? { script } : {});
      try {
        return await measure(server, allCookies.slice(0, n), (marker) => change(server, marker), orgId, server.url + streamPath(org.orgId), changes);
      } finally {
        await server.stop();
      }
    };
    /** The app's streams, then the bare broadcaster's, each with `n` clients over `changes` changes. */
    const run = async (n: number, changes: number) => {
      const app = await on(
        n,
        changes,
        undefined,
        async (server, marker) => {
          const doc = (await getDoc(store.db, 'contacts', contactId))!;
          const res = await fetch(server.url + syncPath(org.orgId, 'contacts', 'push'), {
            method: 'POST',
            headers: { 'content-type': 'application/json', origin: server.url, cookie: org.admin.cookie, [SCHEMA_HEADER]: String(SCHEMA_VERSION) },
            body: JSON.stringify([{ assumedMasterState: doc, newDocumentState: { ...doc, name: marker } }]),
          });
          const body = (await res.json()) as { conflicts: unknown[]; rejected: unknown[] };
          if (res.status !== 200 || body.conflicts.length || body.rejected.length) throw new Error(`push refused: ${res.status} ${JSON.stringify(body).slice(0, 300)}`);
        },
        org.orgId,
      );
      log(`  live app, ${n} streams: p50 ${app.latencyMs.p50} p99 ${app.latencyMs.p99} ms, ${app.memory.rssPerConnKB} KB/conn`);
      const floor = await on(
        n,
        changes,
        join(ROOT, 'test/bench/bare-sse-child.ts'),
        async (bare, marker) => {
          bare.child.send({ type: 'broadcast', data: JSON.stringify({ type: 'change', collection: 'contacts', documents: [{ id: contactId, name: marker }] }) });
        },
        'bare',
      );
      log(`  live bare, ${n} streams: p50 ${floor.latencyMs.p50} p99 ${floor.latencyMs.p99} ms, ${floor.memory.rssPerConnKB} KB/conn`);
      return { app, floor };
    };
    const { app, floor } = await run(CLIENTS, CHANGES);
    const many = await run(MANY, MANY_CHANGES);
    return {
      app,
      bareSse: floor,
      p99VsBare: round(app.latencyMs.p99 / floor.latencyMs.p99, 2),
      memoryVsBare: round(app.memory.rssPerConnKB / floor.memory.rssPerConnKB, 2),
      many: {
        app: many.app,
        bareSse: many.floor,
        p99VsBare: round(many.app.latencyMs.p99 / many.floor.latencyMs.p99, 2),
        memoryVsBare: round(many.app.memory.rssPerConnKB / many.floor.memory.rssPerConnKB, 2),
      },
    };
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
