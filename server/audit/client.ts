import type { Context } from 'hono';
import type { AppEnv } from '../app-env';
import { clientAddress } from '../security/client-address';
import type { AuditClient } from './record';

/** Where a request came from, as the audit log keeps it: the client address (TRUST_PROXY honoured) and the User-Agent. */
export function auditClientOf(c: Context<AppEnv>): AuditClient {
  return {
    address: clientAddress(c, c.get('deps').config.TRUST_PROXY).slice(0, 64),
    userAgent: (c.req.header('user-agent') ?? '').slice(0, 300),
  };
}
