import { Hono } from 'hono';
import type { AppEnv } from '../app-env';
import { meAnswer, myLicenses } from '../auth/me';
import { requireAccount } from '../auth/middleware';
import { meStream } from './me-stream';

/**
 * The signed-in account across organizations (DESIGN §5, shared/api.ts): `GET /api/me`,
 * `GET /api/me/licenses`, and `GET /api/me/stream` (live, server/routes/me-stream.ts).
 */
export const meRoutes = new Hono<AppEnv>()
  .use('*', requireAccount)
  .get('/', async (c) => c.json(await meAnswer(c.get('deps').store.db, c.get('account')!)))
  .get('/licenses', async (c) => c.json(await myLicenses(c.get('deps').store.db, c.get('account')!)))
  .get('/stream', meStream);
