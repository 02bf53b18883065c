/**
 * Replication metadata left implicit for documents still exactly as the server sent them
 * (issue 18's first sync; DESIGN §5).
 *
 * RxDB keeps, for every replicated document, a metadata row holding the "assumed master
 * state": the server's copy as the device last saw it, which the upstream sends with a push
 * and the field merge compares against. For a document the replication wrote and nobody has
 * changed since, that row is a second copy of the document itself — and writing it doubled
 * the IndexedDB work of a first sync (10,000 licenses: documents 1.2 s, metadata 0.87 s more).
 * RxDB marks such a document: its downstream stores `_meta.o = { _rev: h, hash }`, `h` the
 * height of the revision it wrote and `hash` the replication's identifier hash, and RxDB itself
 * reads "`o` matches the revision" as "this is the server's copy" (downstream.js, rxdb#7804).
 *
 * So the bulk first sync (first-sync.ts) writes only the documents, marked so (`implicitMetaFork`),
 * and this storage layer:
 * - answers a metadata read (`findDocumentsById` of `<id>|0`) that finds no row with the row
 *   RxDB would have written, built from the document when it is still the server's copy
 *   (`assumedMasterRow`); a document changed locally has no such answer, as with RxDB;
 * - before any write to a document that is not the replication's own (a person's edit, a
 *   removal, an insert over a deleted id), stores that row for every server's copy the write
 *   touches — before the document changes, in its own IndexedDB transaction — so the assumed
 *   master state is never lost; a row already there is kept (insert only). It costs no read:
 *   a write's `previous` is the document it changes.
 * The row built is exactly the one stored later, so RxDB's own metadata writes (which name the
 * row they read as `previous`) never conflict with it.
 *
 * Which metadata instance belongs to which collection is declared by the replication
 * (`linkReplicationMeta`, collection-replication.ts); until then, and on any other storage
 * (RxDB's memory storage in tests), everything is RxDB's own and the bulk first sync writes
 * the metadata rows as RxDB does. `lazy-meta.test.ts` and `test/integration/first-sync-bulk`
 * pin the names and rows used here to the installed RxDB.
 */
import {
  createRevision,
  getCheckpointKey,
  getComposedPrimaryKeyOfDocumentData,
  getHeightOfRevision,
  getRxReplicationMetaInstanceSchema,
  META_INSTANCE_SCHEMA_TITLE,
  writeDocToDocState,
  type BulkWriteRow,
  type RxCollection,
  type RxJsonSchema,
  type RxStorageInstance,
  type RxStorageInstanceCreationParams,
} from 'rxdb';

type Doc = Record<string, unknown> & {
  _rev: string;
  _deleted: boolean;
  _attachments: Record<string, never>;
  _meta: { lwt: number; o?: { _rev: number; hash: string } };
};
type Instance = RxStorageInstance<Doc, unknown, unknown>;
type Params = RxStorageInstanceCreationParams<Doc, unknown>;

/** Contexts of the replication's own writes: they store their metadata themselves. */
const REPLICATION_CONTEXT = 'replication-';
/** The context of the rows stored before a local change. */
const STORE_CONTEXT = 'replication-lazy-meta';

interface Link {
  fork: Instance;
  metaCollectionName: string;
  primaryPath: string;
  identifierHash: string;
  metaSchema: RxJsonSchema<Doc>;
  /** The revision RxDB gives a metadata row it writes first: `1-<checkpoint key>`. */
  metaRev: string;
  /** The metadata instance to store rows in (opened on first use, closed with the fork). */
  meta(): Promise<Instance>;
  close(): Promise<void>;
}

const HUB = Symbol('allot lazy replication metadata');
type WithHub = Instance & { [HUB]?: LazyMetaHub };

/** Per storage (no module state): which fork and metadata instances are linked. */
export interface LazyMetaHub {
  /** Wraps an instance the storage just created (in place: RxDB's wrappers reach it through `getUnderlyingPersistentStorage`). */
  adopt(instance: Instance, params: Params): void;
}

