/**
 * The first-sync figure's page (issue 7): the real client replication (client/db: RxDB on
 * Dexie, startSync against the real server) and, in the same page, its floor: the same
 * documents fetched from the same pull endpoint at the largest batch the server allows
 * and written with a raw Dexie bulkPut into a fresh database.
 */
import Dexie from 'dexie';
import { createRevision, createRxDatabase, fillWithDefaultSettings, type RxCollectionCreator, type RxJsonSchema } from 'rxdb';
import { fromStorageToDexie, getBooleanIndexes } from 'rxdb/plugins/storage-dexie';
import { appDocsStoreSchema } from '../../../client/db/dexie-indexes';
import { openDatabase, startSync } from '../../../client/db';
import { getAllotStorage } from '../../../client/db/storage';
import {
  LOCAL_COLLECTION_NAMES,
  LOCAL_MIGRATIONS,
  LOCAL_SCHEMA_VERSION,
  SCHEMA_VERSION,
  rxSchemaOf,
  type CollectionName,
  type LocalCollectionName,
} from '../../../shared/schemas';
import { SCHEMA_HEADER } from '../../../shared/sync';
import { syncPath } from '../../../shared/sync-paths';

type Counts = Partial<Record<CollectionName, number>>;

const headers = { 'content-type': 'application/json', [SCHEMA_HEADER]: String(SCHEMA_VERSION) };

