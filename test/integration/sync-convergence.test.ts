import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server';
import { pullPath, pushPath } from '../helpers/sync-api';
import { newId } from '../../shared/ids';
import { contact, contactsOf, converged, eventually, settled, sharedContact as shared, twoAdmins } from './sync-clients';

describe('two clients replicating through the server converge', () => {
  let s: TestServer;
  let pair: Awaited<ReturnType<typeof twoAdmins>> | undefined;
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterEach(async () => {
    await pair?.close();
    pair = undefined;
  });
  afterAll(async () => s?.close());

  const sharedContact = async () => (pair = await shared(s));

  it('keeps both edits when two clients change different fields of one document', async () => {
    const { a, b, id } = await sharedContact();
    b.net.cut();
    await b.db.contacts.findOne(id).exec().then((d) => d!.incrementalPatch({ name: 'Grace B. Hopper' }));
    await a.db.contacts.findOne(id).exec().then((d) => d!.incrementalPatch({ email: 'amazing.grace@acme.test' }));
    await settled(a);
    b.net.restore();
    await converged(a, b);
    const [doc] = (await contactsOf(a)).filter((d) => d.id === id);
    expect(doc).toMatchObject({ name: 'Grace B. Hopper', email: 'amazing.grace@acme.test' });
    expect(await b.db.notices.count().exec()).toBe(0);
    expect(await a.db.notices.count().exec()).toBe(0);
  });

  it('lets the server win when both change the same field, and the loser sees its value in its notices', async () => {
    const { a, b, id } = await sharedContact();
    b.net.cut();
    await b.db.contacts.findOne(id).exec().then((d) => d!.incrementalPatch({ name: 'From B', disabled: true }));
    await a.db.contacts.findOne(id).exec().then((d) => d!.incrementalPatch({ name: 'From A' }));
    await settled(a);
    b.net.restore();
    await converged(a, b);
    const [doc] = (await contactsOf(b)).filter((d) => d.id === id);
    // The server's name won; B's change to a field A left alone was kept and pushed.
    expect(doc).toMatchObject({ name: 'From A', disabled: true });
    const notices = await b.db.notices.find().exec();
    expect(notices.map((n) => n.toJSON())).toEqual([
      expect.objectContaining({
        collectionName: 'contacts',
        docId: id,
        fields: ['name'],
        yourValues: { name: 'From B' },
        serverValues: { name: 'From A' },
        reason: 'conflict',
        dismissed: false,
      }),
    ]);
    expect(b.sync.getStatus().noticesAdded).toBe(1);
    expect(await a.db.notices.count().exec()).toBe(0);
  });

  it('catches up after being offline while the other client made 200 changes, and pushes its own', async () => {
    pair = await twoAdmins(s);
    const { a, b, org } = pair;
    const before = contact(org.orgId, { name: 'Before' });
    await a.db.contacts.insert(before);
    await converged(a, b);

    b.net.cut();
    await b.db.contacts.insert(contact(org.orgId, { name: 'Made offline on B' }));
    await eventually(() => expect(b.sync.getStatus()).toMatchObject({ online: false, pending: 1 }));

    // 120 inserts, 60 updates and 20 deletes on A.
    const made = Array.from({ length: 120 }, (_, i) => contact(org.orgId, { name: `Contact ${i}`, email: `c${i}@acme.test` }));
    for (let i = 0; i < 60; i++) await a.db.contacts.insert(made[i]);
    await a.db.contacts.bulkInsert(made.slice(60));
    for (let i = 0; i < 60; i++) {
      const d = await a.db.contacts.findOne(made[i].id).exec();
      await d!.incrementalPatch({ roles: ['primaryBilling'], name: `Contact ${i} (edited)` });
    }
    for (let i = 100; i < 120; i++) await (await a.db.contacts.findOne(made[i].id).exec())!.remove();
    await settled(a);
    expect(await contactsOf(b)).toHaveLength(2);

    b.net.restore();
    await converged(a, b);
    const all = await contactsOf(b);
    expect(all).toHaveLength(1 + 100 + 1);
    expect(all.filter((d) => d.name.endsWith('(edited)'))).toHaveLength(60);
    expect(all.some((d) => d.name === 'Made offline on B')).toBe(true);
    expect(b.sync.getStatus()).toMatchObject({ online: true, pending: 0, initialSyncDone: true });
    expect(b.sync.getStatus().lastSyncedAt).not.toBeNull();

    // And the server holds exactly that too.
    const pulled = await s.request(pullPath(org.orgId, 'contacts'), { cookie: org.cookie, body: { checkpoint: null, batchSize: 1000 } });
    const live = (pulled.json.documents as { id: string; _deleted: boolean }[]).filter((d) => !d._deleted);
    expect(live.map((d) => d.id).sort()).toEqual(all.map((d) => d.id));
  });

  it('propagates a delete, and a delete on the server beats an offline edit (which is noticed)', async () => {
    const { a, b, org, id } = await sharedContact();
    await (await a.db.contacts.findOne(id).exec())!.remove();
    await eventually(async () => expect(await b.db.contacts.findOne(id).exec()).toBeNull());

    const other = contact(org.orgId, { name: 'Second' });
    await a.db.contacts.insert(other);
    await eventually(async () => expect(await b.db.contacts.findOne(other.id).exec()).not.toBeNull());
    b.net.cut();
    await (await b.db.contacts.findOne(other.id).exec())!.incrementalPatch({ name: 'Edited on B' });
    await (await a.db.contacts.findOne(other.id).exec())!.remove();
    await settled(a);
    b.net.restore();
    await converged(a, b);
    expect(await contactsOf(b)).toEqual([]);
    const [notice] = (await b.db.notices.find().exec()).map((n) => n.toJSON());
    expect(notice).toMatchObject({ docId: other.id, reason: 'conflict', yourValues: { name: 'Edited on B' } });
  });

  it('replaces what a client holds when its reach changes (made or unmade admin)', async () => {
    pair = await twoAdmins(s);
    const { a, b, org, bobMember } = pair;
    await a.db.contacts.bulkInsert([contact(org.orgId), contact(org.orgId)]);
    await converged(a, b);
    expect(await contactsOf(b)).toHaveLength(2);

    // Bob holds one of its licenses, so he keeps reach here as a license holder (with none at
    // all, the organization answers 404 to him: server/sync/session-end.test.ts).
    await s.put(org.orgId, 'licenses', [
      {
        id: newId(),
        orgId: org.orgId,
        orderId: newId(),
        teamId: newId(),
        productId: newId(),
        status: 'assigned',
        assignee: { accountId: bobMember.accountId, email: bobMember.email, name: 'Bob' },
        validUntil: '2030-01-01',
      },
    ]);
    // Bob is no longer a member: he may see none of the organization's contacts.
    await a.db.members.findOne(bobMember.id).exec().then((m) => m!.incrementalPatch({ disabled: true }));
    await eventually(async () => expect(await contactsOf(b)).toEqual([]));
    // Nothing was pushed as deleted: the server and Ada still have both.
    await settled(a);
    expect(await contactsOf(a)).toHaveLength(2);
    const pushes = b.net.sent.filter((r) => r.path === pushPath(org.orgId, 'contacts') && r.body.includes('"_deleted":true'));
    expect(pushes).toEqual([]);

    // Made member again: everything comes back, without a reinstall.
    await a.db.members.findOne(bobMember.id).exec().then((m) => m!.incrementalPatch({ disabled: false }));
    await eventually(async () => expect(await contactsOf(b)).toHaveLength(2));
  });
});
