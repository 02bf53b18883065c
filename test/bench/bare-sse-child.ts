/**
 * The live-update floor: a bare node:http Server-Sent Events broadcaster (no framework, no
 * session, no database, no per-person filtering). On IPC `broadcast` it notes the time and
 * writes the event to every open stream; it answers `memory` like server-child.ts.
 */
import { createServer, type ServerResponse } from 'node:http';

const clients = new Set<ServerResponse>();
const server = createServer((req, res) => {
  if (!req.url?.endsWith('/sync/stream')) {
    res.writeHead(404).end();
    return;
  }
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
  res.write(': subscribed\n\n');
  clients.add(res);
  req.on('close', () => clients.delete(res));
});
server.keepAliveTimeout = 0;
server.listen(Number(process.env.BENCH_PORT), () => process.send?.({ type: 'ready' }));

process.on('message', (raw: unknown) => {
  const m = raw as { type?: string; id?: string; gc?: boolean; data?: string } | null;
  if (m?.type === 'memory') {
    if (m.gc) (globalThis as { gc?: () => void }).gc?.();
    process.send?.({ id: m.id, value: { ...process.memoryUsage(), connections: clients.size } });
  } else if (m?.type === 'broadcast') {
    const t = performance.timeOrigin + performance.now();
    const frame = `data: ${m.data}\n\n`;
    for (const c of clients) c.write(frame);
    process.send?.({ type: 'commit', orgId: 'bare', t });
  }
});
process.on('SIGTERM', () => {
  for (const c of clients) c.destroy();
  server.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 2000).unref();
});
process.on('disconnect', () => process.exit(0));
