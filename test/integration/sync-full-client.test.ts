import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server';
import { openDatabase } from '../../client/db/database';
import { startSync } from '../../client/db/replication';
import { LOCAL_COLLECTION_NAMES, SCHEMA_VERSION } from '../../shared/schemas';
import { newId } from '../../shared/ids';
import { contact, cuttableNetwork, eventually } from './sync-clients';

// One full database (all twelve collections and the notices) per process: see OpenDatabaseOptions.collections.
describe('a full client database', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(async () => s?.close());

  it('replicates every collection, reports its first sync, and its status', async () => {
    const org = await s.createOrg('Full Org', `full-${newId().slice(0, 6)}@acme.test`);
    const net = cuttableNetwork();
    const db = await openDatabase({ name: `full-${newId().slice(0, 8)}`, storage: getRxStorageMemory(), multiInstance: false, validate: true });
    const sync = startSync(db, { orgId: org.orgId, baseUrl: s.url, fetch: net.fetch, headers: { cookie: org.cookie, origin: s.url }, retryTime: 100 });
    try {
      expect(Object.keys(sync.replications).sort()).toEqual([...LOCAL_COLLECTION_NAMES].sort());
      await eventually(() => expect(sync.getStatus()).toMatchObject({ initialSyncDone: true, replicating: true }));
      expect(sync.getStatus().progress).toMatchObject({ collectionsDone: 12, collectionsTotal: 12 });
      expect(sync.getStatus().progress.docsReceived).toBeGreaterThanOrEqual(2);
      expect((await db.organizations.findOne(org.orgId).exec())?.name).toBe('Full Org');
      expect(await db.members.count().exec()).toBe(1);

      // A pull for every collection went out with the schema version header.
      const pulled = new Set(net.sent.filter((r) => r.path.endsWith('/pull')).map((r) => r.path.split('/').at(-2)));
      expect([...pulled].sort()).toEqual([...LOCAL_COLLECTION_NAMES].sort());

      const seen: number[] = [];
      const off = sync.onStatus((st) => seen.push(st.pending));
      await db.contacts.insert(contact(org.orgId));
      await eventually(async () => {
        expect(sync.getStatus().pending).toBe(0);
        await sync.awaitInSync();
      });
      off();
      expect(Math.max(...seen)).toBe(1);
      expect(sync.getStatus().lastSyncedAt).not.toBeNull();
    } finally {
      await sync.stop();
      await db.close();
    }
  });

  it('stops and says so when the server answers 426 (outdated app) or 401 (signed out)', async () => {
    const org = await s.createOrg('Old Org', `old-${newId().slice(0, 6)}@acme.test`);
    const db = await openDatabase({ name: `old-${newId().slice(0, 8)}`, storage: getRxStorageMemory(), multiInstance: false });
    let told = 0;
    const old = startSync(db, {
      orgId: org.orgId,
      baseUrl: s.url,
      headers: { cookie: org.cookie, origin: s.url, 'x-allot-schema': String(SCHEMA_VERSION - 1) },
      retryTime: 100,
      onOutdated: () => told++,
    });
    await eventually(() => expect(old.getStatus()).toMatchObject({ outdated: true, replicating: false }));
    expect(told).toBe(1);
    await old.stop();

    let signedOut = 0;
    const anon = startSync(db, {
      orgId: org.orgId,
      baseUrl: s.url,
      headers: { cookie: 'allot_session=nope', origin: s.url },
      retryTime: 100,
      onSignedOut: () => signedOut++,
    });
    await eventually(() => expect(anon.getStatus().signedOut).toBe(true));
    expect(signedOut).toBeGreaterThanOrEqual(1);
    await anon.stop();
    await db.close();
  });
});
