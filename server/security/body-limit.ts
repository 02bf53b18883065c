import type { IncomingMessage } from 'node:http';
import type { Context, MiddlewareHandler } from 'hono';
import type { AppEnv } from '../app-env';
import { apiError } from '../http';

export interface BodyLimitOptions {
  /** Largest body a request may carry, in bytes. */
  maxBytes: number;
  /**
   * How much of a refused body is still read and discarded (bytes), so the connection stays
   * usable for the client's next request (HTTP/1.1 keep-alive, RFC 9112 §9.3). Beyond it, or
   * after `drainMs`, the answer says `Connection: close` and the connection is closed after it.
   */
  drainBytes: number;
  drainMs: number;
}

/**
 * Reads `reader` to its end, discarding, within `bytes` and `ms`. True when the whole body
 * was read (the connection can carry another request), false when it gave up.
 */
async function discard(reader: ReadableStreamDefaultReader<Uint8Array>, bytes: number, ms: number): Promise<boolean> {
  let seen = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), ms);
    timer.unref?.();
  });
  try {
    for (;;) {
      const r = await Promise.race([reader.read(), late]);
      if (r === 'late') return false;
      if (r.done) return true;
      seen += r.value.byteLength;
      if (seen > bytes) return false;
    }
  } catch {
    // The client went away mid-body: nothing more will come on this connection.
    return false;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * GET and HEAD requests have no body (fetch's Request refuses one): they are let through
 * without asking for it, which on @hono/node-server would build a whole web Request (headers,
 * URL, abort controller) that a long-lived answer such as a live stream then keeps.
 */
const mayHaveBody = (c: Context) => c.req.method !== 'GET' && c.req.method !== 'HEAD';

/**
 * The Node request behind `c` on @hono/node-server (none under app.request in tests). Its
 * headers and state are read directly: asking `c.req.raw` for the body builds a whole web
 * Request and a web stream over the socket, which a claim (whose body is `{}`, never read)
 * paid for on every request.
 */
const incomingOf = (c: Context): IncomingMessage | undefined => (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;

/** A request header, from the Node request when there is one (no web Headers built). */
function headerOf(c: Context, incoming: IncomingMessage | undefined, name: string): string | undefined {
  if (!incoming) return c.req.header(name);
  const v = incoming.headers[name];
  return Array.isArray(v) ? v.join(', ') : v;
}

function tooLarge(c: Context, maxBytes: number, reusable: boolean) {
  // Said when the rest of the body was not read: the client must not send another request
  // on this connection, and Node closes it once the answer is out.
  if (!reusable) c.header('Connection', 'close');
  const size = maxBytes >= 1024 * 1024 ? `${Math.round(maxBytes / 1024 / 1024)} MB` : `${Math.round(maxBytes / 1024)} KB`;
  return apiError(c, 'payload-too-large', `The request body is larger than ${size}`);
}

/**
 * After the answer, reads away a body the handler never read (a refusal: 401, 403, 404, 429…),
 * so the client's next request on this keep-alive connection is not taken for the rest of
 * this body; too large or too slow to read away, the answer says `Connection: close`.
 * First in the chain, so it also covers answers given before the body limit looks.
 */
export function keepConnection(opts: Omit<BodyLimitOptions, 'maxBytes'>): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    await next();
    if (!mayHaveBody(c)) return;
    // Never read and already all received: nothing of it is left on the wire, and Node discards
    // what it buffered once the answer is out (IncomingMessage._dump).
    const incoming = incomingOf(c);
    if (incoming && !incoming.readableDidRead && incoming.complete) return;
    const req = c.req.raw;
    if (!req.body || req.bodyUsed || req.body.locked) return;
    if (!(await discard(req.body.getReader(), opts.drainBytes, opts.drainMs))) c.res.headers.set('Connection', 'close');
  };
}

/**
 * Refuses bodies over `maxBytes` with 413 `payload-too-large` and keeps the keep-alive
 * connection usable: a declared Content-Length over the limit is answered after the body was
 * read and discarded; a chunked body is counted as it arrives (and kept for the handler when
 * it fits). A body too large or too slow to discard gets `Connection: close` instead of a
 * connection hung up under a `keep-alive` answer.
 */
export function bodyLimit(opts: BodyLimitOptions): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (!mayHaveBody(c)) return next();
    const incoming = incomingOf(c);
    const declared = headerOf(c, incoming, 'content-length');
    if (declared !== undefined && !headerOf(c, incoming, 'transfer-encoding')) {
      const length = Number.parseInt(declared, 10);
      if (!(length > opts.maxBytes)) return next();
      const body = c.req.raw.body;
      if (!body) return next();
      // Node's parser frames the body by Content-Length: we never read past it.
      if (length > opts.maxBytes + opts.drainBytes) return tooLarge(c, opts.maxBytes, false);
      return tooLarge(c, opts.maxBytes, await discard(body.getReader(), opts.drainBytes, opts.drainMs));
    }
    // No length given (chunked): count while reading, keep what fits.
    const body = c.req.raw.body;
    if (!body) return next();
    const reader = body.getReader();
    const chunks: Uint8Array[] = [];
    let size = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > opts.maxBytes) return tooLarge(c, opts.maxBytes, await discard(reader, opts.drainBytes, opts.drainMs));
      chunks.push(value);
    }
    const whole = new Uint8Array(size);
    let at = 0;
    for (const chunk of chunks) {
      whole.set(chunk, at);
      at += chunk.byteLength;
    }
    c.req.raw = new Request(c.req.raw, { body: whole });
    await next();
  };
}
