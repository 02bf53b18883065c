/**
 * Server-Sent Events written straight to the connection (DESIGN §5 live stream, the
 * `/api/orgs/:orgId/sync/stream` and `/api/me/stream` answers): the same bytes Hono's streamSSE
 * writes (its headers, `data:` lines, `event:` names, comments), without a web stream per
 * connection. A frame is made once (sseFrame) and the same buffer is written to every stream
 * it is for. Keep-alive comments come from one timer for all streams.
 */
import type { ServerResponse } from 'node:http';
import type { Context } from 'hono';

/** How long a stream stays silent before it says it is alive. */
export const KEEP_ALIVE_MS = 20_000;

/**
 * What a stream may hold unsent (a reader that stopped reading): beyond it the stream ends and
 * its client reconnects and pulls from its checkpoint (DESIGN §5), as after any lost stream.
 */
export const MAX_UNSENT_BYTES = 4 * 2 ** 20;

/** One SSE message: `event: <name>` when named, then `data: <line>` (the text must hold no line break: JSON does not). */
export function sseFrame(data: string, event?: string): Buffer {
  return Buffer.from(`${event ? `event: ${event}\n` : ''}data: ${data}\n\n`);
}

/** An SSE comment line (`: text`), which clients ignore. */
export const sseComment = (text: string): Buffer => Buffer.from(`: ${text}\n\n`);

const KEEP_ALIVE = sseComment('keep-alive');

/** The header that tells @hono/node-server the answer is written already. */
const ALREADY_SENT = 'x-hono-already-sent';

/**
 * The platform's Response class: @hono/node-server puts a lighter one in its place globally
 * (which it always writes out itself), whose prototype chain leads back to the platform's.
 */
function platformResponse(): typeof Response {
  let R: typeof Response = Response;
  while (Object.getPrototypeOf(R) !== Function.prototype) R = Object.getPrototypeOf(R) as typeof Response;
  return R;
}

/** Writes the head of `res` (its status and headers, but the already-sent mark) and sends it at once. */
function writeHead(outgoing: ServerResponse, res: Response) {
  const headers: Record<string, string | string[]> = {};
  res.headers.forEach((value, name) => {
    if (name !== ALREADY_SENT && name !== 'set-cookie') headers[name] = value;
  });
  const cookies = res.headers.getSetCookie();
  if (cookies.length) headers['set-cookie'] = cookies;
  outgoing.writeHead(res.status, headers);
  outgoing.flushHeaders();
}

/**
 * A frame as one HTTP/1.1 chunk (RFC 9112 §7.1: its size in hex, CRLF, the bytes, CRLF), exactly
 * as Node frames what a chunked response writes; made once per frame and shared like it.
 */
const chunks = new WeakMap<Buffer, Buffer>();
function chunkOf(frame: Buffer): Buffer {
  let chunk = chunks.get(frame);
  if (chunk === undefined) {
    const size = `${frame.length.toString(16)}\r\n`;
    chunk = Buffer.allocUnsafe(size.length + frame.length + 2);
    chunk.write(size, 0, 'latin1');
    frame.copy(chunk, size.length);
    chunk.write('\r\n', size.length + frame.length, 'latin1');
    chunks.set(frame, chunk);
  }
  return chunk;
}

/**
 * Writing frames and ending the answer. Made here, away from the request's context, so that a
 * stream that lives for hours keeps the connection and nothing of the request. Once the head
 * has gone to the connection (it has, when the answer holds its socket) and the answer is
 * chunked, each frame goes to the socket itself as one chunk: one write that leaves at once,
 * where the response object would queue four pieces (size, CRLF, frame, CRLF) for the next
 * tick. The answer's own end() still writes the last chunk.
 */
function sinkOf(outgoing: ServerResponse, close: () => void): [(frame: Buffer) => void, () => void] {
  const socket = outgoing.chunkedEncoding ? outgoing.socket : null;
  return [
    (frame) => {
      if (socket) socket.write(chunkOf(frame));
      else outgoing.write(frame);
      // The answer's unsent bytes include its socket's.
      if (outgoing.writableLength > MAX_UNSENT_BYTES) {
        close();
        outgoing.destroy();
      }
    },
    () => outgoing.end(),
  ];
}

