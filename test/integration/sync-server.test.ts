import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server';
import { skipWithoutPg } from '../helpers/pg';
import { newId } from '../../shared/ids';
import { SCHEMA_VERSION, type WireDoc } from '../../shared/schemas';

const dialects = ['sqlite', 'postgres'] as const;

function contact(orgId: string, over: Record<string, unknown> = {}): WireDoc<'contacts'> {
  const id = newId();
  return {
    id,
    orgId,
    name: 'Grace Hopper',
    // One contact per address in an organization: each made here has its own.
    email: `grace-${id.slice(0, 8)}@acme.test`,
    roles: ['primaryTechnical'],
    orderIds: [],
    disabled: false,
    source: 'manual',
    seq: 0,
    updatedAt: '',
    _deleted: false,
    ...over,
  } as WireDoc<'contacts'>;
}

for (const dialect of dialects) {
  describe.skipIf(skipWithoutPg(dialect, 'the sync suite'))(`sync server on ${dialect}`, () => {
    let s: TestServer;
    let org: Awaited<ReturnType<TestServer['createOrg']>>;
    beforeAll(async () => {
      s = await startTestServer({ dialect });
      org = await s.createOrg();
    });
    afterAll(async () => s?.close());

    const pull = (collection: string, checkpoint: unknown = null, cookie = org.cookie, batchSize = 100) =>
      s.request(`/api/sync/${collection}/pull`, { cookie, body: { checkpoint, batchSize } });
    const push = (collection: string, rows: unknown, cookie = org.cookie) =>
      s.request(`/api/sync/${collection}/push`, { cookie, body: rows });

    it('answers 401 to every sync call without a session', async () => {
      expect((await s.request('/api/sync/contacts/pull', { body: { checkpoint: null } })).status).toBe(401);
      expect((await s.request('/api/sync/contacts/push', { body: [] })).status).toBe(401);
      const stream = await fetch(`${s.url}/api/sync/stream`);
      expect(stream.status).toBe(401);
      expect((await stream.json()).error).toBe('unauthenticated');
    });

    it('answers bad requests with 4xx and a code, never 500', async () => {
      const malformed = await s.request('/api/sync/contacts/pull', { cookie: org.cookie, body: '{"checkpoint": nu' });
      expect(malformed.status).toBe(400);
      expect(malformed.json.error).toBe('invalid-json');
      const wrongType = await s.request('/api/sync/contacts/pull', { cookie: org.cookie, body: { checkpoint: 'x', batchSize: 'many' } });
      expect(wrongType.status).toBe(400);
      expect(wrongType.json.error).toBe('invalid-body');
      const notRows = await push('contacts', { not: 'an array' });
      expect(notRows.status).toBe(400);
      const unknown = await pull('spaceships');
      expect(unknown.status).toBe(404);
      expect(unknown.json.error).toBe('unknown-collection');
      expect((await pull('contacts')).status).toBe(200);
    });

    it('answers a pull asking for more than 1,000 documents with at most 1,000', async () => {
      const other = await s.createOrg('Many teams', `many-${newId().slice(0, 8)}@acme.test`);
      await s.put(
        other.orgId,
        'teams',
        Array.from({ length: 1005 }, (_, i) => ({ id: newId(), orgId: other.orgId, name: `Team ${i}` })),
      );
      const first = await pull('teams', null, other.cookie, 5000);
      expect(first.status).toBe(200);
      expect(first.json.documents).toHaveLength(1000);
      const rest = await pull('teams', first.json.checkpoint, other.cookie, 5000);
      expect(rest.json.documents).toHaveLength(5);
    });

    it('refuses bodies over 1 MB with 413', async () => {
      const huge = await fetch(`${s.url}/api/sync/contacts/push`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: s.url, cookie: org.cookie },
        body: JSON.stringify([{ newDocumentState: { id: 'x', name: 'a'.repeat(1_100_000) } }]),
      });
      expect(huge.status).toBe(413);
      expect((await huge.json()).error).toBe('payload-too-large');
    });

    it('tells an outdated client to reload with 426', async () => {
      const res = await s.request('/api/sync/contacts/pull', {
        cookie: org.cookie,
        body: { checkpoint: null },
        headers: { 'x-allot-schema': String(SCHEMA_VERSION - 1) },
      });
      expect(res.status).toBe(426);
      expect(res.json.error).toBe('schema-outdated');
    });

    it('pushes, pulls in seq order, and treats a retried push as a no-op', async () => {
      const doc = contact(org.orgId);
      const first = await push('contacts', [{ newDocumentState: doc }]);
      expect(first.status).toBe(200);
      expect(first.json).toEqual({ conflicts: [], rejected: [] });
      const pulled = await pull('contacts');
      const got = pulled.json.documents.find((d: WireDoc) => d.id === doc.id);
      expect(got.name).toBe('Grace Hopper');
      expect(got.seq).toBeGreaterThan(0);
      const again = await push('contacts', [{ newDocumentState: doc }]);
      expect(again.json.rejected).toEqual([]);
      expect(again.json.conflicts).toHaveLength(1);
      expect(again.json.conflicts[0].seq).toBe(got.seq);
      const after = await pull('contacts', pulled.json.checkpoint);
      expect(after.json.documents).toEqual([]);

      const edited = { ...got, name: 'Grace B. Hopper' };
      const rows = [{ assumedMasterState: got, newDocumentState: edited }];
      expect((await push('contacts', rows)).json).toEqual({ conflicts: [], rejected: [] });
      const retried = await push('contacts', rows);
      expect(retried.json.conflicts[0].name).toBe('Grace B. Hopper');
      const changes = await pull('contacts', pulled.json.checkpoint);
      expect(changes.json.documents).toHaveLength(1);
    });

    it('rejects documents that break their schema or touch server-only and immutable fields, and keeps serving', async () => {
      const bad = contact(org.orgId, { email: 'not-an-email', roles: ['emperor'] });
      const res = await push('contacts', [{ newDocumentState: bad }]);
      expect(res.json.rejected[0]).toMatchObject({ id: bad.id, code: 'invalid-document' });
      expect(res.json.conflicts[0]).toMatchObject({ id: bad.id, _deleted: true });

      const good = contact(org.orgId, { email: 'linus@acme.test' });
      await push('contacts', [{ newDocumentState: good }]);
      const stored = (await pull('contacts')).json.documents.find((d: WireDoc) => d.id === good.id);
      const seqChange = await push('contacts', [{ assumedMasterState: stored, newDocumentState: { ...stored, seq: stored.seq + 100 } }]);
      expect(seqChange.json.rejected[0].code).toBe('server-only');
      expect(seqChange.json.conflicts[0].seq).toBe(stored.seq);
      const orgChange = await push('contacts', [{ assumedMasterState: stored, newDocumentState: { ...stored, orgId: newId() } }]);
      expect(orgChange.json.rejected[0].code).toMatch(/not-allowed|immutable-field/);

      const ack = await push('acceptances', [{ newDocumentState: { id: newId(), orgId: org.orgId } }]);
      expect(ack.json.rejected[0].code).toMatch(/invalid-document|server-only/);
      expect((await s.request('/api/health')).status).toBe(200);
    });

    it('refuses pushes into another organization', async () => {
      const other = await s.createOrg('Globex', `hank-${dialect}@globex.test`);
      const mine = contact(org.orgId, { email: 'mine@acme.test' });
      await push('contacts', [{ newDocumentState: mine }]);
      const stored = (await pull('contacts')).json.documents.find((d: WireDoc) => d.id === mine.id);
      const stolen = await push('contacts', [{ assumedMasterState: stored, newDocumentState: { ...stored, name: 'Stolen' } }], other.cookie);
      expect(stolen.json.rejected[0].code).toBe('not-allowed');
      expect(stolen.json.conflicts[0].name).not.toBe('Grace Hopper');
      const theirs = await pull('contacts', null, other.cookie);
      expect(theirs.json.documents.find((d: WireDoc) => d.id === mine.id)).toBeUndefined();
    });

    it('a member of no organization sees nothing and may push nothing', async () => {
      const stranger = await s.signIn(`stranger-${dialect}@nowhere.test`);
      expect((await pull('contacts', null, stranger)).json.documents).toEqual([]);
      const res = await push('contacts', [{ newDocumentState: contact(org.orgId) }], stranger);
      expect(res.json.rejected[0].code).toBe('not-allowed');
    });
  });
}

