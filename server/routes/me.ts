import { Hono } from 'hono';
import type { AppEnv } from '../app-env';
import { meAnswer, myLicenses } from '../auth/me';
import { requireAccount } from '../auth/middleware';
import { profileRequestSchema } from '../../shared/api';
import { validate } from '../http';
import { setAccountName } from '../store/accounts';
import { meStream } from './me-stream';
import { answer } from '../http';
import { deactivateMachine } from '../activation/activate';

/**
 * The signed-in account across organizations (DESIGN §5, shared/api.ts): `GET /api/me`,
 * `GET /api/me/licenses` (with each license's machines, DESIGN §14), `POST
 * /api/me/machines/:id/deactivate` (the holder frees a machine's place), and `GET /api/me/stream`
 * (live, server/routes/me-stream.ts).
 */
export const meRoutes = new Hono<AppEnv>()
  .use('*', requireAccount)
  .get('/', async (c) => c.json(await meAnswer(c.get('deps').store.db, c.get('account')!)))
  /** The account's name (issue 16 §11) → 200 the new `/api/me`; 400 `invalid-body` for an empty or over-long name. */
  .patch('/', validate('json', profileRequestSchema), async (c) => {
    const { store } = c.get('deps');
    const account = c.get('account')!;
    const { name } = c.req.valid('json');
    await setAccountName(store.db, account.id, name);
    return c.json(await meAnswer(store.db, { ...account, name }));
  })
  .get('/licenses', async (c) => c.json(await myLicenses(c.get('deps').store.db, c.get('account')!)))
  .post('/machines/:id/deactivate', async (c) => answer(c, await deactivateMachine(c.get('deps'), c.get('account')!, c.req.param('id'))))
  .get('/stream', meStream);
