import type { ServerResponse } from 'node:http';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { scriptedServer, type ScriptedServer } from '../../test/helpers/scripted-server';
import { openEventStream, type EventStream, type EventStreamOptions } from './event-stream';

const streamHead = (res: ServerResponse) => res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store' });
const until = (check: () => boolean) => vi.waitFor(() => expect(check()).toBe(true), { timeout: 5000, interval: 10 });

type Seen = { opens: number; data: [string, string][]; errors: { message: string; status?: number }[] };

let stream: EventStream | undefined;
let server: ScriptedServer | undefined;
afterEach(async () => {
  stream?.close();
  stream = undefined;
  await server?.close();
  server = undefined;
});

function open(url: string, extra: Partial<EventStreamOptions> = {}): Seen {
  const seen: Seen = { opens: 0, data: [], errors: [] };
  stream = openEventStream({
    url,
    fetch: (input, init) => fetch(input, init),
    headers: { 'x-allot-schema': '7' },
    minDelay: 5,
    maxDelay: 20,
    onOpen: () => seen.opens++,
    onData: (data, event) => seen.data.push([data, event]),
    onError: (err, status) => seen.errors.push({ message: err instanceof Error ? err.message : String(err), status }),
    ...extra,
  });
  return seen;
}

describe('openEventStream', () => {
  it('hands on data events and named events, joins multi-line data, skips comments, across chunk and line-end boundaries', async () => {
    server = await scriptedServer((_req, res) => {
      streamHead(res);
      res.write(': subscribed\n\n');
      res.write('data: {"type":"change","collection":"teams"}\n\n');
      res.write('event: reach\ndata: {"type":"reach","scope":"s2"}\n\n');
      res.write(': keep-alive\n\n');
      res.write('data: first line\ndata: second line\n\n');
      // One event split over three writes, with CRLF line ends.
      res.write('id: 4\r\nevent: rea');
      setTimeout(() => res.write('ch\r\ndata: {"half":'), 20);
      setTimeout(() => res.write('true}\r\n\r\n'), 40);
      // A named event without data is no event at all; an unknown field is ignored.
      setTimeout(() => res.write('event: reach\n\nfoo: bar\ndata: last\n\n'), 60);
    });
    const seen = open(`${server.origin}/api/sync/stream`);
    await until(() => seen.data.length >= 5);
    expect(seen.data).toEqual([
      ['{"type":"change","collection":"teams"}', 'message'],
      ['{"type":"reach","scope":"s2"}', 'reach'],
      ['first line\nsecond line', 'message'],
      ['{"half":true}', 'reach'],
      ['last', 'message'],
    ]);
    expect(seen.opens).toBe(1);
    expect(seen.errors).toEqual([]);
    expect(server.requests[0].headers.accept).toBe('text/event-stream');
    expect(server.requests[0].headers['x-allot-schema']).toBe('7');
  });

  it('reconnects when the stream ends, and again after an error answer; each connection opens anew', async () => {
    server = await scriptedServer((_req, res, n) => {
      if (n === 1) {
        res.writeHead(503).end();
        return;
      }
      streamHead(res);
      res.write(`data: connection ${n}\n\n`);
      if (n === 0) setTimeout(() => res.end(), 20);
    });
    const seen = open(`${server.origin}/api/sync/stream`);
    await until(() => seen.data.length === 2);
    expect(seen.data).toEqual([
      ['connection 0', 'message'],
      ['connection 2', 'message'],
    ]);
    expect(seen.opens).toBe(2);
    expect(seen.errors).toEqual([
      { message: 'The live stream ended', status: undefined },
      { message: 'The live stream answered HTTP 503', status: 503 },
    ]);
  });

  it('stops for good after an answer it is told is fatal (426: reload first)', async () => {
    let attempts = 0;
    server = await scriptedServer((_req, res) => {
      attempts++;
      res.writeHead(426, { 'content-type': 'application/json' }).end('{"error":"schema-outdated"}');
    });
    const seen = open(`${server.origin}/api/sync/stream`, { isFatal: (s) => s === 426 });
    await until(() => seen.errors.length === 1);
    // Many reconnect delays (5–20 ms) later, still the one attempt.
    await new Promise((r) => setTimeout(r, 200));
    expect(attempts).toBe(1);
    expect(seen.errors).toEqual([{ message: 'The live stream answered HTTP 426', status: 426 }]);
  });

  it('drops a connection that goes silent and one whose event outgrows the bound, and carries on after reconnecting', async () => {
    server = await scriptedServer((_req, res, n) => {
      streamHead(res);
      if (n === 0) return void res.write(': subscribed\n\n'); // then nothing at all
      if (n === 1) return void res.write(`data: ${'x'.repeat(5000)}`); // never ends within the bound
      res.write('data: fine\n\n');
    });
    const seen = open(`${server.origin}/api/sync/stream`, { silenceTimeout: 100, maxEventSize: 1000 });
    await until(() => seen.data.length === 1);
    expect(seen.data).toEqual([['fine', 'message']]);
    expect(seen.opens).toBe(3);
    expect(seen.errors.map((e) => e.message)).toEqual(['The live stream went silent', 'A live event exceeded 1000 characters']);
  });

  it('reconnects at once when asked (back online) instead of waiting out its backoff, and not at all once closed', async () => {
    server = await scriptedServer((_req, res, n) => {
      if (n === 0) return void res.writeHead(502).end(); // offline, as the device sees it
      streamHead(res);
      res.write(`data: connection ${n}\n\n`);
    });
    const seen = open(`${server.origin}/api/sync/stream`, { minDelay: 60_000, maxDelay: 60_000 });
    await until(() => seen.errors.length === 1);
    stream!.reconnectNow();
    await until(() => seen.data.length === 1);
    expect(seen.data).toEqual([['connection 1', 'message']]);
    stream!.close();
    const requests = server.requests.length;
    await new Promise((r) => setTimeout(r, 100));
    expect(server.requests.length).toBe(requests);
  });
});
