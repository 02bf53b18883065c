import { Hono } from 'hono';
import type { AppEnv } from '../app-env';
import { meAnswer } from '../auth/me';
import { requirePrincipal } from '../auth/middleware';

/** `GET /api/me` (DESIGN §5, shared/api.ts MeResponse). */
export const meRoutes = new Hono<AppEnv>().get('/', requirePrincipal, async (c) =>
  c.json(await meAnswer(c.get('deps').store.db, c.get('principal'))),
);
