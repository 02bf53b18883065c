import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server';
import { newId } from '../../shared/ids';
import { contact, contactsOf, converged, eventually, settled, twoAdmins, type Client } from './sync-clients';
import type { Notice } from '../../client/db/notices';
import { pullPath } from '../helpers/sync-api';

describe('a change the server refuses', () => {
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

  const pushesOf = (c: Client, collection: string, id: string) =>
    c.net.sent.filter((r) => r.path.endsWith(`/sync/${collection}/push`) && r.body.includes(id)).length;

  /** Proves a refused row is not sent again: more sync rounds, and the count does not move. */
  async function notRetried(c: Client, collection: string, id: string) {
    await settled(c);
    const n = pushesOf(c, collection, id);
    expect(n).toBeGreaterThanOrEqual(1);
    c.sync.resync();
    await c.db.contacts.insert(contact((await c.db.organizations.find().exec())[0].orgId, { name: 'Unrelated' }));
    await settled(c);
    expect(pushesOf(c, collection, id)).toBe(n);
  }

  async function noticeFor(c: Client, docId: string) {
    let found: Notice | undefined;
    await eventually(async () => {
      found = (await c.db.notices.find({ selector: { docId } }).exec())[0]?.toJSON() as Notice | undefined;
      expect(found).toBeDefined();
    });
    return found!;
  }

  it('that breaks its schema: rejected with a code, removed locally, noticed, not retried', async () => {
    pair = await twoAdmins(s);
    const { a, b, org } = pair;
    // RxDB's local schema has no formats; the server's valibot schema checks the email.
    const bad = contact(org.orgId, { email: 'not-an-email', name: 'Bad' });
    await a.db.contacts.insert(bad);
    const notice = await noticeFor(a, bad.id);
    expect(notice).toMatchObject({
      collectionName: 'contacts',
      reason: 'invalid-document',
      fields: ['email'],
      yourValues: expect.objectContaining({ email: 'not-an-email', name: 'Bad' }),
    });
    expect(notice.serverValues).toBeUndefined();
    expect(notice.message).toMatch(/email/);
    await eventually(async () => expect(await a.db.contacts.findOne(bad.id).exec()).toBeNull());
    await notRetried(a, 'contacts', bad.id);
    await converged(a, b);
    expect(await b.db.contacts.findOne(bad.id).exec()).toBeNull();
  });

  it('that changes an immutable field: reverted to the server state and noticed', async () => {
    pair = await twoAdmins(s);
    const { a, b, bobMember } = pair;
    await converged(a, b);
    const member = () => a.db.members.findOne(bobMember.id).exec();
    await eventually(async () => expect(await member()).not.toBeNull());
    const otherAccount = newId();
    await (await member())!.incrementalPatch({ accountId: otherAccount, name: 'Robert' });
    const notice = await noticeFor(a, bobMember.id);
    expect(notice).toMatchObject({
      collectionName: 'members',
      reason: 'immutable-field',
      fields: ['accountId'],
      yourValues: { accountId: otherAccount, name: 'Robert' },
      serverValues: { accountId: bobMember.accountId, name: 'Bob' },
    });
    await eventually(async () => expect((await member())?.toJSON()).toMatchObject({ accountId: bobMember.accountId, name: 'Bob' }));
    await notRetried(a, 'members', bobMember.id);
    await converged(a, b);
    expect((await b.db.members.findOne(bobMember.id).exec())?.toJSON()).toMatchObject({ accountId: bobMember.accountId, name: 'Bob' });
  });

  it('that sets a server-only field or writes a server-only collection: refused with server-only', async () => {
    pair = await twoAdmins(s);
    const { a, b, org } = pair;
    const doc = contact(org.orgId);
    await a.db.contacts.insert(doc);
    await converged(a, b);
    const stored = (await a.db.contacts.findOne(doc.id).exec())!.toJSON();
    await (await a.db.contacts.findOne(doc.id).exec())!.incrementalPatch({ updatedAt: '2000-01-01T00:00:00.000Z', seq: 999_999 });
    expect(await noticeFor(a, doc.id)).toMatchObject({ reason: 'server-only' });
    await eventually(async () => expect((await a.db.contacts.findOne(doc.id).exec())?.toJSON()).toEqual(stored));

    const mail = {
      id: newId(),
      orgId: org.orgId,
      topic: 'security-privacy' as const,
      recipients: ['x@acme.test'],
      subject: 'Forged',
      status: 'sent' as const,
      attempts: 0,
      seq: 0,
      updatedAt: '',
    };
    await a.db.notifications.insert(mail);
    expect(await noticeFor(a, mail.id)).toMatchObject({ collectionName: 'notifications', reason: 'server-only' });
    await eventually(async () => expect(await a.db.notifications.findOne(mail.id).exec()).toBeNull());
    await notRetried(a, 'notifications', mail.id);
    await converged(a, b);
    expect(await b.db.notifications.findOne(mail.id).exec()).toBeNull();
  });

  it('leaves the server up and the sync working', async () => {
    pair = await twoAdmins(s);
    const { a, b, org } = pair;
    await a.db.contacts.bulkInsert([
      contact(org.orgId, { email: 'broken', name: 'x' }),
      contact(org.orgId, { name: '   ' }),
      contact(org.orgId, { email: 'two@@acme.test' }),
    ]);
    await eventually(async () => expect(await a.db.notices.count().exec()).toBe(3));
    const good = contact(org.orgId, { name: 'Fine' });
    await b.db.contacts.insert(good);
    await eventually(async () => expect(await a.db.contacts.findOne(good.id).exec()).not.toBeNull());
    await converged(a, b);
    expect((await contactsOf(a)).map((c) => c.name)).toEqual(['Fine']);
    expect((await s.request(pullPath(org.orgId, 'contacts'), { cookie: org.cookie, body: { checkpoint: null } })).status).toBe(200);
  });
});
