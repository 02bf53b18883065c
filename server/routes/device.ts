import { Hono } from 'hono';
import type { AppEnv } from '../app-env';
import { approveDeviceSchema, denyDeviceSchema } from '../../shared/activation-api';
import { requireAccount } from '../auth/middleware';
import { publicRateLimit } from '../security/limits';
import { answer, validate } from '../http';
import { approveDevice, denyDevice, deviceRequestInfo } from '../activation/device';

/**
 * The /activate page's own API (DESIGN §14 point 2): signed in, same origin; PUBLIC_RATE per
 * client address and minute, so user codes cannot be guessed at speed (RFC 8628 §5.1).
 */
export const deviceRoutes = new Hono<AppEnv>()
  .use('*', publicRateLimit)
  .get('/:userCode', requireAccount, async (c) => answer(c, await deviceRequestInfo(c.get('deps'), c.get('account')!, c.req.param('userCode'))))
  .post('/approve', requireAccount, validate('json', approveDeviceSchema), async (c) =>
    answer(c, await approveDevice(c.get('deps'), c.get('account')!, c.req.valid('json'))),
  )
  .post('/deny', requireAccount, validate('json', denyDeviceSchema), async (c) =>
    answer(c, await denyDevice(c.get('deps'), c.get('account')!, c.req.valid('json'))),
  );
