/**
 * A real HTTP server on 127.0.0.1 (a free port) whose answers a unit test scripts: for the
 * client's transport and live stream, which must meet real sockets, real status codes and
 * real chunked bodies rather than a stubbed fetch.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ScriptedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
}

export interface ScriptedServer {
  /** `http://127.0.0.1:PORT`, no trailing slash. */
  origin: string;
  /** Every request so far, in arrival order (the body once it has been read). */
  requests: ScriptedRequest[];
  close(): Promise<void>;
}

/** `handle` answers the n-th request (0-based), its body already read. */
export async function scriptedServer(
  handle: (req: ScriptedRequest, res: ServerResponse, n: number) => void | Promise<void>,
): Promise<ScriptedServer> {
  const requests: ScriptedRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      const n = requests.push(r) - 1;
      void Promise.resolve(handle(r, res, n)).catch((err) => res.writeHead(500).end(String(err)));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
