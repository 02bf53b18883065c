/**
 * DESIGN §5 during a first sync: a person who edits while a large organization is still
 * arriving (10,000 contacts, pulled a page at a time by a real RxDB client over a real port)
 * loses nothing — edits of documents already pulled, and documents made meanwhile, all reach
 * the server, and the client ends holding everything.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server';
import { skipWithoutPg } from '../helpers/pg';
import { bulkSeed } from '../bench/lib';
import { newId } from '../../shared/ids';
import { contact, eventually, firstContactsWritten, openClient, settled, STORAGE_CASES } from './sync-clients';
import { pullAll } from './permissions-fixtures';

const SEEDED = 10_000;


for (const { dialect, kept } of STORAGE_CASES) {
  describe.skipIf(skipWithoutPg(dialect, 'edits during a first sync'))(`edits during a first sync of ${SEEDED} documents on ${dialect}, kept in ${kept}`, () => {
    let s: TestServer;
    beforeAll(async () => {
      s = await startTestServer({ dialect });
    });
    afterAll(async () => s?.close());

    it('every edit and every new document made while the first sync runs reaches the server', async () => {
      const org = await s.createOrg('Big Org', `big-${newId().slice(0, 6)}@acme.test`);
      const seeded = Array.from({ length: SEEDED }, (_, i) => {
        const { seq: _s, updatedAt: _u, ...doc } = contact(org.orgId, { name: `Seeded ${i}` });
        return doc;
      });
      await bulkSeed(s.store, org.orgId, [{ collection: 'contacts', docs: seeded }]);

      const c = await openClient(s, org.cookie, org.orgId, 'first', ['organizations', 'members', 'contacts'], undefined, kept);
      try {
        // Pages arrive slowly until a first one is here; then the rest wait until the edits below
        // are made (however fast the storage writes the pages, they are made while the sync runs).
        c.net.delayAnswers('/contacts/pull', 600);
        // As soon as a first page is here, and while the rest is still arriving: edit what arrived, add new ones.
        await firstContactsWritten(c.db);
        const release = c.net.holdAnswers('/contacts/pull');
        c.net.delayAnswers('/contacts/pull', 0);
        const pulledSoFar = await c.db.contacts.find({ limit: 200 }).exec();
        expect(c.sync.getStatus().initialSyncDone).toBe(false);
        const edited = new Map<string, string>();
        for (const doc of pulledSoFar) {
          const name = `Edited during sync ${doc.id.slice(0, 8)}`;
          await doc.incrementalPatch({ name });
          edited.set(doc.id, name);
        }
        const made = Array.from({ length: 100 }, () => contact(org.orgId, { name: 'Made during sync' }));
        await c.db.contacts.bulkInsert(made);
        const duringSync = !c.sync.getStatus().initialSyncDone;
        release();

        await eventually(() => expect(c.sync.getStatus().initialSyncDone).toBe(true), 120_000);
        await settled(c);

        const onServer = new Map((await pullAll(s, 'contacts', org.cookie, org.orgId)).docs.map((d) => [d.id, d]));
        expect(onServer.size).toBe(SEEDED + made.length);
        for (const [id, name] of edited) expect(onServer.get(id)?.name, id).toBe(name);
        for (const m of made) expect(onServer.get(m.id)?.name, m.id).toBe('Made during sync');
        // The client holds exactly the server's contacts, edits included.
        const local = await c.db.contacts.find().exec();
        expect(local).toHaveLength(SEEDED + made.length);
        for (const d of local) expect(d.name, d.id).toBe(onServer.get(d.id)?.name);
        // The edits were indeed made while pages were still arriving.
        expect(duringSync).toBe(true);
      } finally {
        await c.close();
      }
    }, 180_000);
  });
}
