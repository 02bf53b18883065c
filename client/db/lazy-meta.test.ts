import { IDBKeyRange, indexedDB } from 'fake-indexeddb';
import { Subject } from 'rxjs';
import {
  createRxDatabase,
  getChangedDocumentsSince,
  getRxReplicationMetaInstanceSchema,
  type RxCollection,
  type RxStorageInstance,
} from 'rxdb';
import { replicateRxCollection } from 'rxdb/plugins/replication';
import { afterEach, describe, expect, it } from 'vitest';
import { newId } from '../../shared/ids';
import { LOCAL_MIGRATIONS, LOCAL_SCHEMA_VERSION, rxSchemaOf } from '../../shared/schemas';
import { openDatabase, type AllotDatabase } from './database';
import { linkReplicationMeta, rawInstance } from './lazy-meta';
import { getAllotStorage } from './storage';

/**
 * Replication metadata left implicit (lazy-meta.ts), on the app's storage over IndexedDB
 * (fake-indexeddb) with real RxDB: a document still as the server sent it answers for its
 * metadata row, and every kind of local change stores that row before the document changes —
 * so the push that follows carries the server's copy as its assumed master state, whether or
 * not this tab runs the replication.
 */
type Row = Record<string, unknown> & { id: string; itemId: string; isCheckpoint: string; docData: Record<string, unknown>; _rev: string };
type Meta = RxStorageInstance<Row, unknown, unknown>;

const IDENTIFIER = 'allot:https://allot.test:contacts';
const open: AllotDatabase[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((db) => db.close()));
});

async function database(name = `lazy${newId().slice(0, 8)}`): Promise<AllotDatabase> {
  const db = await openDatabase({
    name,
    storage: getAllotStorage({ indexedDB, IDBKeyRange }),
    multiInstance: false,
    collections: ['contacts'],
  });
  open.push(db);
  return db;
}

const contactOf = (name: string) => ({
  id: newId(),
  orgId: 'org-1',
  name,
  email: `${name.toLowerCase()}@example.test`,
  roles: ['primaryTechnical' as const],
  orderIds: [],
  disabled: false,
  source: 'manual' as const,
  seq: 7,
  updatedAt: '2026-12-01T00:00:00.000Z',
});

/** Stores `docs` as the bulk first sync does: the server's copies, marked, with no metadata rows. */
async function serverCopies(db: Pick<AllotDatabase, 'contacts' | 'hashFunction' | 'token'>, docs: Record<string, unknown>[], deleted = false) {
  const collection = db.contacts as unknown as RxCollection;
  const hash = await db.hashFunction(`rxdbreplication${IDENTIFIER}`);
  const res = await rawInstance(collection.storageInstance).bulkWrite(
    docs.map((d) => ({
      document: { ...d, _deleted: deleted, _attachments: {}, _rev: `1-${db.token}`, _meta: { lwt: 1_000, o: { _rev: 1, hash } } },
    })) as never,
    'replication-downstream-test',
  );
  expect(res.error).toEqual([]);
}

/** The replication's metadata instance, opened as RxDB's replication opens it. */
async function metaOf(db: AllotDatabase): Promise<{ meta: Meta; stored(): Promise<Row[]> }> {
  const collection = db.contacts as unknown as RxCollection;
  const meta = (await db.storage.createStorageInstance({
    databaseName: db.name,
    databaseInstanceToken: db.token,
    collectionName: 'rx-replication-meta-' + (await db.hashFunction(['contacts', IDENTIFIER].join('-'))),
    schema: getRxReplicationMetaInstanceSchema(collection.schema.jsonSchema, false) as never,
    options: {},
    multiInstance: false,
    devMode: false,
  })) as unknown as Meta;
  return {
    meta,
    // What is really there: a list of changes does not go through the answers made up for missing rows.
    stored: async () => (await getChangedDocumentsSince(meta, 10_000)).documents.filter((r) => r.isCheckpoint === '0'),
  };
}

