import { serve, type ServerType } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino, type Logger } from 'pino';
import { createApp } from '../../server/app';
import { parseConfig } from '../../server/config';
import { openStore, dropPgSchema, type Store } from '../../server/store/open-store';
import { orgTx } from '../../server/store/docs';
import { createSession } from '../../server/auth/session';
import { logMailer, type Mailer } from '../../server/mail/mailer';
import type { Clock } from '../../server/clock';
import { newId } from '../../shared/ids';
import type { CollectionName, WireDoc } from '../../shared/schemas';
import type { Fixture } from './collection-kit';
import { parseJson } from './json';

import { PG_URL } from './pg';
import { accountByEmail, ensureAccountRow } from '../../server/store/accounts';

export { PG_URL };

/**
 * Tests sign in and claim far more often than a person could (claims-race: 200 claimants from
 * one address), so their servers raise the limits explicitly; a test of the limits passes its
 * own SIGNIN_RATE / CLAIM_RATE in `env`. The defaults (10 and 30 a minute) stay real.
 */
export const TEST_RATES = { SIGNIN_RATE: '100000', CLAIM_RATE: '100000', PUBLIC_RATE: '100000' };

export interface TestServerOptions {
  dialect?: 'sqlite' | 'postgres';
  mailer?: Mailer;
  clock?: Clock;
  env?: Record<string, string>;
  /** Serve the built app from this folder (dist/), as main.ts does. */
  staticRoot?: string;
  /** Where the server logs (silent when absent). */
  logger?: Logger;
  /** Another instance on this PostgreSQL schema (of a running test server, which drops it). */
  pgSchema?: string;
  /** SQLite only: start from a copy of this database file (one an older Allot made). */
  sqliteCopyOf?: string;
}

export type TestServer = Awaited<ReturnType<typeof startTestServer>>;


/** A real server on a free port over a fresh SQLite file or a fresh PostgreSQL schema. */
export async function startTestServer(opts: TestServerOptions = {}) {
  const dialect = opts.dialect ?? 'sqlite';
  if (dialect === 'postgres' && !PG_URL) throw new Error('TEST_DATABASE_URL is not set');
  const dir = mkdtempSync(join(tmpdir(), 'allot-test-'));
  if (opts.sqliteCopyOf) copyFileSync(opts.sqliteCopyOf, join(dir, 'allot.db'));
  const pgSchema = opts.pgSchema ?? `t_${newId().replace(/-/g, '').slice(0, 16)}`;
  const logger = opts.logger ?? pino({ level: 'silent' });
  const store: Store = await openStore(
    dialect === 'postgres' ? { databaseUrl: PG_URL, pgSchema, logger } : { dataDir: dir, sqliteFile: 'allot.db', logger },
  );
  let server: ServerType | undefined;
  const port = await new Promise<number>((resolve) => {
    server = serve({ fetch: (req, env) => built.app.fetch(req, env), port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) =>
      resolve(info.port),
    );
  });
  const url = `http://127.0.0.1:${port}`;
  const config = parseConfig({ PUBLIC_URL: url, LOG_LEVEL: 'silent', ...TEST_RATES, ...(opts.env ?? {}) });
  const built = createApp({ store, mailer: opts.mailer ?? logMailer(logger), clock: opts.clock, config, logger, staticRoot: opts.staticRoot });
  const now = () => (opts.clock ?? { now: () => new Date() }).now();

  /** A verified account with a session; returns the Cookie header value. */
  async function signIn(email: string, name = email.split('@')[0]): Promise<string> {
    const lower = email.toLowerCase();
    const acc = (await accountByEmail(store.db, lower)) ?? (await ensureAccountRow(store.db, lower, now().toISOString(), { verified: true, name }));
    return `allot_session=${await createSession(store.db, acc.id, now())}`;
  }

  async function accountId(email: string): Promise<string> {
    const row = await accountByEmail(store.db, email.toLowerCase());
    if (!row) throw new Error(`no account ${email}`);
    return row.id;
  }

  /** Writes documents as the server would (for fixtures). */
  async function put<C extends CollectionName>(orgId: string, collection: C, docs: Fixture<C>[]) {
    return orgTx(store, orgId, now(), async (w) => {
      const out: WireDoc<C>[] = [];
      for (const d of docs) out.push(await w.put(collection, { _deleted: false, ...d } as unknown as Omit<WireDoc<C>, 'seq' | 'updatedAt'>));
      return out;
    });
  }

  /** An organization with one org admin (signed in). */
  async function createOrg(name = 'Acme', adminEmail = 'ada@acme.test') {
    const orgId = newId();
    const cookie = await signIn(adminEmail);
    const memberId = newId();
    await put(orgId, 'organizations', [{ id: orgId, orgId, name }]);
    await put(orgId, 'members', [
      {
        id: memberId,
        orgId,
        accountId: await accountId(adminEmail),
        email: adminEmail,
        name: adminEmail.split('@')[0],
        isOrgAdmin: true,
        adminOfTeamIds: [],
        disabled: false,
      },
    ]);
    return { orgId, memberId, cookie };
  }

  /** JSON request with the session cookie and a same-origin Origin header. */
  async function request(path: string, init: { method?: string; cookie?: string; body?: unknown; headers?: Record<string, string> } = {}) {
    const res = await fetch(url + path, {
      method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
      headers: {
        'content-type': 'application/json',
        origin: url,
        ...(init.cookie ? { cookie: init.cookie } : {}),
        ...(init.headers ?? {}),
      },
      body: init.body === undefined ? undefined : typeof init.body === 'string' ? init.body : JSON.stringify(init.body),
    });
    const text = await res.text();
    return { status: res.status, json: parseJson(text), text, headers: res.headers };
  }

  async function close() {
    built.close();
    (server as { closeAllConnections?: () => void } | undefined)?.closeAllConnections?.();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    await store.close();
    if (dialect === 'postgres' && !opts.pgSchema) await dropPgSchema(PG_URL!, pgSchema);
    rmSync(dir, { recursive: true, force: true });
  }

  return { url, store, app: built.app, deps: built.deps, dir, pgSchema, signIn, accountId, put, createOrg, request, close };
}
