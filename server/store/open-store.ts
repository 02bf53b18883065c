import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { EventEmitter } from 'node:events';
import Database from 'better-sqlite3';
import pg from 'pg';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, sql, type SqliteDatabase } from 'kysely';
import { pino, type Logger } from 'pino';
import type { DB } from './schema';
import { migrationProvider } from './migrations';
import { listenWithReconnect, type ListenState } from './pg-listen';
import { markConnectFailure } from './connection-errors';
import { isPrepared } from './compiled-once';

export type Dialect = 'sqlite' | 'postgres';

/**
 * What /api/health reports: whether a query gets through, and on PostgreSQL the state of the
 * LISTEN connection live updates arrive by.
 */
export interface StoreHealth {
  database: 'up' | 'down';
  /** PostgreSQL only. */
  listen?: ListenState;
}

export interface Store {
  db: Kysely<DB>;
  dialect: Dialect;
  /** Called after a change to an organization's documents has committed (in any process on PostgreSQL). */
  onChange(listener: (orgId: string) => void): () => void;
  /** Within a writing transaction (PostgreSQL delivers it to every process on commit). */
  notifyInTx(tx: Kysely<DB>, orgId: string): Promise<void>;
  /** After that transaction committed (SQLite: one process, tell it directly). */
  notifyAfterCommit(orgId: string): void;
  /**
   * Called when change notices may have been missed (PostgreSQL: the LISTEN connection came
   * back after a loss); listeners read forward from what they last saw.
   */
  onReconnect(listener: () => void): () => void;
  /** Asks the database (within `timeoutMs`) and reports what answers. */
  health(timeoutMs?: number): Promise<StoreHealth>;
  close(): Promise<void>;
}

export interface StoreOptions {
  /** postgres://… ; SQLite when absent. */
  databaseUrl?: string;
  /** Folder for the SQLite file. */
  dataDir?: string;
  /** SQLite file name or ':memory:'. */
  sqliteFile?: string;
  /** PostgreSQL schema to work in (tests isolate themselves with one each). */
  pgSchema?: string;
  /** Where lost and restored database connections are told; silent when absent. */
  logger?: Logger;
}

/** Runs `query`; 'down' when it fails or takes longer than `timeoutMs`. */
async function probe(query: () => Promise<unknown>, timeoutMs: number): Promise<'up' | 'down'> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<'down'>((resolve) => {
    timer = setTimeout(() => resolve('down'), timeoutMs);
  });
  try {
    return await Promise.race([query().then(() => 'up' as const), late]);
  } catch {
    return 'down';
  } finally {
    clearTimeout(timer);
  }
}

