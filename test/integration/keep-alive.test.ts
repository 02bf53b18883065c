import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import type { Socket } from 'node:net';
import { startTestServer, type TestServer } from '../helpers/server';
import { pushPath } from '../helpers/sync-api';

interface Answer {
  status?: number;
  connection?: string;
  error?: string;
  socket: Socket;
}

/**
 * One request through `agent`: a Content-Length body, or a chunked one written in 64 KB pieces
 * (as a streaming client sends it). Never rejects: a connection hung up is an answer too.
 */
function send(
  agent: http.Agent,
  url: string,
  opts: { path: string; body: Buffer; chunked?: boolean; headers?: Record<string, string> },
): Promise<Answer> {
  const { port } = new URL(url);
  return new Promise((resolve) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        path: opts.path,
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/json',
          origin: url,
          ...(opts.chunked ? { 'transfer-encoding': 'chunked' } : { 'content-length': String(opts.body.length) }),
          ...(opts.headers ?? {}),
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode, connection: res.headers.connection, socket: req.socket! }));
      },
    );
    // The server may answer before the whole body is sent; writing on after that is the client's loss.
    req.on('socket', (s) => s.on('error', () => {}));
    req.on('error', (err) => resolve({ error: String(err), socket: req.socket! }));
    let at = 0;
    const step = () => {
      while (at < opts.body.length) {
        const piece = opts.body.subarray(at, at + 65_536);
        at += piece.length;
        if (!req.write(piece)) return void req.once('drain', step);
      }
      req.end();
    };
    step();
  });
}

const MB = 1024 * 1024;

describe('a refused request leaves its keep-alive connection usable', () => {
  let s: TestServer;
  let cookie: string;
  let orgId: string;
  beforeAll(async () => {
    s = await startTestServer();
    ({ cookie, orgId } = await s.createOrg('Acme', 'ada@acme.test'));
  });
  afterAll(async () => {
    await s?.close();
  });

  const cases: { name: string; path: string | (() => string); size: number; status: number; headers?: () => Record<string, string> }[] = [
    { name: '413, body of 2 MB', path: '/api/auth/email', size: 2 * MB, status: 413 },
    { name: '413, body of 40 MB (too much to read)', path: '/api/auth/email', size: 40 * MB, status: 413 },
    { name: '403 from another origin, 2 MB', path: '/api/auth/email', size: 2 * MB, status: 403, headers: () => ({ origin: 'http://evil.test' }) },
    { name: '401 without a session, 512 KB', path: () => pushPath(orgId, 'contacts'), size: 512 * 1024, status: 401 },
    // A body all received and never read (the claim's `{}`) is left to Node to discard.
    { name: '401 without a session, 2 bytes', path: () => pushPath(orgId, 'contacts'), size: 2, status: 401 },
    { name: '404 unknown collection, 512 KB', path: () => pushPath(orgId, 'nothing'), size: 512 * 1024, status: 404, headers: () => ({ cookie }) },
  ];

  for (const chunked of [false, true]) {
    for (const c of cases) {
      it(`${c.name}, ${chunked ? 'chunked' : 'with Content-Length'}: the next request on the connection is answered`, async () => {
        const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
        try {
          const refused = await send(agent, s.url, { path: typeof c.path === 'string' ? c.path : c.path(), body: Buffer.alloc(c.size, 'a'), chunked, headers: c.headers?.() });
          expect(refused.error).toBeUndefined();
          expect(refused.status).toBe(c.status);
          const next = await send(agent, s.url, { path: '/api/auth/email', body: Buffer.from(JSON.stringify({ email: 'kim@people.test' })) });
          expect(next.error).toBeUndefined();
          expect(next.status).toBe(200);
          // Either the connection carried on, or the refusal said it would not (and the client opened another).
          if (refused.connection === 'close') expect(next.socket).not.toBe(refused.socket);
          else expect(next.socket).toBe(refused.socket);
        } finally {
          agent.destroy();
        }
      });
    }
  }
});