async function benchSync(opts: { orgId: string; name: string; expected: Counts; timeoutMs: number; batchSize?: number }) {
  const t0 = performance.now();
  const db = await openDatabase({ name: opts.name });
  const tOpen = performance.now();
  const sync = startSync(db, { orgId: opts.orgId, baseUrl: '', ...(opts.batchSize ? { batchSize: opts.batchSize } : {}) });
  let tFirstDoc: number | undefined;
  const done = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not synced within ${opts.timeoutMs} ms: ${JSON.stringify(sync.getStatus())}`)), opts.timeoutMs);
    sync.onStatus((s) => {
      if (tFirstDoc === undefined && s.progress.docsReceived > 0) tFirstDoc = performance.now();
      if (s.initialSyncDone) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  await done;
  const tSynced = performance.now();
  const counts: Counts = {};
  for (const c of Object.keys(opts.expected) as LocalCollectionName[]) counts[c] = (await db[c].find().exec()).length;
  await sync.stop();
  await db.close();
  return {
    ms: tSynced - t0,
    openMs: tOpen - t0,
    firstDocMs: tFirstDoc === undefined ? null : tFirstDoc - t0,
    counts,
  };
}

async function benchFloor(opts: { orgId: string; name: string; collections: CollectionName[] }) {
  const t0 = performance.now();
  const dx = new Dexie(opts.name);
  dx.version(1).stores(Object.fromEntries(opts.collections.map((c) => [c, 'id'])));
  await dx.open();
  let fetchMs = 0;
  let putMs = 0;
  let bytes = 0;
  const counts: Counts = {};
  await Promise.all(
    opts.collections.map(async (c) => {
      let checkpoint: unknown = null;
      let n = 0;
      for (;;) {
        const f0 = performance.now();
        const res = await fetch(syncPath(opts.orgId, c, 'pull'), {
          method: 'POST',
          headers,
          credentials: 'include',
          body: JSON.stringify({ checkpoint, batchSize: 1000 }),
        });
        const text = await res.text();
        bytes += text.length;
        const body = JSON.parse(text) as { documents: { id: string }[]; checkpoint: unknown };
        const p0 = performance.now();
        fetchMs += p0 - f0;
        if (body.documents.length) await dx.table(c).bulkPut(body.documents);
        putMs += performance.now() - p0;
        n += body.documents.length;
        checkpoint = body.checkpoint;
        if (body.documents.length < 1000) break;
      }
      counts[c] = n;
    }),
  );
  const ms = performance.now() - t0;
  dx.close();
  return { ms, fetchMs, putMs, bytes, counts };
}

/**
 * The floor of RxDB's storage layout: the same pages fetched the same way, each written as the
 * rows a first sync must leave — the document, marked as the server's copy, in a table with
 * the indexes the app's storage gives the collection (the schema's: client/db/dexie-indexes.ts;
 * its replication metadata row is left implicit, client/db/lazy-meta.ts) — with one bulkPut
 * and no reads. What the real sync takes beyond this is the replication's own.
 */
async function benchLayoutFloor(opts: { orgId: string; name: string; collections: CollectionName[] }) {
  const t0 = performance.now();
  const tables = opts.collections.map((c) => {
    const schema = fillWithDefaultSettings(rxSchemaOf(c) as unknown as RxJsonSchema<{ id: string }>);
    const docs = new Dexie(`${opts.name}-${c}`);
    docs.version(1).stores({ docs: appDocsStoreSchema(schema as RxJsonSchema<unknown>) });
    return { c, docs, docBools: getBooleanIndexes(schema) };
  });
  await Promise.all(tables.map((t) => t.docs.open()));
  let rows = 0;
  await Promise.all(
    tables.map(async ({ c, docs, docBools }) => {
      let checkpoint: unknown = null;
      for (;;) {
        const res = await fetch(syncPath(opts.orgId, c, 'pull'), {
          method: 'POST',
          headers,
          credentials: 'include',
          body: JSON.stringify({ checkpoint, batchSize: 1000 }),
        });
        const body = (await res.json()) as { documents: ({ id: string; _deleted?: boolean } & Record<string, unknown>)[]; checkpoint: unknown };
        const lwt = Date.now();
        const rev = createRevision('layout');
        const o = { _rev: 1, hash: 'layout' };
        await docs
          .table('docs')
          .bulkPut(body.documents.map((d) => fromStorageToDexie(docBools, { ...d, _deleted: !!d._deleted, _attachments: {}, _rev: rev, _meta: { lwt, o } })));
        rows += body.documents.length;
        checkpoint = body.checkpoint;
        if (body.documents.length < 1000) break;
      }
    }),
  );
  const ms = performance.now() - t0;
  tables.forEach((t) => t.docs.close());
  return { ms, documents: rows };
}

/** The local indexes of local schema version 5, the version before 6 kept only the queried ones (shared/schemas/index.ts). */
const VERSION_5_INDEXES: Partial<Record<CollectionName, string[]>> = {
  members: ['orgId', 'accountId'],
  contacts: ['orgId', 'email'],
  teams: ['orgId'],
  orders: ['orgId', 'teamId'],
  licenses: ['orgId', 'teamId', 'productId', 'status', 'orderId'],
  invitations: ['orgId', 'teamId', 'productId'],
  acceptances: ['orgId', 'invitationId', 'teamId'],
  invoices: ['orgId', 'orderId'],
  quotes: ['orgId'],
  notifications: ['orgId', 'status'],
};

/**
 * The one-time upgrade of a local database made by version 5 (the same documents, the old
 * indexes) to the current local version: the organization's documents are written into a
 * version-5 database, then the time the app's openDatabase takes to open it (RxDB migrating
 * every document) is measured, and the documents counted after.
 */
async function benchMigration(opts: { orgId: string; name: string; collections: LocalCollectionName[] }) {
  if (LOCAL_SCHEMA_VERSION !== 6) throw new Error('benchMigration measures the upgrade from local version 5 to 6');
  const old = await createRxDatabase({ name: opts.name, storage: getAllotStorage(), multiInstance: false });
  const creators: Record<string, RxCollectionCreator> = {};
  for (const c of opts.collections) {
    creators[c] = {
      schema: { ...rxSchemaOf(c), version: 5, indexes: VERSION_5_INDEXES[c] ?? [] } as never,
      migrationStrategies: Object.fromEntries(Object.entries(LOCAL_MIGRATIONS).filter(([v]) => Number(v) <= 5)),
    };
  }
  await old.addCollections(creators);
  let written = 0;
  for (const c of opts.collections) {
    let checkpoint: unknown = null;
    for (;;) {
      const res = await fetch(syncPath(opts.orgId, c, 'pull'), { method: 'POST', headers, credentials: 'include', body: JSON.stringify({ checkpoint, batchSize: 1000 }) });
      const body = (await res.json()) as { documents: Record<string, unknown>[]; checkpoint: unknown };
      if (body.documents.length) await old.collections[c].bulkInsert(body.documents.map(({ _deleted, ...d }) => d));
      written += body.documents.length;
      checkpoint = body.checkpoint;
      if (body.documents.length < 1000) break;
    }
  }
  await old.close();
  const t0 = performance.now();
  const db = await openDatabase({ name: opts.name, collections: opts.collections });
  const ms = performance.now() - t0;
  const counts: Counts = {};
  for (const c of opts.collections) counts[c] = await db[c].count().exec();
  await db.close();
  return { ms, documents: written, counts };
}

/** What the page puts on `window` for the bench to call. */
export interface BenchPage {
  benchSync: typeof benchSync;
  benchFloor: typeof benchFloor;
  benchLayoutFloor: typeof benchLayoutFloor;
  benchMigration: typeof benchMigration;
}

const w = window as unknown as Record<string, unknown>;
w.benchSync = benchSync;
w.benchFloor = benchFloor;
w.benchLayoutFloor = benchLayoutFloor;
w.benchMigration = benchMigration;
w.benchCollections = LOCAL_COLLECTION_NAMES;
document.getElementById('state')!.textContent = 'ready';
