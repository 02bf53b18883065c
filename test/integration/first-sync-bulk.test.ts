/**
 * The bulk first sync (client/db/first-sync.ts) against RxDB's own path, with real RxDB
 * clients over a real port: pinned to the installed RxDB by comparing, row for row, what each
 * path leaves in the storage (documents and replication metadata); then what the metadata is
 * for — an offline edit after a bulk first sync still merges field by field — and a first sync
 * cut mid-way that goes on from where it was.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getChangedDocumentsSince, getUnderlyingPersistentStorage, type RxCollection, type RxStorageInstance } from 'rxdb';
import { startTestServer, type TestServer } from '../helpers/server';
import { skipWithoutPg } from '../helpers/pg';
import { bulkSeed } from '../bench/lib';
import { newId } from '../../shared/ids';
import { contact, eventually, firstContactsWritten, openClient, settled, type Client, STORAGE_CASES } from './sync-clients';
import { pullAll } from './permissions-fixtures';
import { startSync, type SyncHandle } from '../../client/db/replication';

const SEEDED = 2_500;
const COLLECTIONS = ['organizations', 'members', 'contacts'] as const;

type Row = Record<string, unknown> & { _meta: Record<string, unknown> };

/** What the device stores for `ids`: the raw contact rows and their replication metadata rows. */
async function stored(c: Client, ids: string[]) {
  const fork = getUnderlyingPersistentStorage((c.db.contacts as unknown as RxCollection).storageInstance);
  const docs = (await fork.findDocumentsById(ids, true)) as unknown as Row[];
  const meta = c.sync.replications.contacts.metaInstance;
  if (!meta) throw new Error('no replication metadata storage');
  const metaRows = (await meta.findDocumentsById(ids.map((id) => `${id}|0`), true)) as unknown as Row[];
  const byId = <T extends Row>(rows: T[], key: string) => new Map(rows.map((r) => [String(r[key]), r]));
  return { docs: byId(docs, 'id'), meta: byId(metaRows, 'itemId') };
}

/**
 * Which of `ids` have a metadata row actually stored (not answered for by the document,
 * client/db/lazy-meta.ts): read past every wrapper, as a list of changes.
 */
async function metaRowsStored(c: Client, ids: string[]): Promise<Set<string>> {
  const meta = c.sync.replications.contacts.metaInstance;
  if (!meta) throw new Error('no replication metadata storage');
  const raw = getUnderlyingPersistentStorage(meta) as unknown as RxStorageInstance<{ itemId: string; isCheckpoint: string }, unknown, unknown>;
  const wanted = new Set(ids);
  const { documents } = await getChangedDocumentsSince(raw, 1_000_000);
  return new Set(documents.filter((d) => d.isCheckpoint === '0' && wanted.has(d.itemId)).map((d) => d.itemId));
}

/** RxDB's own state of a client's contacts replication. */
function internalOf(c: Client) {
  const internal = (c.sync.replications.contacts as unknown as {
    internalReplicationState?: { stats: { down: { persistFromMaster: number } }; checkpointKey: Promise<string>; input: { identifier: string } };
  }).internalReplicationState;
  if (!internal) throw new Error('replication not started');
  return internal;
}

/** How often RxDB's downstream wrote pulled documents itself (its own counter). */
const downstreamWrites = (c: Client) => internalOf(c).stats.down.persistFromMaster;

/** A stored row with its write time left out, and `token` (a database's own) in its revision named as such. */
const withoutLwt = ({ _meta, ...rest }: Row, token = '') => ({
  ...rest,
  ...(token ? { _rev: String(rest._rev).replace(token, 'TOKEN') } : {}),
  _meta: { ..._meta, lwt: 0 },
});


