/**
 * The bench's server process: server/app.ts over the database the bench names (BENCH_DB),
 * listening on BENCH_PORT like server/main.ts. Over IPC it reports when it is ready, the time
 * of every committed change its store announces, and its memory on request.
 */
import { serve } from '@hono/node-server';
import { pino } from 'pino';
import { createApp } from '../../server/app';
import { parseConfig } from '../../server/config';
import { logMailer } from '../../server/mail/mailer';
import { openStore } from '../../server/store/open-store';
import type { DbTarget } from './lib';

const t = JSON.parse(process.env.BENCH_DB ?? '{}') as DbTarget;
const store =
  t.dialect === 'postgres'
    ? await openStore({ databaseUrl: t.url, pgSchema: t.schema })
    : await openStore({ dataDir: t.dataDir, sqliteFile: 'allot.db' });
const logger = pino({ level: 'silent' });
const config = parseConfig(process.env);
const built = createApp({ store, mailer: logMailer(logger), config, logger, staticRoot: process.env.BENCH_STATIC || undefined });
store.onChange((orgId) => process.send?.({ type: 'commit', orgId, t: performance.timeOrigin + performance.now() }));

const server = serve({ fetch: built.app.fetch, port: Number(process.env.BENCH_PORT) }, () => process.send?.({ type: 'ready' }));

process.on('message', (raw: unknown) => {
  const m = raw as { type?: string; id?: string; gc?: boolean } | null;
  if (m?.type === 'memory') {
    if (m.gc) (globalThis as { gc?: () => void }).gc?.();
    process.send?.({ id: m.id, value: { ...process.memoryUsage(), connections: built.deps.hub.connectionCount() } });
  }
});

let closing = false;
async function shutdown() {
  if (closing) return;
  closing = true;
  const force = setTimeout(() => process.exit(1), 5000);
  force.unref();
  built.close();
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    (server as { closeAllConnections?: () => void }).closeAllConnections?.();
  });
  await store.close();
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown());
process.on('disconnect', () => void shutdown());
