import type { Context } from 'hono';

export const UNKNOWN_ADDRESS = 'unknown';

/**
 * The address a request came from: the socket's peer, or — only when TRUST_PROXY is set —
 * the address our proxy put last in X-Forwarded-For (earlier entries are the client's own
 * say and can be forged). In-process requests (tests calling app.request) have no socket.
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
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } }; server?: { incoming?: { socket?: { remoteAddress?: string } } } } | undefined;
  const socket = env?.incoming?.socket ?? env?.server?.incoming?.socket;
  return socket?.remoteAddress ? normalize(socket.remoteAddress) : UNKNOWN_ADDRESS;
}

/** `::ffff:1.2.3.4` and `1.2.3.4` are one client. */
const normalize = (addr: string) => addr.replace(/^::ffff:/i, '').toLowerCase();
