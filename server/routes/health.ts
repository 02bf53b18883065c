import { hostname } from 'node:os';
import { Hono } from 'hono';
import type { AppEnv } from '../app-env';

/** Which process answered: host name and process id (several instances behind one balancer, DESIGN §9). */
const INSTANCE = `${hostname()}:${process.pid}`;

/**
 * `GET /api/health` for a load balancer: `{ok, database: 'up'|'down', listen?: 'up'|'reconnecting',
 * instance}`. 200 while the database answers (within 3 s); 503 when it does not, so the
 * balancer sends requests elsewhere. `listen` (PostgreSQL only) is the connection live updates
 * arrive by: while it is 'reconnecting' requests are served and streams catch up once it is
 * back.
 */
export const healthRoutes = new Hono<AppEnv>().get('/', async (c) => {
  const health = await c.get('deps').store.health(3000);
  const ok = health.database === 'up';
  c.header('Cache-Control', 'no-store');
  return c.json({ ok, ...health, instance: INSTANCE }, ok ? 200 : 503);
});
