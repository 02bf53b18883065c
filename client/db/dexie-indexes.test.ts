import { IDBKeyRange, indexedDB } from 'fake-indexeddb';
import { getRxStorageDexie } from 'rxdb/plugins/storage-dexie';
import { describe, expect, it } from 'vitest';
import { newId } from '../../shared/ids';
import type { License, Quote } from '../../shared/schemas';
import { openDatabase, type AllotDatabase } from './database';
import { appDocsStoreSchema, keepIndexes } from './dexie-indexes';
import { getAllotStorage } from './storage';

/**
 * The tables of the app's storage hold only the indexes RxDB's queries read (dexie-indexes.ts),
 * in IndexedDB (fake-indexeddb) with real RxDB: exactly the schema's indexes, the two left out
 * being exactly the ones the installed RxDB's Dexie storage adds beyond them, every kind of
 * query answered on them (dexie-get-all.test.ts runs the rest against RxDB's own), and a
 * database made with all of RxDB's indexes opened as it is, with no upgrade.
 */
const settings = { indexedDB, IDBKeyRange };

/** name → the docs table's index names, read from IndexedDB itself. */
async function docsIndexes(dbName: string): Promise<{ version: number; indexes: string[] }> {
  const idb = await new Promise<IDBDatabase>((resolve, reject) => {
    const req = indexedDB.open(dbName);
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
  try {
    const store = idb.transaction('docs', 'readonly').objectStore('docs');
    return { version: idb.version, indexes: [...store.indexNames].sort() };
  } finally {
    idb.close();
  }
}

const dexieName = (db: AllotDatabase, collection: 'licenses' | 'quotes') => `rxdb-dexie-${db.name}--${db[collection].schema.version}--${collection}`;

function licenses(n: number, teamId: string, orderId: string): License[] {
  return Array.from({ length: n }, (_, i) => ({
    id: newId(),
    orgId: 'org-1',
    orderId,
    teamId,
    productId: `p${i % 3}`,
    status: 'available',
    validUntil: '2027-01-01',
    seq: i + 1,
    updatedAt: '2026-12-01T00:00:00.000Z',
  }));
}

describe('the local tables hold only the indexes queries read', () => {
  it('keeps the primary key and the listed indexes, in their order', () => {
    expect(keepIndexes('id, [_deleted+id], [_deleted+teamId+id], [_meta.lwt+id], _meta.lwt', new Set(['[_deleted+teamId+id]', '[_meta.lwt+id]']))).toBe(
      'id, [_deleted+teamId+id], [_meta.lwt+id]',
    );
  });

  it('gives each table exactly its schema’s indexes, leaving out only what RxDB adds beyond them', async () => {
    const open = (storage: unknown, tag: string) =>
      openDatabase({ name: `idx${tag}${newId().slice(0, 8)}`, storage: storage as never, multiInstance: false, collections: ['licenses', 'quotes'] });
    const plain = await open(getRxStorageDexie(settings), 'p');
    const app = await open(getAllotStorage(settings), 'a');
    try {
      // Tables are made when a collection is first used.
      for (const db of [plain, app]) {
        await db.licenses.count().exec();
        await db.quotes.count().exec();
      }
      const ours = await docsIndexes(dexieName(app, 'licenses'));
      expect(ours.indexes).toEqual(['[_deleted+orderId+id]', '[_deleted+teamId+id]', '[_meta.lwt+id]']);
      // The store string the bench's rows' floor declares is the same.
      expect(appDocsStoreSchema(app.licenses.schema.jsonSchema as never)).toBe('id, [_deleted+teamId+id], [_deleted+orderId+id], [_meta.lwt+id]');
      // A schema with no index of its own: RxDB queries by [_deleted+id], so it stays.
      expect((await docsIndexes(dexieName(app, 'quotes'))).indexes).toEqual(['[_deleted+id]', '[_meta.lwt+id]']);
      // What the installed RxDB's own Dexie storage adds beyond the schema: if a new RxDB adds another, look at what reads it.
      const theirs = await docsIndexes(dexieName(plain, 'licenses'));
      expect(theirs.indexes.filter((i) => !ours.indexes.includes(i))).toEqual(['[_deleted+id]', '_meta.lwt']);
      expect((await docsIndexes(dexieName(plain, 'quotes'))).indexes.filter((i) => i !== '[_deleted+id]' && i !== '[_meta.lwt+id]')).toEqual(['_meta.lwt']);
      // The one reader of `_meta.lwt`, RxDB's cleanup, is not there: deleted documents stay.
      expect(() => app.licenses.cleanup()).toThrow(/cleanup/);
    } finally {
      await plain.close();
      await app.close();
    }
  });

  it('answers every kind of query on the lighter tables, counts included', async () => {
    const db = await openDatabase({ name: `idxq${newId().slice(0, 8)}`, storage: getAllotStorage(settings), multiInstance: false, collections: ['licenses', 'quotes'] });
    try {
      const [t1, t2, o1] = [newId(), newId(), newId()];
      const docs = [...licenses(30, t1, o1), ...licenses(20, t2, newId())];
      await db.licenses.bulkInsert(docs);
      await db.licenses.bulkRemove(docs.slice(0, 5).map((d) => d.id));
      expect(await db.licenses.count().exec()).toBe(45);
      expect((await db.licenses.find().exec()).length).toBe(45);
      expect((await db.licenses.find({ selector: { teamId: t1 } }).exec()).length).toBe(25);
      expect(await db.licenses.count({ selector: { orderId: o1 } }).exec()).toBe(25);
      expect((await db.licenses.find({ selector: { status: 'available' }, sort: [{ validUntil: 'asc' }, { id: 'asc' }], limit: 3 }).exec()).length).toBe(3);
      const quote: Quote = {
        id: newId(),
        orgId: 'org-1',
        seq: 0,
        updatedAt: '',
        number: 'Q-1',
        lines: [{ productId: 'p1', quantity: 2 }],
        totalCents: 0,
        currency: 'EUR',
        requestedByMemberId: newId(),
        createdAt: '2026-12-01',
        validUntil: '2027-01-01',
      } as Quote;
      await db.quotes.insert(quote);
      expect(await db.quotes.count().exec()).toBe(1);
    } finally {
      await db.close();
    }
  });

  it('opens a database made with every RxDB index as it is: no upgrade, its documents all there', async () => {
    const name = `idxold${newId().slice(0, 8)}`;
    const team = newId();
    const old = await openDatabase({ name, storage: getRxStorageDexie(settings), multiInstance: false, collections: ['licenses'] });
    await old.licenses.bulkInsert(licenses(12, team, newId()));
    const before = await docsIndexes(dexieName(old, 'licenses'));
    await old.close();
    const db = await openDatabase({ name, storage: getAllotStorage(settings), multiInstance: false, collections: ['licenses'] });
    try {
      expect(await db.licenses.count().exec()).toBe(12);
      await db.licenses.bulkInsert(licenses(3, team, newId()));
      expect((await db.licenses.find({ selector: { teamId: team } }).exec()).length).toBe(15);
      // IndexedDB's version and the indexes are those of before: nothing was upgraded.
      expect(await docsIndexes(dexieName(db, 'licenses'))).toEqual(before);
    } finally {
      await db.close();
    }
  });
});
