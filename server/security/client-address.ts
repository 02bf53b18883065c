import type { Context } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';

export const UNKNOWN_ADDRESS = 'unknown';

/**
 * The address a request came from (DESIGN §10): the socket's peer, or — only when TRUST_PROXY
 * is set — the address our proxy put last in X-Forwarded-For (earlier entries are the
 * client's own say and can be forged). In-process requests (tests calling app.request) have
 * no socket: UNKNOWN_ADDRESS.
 */
export function clientAddress(c: Context, trustProxy: boolean): string {
  if (trustProxy) {
    const xff = c.req.header('x-forwarded-for');
    const last = xff
      ?.split(',')
      .map((s) => s.trim())
      .filter(Boolean)
      .pop();
    if (last) return normalize(last);
  }
  let peer: string | undefined;
  try {
    peer = getConnInfo(c).remote.address;
  } catch {
    // No Node socket behind this request (app.request in tests).
  }
  return peer ? normalize(peer) : UNKNOWN_ADDRESS;
}

/** `::ffff:1.2.3.4` and `1.2.3.4` are one client. */
const normalize = (addr: string) => addr.replace(/^::ffff:/i, '').toLowerCase();
