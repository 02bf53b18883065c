import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import pg from 'pg';
import { newId } from '../../shared/ids';
import { freePort } from './net';
import { PG_URL, pgDatabaseUrl } from './pg';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/**
 * The server runs in node itself with tsx's loader (as the e2e harness runs it), not under the
 * `tsx` command: that one is a wrapper around a second node process, so a SIGKILL would end the
 * wrapper and leave the server running.
 */
export const TSX_LOADER = pathToFileURL(createRequire(join(ROOT, 'package.json')).resolve('tsx')).href;

/**
 * Stops `instance` (SIGSTOP, as a paused VM or a host cut off: its connections stay open) at a
 * moment it holds what `caught` looks for: it is stopped, given 20 ms for a statement it had
 * sent to finish, asked `caught`, and let go again (SIGCONT) until `caught` answers. Resolves
 * with that answer, the instance left stopped; throws after `tries` attempts.
 */
export async function freezeHolding<T>(instance: ServerProcess, caught: () => Promise<T | undefined>, tries = 1000): Promise<T> {
  const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
  for (let i = 0; i < tries; i++) {
    instance.child.kill('SIGSTOP');
    await pause(20);
    const found = await caught();
    if (found !== undefined) return found;
    instance.child.kill('SIGCONT');
    await pause(20);
  }
  throw new Error(`the instance was never caught holding it in ${tries} tries`);
}

/** Polls until `fn` gives a value (start-up and delivery happen in another process). */
export async function until<T>(what: string, fn: () => Promise<T | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn().catch(() => undefined);
    if (v) return v;
    if (Date.now() > end) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export interface ServerProcess {
  /** http://127.0.0.1:PORT */
  url: string;
  child: ChildProcess;
  /** Everything it wrote to stdout and stderr so far. */
  output(): string;
  /** Resolves when the process has exited. */
  exited: Promise<void>;
  alive(): boolean;
  kill(signal: NodeJS.Signals): Promise<void>;
}

/**
 * `server/main.ts` in a child process (node with tsx's loader: the process a signal reaches is
 * the server) on a free port; resolves once /api/health answers 200.
 */
export async function startServerProcess(env: Record<string, string>, onOutput?: (all: string) => void): Promise<ServerProcess> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, ['--import', TSX_LOADER, 'server/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'info', PORT: String(port), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const chunks: string[] = [];
  const take = (d: unknown) => {
    chunks.push(String(d));
    onOutput?.(chunks.join(''));
  };
  child.stdout!.on('data', take);
  child.stderr!.on('data', take);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const alive = () => child.exitCode === null && child.signalCode === null;
  const proc: ServerProcess = {
    url,
    child,
    output: () => chunks.join(''),
    exited,
    alive,
    async kill(signal) {
      if (alive()) child.kill(signal);
      await exited;
    },
  };
  try {
    // Gives up at once when the process exits (a start-up error), not after the whole minute.
    await until('the server to answer /api/health', async () => {
      if (!alive()) return 'exited';
      return (await fetch(`${url}/api/health`)).ok && 'up';
    }, 60_000).then((state) => {
      if (state === 'exited') throw new Error(`the server exited (${child.exitCode ?? child.signalCode})`);
    });
  } catch (err) {
    await proc.kill('SIGKILL');
    throw new Error(`${(err as Error).message}\n${proc.output()}`, { cause: err });
  }
  return proc;
}

/** Runs one statement on the test server's maintenance connection (TEST_DATABASE_URL). */
export async function adminQuery<R = unknown>(text: string, values: unknown[] = []): Promise<R[]> {
  const client = new pg.Client({ connectionString: PG_URL, application_name: 'allot-test-admin' });
  client.on('error', () => {});
  await client.connect();
  try {
    return (await client.query(text, values)).rows as R[];
  } finally {
    await client.end();
  }
}

/**
 * A PostgreSQL database of the test's own (server children read DATABASE_URL only, so they get
 * a database rather than a schema): what a test terminates or locks touches nobody else.
 */
export async function throwawayDatabase(prefix: string): Promise<{ name: string; url: string; drop(): Promise<void> }> {
  const name = `${prefix}_${newId().replace(/-/g, '').slice(0, 12).toLowerCase()}`;
  await adminQuery(`create database ${name}`);
  const url = pgDatabaseUrl(name);
  return { name, url, drop: async () => void (await adminQuery(`drop database if exists ${name} with (force)`)) };
}