export async function openStore(opts: StoreOptions): Promise<Store> {
  const logger = opts.logger ?? pino({ level: 'silent' });
  const store = opts.databaseUrl ? await openPostgres(opts.databaseUrl, opts.pgSchema ?? 'public', logger) : openSqlite(opts);
  // Name the schema on PostgreSQL: otherwise the migrator takes another schema's migration table for ours.
  const migrator = new Migrator({
    db: store.db,
    provider: migrationProvider,
    ...(opts.databaseUrl ? { migrationTableSchema: opts.pgSchema ?? 'public' } : {}),
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    await store.close();
    const failed = results?.find((r) => r.status === 'Error');
    throw new Error(`Database migration ${failed?.migrationName ?? ''} failed: ${String(error)}`);
  }
  // Let SQLite gather the statistics its planner needs (cheap: it looks at each table with a
  // bounded number of rows, and skips tables whose statistics are current), as SQLite
  // recommends for a long-lived connection just after opening.
  if (store.dialect === 'sqlite') await sql`pragma optimize=0x10002`.execute(store.db);
  return store;
}

/** Prepared statements kept per connection (SQLite), the least recently used dropped beyond this. */
const STATEMENT_CACHE = 500;

/**
 * The connection as Kysely's SqliteDialect sees it, preparing each SQL text once and reusing
 * the statement (Kysely prepares every query anew; the repository's queries are few texts run
 * often). A statement still being iterated (`busy`) is not handed out twice: a fresh one is.
 */
function reusingStatements(database: Database.Database): SqliteDatabase {
  const cache = new Map<string, Database.Statement>();
  return {
    close: () => database.close(),
    prepare(text) {
      const kept = cache.get(text);
      if (kept?.busy) return database.prepare(text);
      cache.delete(text);
      const statement = kept ?? database.prepare(text);
      cache.set(text, statement);
      if (cache.size > STATEMENT_CACHE) cache.delete(cache.keys().next().value!);
      return statement;
    },
  };
}

/** Per connection: the same wrapper each time the pool hands it out (Kysely keeps its state per client object). */
const namingClients = new WeakMap<pg.PoolClient, pg.PoolClient>();
/** Statement names per text: `allot_` and 20 hex digits of its SHA-1 (PostgreSQL names hold 63 bytes). */
const statementNames = new Map<string, string>();

/** PostgreSQL's answer to a prepared statement whose result columns changed type since it was prepared (a migration meanwhile). */
const isStalePlan = (err: unknown) => /cached plan must not change result type/.test(String((err as { message?: unknown } | null)?.message ?? ''));

/**
 * A pool client whose queries of a kept text (compiled-once.ts isPrepared: the repository's
 * hot reads and the docs upserts) run as named prepared statements: node-postgres parses each
 * once per connection (PostgreSQL keeps it for the session), and PostgreSQL plans it once it
 * has seen it often enough, instead of parsing and planning each run. Any other query runs as
 * before. A new connection (after one was lost) prepares again on first use.
 *
 * A statement prepared before a migration changed the type of a column it returns fails with
 * "cached plan must not change result type" on this connection from then on: the text then
 * takes a new name here (prepared anew on next use), and the query is run again at once when
 * no transaction is open (outside one nothing was done; inside one the transaction has failed,
 * and the request is answered `busy`, to be tried again: connection-errors.ts).
 */
function namingStatements(client: pg.PoolClient): pg.PoolClient {
  let named = namingClients.get(client);
  if (named) return named;
  const query = client.query.bind(client) as (...args: unknown[]) => Promise<unknown>;
  // Texts renamed on this connection after a stale plan, and whether a transaction is open.
  const renamed = new Map<string, string>();
  let inTransaction = false;
  const run = (text: string, values: unknown[] | undefined): Promise<unknown> => {
    let name = renamed.get(text) ?? statementNames.get(text);
    if (!name) statementNames.set(text, (name = `allot_${createHash('sha1').update(text).digest('hex').slice(0, 20)}`));
    return query({ name, text, values });
  };
  named = new Proxy(client, {
    get(target, prop, receiver) {
      if (prop !== 'query') return Reflect.get(target, prop, receiver) as unknown;
      return (text: unknown, values?: unknown[]) => {
        // Kysely opens and ends transactions with these exact words ("rollback to savepoint …" ends none).
        if (text === 'begin') inTransaction = true;
        else if (text === 'commit' || text === 'rollback') inTransaction = false;
        if (typeof text !== 'string' || !isPrepared(text)) return query(text, values);
        return run(text, values).catch((err: unknown) => {
          if (!isStalePlan(err)) throw err;
          const before = renamed.get(text) ?? statementNames.get(text)!;
          renamed.set(text, `${before.slice(0, 27)}_${(Number(before.slice(28)) || 0) + 1}`);
          if (inTransaction) throw err;
          return run(text, values);
        });
      };
    },
  });
  namingClients.set(client, named);
  return named;
}

function openSqlite(opts: StoreOptions): Store {
  const file = opts.sqliteFile ?? 'allot.db';
  let path = file;
  if (file !== ':memory:') {
    const dir = opts.dataDir ?? './data';
    mkdirSync(dir, { recursive: true });
    path = join(dir, file);
  }
  const database = new Database(path);
  database.pragma('journal_mode = WAL');
  // Claims and the outbox must survive a power cut once acknowledged.
  database.pragma('synchronous = FULL');
  database.pragma('busy_timeout = 5000');
  database.pragma('foreign_keys = ON');
  const db = new Kysely<DB>({ dialect: new SqliteDialect({ database: reusingStatements(database) }) });
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  return {
    db,
    dialect: 'sqlite',
    onChange(listener) {
      emitter.on('change', listener);
      return () => emitter.off('change', listener);
    },
    async notifyInTx() {},
    notifyAfterCommit(orgId) {
      emitter.emit('change', orgId);
    },
    // One process, one file: no notice is ever lost.
    onReconnect: () => () => {},
    async health(timeoutMs = 3000) {
      return { database: await probe(() => sql`select 1`.execute(db), timeoutMs) };
    },
    async close() {
      emitter.removeAllListeners();
      await db.destroy();
    },
  };
}

/**
 * How long (ms) PostgreSQL waits for an instance that has gone quiet inside a transaction
 * before it ends that session, and so the transaction and its locks (DESIGN §9). A frozen
 * instance (a paused VM, a host cut off, SIGSTOP) keeps its connections open, and the kernel
 * keeps answering for it, so PostgreSQL never learns it is gone: the organization whose
 * change counter it held locked could not be written by any instance until it came back.
 * Allot never waits on anything but the database inside a transaction, so a healthy one is
 * idle there for microseconds. The rate counters' short transactions set their own, shorter
 * limit (rate-counters.ts). The frozen instance's request fails as `busy` (25P03) when it
 * wakes; nothing it had not committed was acknowledged.
 */
export const IDLE_IN_TRANSACTION_MS = 10_000;

async function openPostgres(url: string, schema: string, logger: Logger): Promise<Store> {
  if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`Bad PostgreSQL schema name: ${schema}`);
  // Counters are `integer`; make sure bigint aggregates (count) come back as numbers too.
  pg.types.setTypeParser(20, (v) => Number.parseInt(v, 10));
  const setup = new pg.Client({ connectionString: url });
  setup.on('error', () => {});
  await setup.connect();
  await setup.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
  await setup.end();
  // Connections are named (pg_stat_activity.application_name) so an operator — or a test —
  // can tell Allot's apart: `allot:<schema>` for queries, `allot-listen:<schema>` for LISTEN.
  const pool = new pg.Pool({
    connectionString: url,
    max: 10,
    options: `-c search_path=${schema} -c idle_in_transaction_session_timeout=${IDLE_IN_TRANSACTION_MS}`,
    application_name: `allot:${schema}`,
    keepAlive: true,
    // An unreachable database fails the request (503 busy) instead of holding it forever.
    connectionTimeoutMillis: 10_000,
  });
  // PostgreSQL may end any connection at any time (restart, failover, idle timeout,
  // pg_terminate_backend). An 'error' event with no listener would end the process: the pool
  // drops the dead connection and opens a new one when next needed; a query running on it
  // fails and its transaction is rolled back by PostgreSQL.
  pool.on('error', () => {});
  pool.on('connect', (client) => {
    client.on('error', (err) => logger.warn({ err: err.message }, 'database connection lost; a new one is opened when needed'));
  });
  const db = new Kysely<DB>({
    dialect: new PostgresDialect({
      pool: {
        // A connection that cannot be had fails its request as `busy` (503), whatever PostgreSQL said.
        connect: () =>
          pool.connect().then(
            (client) => namingStatements(client),
            (err: unknown) => Promise.reject(markConnectFailure(err)),
          ),
        end: () => pool.end(),
      },
    }),
  });
  const channel = `allot_changes_${schema}`;
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  const listen = await listenWithReconnect({
    url,
    channel,
    applicationName: `allot-listen:${schema}`,
    logger,
    onNotify: (payload) => emitter.emit('change', payload),
    onRestored: () => emitter.emit('reconnect'),
  });
  return {
    db,
    dialect: 'postgres',
    onChange(l) {
      emitter.on('change', l);
      return () => emitter.off('change', l);
    },
    async notifyInTx(tx, orgId) {
      await sql`select pg_notify(${channel}, ${orgId})`.execute(tx);
    },
    notifyAfterCommit() {},
    onReconnect(l) {
      emitter.on('reconnect', l);
      return () => emitter.off('reconnect', l);
    },
    async health(timeoutMs = 3000) {
      return { database: await probe(() => sql`select 1`.execute(db), timeoutMs), listen: listen.state() };
    },
    async close() {
      emitter.removeAllListeners();
      await listen.close();
      await db.destroy();
    },
  };
}

/** Drops a test schema (PostgreSQL) — tests only. */
export async function dropPgSchema(url: string, schema: string): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await c.end();
}