export function createLazyMetaHub(create: (params: Params) => Promise<Instance>): LazyMetaHub & HubInternals {
  const byFork = new Map<Instance, Link>();
  const paramsOf = new WeakMap<Instance, Params>();
  const byMeta = new Map<string, Link>();
  const linking = new Set<Promise<void>>();
  const metaKey = (databaseName: string, collectionName: string) => `${databaseName}\u0000${collectionName}`;
  const settledLinks = async () => {
    while (linking.size) await Promise.all(linking);
  };

  const hub: LazyMetaHub & HubInternals = {
    adopt(instance, params) {
      if (params.schema.title === META_INSTANCE_SCHEMA_TITLE) adoptMeta(instance, metaKey(params.databaseName, params.collectionName));
      else adoptFork(instance, params);
    },
    link(fork, link) {
      const done = (async () => {
        // A link that cannot be made leaves everything to RxDB (the bulk first sync then stores the rows).
        const l = await link.catch(() => null);
        if (!l) return;
        byFork.set(fork, l);
        byMeta.set(metaKey(fork.databaseName, l.metaCollectionName), l);
      })();
      linking.add(done);
      void done.finally(() => linking.delete(done)).catch(() => {});
      return done;
    },
    async linkedMeta(meta) {
      await settledLinks();
      return byMeta.has(metaKey(meta.databaseName, meta.collectionName));
    },
    openMeta(fork, metaCollectionName, schema) {
      const p = paramsOf.get(fork);
      if (!p) throw new Error('Not an instance of this storage');
      return create({ ...p, collectionName: metaCollectionName, schema, options: {} });
    },
  };

  function adoptMeta(instance: Instance, key: string) {
    const find = instance.findDocumentsById.bind(instance);
    instance.findDocumentsById = async (ids, withDeleted) => {
      const found = await find(ids, withDeleted);
      if (linking.size) await settledLinks();
      const link = byMeta.get(key);
      if (!link || found.length === ids.length) return found;
      const have = new Set(found.map((r) => r.id as string));
      const itemIds = ids.filter((id) => !have.has(id) && id.endsWith('|0')).map((id) => id.slice(0, -2));
      if (!itemIds.length) return found;
      const docs = await link.fork.findDocumentsById(itemIds, true);
      const copies: Doc[] = [];
      const changed: string[] = [];
      // A document no longer the server's copy may have been changed between the two reads:
      // its row was stored before that change (storeBeforeChange), so read those rows again.
      for (const d of docs) {
        if (isServerCopy(d, link.identifierHash)) copies.push(d);
        else changed.push(`${d[link.primaryPath] as string}|0`);
      }
      const late = changed.length ? await find(changed, withDeleted) : [];
      return [...found, ...late, ...copies.map((d) => assumedMasterRow(link, d))];
    };
  }

  function adoptFork(instance: Instance, params: Params) {
    (instance as WithHub)[HUB] = hub;
    paramsOf.set(instance, params);
    const bulkWrite = instance.bulkWrite.bind(instance);
    instance.bulkWrite = async (rows, context) => {
      if (linking.size) await settledLinks();
      const link = byFork.get(instance);
      if (link && !context.startsWith(REPLICATION_CONTEXT)) await storeBeforeChange(link, rows);
      return bulkWrite(rows, context);
    };
    const close = instance.close.bind(instance);
    instance.close = async () => {
      const link = byFork.get(instance);
      byFork.delete(instance);
      if (link) {
        byMeta.delete(metaKey(instance.databaseName, link.metaCollectionName));
        await link.close().catch(() => {});
      }
      return close();
    };
  }

  /** Stores the assumed master state of every server's copy `rows` are about to change. */
  async function storeBeforeChange(link: Link, rows: BulkWriteRow<Doc>[]) {
    // Only a row naming its `previous` can change a stored document (or is refused, 409, when
    // that is no longer what is stored). A row without one over a stored document, deleted or
    // not, is refused by the storage (categorizeBulkWriteRows); RxDB's collection wrapper then
    // writes an insert over a deleted id again with that `previous`. So no read is needed.
    const copies = rows.flatMap((r) => (r.previous && isServerCopy(r.previous as Doc, link.identifierHash) ? [r.previous as Doc] : []));
    if (!copies.length) return;
    const meta = await link.meta();
    const res = await meta.bulkWrite(
      copies.map((d) => ({ document: assumedMasterRow(link, d) })),
      STORE_CONTEXT,
    );
    // 409: a row is already there (it is the truer one: RxDB wrote it); anything else stops the change.
    const failed = res.error.find((e) => e.status !== 409);
    if (failed) throw new Error(`Could not keep the server's copy of ${failed.documentId} before changing it (${failed.status})`);
  }

  return hub;
}

interface HubInternals {
  link(fork: Instance, link: Promise<Link>): Promise<void>;
  linkedMeta(meta: Instance): Promise<boolean>;
  /** Opens a metadata instance beside `fork` (a tab that does not run the replication writes through its own). */
  openMeta(fork: Instance, metaCollectionName: string, schema: RxJsonSchema<Doc>): Promise<Instance>;
}

/**
 * The storage's own instance under RxDB's wrappers: its collection wrapper and the schema
 * validation wrapper name it `originalStorageInstance`, other layers `underlyingPersistentStorage`.
 */
