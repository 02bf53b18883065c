import { IDBKeyRange, IDBObjectStore, indexedDB } from 'fake-indexeddb';
import {
  createRevision,
  fillWithDefaultSettings,
  getChangedDocumentsSince,
  now,
  type BulkWriteRow,
  type EventBulk,
  type RxDocumentData,
  type RxJsonSchema,
  type RxStorageInstance,
} from 'rxdb';
import { getRxStorageDexie, type RxStorageInstanceDexie } from 'rxdb/plugins/storage-dexie';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { newId } from '../../shared/ids';
import { rxSchemaOf } from '../../shared/schemas';
import { getAllotStorage } from './storage';

/**
 * Inserts without a read (dexie-insert.ts) against RxDB's own Dexie bulkWrite, over the same
 * rows in IndexedDB (fake-indexeddb): the same answer, the same stored documents, the same
 * events with the same checkpoint; and no IndexedDB `get` on the way when nothing is there.
 * It pins the RxDB internals the path uses: a new RxDB that changes them changes these.
 */
type Doc = RxDocumentData<Record<string, unknown>> & { id: string };
type Instance = RxStorageInstance<Record<string, unknown>, unknown, unknown>;

const settings = { indexedDB, IDBKeyRange };
const schema = fillWithDefaultSettings(rxSchemaOf('contacts') as unknown as RxJsonSchema<Doc>);

async function open(kind: 'rxdb' | 'allot'): Promise<{ instance: Instance; bulks: EventBulk<{ documentId: string; operation: string; documentData: unknown }, unknown>[] }> {
  const storage = kind === 'rxdb' ? getRxStorageDexie(settings) : getAllotStorage(settings);
  const instance = (await storage.createStorageInstance({
    databaseInstanceToken: 'token',
    databaseName: `ins${kind}${newId().slice(0, 8)}`,
    collectionName: 'contacts',
    schema: schema as never,
    options: {},
    multiInstance: false,
    devMode: false,
  })) as unknown as Instance;
  const bulks: EventBulk<{ documentId: string; operation: string; documentData: unknown }, unknown>[] = [];
  instance.changeStream().subscribe((b) => bulks.push(b as never));
  return { instance, bulks };
}

const contact = (name: string, extra: Partial<Doc> = {}): Doc =>
  ({
    id: newId(),
    orgId: 'org-1',
    name,
    email: `${name.toLowerCase()}@example.test`,
    seq: 1,
    updatedAt: '2026-12-01T00:00:00.000Z',
    _deleted: false,
    _attachments: {},
    _rev: createRevision('abc'),
    _meta: { lwt: now() },
    ...extra,
  }) as Doc;

/** The rows as IndexedDB holds them, in key order. */
const rawRows = async (instance: Instance) => (await (instance as unknown as RxStorageInstanceDexie<unknown>).internals).dexieTable.toArray();

/** What a write's answer says, without the parts that differ by instance (the context is compared as given). */
const answerOf = (res: { error: unknown[] }) => res.error;
/** The events of a write, without the bulk's random id. */
const eventsOf = (bulk: EventBulk<unknown, unknown> | undefined) => bulk && { events: bulk.events, checkpoint: bulk.checkpoint, context: bulk.context };

async function both(write: (instance: Instance) => Promise<unknown>) {
  const rx = await open('rxdb');
  const allot = await open('allot');
  for (const { instance } of [rx, allot]) await write(instance);
  return { rx, allot };
}

describe('inserts without a read first', () => {
  const gets = vi.spyOn(IDBObjectStore.prototype, 'get');
  afterEach(() => gets.mockClear());

  it('writes new documents as RxDB does, with no get', async () => {
    const docs = Array.from({ length: 50 }, (_, i) => contact(`Person${i}`, i % 7 === 0 ? { _deleted: true } : {}));
    const rx = await open('rxdb');
    const allot = await open('allot');
    const rows: BulkWriteRow<Record<string, unknown>>[] = docs.map((document) => ({ document }));

    const rxRes = await rx.instance.bulkWrite(rows, 'test-insert');
    gets.mockClear();
    const allotRes = await allot.instance.bulkWrite(rows, 'test-insert');
    expect(gets).not.toHaveBeenCalled();

    expect(answerOf(allotRes)).toEqual(answerOf(rxRes));
    expect(eventsOf(allot.bulks.at(-1))).toEqual(eventsOf(rx.bulks.at(-1)));
    // Deleted documents are stored (RxDB keeps tombstones) but announce nothing.
    expect(allot.bulks.at(-1)!.events).toHaveLength(docs.filter((d) => !d._deleted).length);
    const ids = docs.map((d) => d.id);
    expect(await allot.instance.findDocumentsById(ids, true)).toEqual(await rx.instance.findDocumentsById(ids, true));
    // The stored rows and what RxDB's indexes answer ([_meta.lwt+id]: the changes since a checkpoint).
    expect(await rawRows(allot.instance)).toEqual(await rawRows(rx.instance));
    expect((await getChangedDocumentsSince(allot.instance, 100)).documents).toEqual((await getChangedDocumentsSince(rx.instance, 100)).documents);
  });

  it('answers a document already stored (deleted or not) with RxDB’s conflict, and keeps the rest', async () => {
    const stored = [contact('Ada'), contact('Grace', { _deleted: true })];
    const fresh = [contact('Linus'), contact('Barbara')];
    const { rx, allot } = await both(async (instance) => {
      await instance.bulkWrite(
        stored.map((document) => ({ document })),
        'before',
      );
    });
    const rows = [fresh[0], { ...stored[0], name: 'Ada L.', _rev: createRevision('abc', stored[0]) }, fresh[1], { ...stored[1], _deleted: false, _rev: createRevision('abc', stored[1]) }].map(
      (document) => ({ document }),
    ) as BulkWriteRow<Record<string, unknown>>[];
    const rxRes = await rx.instance.bulkWrite(rows, 'again');
    const allotRes = await allot.instance.bulkWrite(rows, 'again');

    expect(allotRes.error.map((e) => [e.status, e.documentId])).toEqual([
      [409, stored[0].id],
      [409, stored[1].id],
    ]);
    expect(answerOf(allotRes)).toEqual(answerOf(rxRes));
    expect(eventsOf(allot.bulks.at(-1))).toEqual(eventsOf(rx.bulks.at(-1)));
    const ids = [...stored, ...fresh].map((d) => d.id);
    expect(await allot.instance.findDocumentsById(ids, true)).toEqual(await rx.instance.findDocumentsById(ids, true));
  });

  it('leaves updates and repeated ids to RxDB’s own write', async () => {
    const a = contact('Ada');
    const { rx, allot } = await both(async (instance) => {
      await instance.bulkWrite([{ document: a }], 'before');
    });
    const update = { previous: a, document: { ...a, name: 'Ada L.', _rev: createRevision('abc', a), _meta: { lwt: now() } } };
    gets.mockClear();
    const allotRes = await allot.instance.bulkWrite([update], 'update');
    // RxDB's own path reads the document before it writes.
    expect(gets).toHaveBeenCalled();
    expect(answerOf(allotRes)).toEqual(answerOf(await rx.instance.bulkWrite([update], 'update')));

    const b = contact('Barbara');
    const twice = [{ document: b }, { document: { ...b, name: 'Barbara L.' } }];
    expect(answerOf(await allot.instance.bulkWrite(twice, 'twice'))).toEqual(answerOf(await rx.instance.bulkWrite(twice, 'twice')));
    expect(await allot.instance.findDocumentsById([a.id, b.id], true)).toEqual(await rx.instance.findDocumentsById([a.id, b.id], true));
  });
});
