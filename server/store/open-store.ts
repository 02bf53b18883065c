import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { EventEmitter } from 'node:events';
import Database from 'better-sqlite3';
import pg from 'pg';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, sql } from 'kysely';
import type { DB } from './schema';
import { migrationProvider } from './migrations';

export type Dialect = 'sqlite' | 'postgres';

export interface Store {
  db: Kysely<DB>;
  dialect: Dialect;
  /** Called after a change to an organization's documents has committed (in any process on PostgreSQL). */
  onChange(listener: (orgId: string) => void): () => void;
  /** Within a writing transaction (PostgreSQL delivers it to every process on commit). */
  notifyInTx(tx: Kysely<DB>, orgId: string): Promise<void>;
  /** After that transaction committed (SQLite: one process, tell it directly). */
  notifyAfterCommit(orgId: string): void;
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
}

export async function openStore(opts: StoreOptions): Promise<Store> {
  const store = opts.databaseUrl ? await openPostgres(opts.databaseUrl, opts.pgSchema ?? 'public') : openSqlite(opts);
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
  const db = new Kysely<DB>({ dialect: new SqliteDialect({ database }) });
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
    async close() {
      emitter.removeAllListeners();
      await db.destroy();
    },
  };
}

async function openPostgres(url: string, schema: string): Promise<Store> {
  if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`Bad PostgreSQL schema name: ${schema}`);
  // Counters are `integer`; make sure bigint aggregates (count) come back as numbers too.
  pg.types.setTypeParser(20, (v) => Number.parseInt(v, 10));
  const setup = new pg.Client({ connectionString: url });
  await setup.connect();
  await setup.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
  await setup.end();
  const pool = new pg.Pool({ connectionString: url, max: 10, options: `-c search_path=${schema}` });
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  const channel = `allot_changes_${schema}`;
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  const listener = new pg.Client({ connectionString: url });
  await listener.connect();
  listener.on('notification', (msg) => {
    if (msg.channel === channel && msg.payload !== undefined) emitter.emit('change', msg.payload);
  });
  listener.on('error', () => {});
  await listener.query(`LISTEN ${channel}`);
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
    async close() {
      emitter.removeAllListeners();
      await listener.end().catch(() => {});
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
