/**
 * The app's RxDB storage: RxDB's Dexie storage (IndexedDB), whose instances answer whole-range
 * queries with one getAll (dexie-get-all.ts), insert without reading first (dexie-insert.ts)
 * and leave the replication metadata of documents still as the server sent them implicit
 * (lazy-meta.ts), and whose tables hold only the indexes RxDB's queries read (dexie-indexes.ts).
 * Everything else is RxDB's own.
 */
import type { RxStorage, RxStorageInstance } from 'rxdb';
import { getRxStorageDexie, type RxStorageInstanceDexie } from 'rxdb/plugins/storage-dexie';
import { withGetAllQueries } from './dexie-get-all';
import { insertWithoutRead } from './dexie-insert';
import { createLazyMetaHub } from './lazy-meta';
import { createIndexKeeper } from './dexie-indexes';

type DexieSettings = Parameters<typeof getRxStorageDexie>[0];
type AnyInstance = RxStorageInstance<unknown, unknown, unknown>;

/** `getRxStorageDexie(settings)` with the app's faster queries and inserts. */
export function getAllotStorage(settings: DexieSettings = {}): RxStorage<unknown, unknown> {
  const indexes = createIndexKeeper(settings.onCreate);
  const storage = getRxStorageDexie({ ...settings, onCreate: indexes.onCreate }) as unknown as RxStorage<unknown, unknown>;
  const create = storage.createStorageInstance.bind(storage);
  const lazyMeta = createLazyMetaHub((params) => storage.createStorageInstance(params as never) as never);
  storage.createStorageInstance = (async (params: Parameters<typeof create>[0]) => {
    indexes.register(params);
    const instance = withGetAllQueries((await create(params)) as AnyInstance);
    const bulkWrite = instance.bulkWrite.bind(instance);
    instance.bulkWrite = async (rows, context) =>
      ((await insertWithoutRead(instance as unknown as RxStorageInstanceDexie<Record<string, unknown>>, rows as never, context)) as never) ??
      bulkWrite(rows, context);
    lazyMeta.adopt(instance as never, params as never);
    return instance;
  }) as typeof storage.createStorageInstance;
  return storage;
}