describe('replication metadata of the server’s copies', () => {
  it('is answered from the document while it is unchanged, and stored before each kind of local change', async () => {
    const db = await database();
    await linkReplicationMeta(db.contacts as unknown as RxCollection, IDENTIFIER);
    const [edited, removed, kept] = [contactOf('Ada'), contactOf('Bo'), contactOf('Cy')];
    const gone = contactOf('Dee');
    await serverCopies(db, [edited, removed, kept]);
    await serverCopies(db, [gone], true);
    const { meta, stored } = await metaOf(db);
    try {
      const answer = async (id: string) => (await meta.findDocumentsById([`${id}|0`], true))[0];
      expect(await stored()).toEqual([]);
      // The row RxDB writes for a pulled document: the document without its storage fields.
      const before = await answer(edited.id);
      expect(before).toMatchObject({ id: `${edited.id}|0`, itemId: edited.id, isCheckpoint: '0', _deleted: false, docData: { ...edited, _deleted: false } });
      expect(Object.keys(before.docData)).not.toContain('_meta');
      expect((await answer(gone.id)).docData).toEqual({ ...gone, _deleted: true });

      // A person's edit, a removal, an insert over a deleted id: each stores the server's copy first.
      await (await db.contacts.findOne(edited.id).exec())!.incrementalPatch({ name: 'Ada Lovelace' });
      await (await db.contacts.findOne(removed.id).exec())!.remove();
      await db.contacts.insert({ ...gone, name: 'Dee again' });
      const rows = new Map((await stored()).map((r) => [r.itemId, r]));
      expect([...rows.keys()].sort()).toEqual([edited.id, removed.id, gone.id].sort());
      expect(rows.get(edited.id)).toEqual(before);
      expect(rows.get(removed.id)!.docData).toEqual({ ...removed, _deleted: false });
      expect(rows.get(gone.id)!.docData).toEqual({ ...gone, _deleted: true });
      // The changed documents are no longer the server's copies: their answers are the stored rows, unchanged by the edits.
      expect((await answer(edited.id)).docData.name).toBe('Ada');
      // An unchanged one still answers for itself, and nothing was stored for it.
      expect((await answer(kept.id)).docData).toEqual({ ...kept, _deleted: false });
      expect(rows.has(kept.id)).toBe(false);
      // A document that never came from the server has no assumed master state, as with RxDB.
      const local = contactOf('Eve');
      await db.contacts.insert(local);
      expect(await meta.findDocumentsById([`${local.id}|0`], true)).toEqual([]);
    } finally {
      await meta.close();
    }
  });

  it('a push after an edit carries the server’s copy as its assumed master state', async () => {
    const db = await database();
    const collection = db.contacts as unknown as RxCollection;
    const doc = contactOf('Ada');
    await linkReplicationMeta(collection, IDENTIFIER);
    await serverCopies(db, [doc]);
    const pushed: { assumedMasterState?: Record<string, unknown>; newDocumentState: Record<string, unknown> }[] = [];
    const replication = replicateRxCollection({
      collection,
      replicationIdentifier: IDENTIFIER,
      live: true,
      waitForLeadership: false,
      pull: { handler: async () => ({ documents: [], checkpoint: null }), stream$: new Subject<never>() },
      push: {
        handler: async (rows) => {
          pushed.push(...(rows as typeof pushed));
          return [];
        },
      },
    });
    try {
      await replication.awaitInitialReplication();
      expect(pushed).toEqual([]);
      await (await db.contacts.findOne(doc.id).exec())!.incrementalPatch({ name: 'Ada Lovelace' });
      await replication.awaitInSync();
      expect(pushed).toHaveLength(1);
      expect(pushed[0].assumedMasterState).toEqual({ ...doc, _deleted: false });
      expect(pushed[0].newDocumentState).toMatchObject({ name: 'Ada Lovelace' });
    } finally {
      await replication.cancel();
    }
  });

  it('a schema migration keeps the server’s copies as such', async () => {
    // A database the previous app version made (the same contacts, one local schema version older, its indexes), synced in bulk.
    const name = `lazymig${newId().slice(0, 8)}`;
    const old = await createRxDatabase({ name, storage: getAllotStorage({ indexedDB, IDBKeyRange }), multiInstance: false });
    await old.addCollections({
      contacts: {
        // Version 5 indexed contacts by orgId and email; 6 by neither.
        schema: { ...structuredClone(rxSchemaOf('contacts')), version: LOCAL_SCHEMA_VERSION - 1, indexes: ['orgId', 'email'] } as never,
        migrationStrategies: Object.fromEntries(Object.entries(LOCAL_MIGRATIONS).filter(([v]) => Number(v) < LOCAL_SCHEMA_VERSION)),
      },
    });
    await linkReplicationMeta(old.contacts, IDENTIFIER);
    const doc = contactOf('Ada');
    await serverCopies(old as never, [doc]);
    await old.close();

    const db = await database(name);
    await linkReplicationMeta(db.contacts as unknown as RxCollection, IDENTIFIER);
    const { meta, stored } = await metaOf(db);
    try {
      expect(await stored()).toEqual([]);
      expect((await meta.findDocumentsById([`${doc.id}|0`], true))[0]?.docData).toEqual({ ...doc, _deleted: false });
      await (await db.contacts.findOne(doc.id).exec())!.incrementalPatch({ name: 'Ada Lovelace' });
      expect((await stored()).map((r) => r.docData)).toEqual([{ ...doc, _deleted: false }]);
    } finally {
      await meta.close();
    }
  });

  it('a read that meets a first local change between its two reads still finds the server’s copy', async () => {
    const db = await database();
    const collection = db.contacts as unknown as RxCollection;
    await linkReplicationMeta(collection, IDENTIFIER);
    const doc = contactOf('Ada');
    await serverCopies(db, [doc]);
    const { meta } = await metaOf(db);
    // The edit lands after the metadata read found no row and before the document is read.
    const fork = rawInstance(collection.storageInstance) as unknown as Meta;
    const read = fork.findDocumentsById.bind(fork);
    let once = true;
    fork.findDocumentsById = async (ids, withDeleted) => {
      if (once) {
        once = false;
        await (await db.contacts.findOne(doc.id).exec())!.incrementalPatch({ name: 'Ada Lovelace' });
      }
      return read(ids, withDeleted);
    };
    try {
      const [row] = await meta.findDocumentsById([`${doc.id}|0`], true);
      expect(once).toBe(false);
      expect(row?.docData).toEqual({ ...doc, _deleted: false });
    } finally {
      fork.findDocumentsById = read;
      await meta.close();
    }
  });
});