export interface SseStream {
  /** Sends a frame (kept until the answer starts); nothing once the stream is closed. */
  write(frame: Buffer): void;
  /** Ends the stream (idempotent). */
  close(): void;
  /** Called once when the stream ends, whoever ended it (at once when it has already ended). */
  onClose(fn: () => void): void;
  readonly closed: boolean;
  /** The answer to return from the route: the stream starts once every middleware has passed over it. */
  respond(c: Context): Response;
}

interface Live {
  lastWrite: number;
  write(frame: Buffer): void;
}

/** Open streams, and the one timer that says each is alive after KEEP_ALIVE_MS of silence. */
const live = new Set<Live>();
let ticker: ReturnType<typeof setInterval> | undefined;

function follow(s: Live) {
  live.add(s);
  ticker ??= setInterval(() => {
    const due = Date.now() - KEEP_ALIVE_MS;
    for (const l of live) if (l.lastWrite <= due) l.write(KEEP_ALIVE);
  }, 1000);
  ticker.unref?.();
}

function unfollow(s: Live) {
  live.delete(s);
  if (!live.size && ticker) {
    clearInterval(ticker);
    ticker = undefined;
  }
}

/**
 * A stream for one request. Frames written before it starts are kept and sent first. On Node
 * (@hono/node-server) it writes to the response object itself; elsewhere (app.request in
 * tests) through a ReadableStream.
 */
export function sseStream(): SseStream {
  let closed = false;
  let pending: Buffer[] = [];
  let sink: ((frame: Buffer) => void) | null = null;
  let finish: (() => void) | null = null;
  const closers: (() => void)[] = [];
  const state: Live = {
    lastWrite: Date.now(),
    write(frame) {
      if (closed) return;
      state.lastWrite = Date.now();
      if (sink) sink(frame);
      else pending.push(frame);
    },
  };

  function close() {
    if (closed) return;
    closed = true;
    unfollow(state);
    finish?.();
    for (const fn of closers.splice(0)) fn();
  }

  function start(write: (frame: Buffer) => void, end: () => void) {
    sink = write;
    finish = end;
    for (const f of pending) write(f);
    pending = [];
    if (closed) end();
    else follow(state);
  }

  return {
    write: state.write,
    close,
    onClose(fn) {
      if (closed) fn();
      else closers.push(fn);
    },
    get closed() {
      return closed;
    },
    respond(c) {
      // The headers streamSSE sets.
      c.header('Transfer-Encoding', 'chunked');
      c.header('Content-Type', 'text/event-stream');
      c.header('Cache-Control', 'no-cache');
      c.header('Connection', 'keep-alive');
      const outgoing = (c.env as { outgoing?: ServerResponse } | undefined)?.outgoing;
      if (!outgoing) {
        // In-process (app.request): the frames go through the body.
        const body = new ReadableStream<Uint8Array>({
          start: (controller) =>
            start(
              (frame) => controller.enqueue(frame),
              () => controller.close(),
            ),
          cancel: () => close(),
        });
        return c.body(body);
      }
      // On Node the stream writes to the response object itself. The answer returned is a
      // platform Response with no body that @hono/node-server leaves alone (its
      // x-hono-already-sent header); every middleware still adds its headers to it on the way
      // out, and the head is written from it on the next turn of the event loop.
      outgoing.on('close', close);
      setImmediate(() => {
        if (outgoing.destroyed) return close();
        writeHead(outgoing, c.res);
        start(...sinkOf(outgoing, close));
      });
      // The headers set so far, read without touching c.res (which would make Hono wrap the answer in its own class).
      const headers = new Headers(c.newResponse(null).headers);
      headers.set(ALREADY_SENT, '1');
      return new (platformResponse())(null, { status: 200, headers });
    },
  };
}