for (const { dialect, kept } of STORAGE_CASES) {
  describe.skipIf(skipWithoutPg(dialect, 'bulk first sync'))(`bulk first sync on ${dialect}, kept in ${kept}`, () => {
    let s: TestServer;
    let org: Awaited<ReturnType<TestServer['createOrg']>>;
    let ids: string[];
    beforeAll(async () => {
      s = await startTestServer({ dialect });
      org = await s.createOrg('Bulk Org', `bulk-${newId().slice(0, 6)}@acme.test`);
      const seeded = Array.from({ length: SEEDED }, (_, i) => {
        const { seq: _s, updatedAt: _u, ...doc } = contact(org.orgId, { name: `Seeded ${i}` });
        return doc;
      });
      ids = seeded.map((d) => d.id);
      await bulkSeed(s.store, org.orgId, [{ collection: 'contacts', docs: seeded }]);
    });
    afterAll(async () => s?.close());

    /** The client holds exactly the server's live contacts, each with the server's name. */
    async function holdsTheServersContacts(c: Client) {
      const onServer = (await pullAll(s, 'contacts', org.cookie, org.orgId)).docs.filter((d) => !d._deleted);
      const local = await c.db.contacts.find().exec();
      expect(local.map((d) => d.id).sort()).toEqual(onServer.map((d) => d.id).sort());
      const names = new Map(onServer.map((d) => [d.id, d.name]));
      for (const d of local) expect(d.name, d.id).toBe(names.get(d.id));
    }

    it('leaves exactly the rows RxDB’s own downstream leaves', async () => {
      const bulk = await openClient(s, org.cookie, org.orgId, 'bulk', [...COLLECTIONS], undefined, kept);
      // A device that already holds something of the collection takes RxDB's own path.
      const own = await openClient(
        s,
        org.cookie,
        org.orgId,
        'own',
        [...COLLECTIONS],
        async (db) => {
          await db.contacts.insert(contact(org.orgId, { name: 'Made before the first sync' }));
        },
        kept,
      );
      try {
        await eventually(() => expect(bulk.sync.getStatus().initialSyncDone && own.sync.getStatus().initialSyncDone).toBe(true), 60_000);
        // Three pages: RxDB's downstream wrote only the one document handed back on the bulk path
        // (and, when it came while the pages did, the other device's new contact from the live
        // stream), every page on its own.
        expect(downstreamWrites(bulk)).toBeLessThanOrEqual(2);
        expect(downstreamWrites(own)).toBeGreaterThanOrEqual(3);
        await settled(bulk);
        await settled(own);

        const a = await stored(bulk, ids);
        const b = await stored(own, ids);
        const [keyA, keyB] = await Promise.all([internalOf(bulk).checkpointKey, internalOf(own).checkpointKey]);
        expect(a.docs.size).toBe(SEEDED);
        expect(a.meta.size).toBe(SEEDED);
        // On the app's storage no metadata row is stored for a document still as the server sent
        // it: the document answers for it (the rows compared above are those answers). RxDB's
        // memory storage stores every row.
        expect((await metaRowsStored(bulk, ids)).size).toBe(kept === 'indexeddb' ? 0 : SEEDED);
        // On the app's storage the bulk path's documents carry the mark RxDB's downstream gives a
        // server's copy (`_meta.o`; RxDB's collection wrapper drops it from the rows it inserts).
        const mark = kept === 'indexeddb' ? { _rev: 1, hash: await bulk.db.hashFunction(internalOf(bulk).input.identifier) } : undefined;
        for (const id of ids) {
          const { o, ...meta } = a.docs.get(id)!._meta;
          expect(o, id).toEqual(mark);
          // Each device's revisions carry its own database's token.
          expect(withoutLwt({ ...a.docs.get(id)!, _meta: meta }, bulk.db.token), id).toEqual(withoutLwt(b.docs.get(id)!, own.db.token));
          // Metadata revisions carry the replication's checkpoint key (its fork's database name in it).
          expect(withoutLwt(a.meta.get(id)!, keyA), id).toEqual(withoutLwt(b.meta.get(id)!, keyB));
        }
      } finally {
        await bulk.close();
        await own.close();
      }
    }, 120_000);

    it('an offline edit after a bulk first sync merges field by field with the server’s change', async () => {
      const a = await openClient(s, org.cookie, org.orgId, 'merge-a', [...COLLECTIONS], undefined, kept);
      const b = await openClient(s, org.cookie, org.orgId, 'merge-b', [...COLLECTIONS], undefined, kept);
      try {
        await settled(a);
        await settled(b);
        expect(downstreamWrites(a)).toBeLessThan(3);
        const id = ids[1234];
        a.net.cut();
        const before = (await stored(a, [id])).meta.get(id);
        await (await a.db.contacts.findOne(id).exec())!.incrementalPatch({ name: 'Renamed offline on A' });
        // The server's copy was stored as its metadata row before the edit changed the document.
        expect((await metaRowsStored(a, [id])).has(id)).toBe(true);
        expect((await stored(a, [id])).meta.get(id)).toEqual(before);
        await (await b.db.contacts.findOne(id).exec())!.incrementalPatch({ roles: ['primaryTechnical', 'newQuotes'] });
        await settled(b);
        a.net.restore();
        a.sync.resync();
        await settled(a);
        const onServer = (await pullAll(s, 'contacts', org.cookie, org.orgId)).docs.find((d) => d.id === id);
        expect(onServer?.name).toBe('Renamed offline on A');
        expect(onServer?.roles).toEqual(['primaryTechnical', 'newQuotes']);
      } finally {
        await a.close();
        await b.close();
      }
    }, 120_000);

    it('a first sync cut mid-way goes on and ends with exactly the server’s documents', async () => {
      const c = await openClient(s, org.cookie, org.orgId, 'cut', [...COLLECTIONS], undefined, kept);
      try {
        // Pages come slowly, so the network is cut while the second page is on its way (the first is stored).
        c.net.delayAnswers('/contacts/pull', 400);
        await firstContactsWritten(c.db);
        expect(await c.db.contacts.count().exec()).toBeLessThan(SEEDED);
        c.net.cut();
        c.net.delayAnswers('/contacts/pull', 0);
        await new Promise((r) => setTimeout(r, 300));
        c.net.restore();
        await eventually(() => expect(c.sync.getStatus().initialSyncDone).toBe(true), 60_000);
        await settled(c);
        await holdsTheServersContacts(c);
      } finally {
        await c.close();
      }
    }, 120_000);

    it('a first sync stopped mid-way and started again on the same device ends with exactly the server’s documents', async () => {
      const c = await openClient(s, org.cookie, org.orgId, 'stopped', [...COLLECTIONS], undefined, kept);
      let again: SyncHandle | undefined;
      try {
        await firstContactsWritten(c.db);
        await c.sync.stop();
        const partial = await c.db.contacts.count().exec();
        expect(partial).toBeGreaterThan(0);
        expect(partial).toBeLessThan(SEEDED);
        again = startSync(c.db, { orgId: org.orgId, baseUrl: s.url, fetch: c.net.fetch, headers: { cookie: org.cookie, origin: s.url }, retryTime: 100 });
        await eventually(() => expect(again!.getStatus().initialSyncDone).toBe(true), 60_000);
        await eventually(async () => {
          expect(again!.getStatus().pending).toBe(0);
          await again!.awaitInSync();
        });
        await holdsTheServersContacts(c);
      } finally {
        await again?.stop();
        await c.db.close();
      }
    }, 120_000);
  });
}
