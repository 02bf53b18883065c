import { afterAll, describe, expect, it } from 'vitest';
import { createConnection, createServer, type Server } from 'node:net';
import { skipWithoutPg } from '../helpers/pg';
import { freePort } from '../helpers/net';
import { startServerProcess, throwawayDatabase, type ServerProcess } from '../helpers/server-process';


/**
 * A server started before its PostgreSQL answers (both started together, or the database
 * restarting) waits for it instead of exiting. The database's port is a forwarder that only
 * starts listening after a few seconds.
 */
describe.skipIf(skipWithoutPg('postgres', 'the start-up-before-the-database suite'))('a server started before its database is reachable', () => {
  let db: Awaited<ReturnType<typeof throwawayDatabase>> | undefined;
  let forwarder: Server | undefined;
  let server: ServerProcess | undefined;
  afterAll(async () => {
    await server?.kill('SIGTERM');
    await new Promise<void>((resolve) => (forwarder ? forwarder.close(() => resolve()) : resolve()));
    await db?.drop();
  });

  it('waits for it, then serves', async () => {
    db = await throwawayDatabase('allot_startup');
    const target = new URL(db.url);
    const port = await freePort();
    const late = Object.assign(new URL(db.url), { port: String(port) }).toString();
    // The database "comes up" only once the server has said it is waiting for it: a fixed delay
    // would race the server's own start-up on a loaded machine.
    const open = () => {
      if (forwarder) return;
      forwarder = createServer((socket) => {
        const upstream = createConnection(Number(target.port || 5432), target.hostname);
        socket.pipe(upstream).pipe(socket);
        socket.on('error', () => upstream.destroy());
        upstream.on('error', () => socket.destroy());
      });
      forwarder.listen(port, '127.0.0.1');
    };
    server = await startServerProcess({ DATABASE_URL: late, LOG_LEVEL: 'info' }, (all) => {
      if (all.includes('the database cannot be reached yet; trying again')) open();
    });
    expect(server.output()).toContain('the database cannot be reached yet; trying again');
    const health = await (await fetch(`${server.url}/api/health`)).json();
    expect(health).toMatchObject({ ok: true, database: 'up', listen: 'up' });
  });
});
