import { afterAll, beforeAll } from 'vitest';
import { newId } from '../../shared/ids';
import { dropPgSchema, openStore, type Store } from '../../server/store/open-store';
import { PG_URL } from './pg';

/**
 * A store of `dialect` for the describe block it is called in: SQLite in memory, or a schema
 * of its own on TEST_DATABASE_URL (dropped afterwards). Returns a getter (the store opens in
 * beforeAll). Use inside `describe.skipIf(skipWithoutPg(dialect, …))`.
 */
export function storeFor(dialect: 'sqlite' | 'postgres'): () => Store {
  let store: Store;
  const pgSchema = `t_${newId().replace(/-/g, '').slice(0, 16)}`;
  beforeAll(async () => {
    store = await openStore(dialect === 'postgres' ? { databaseUrl: PG_URL, pgSchema } : { sqliteFile: ':memory:' });
  });
  afterAll(async () => {
    await store?.close();
    if (dialect === 'postgres') await dropPgSchema(PG_URL!, pgSchema);
  });
  return () => store;
}
