import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import { secureHeaders } from 'hono/secure-headers';
import { serve, type ServerType } from '@hono/node-server';
import { connect, type AddressInfo } from 'node:net';
import { changeFrame } from './hub';
import { KEEP_ALIVE_MS, sseComment, sseFrame, sseStream, type SseStream } from './sse';

/** Streams written straight to the connection send what Hono's streamSSE sent: same head, same bytes. */
describe('SSE written to the connection', () => {
  let server: ServerType;
  let base = '';
  const streams: SseStream[] = [];
  beforeAll(async () => {
    const app = new Hono()
      .use('*', secureHeaders())
      .use('*', async (c, next) => {
        await next();
        if (!c.res.headers.has('Cache-Control')) c.res.headers.set('Cache-Control', 'no-store');
      })
      .get('/hono', (c) =>
        streamSSE(c, async (s) => {
          await s.write(': subscribed\n\n');
          await s.writeSSE({ data: '{"a":1}' });
          await s.writeSSE({ event: 'reach', data: '{"b":2}' });
          await s.close();
        }),
      )
      .get('/direct', (c) => {
        const s = sseStream();
        s.write(sseComment('subscribed'));
        s.write(sseFrame('{"a":1}'));
        s.write(sseFrame('{"b":2}', 'reach'));
        streams.push(s);
        // Ended once sent, like the Hono stream above.
        setTimeout(() => s.close(), 50);
        return s.respond(c);
      });
    server = serve({ fetch: app.fetch, port: 0 });
    await new Promise((r) => server.once('listening', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('has the same status, headers and body as streamSSE', async () => {
    const [hono, direct] = await Promise.all([fetch(`${base}/hono`), fetch(`${base}/direct`)]);
    const heads = (r: Response) => [...r.headers].filter(([k]) => k !== 'date' && k !== 'keep-alive');
    expect(direct.status).toBe(hono.status);
    expect(heads(direct)).toEqual(heads(hono));
    expect(direct.headers.get('content-type')).toBe('text/event-stream');
    expect(await direct.text()).toBe(await hono.text());
  });

  it('puts the same chunks on the wire as streamSSE (each frame one HTTP/1.1 chunk, then the last chunk)', async () => {
    /** The raw bytes after the head of a GET, read until its last chunk (the connection is kept alive). */
    const wire = (path: string) =>
      new Promise<string>((resolve, reject) => {
        const { port } = server.address() as AddressInfo;
        const socket = connect(port, '127.0.0.1', () => socket.write(`GET ${path} HTTP/1.1\r\nHost: x\r\n\r\n`));
        let text = '';
        socket.setEncoding('latin1');
        socket.on('data', (d: string) => {
          text += d;
          if (!text.endsWith('\r\n0\r\n\r\n')) return;
          socket.destroy();
          resolve(text.slice(text.indexOf('\r\n\r\n') + 4));
        });
        socket.on('error', reject);
      });
    const [hono, direct] = await Promise.all([wire('/hono'), wire('/direct')]);
    expect(direct).toBe(hono);
    expect(direct).toMatch(/^e\r\n: subscribed\n\n\r\n.*0\r\n\r\n$/s);
  });

  it('makes a change frame byte for byte as JSON.stringify of the event', () => {
    const documents = [{ id: 'c1', name: 'Ünï "quoted"\nline', seq: 7 }];
    const event = { type: 'change', collection: 'contacts', documents, checkpoint: { seq: 7, scope: 'abc' } };
    expect(changeFrame('contacts', JSON.stringify(documents), 7, 'abc').toString()).toBe(`data: ${JSON.stringify(event)}\n\n`);
  });

  it('says it is alive after KEEP_ALIVE_MS of silence, and not before', async () => {
    vi.useFakeTimers();
    try {
      const s = sseStream();
      const app = new Hono().get('/', (c) => s.respond(c));
      const res = await app.request('/');
      const reader = res.body!.getReader();
      s.write(sseComment('subscribed'));
      expect(new TextDecoder().decode((await reader.read()).value)).toBe(': subscribed\n\n');
      vi.advanceTimersByTime(KEEP_ALIVE_MS - 2000);
      s.write(sseFrame('{}'));
      expect(new TextDecoder().decode((await reader.read()).value)).toBe('data: {}\n\n');
      vi.advanceTimersByTime(KEEP_ALIVE_MS + 1000);
      expect(new TextDecoder().decode((await reader.read()).value)).toBe(': keep-alive\n\n');
      let closed = 0;
      s.onClose(() => closed++);
      s.close();
      s.close();
      expect(closed).toBe(1);
      expect((await reader.read()).done).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });
});