export function rawInstance(instance: RxStorageInstance<unknown, unknown, unknown>): WithHub {
  let at = instance as unknown as { underlyingPersistentStorage?: unknown; originalStorageInstance?: unknown };
  while (at.underlyingPersistentStorage || at.originalStorageInstance) at = (at.underlyingPersistentStorage ?? at.originalStorageInstance) as typeof at;
  return at as unknown as WithHub;
}

/**
 * True when `doc` is exactly what the replication `identifierHash` wrote: RxDB's own test
 * (downstream.js: `_meta.o.hash` is the replication's and `_meta.o._rev` the height of the
 * document's revision; any local write raises the height).
 */
export function isServerCopy(doc: Doc, identifierHash: string): boolean {
  const o = doc._meta?.o;
  return !!o && o.hash === identifierHash && o._rev === getHeightOfRevision(doc._rev);
}

/**
 * The metadata row RxDB writes for a document it pulled and has no row for
 * (meta-instance.js `getMetaWriteRow` with no previous row): `docData` is the document without
 * `_meta`, `_rev`, `_attachments`; its revision `1-<checkpoint key>`; its write time the
 * document's.
 */
function assumedMasterRow(link: Link, doc: Doc): Doc {
  const row = {
    id: '',
    isCheckpoint: '0',
    itemId: doc[link.primaryPath],
    docData: writeDocToDocState(doc, false, false),
    _attachments: {},
    _deleted: false,
    _rev: link.metaRev,
    _meta: { lwt: doc._meta.lwt },
  } as unknown as Doc;
  row.id = getComposedPrimaryKeyOfDocumentData(link.metaSchema, row);
  return row;
}

/**
 * Declares which metadata instance holds the assumed master states of `collection` replicated
 * under `replicationIdentifier` (the one given to `replicateRxCollection`), with the names
 * RxDB 17 gives it (plugins/replication `metaInstanceCollectionName`, replication-protocol
 * `identifier`, `getCheckpointKey`). Resolves once linked; does nothing on a storage without
 * this layer. Call it before the replication starts; the link lasts as long as the collection.
 */
export function linkReplicationMeta(collection: RxCollection, replicationIdentifier: string): Promise<void> {
  const fork = rawInstance(collection.storageInstance);
  const hub = fork[HUB] as (LazyMetaHub & HubInternals) | undefined;
  if (!hub) return Promise.resolve();
  const hash = collection.database.hashFunction;
  const identifier = `rxdbreplication${replicationIdentifier}`;
  // Registered at once (the hashes come later): the replication's first reads wait for it.
  const link = (async (): Promise<Link> => {
    const metaCollectionName = 'rx-replication-meta-' + (await hash([collection.name, replicationIdentifier].join('-')));
    const metaSchema = getRxReplicationMetaInstanceSchema(collection.schema.jsonSchema as RxJsonSchema<Doc>, false) as unknown as RxJsonSchema<Doc>;
    const checkpointKey = await getCheckpointKey({ identifier, forkInstance: fork, hashFunction: hash } as unknown as Parameters<typeof getCheckpointKey>[0]);
    let opened: Promise<Instance> | null = null;
    return {
      fork,
      metaCollectionName,
      primaryPath: collection.schema.primaryPath as string,
      identifierHash: await hash(identifier),
      metaSchema,
      metaRev: createRevision(checkpointKey),
      meta: () => (opened ??= hub.openMeta(fork, metaCollectionName, metaSchema)),
      close: async () => void (opened && (await (await opened).close())),
    };
  })();
  return hub.link(fork, link);
}

/**
 * The storage instance the bulk first sync writes the collection's documents into when
 * `metaInstance` (the replication's) answers for the server's copies itself; null when it does
 * not (another storage, or no link), and the metadata rows must be stored.
 *
 * It is the storage's own instance, under RxDB's collection wrapper: that wrapper replaces the
 * `_meta` of every inserted row (rx-storage-helper.js `getWrappedStorageInstance`), which
 * would drop the `_meta.o` mark that makes a document the server's copy.
 */
export async function implicitMetaFork(
  metaInstance: RxStorageInstance<unknown, unknown, unknown>,
  collection: RxCollection,
): Promise<RxStorageInstance<unknown, unknown, unknown> | null> {
  const fork = rawInstance(collection.storageInstance);
  const hub = fork[HUB] as (LazyMetaHub & HubInternals) | undefined;
  return hub && (await hub.linkedMeta(rawInstance(metaInstance))) ? (fork as unknown as RxStorageInstance<unknown, unknown, unknown>) : null;
}
