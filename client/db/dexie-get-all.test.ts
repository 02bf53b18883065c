import { IDBIndex, IDBKeyRange, IDBObjectStore, indexedDB } from 'fake-indexeddb';
import type { MangoQuery } from 'rxdb';
import { fromDexieToStorage, getRxStorageDexie } from 'rxdb/plugins/storage-dexie';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { newId } from '../../shared/ids';
import type { License } from '../../shared/schemas';
import { openDatabase, type AllotDatabase } from './database';
import { getAllotStorage } from './storage';
import { fromStoredRow } from './dexie-get-all';

/**
 * The getAll queries (dexie-get-all.ts) against RxDB's own cursor queries, over the same
 * licenses in IndexedDB (fake-indexeddb, the IndexedDB API in Node): the same documents in the
 * same order for every kind of query the app makes and the ones around them. It also pins the
 * RxDB internals the getAll path reads: if a new RxDB changes them, these answers or the
 * getAll count change.
 */
describe('queries over a whole index range in one getAll', () => {
  const settings = { indexedDB, IDBKeyRange };
  let plain: AllotDatabase;
  let fast: AllotDatabase;
  const teams = [newId(), newId(), newId()];
  const orders = [newId(), newId()];

  beforeAll(async () => {
    const open = (storage: ReturnType<typeof getRxStorageDexie>, tag: string) =>
      openDatabase({ name: `getall${tag}${newId().slice(0, 8)}`, storage: storage as never, multiInstance: false, collections: ['licenses'] });
    plain = await open(getRxStorageDexie(settings), 'p');
    fast = await open(getAllotStorage(settings) as never, 'f');
    const statuses = ['available', 'assigned'] as const;
    const docs: License[] = Array.from({ length: 600 }, (_, i) => ({
      id: newId(),
      orgId: 'org-1',
      orderId: orders[i % 2],
      teamId: teams[i % 3],
      productId: `p${i % 4}`,
      status: statuses[i % 2],
      ...(i % 2 === 1 ? { assignee: { accountId: `a${i}`, email: `person${i}@example.test`, name: `Person ${i}` } } : {}),
      validUntil: `2027-${String((i % 12) + 1).padStart(2, '0')}-01`,
      seq: i + 1,
      updatedAt: '2026-12-01T00:00:00.000Z',
    }));
    for (const db of [plain, fast]) {
      await db.licenses.bulkInsert(docs);
      // Deleted documents stay in the store and must not be answered.
      await db.licenses.bulkRemove(docs.filter((_, i) => i % 10 === 0).map((d) => d.id));
    }
  });
  afterAll(async () => {
    await plain?.close();
    await fast?.close();
  });

  const queries: Array<[string, MangoQuery<License>]> = [
    ['every license (the Licenses list)', {}],
    ['every license in id order', { sort: [{ id: 'asc' }] }],
    ['every license sorted by a field no index gives', { sort: [{ validUntil: 'desc' }, { id: 'asc' }] }],
    ['every license after a skip', { skip: 101 }],
    ['by an indexed field (an order’s licenses)', { selector: { orderId: orders[1] } }],
    ['by another indexed field (a team’s licenses)', { selector: { teamId: teams[2] } }],
    ['by a field no index decides', { selector: { validUntil: { $gt: '2027-06-01' } } }],
    ['sorted by a field no index gives', { selector: { status: 'assigned' }, sort: [{ validUntil: 'desc' }, { id: 'asc' }] }],
    ['skip and limit in the index order', { skip: 37, limit: 25 }],
    ['limit on an indexed field', { selector: { teamId: teams[0] }, limit: 7 }],
    ['limit on a field no index decides (the cursor stops early)', { selector: { validUntil: '2027-03-01' }, limit: 5 }],
    ['limit with a sort no index gives', { selector: { productId: 'p1' }, sort: [{ validUntil: 'asc' }, { id: 'asc' }], skip: 3, limit: 10 }],
    ['nothing in range', { selector: { teamId: 'no-such-team' } }],
  ];

  for (const [name, query] of queries) {
    it(`answers as RxDB does: ${name}`, async () => {
      const expected = (await plain.licenses.find(query).exec()).map((d) => d.toJSON());
      const answered = (await fast.licenses.find(query).exec()).map((d) => d.toJSON());
      expect(answered).toEqual(expected);
    });
  }

  it('reads the whole list with getAll, and leaves an early-stopping limit to the cursor', async () => {
    const getAll = vi.spyOn(IDBIndex.prototype, 'getAll');
    try {
      const all = await fast.licenses.find({ selector: { status: 'available' } }).exec();
      // 300 available, 60 of them deleted.
      expect(all.length).toBe(240);
      expect(getAll).toHaveBeenCalled();
      getAll.mockClear();
      await fast.licenses.find({ selector: { validUntil: '2027-04-01' }, limit: 2 }).exec();
      expect(getAll).not.toHaveBeenCalled();
    } finally {
      getAll.mockRestore();
    }
  });

  it('reads a whole collection from its table in one getAll, not through an index', async () => {
    const tableGetAll = vi.spyOn(IDBObjectStore.prototype, 'getAll');
    const indexGetAll = vi.spyOn(IDBIndex.prototype, 'getAll');
    try {
      // A query none of the tests above made (RxDB keeps a query's last answer).
      const all = await fast.licenses.find({ skip: 2 }).exec();
      // 600 rows, 60 of them deleted.
      expect(all.length).toBe(538);
      expect(tableGetAll).toHaveBeenCalledTimes(1);
      expect(indexGetAll).not.toHaveBeenCalled();
    } finally {
      tableGetAll.mockRestore();
      indexGetAll.mockRestore();
    }
  });

  it('turns a stored row into the document RxDB would, keys with the pipe substitute included', () => {
    const stored = () => ({ id: 'x', _deleted: '0', _meta: { lwt: 1 }, assignee: { name: 'A' }, tags: [{ __raw: 1 }] });
    const plainRow = () => ({ id: 'y', _deleted: '1', _meta: { lwt: 2 }, lines: [{ productId: 'p', quantity: 2 }] });
    expect(fromStoredRow(['_deleted'], stored())).toEqual(fromDexieToStorage(['_deleted'], stored()));
    expect(fromStoredRow(['_deleted'], plainRow())).toEqual(fromDexieToStorage(['_deleted'], plainRow()));
    expect(fromStoredRow(['_deleted'], plainRow())).toMatchObject({ _deleted: true });
  });
});
