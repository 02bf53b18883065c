/**
 * Only the indexes RxDB's queries read, in the IndexedDB table of each collection (issue 18).
 *
 * RxDB's Dexie storage gives a collection's table its schema's indexes and two more
 * (`getDexieStoreSchema`): `[_deleted+<primary key>]`, which its queries never read unless the
 * schema has no index of its own (then RxDB makes it the schema's index), and `_meta.lwt`, which
 * only `cleanup()` reads — RxDB's cleanup plugin, which the app does not add (deleted documents
 * stay: the server's tombstones). Every index costs each stored document one more key in
 * IndexedDB: without those two, 100,000 licenses took 13–19 % less time to write in Chromium, and
 * their first sync 11–16 % less (issue 18's note).
 *
 * A database made before keeps its extra indexes: a declared schema that only leaves indexes
 * out opens the installed one as it is (Dexie's `verifyInstalledSchema` asks for an upgrade
 * only when something is added), and IndexedDB goes on keeping them.
 *
 * `dexie-indexes.test.ts` pins the tables' indexes to the installed RxDB and runs every kind of
 * query the app makes on them.
 */
import type { Dexie } from 'dexie';
import type { RxJsonSchema, RxStorageInstanceCreationParams } from 'rxdb';
import { DEXIE_DOCS_TABLE_NAME, dexieReplaceIfStartsWithPipe, getDexieStoreSchema } from 'rxdb/plugins/storage-dexie';

type OnCreate = (db: Dexie, dbName: string) => unknown;

/** The Dexie name of an index (`a` or `[a+b+c]`), as `getDexieStoreSchema` writes it. */
function dexieIndexName(index: readonly string[]): string {
  const parts = index.map((field) => dexieReplaceIfStartsWithPipe(field));
  return parts.length === 1 ? parts[0] : `[${parts.join('+')}]`;
}

/** The Dexie names of the indexes RxDB's query planner chooses from: the schema's own (after `fillWithDefaultSettings`). */
function schemaIndexNames(schema: RxJsonSchema<unknown>): Set<string> {
  return new Set((schema.indexes ?? []).map((index) => dexieIndexName(typeof index === 'string' ? [index] : index)));
}

/**
 * `storeSchema` (a Dexie store string, primary key first) without the indexes that are not in
 * `keep`. Pure; exported for the test.
 */
export function keepIndexes(storeSchema: string, keep: ReadonlySet<string>): string {
  const [primary, ...indexes] = storeSchema.split(',').map((part) => part.trim());
  return [primary, ...indexes.filter((name) => keep.has(name))].join(', ');
}

/**
 * The Dexie store string of a collection's docs table on the app's storage, for a schema after
 * `fillWithDefaultSettings` (the bench writes its rows' floor with it).
 */
export function appDocsStoreSchema(schema: RxJsonSchema<unknown>): string {
  return keepIndexes(getDexieStoreSchema(schema), schemaIndexNames(schema));
}

/**
 * The pieces `getAllotStorage` wires in: `register(params)` before each storage instance is
 * created (it knows the instance's schema), and `onCreate`, given to `getRxStorageDexie`'s
 * settings, which declares the docs table of that instance's Dexie database with only those
 * indexes. `previous`: an `onCreate` the caller's settings already had (still called).
 */
export function createIndexKeeper(previous?: OnCreate) {
  // Dexie database name → the index names of its schema. Entries are tiny and bounded by the collections opened.
  const kept = new Map<string, Set<string>>();
  return {
    register(params: Pick<RxStorageInstanceCreationParams<unknown, unknown>, 'databaseName' | 'collectionName' | 'schema'>) {
      const schema = params.schema as RxJsonSchema<unknown>;
      // The name RxDB's getDexieDbWithTables gives the instance's Dexie database.
      const dexieName = `rxdb-dexie-${params.databaseName}--${schema.version}--${params.collectionName}`;
      kept.set(dexieName, schemaIndexNames(schema));
    },
    async onCreate(db: Dexie, dbName: string) {
      const keep = kept.get(dbName);
      if (keep) {
        const version = db.version.bind(db);
        db.version = ((n: number) => {
          const declared = version(n);
          const stores = declared.stores.bind(declared);
          declared.stores = (schema) => {
            const docs = schema[DEXIE_DOCS_TABLE_NAME];
            return stores(typeof docs === 'string' ? { ...schema, [DEXIE_DOCS_TABLE_NAME]: keepIndexes(docs, keep) } : schema);
          };
          return declared;
        }) as typeof db.version;
      }
      await previous?.(db, dbName);
    },
  };
}