for (const dialect of dialects) describe.skipIf(skipWithoutPg(dialect, 'the change-number race'))(`change numbers on ${dialect} under concurrent writers`, () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer({ dialect });
  });
  afterAll(async () => s?.close());

  it('a client pulling all the while ends with every document: no change skipped by a late commit', async () => {
    const { orgId } = await s.createOrg('Concurrency', 'ops@acme.test');
    const cookie = await s.signIn('ops@acme.test');
    const writers = 8;
    const perWriter = 500;
    let done = false;
    const seen = new Map<string, number>();
    let checkpoint: unknown = null;
    const pullOnce = async () => {
      for (;;) {
        const res = await s.request('/api/sync/contacts/pull', { cookie, body: { checkpoint, batchSize: 1000 } });
        for (const d of res.json.documents) seen.set(d.id, d.seq);
        checkpoint = res.json.checkpoint;
        if (res.json.documents.length < 1000) return;
      }
    };
    const puller = (async () => {
      while (!done) await pullOnce();
      await pullOnce();
    })();
    const { orgTx } = await import('../../server/store/docs');
    await Promise.all(
      Array.from({ length: writers }, async (_, wi) => {
        for (let i = 0; i < perWriter; i++) {
          await orgTx(s.store, orgId, new Date(), async (w) => {
            await w.put('contacts', contact(orgId, { email: `w${wi}-${i}@acme.test` }));
            // Give other writers the chance to interleave between taking the number and committing.
            if (i % 50 === 0) await new Promise((r) => setTimeout(r, 1));
          });
        }
      }),
    );
    done = true;
    await puller;
    expect(seen.size).toBe(writers * perWriter);
  });
});
