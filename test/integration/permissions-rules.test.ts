/**
 * The finer rules of DESIGN §4 beyond the matrix: what a team admin and a billing contact may
 * change exactly, the last org admin, ids from another organization, a member of another
 * organization, contacts hidden from a team admin on every endpoint, and documents that leave
 * someone's sight coming back to them deleted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server';
import { skipWithoutPg } from '../helpers/pg';
import { newId, randomToken } from '../../shared/ids';
import type { StreamEvent } from '../../shared/sync';
import { buildWorld, changeRow, COLLECTIONS, createRow, pullAll, pushOutcome, type World } from './permissions-fixtures';
import { eventually } from './sync-clients';
import type { WireDoc } from '../../shared/schemas';
import type { PullResponse } from '../../shared/sync';
import type { Fixture } from '../helpers/collection-kit';
import { bulletinPath, pullPath, pushPath, streamPath } from '../helpers/sync-api';

/** A live stream's events, collected as they arrive. */
async function openStream(s: TestServer, cookie: string, orgId: string) {
  const ctrl = new AbortController();
  const res = await fetch(s.url + streamPath(orgId), { headers: { cookie }, signal: ctrl.signal });
  expect(res.status).toBe(200);
  const events: StreamEvent[] = [];
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buf = '';
  let subscribed = false;
  void (async () => {
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        buf += value;
        let i: number;
        while ((i = buf.indexOf('\n\n')) >= 0) {
          const chunk = buf.slice(0, i);
          buf = buf.slice(i + 2);
          if (chunk.startsWith(': subscribed')) subscribed = true;
          const data = chunk
            .split('\n')
            .filter((l) => l.startsWith('data:'))
            .map((l) => l.slice(5).trim())
            .join('\n');
          if (data) events.push(JSON.parse(data));
        }
      }
    } catch {
      // aborted
    }
  })();
  // Every data event has DESIGN §5's shape; the stream says it is live with a comment.
  await eventually(() => expect(subscribed).toBe(true));
  return { events, close: () => ctrl.abort() };
}

for (const dialect of ['sqlite', 'postgres'] as const) {
  describe.skipIf(skipWithoutPg(dialect, 'the permission rules suite'))(`permission rules on ${dialect}`, () => {
    let s: TestServer;
    let w: World;
    let tina: string;
    beforeAll(async () => {
      s = await startTestServer({ dialect });
      w = await buildWorld(s);
      tina = w.cookies.teamAdminA!;
    }, 60_000);
    afterAll(async () => s?.close());

    it('a team admin manages invitations of their own teams only, and may only revoke their licenses', async () => {
      const inv = (over: Record<string, unknown>) =>
        createRow({ id: newId(), orgId: w.orgId, teamId: w.id('A'), productId: w.id('P'), allowedDomains: [], createdByMemberId: w.id('tina'), ...over });
      expect((await pushOutcome(s, 'invitations', [inv({})], tina, w.orgId)).outcome).toBe('ok');
      expect((await pushOutcome(s, 'invitations', [inv({ teamId: w.id('B') })], tina, w.orgId)).outcome).toBe('not-allowed');
      expect((await pushOutcome(s, 'invitations', [inv({ createdByMemberId: w.org.memberId })], tina, w.orgId)).outcome).toBe('not-allowed');
      // Edit and disable their team's invitation; never move it, never delete it.
      const renamed = await changeRow(w, 'invitations', w.id('IA'), (d) => ({ ...d, name: 'Autumn', disabledAt: '2026-06-01T00:00:00.000Z' }));
      expect((await pushOutcome(s, 'invitations', [renamed], tina, w.orgId)).outcome).toBe('ok');
      const moved = await changeRow(w, 'invitations', w.id('IA'), (d) => ({ ...d, teamId: w.id('B') }));
      expect((await pushOutcome(s, 'invitations', [moved], tina, w.orgId)).outcome).toBe('not-allowed');
      const deleted = await changeRow(w, 'invitations', w.id('IA'), (d) => ({ ...d, _deleted: true }));
      expect((await pushOutcome(s, 'invitations', [deleted], tina, w.orgId)).outcome).toBe('not-allowed');
      const tokenChanged = await changeRow(w, 'invitations', w.id('IA'), (d) => ({ ...d, token: randomToken() }));
      expect((await pushOutcome(s, 'invitations', [tokenChanged], tina, w.orgId)).outcome).toBe('immutable-field');
      // Licenses: moving one to another team or editing it is not a revoke; team B's are out of reach.
      const move = await changeRow(w, 'licenses', w.id('LA'), (d) => ({ ...d, teamId: w.id('B') }));
      expect((await pushOutcome(s, 'licenses', [move], tina, w.orgId)).outcome).toBe('not-allowed');
      const revokeB = await changeRow(w, 'licenses', w.id('LB'), ({ assignee: _a, assignedAt: _b, assignedVia: _c, ...d }) => ({ ...d, status: 'available' }));
      expect((await pushOutcome(s, 'licenses', [revokeB], tina, w.orgId)).outcome).toBe('not-allowed');
      const revokeAndMove = await changeRow(w, 'licenses', w.id('LAh'), ({ assignee: _a, assignedAt: _b, assignedVia: _c, ...d }) => ({
        ...d,
        status: 'available',
        teamId: w.id('B'),
      }));
      expect((await pushOutcome(s, 'licenses', [revokeAndMove], tina, w.orgId)).outcome).toBe('not-allowed');
    });

    it('a primary billing contact may only mark an unpaid invoice paid, and request quotes in their own name', async () => {
      const bill = w.cookies.primaryBilling!;
      const amount = await changeRow(w, 'invoices', w.id('InvY'), (d) => ({ ...d, amountCents: 1, paidAt: '2026-01-10T00:00:00.000Z' }));
      expect((await pushOutcome(s, 'invoices', [amount], bill, w.orgId)).outcome).toBe('not-allowed');
      const paid = await changeRow(w, 'invoices', w.id('InvY'), (d) => ({ ...d, paidAt: '2026-01-10T00:00:00.000Z' }));
      expect((await pushOutcome(s, 'invoices', [paid], bill, w.orgId)).outcome).toBe('ok');
      const unpaid = await changeRow(w, 'invoices', w.id('InvY'), ({ paidAt: _p, ...d }) => d);
      expect((await pushOutcome(s, 'invoices', [unpaid], bill, w.orgId)).outcome).toBe('not-allowed');
      const quote = (requestedByMemberId: string) =>
        createRow({ id: newId(), orgId: w.orgId, number: '', lines: [{ productId: w.id('P'), quantity: 1 }], totalCents: 0, currency: 'EUR', requestedByMemberId, createdAt: '2026-05-01', validUntil: '2026-06-01' });
      expect((await pushOutcome(s, 'quotes', [quote(w.org.memberId)], bill, w.orgId)).outcome).toBe('not-allowed');
      expect((await pushOutcome(s, 'quotes', [quote(await w.account('primaryBilling'))], bill, w.orgId)).outcome).toBe('ok');
      const editQuote = await changeRow(w, 'quotes', w.id('Q1'), (d) => ({ ...d, currency: 'USD' }));
      expect((await pushOutcome(s, 'quotes', [editQuote], bill, w.orgId)).outcome).toBe('not-allowed');
    });

    it('the last org admin can be neither demoted, disabled nor removed', async () => {
      const admin = w.org.cookie;
      for (const change of [(d: WireDoc<'members'>) => ({ ...d, isOrgAdmin: false }), (d: WireDoc<'members'>) => ({ ...d, disabled: true }), (d: WireDoc<'members'>) => ({ ...d, _deleted: true })]) {
        const row = await changeRow(w, 'members', w.org.memberId, change);
        const { outcome, res } = await pushOutcome(s, 'members', [row], admin, w.orgId);
        expect(outcome).toBe('last-org-admin');
        expect(res.json.conflicts[0]).toMatchObject({ id: w.org.memberId, isOrgAdmin: true, disabled: false, _deleted: false });
      }
      // With a second org admin the first may step down.
      const promote = await changeRow(w, 'members', w.id('tina'), (d) => ({ ...d, isOrgAdmin: true }));
      expect((await pushOutcome(s, 'members', [promote], admin, w.orgId)).outcome).toBe('ok');
      const stepDown = await changeRow(w, 'members', w.org.memberId, (d) => ({ ...d, isOrgAdmin: false }));
      expect((await pushOutcome(s, 'members', [stepDown], admin, w.orgId)).outcome).toBe('ok');
      // …and now Tina is the last one.
      const demoteTina = await changeRow(w, 'members', w.id('tina'), (d) => ({ ...d, isOrgAdmin: false }));
      expect((await pushOutcome(s, 'members', [demoteTina], tina, w.orgId)).outcome).toBe('last-org-admin');
      // Put things back: Tina makes Ada org admin again and steps down to team admin of A.
      const restoreAda = await changeRow(w, 'members', w.org.memberId, (d) => ({ ...d, isOrgAdmin: true }));
      expect((await pushOutcome(s, 'members', [restoreAda], tina, w.orgId)).outcome).toBe('ok');
      const tinaBack = await changeRow(w, 'members', w.id('tina'), (d) => ({ ...d, isOrgAdmin: false }));
      expect((await pushOutcome(s, 'members', [tinaBack], tina, w.orgId)).outcome).toBe('ok');
    });

    it("refuses a row that would break a database invariant, and keeps the push's other rows", async () => {
      const admin = w.org.cookie;
      const taken = (await w.current('invitations', w.id('IA'))) as { token: string };
      // The server makes invitation tokens: one a client sends, even another invitation's, is refused
      // row by row, and the push's other rows go through with tokens of their own.
      const fresh = { id: newId(), orgId: w.orgId, teamId: w.id('A'), productId: w.id('P'), allowedDomains: [], createdByMemberId: w.org.memberId };
      const twin = { ...fresh, id: newId(), token: taken.token };
      const r = await s.request(pushPath(w.orgId, 'invitations'), { cookie: admin, body: [createRow(twin), createRow(fresh)] });
      expect(r.status).toBe(200);
      expect(r.json.rejected).toEqual([expect.objectContaining({ id: twin.id, code: 'server-only' })]);
      expect(await w.current('invitations', twin.id)).toBeUndefined();
      const made = (await w.current('invitations', fresh.id)) as { token: string };
      expect(made.token).toMatch(/^[A-Za-z0-9_-]{22}$/);
      expect(made.token).not.toBe(taken.token);
      const deletedTwin = { ...twin, id: newId(), _deleted: true };
      const d = await s.request(pushPath(w.orgId, 'invitations'), { cookie: admin, body: [{ newDocumentState: deletedTwin }] });
      expect(d.status).toBe(200);
      expect(d.json.rejected).toEqual([expect.objectContaining({ id: deletedTwin.id, code: 'server-only' })]);

      // Zed holds a license of P in team A; moving Zed's license of P from team C into A would give Zed two.
      const teamC = newId();
      const zedsOther = newId();
      const zed = (await w.current('licenses', w.id('LAh')))!.assignee;
      await s.put(w.orgId, 'teams', [{ id: teamC, orgId: w.orgId, name: 'Spare' }]);
      await s.put(w.orgId, 'licenses', [
        { id: zedsOther, orgId: w.orgId, orderId: w.id('X'), teamId: teamC, productId: w.id('P'), status: 'assigned', validUntil: '2099-12-31T00:00:00.000Z', assignee: zed, assignedAt: '2026-02-01T00:00:00.000Z' },
      ]);
      const move = await changeRow(w, 'licenses', zedsOther, (d) => ({ ...d, teamId: w.id('A') }));
      const moved = await pushOutcome(s, 'licenses', [move], admin, w.orgId);
      expect(moved.outcome).toBe('holder-has-license');
      expect(moved.res.json.conflicts[0]).toMatchObject({ id: zedsOther, teamId: teamC });
    });

    describe('another organization', () => {
      let globex: Awaited<ReturnType<TestServer['createOrg']>>;
      let gTeam: string;
      let gOrder: string;
      beforeAll(async () => {
        globex = await s.createOrg('Globex', `hank-${w.tag}@globex.test`);
        gTeam = newId();
        gOrder = newId();
        await s.put(globex.orgId, 'teams', [{ id: gTeam, orgId: globex.orgId, name: 'Globex team' }]);
      });

      it('its org admin sees nothing of this one', async () => {
        const mine = new Set(w.ids.values());
        mine.delete(w.id('P')); // the catalog belongs to no organization
        for (const c of COLLECTIONS) {
          const r = await pullAll(s, c, globex.cookie, globex.orgId);
          expect(r.status).toBe(200);
          const leaked = r.docs.filter((d) => mine.has(d.id) || ('orgId' in d && d.orgId === w.orgId));
          expect(leaked, c).toEqual([]);
        }
      });

      it('refuses ids taken from it, and documents claimed for it', async () => {
        const admin = w.org.cookie;
        const inv = createRow({ id: newId(), orgId: w.orgId, teamId: gTeam, productId: w.id('P'), allowedDomains: [], createdByMemberId: w.org.memberId });
        expect((await pushOutcome(s, 'invitations', [inv], admin, w.orgId)).outcome).toBe('unknown-reference');
        const madeUp = createRow({ id: newId(), orgId: w.orgId, teamId: newId(), productId: w.id('P'), allowedDomains: [], createdByMemberId: w.org.memberId });
        expect((await pushOutcome(s, 'invitations', [madeUp], admin, w.orgId)).outcome).toBe('unknown-reference');
        const adminOf = await changeRow(w, 'members', w.id('tina'), (d) => ({ ...d, adminOfTeamIds: [w.id('A'), gTeam] }));
        expect((await pushOutcome(s, 'members', [adminOf], admin, w.orgId)).outcome).toBe('unknown-reference');
        const orders = await changeRow(w, 'contacts', w.id('cOrd'), (d) => ({ ...d, orderIds: [w.id('X'), gOrder] }));
        expect((await pushOutcome(s, 'contacts', [orders], admin, w.orgId)).outcome).toBe('unknown-reference');
        const move = await changeRow(w, 'licenses', w.id('LA'), (d) => ({ ...d, teamId: gTeam }));
        expect((await pushOutcome(s, 'licenses', [move], admin, w.orgId)).outcome).toBe('unknown-reference');
        // Their team itself, by id: neither readable nor writable from here.
        const theirs = await changeRow(w, 'teams', gTeam, (d) => ({ ...d, name: 'Taken over' }));
        const r = await pushOutcome(s, 'teams', [theirs], admin, w.orgId);
        expect(r.outcome).toBe('not-allowed');
        expect(r.res.json.conflicts[0].name).not.toBe('Globex team');
        expect(((await w.current('teams', gTeam)) as { name?: string } | undefined)?.name).toBe('Globex team');
        // A new document that says it belongs to Globex.
        const planted = createRow({ id: newId(), orgId: globex.orgId, name: 'Planted' });
        expect((await pushOutcome(s, 'teams', [planted], admin, w.orgId)).outcome).toBe('not-allowed');
      });
    });

    it('a team admin cannot read contacts through any endpoint', async () => {
      expect((await pullAll(s, 'contacts', tina, w.orgId)).docs).toEqual([]);
      // Pushing a known contact id answers with what was sent, never with the stored contact.
      const probe = { id: w.id('cLic'), orgId: w.orgId, name: 'x', email: 'x@x.test', roles: [], orderIds: [], disabled: false, source: 'manual' };
      const r = await pushOutcome(s, 'contacts', [createRow(probe)], tina, w.orgId);
      expect(r.outcome).toBe('not-allowed');
      expect(JSON.stringify(r.res.json)).not.toContain(w.mail('primaryLicensee'));
      // /api/me tells only about Tina herself.
      const me = await s.request('/api/me', { cookie: tina });
      expect(me.json.organizations).toEqual([expect.objectContaining({ id: w.orgId, roles: [], isOrgAdmin: false, adminOfTeamIds: [w.id('A')] })]);
      expect(JSON.stringify(me.json)).not.toContain(w.mail('primaryLicensee'));
      // Bulletins go to contacts: org admins only.
      const bulletin = await s.request(bulletinPath(w.orgId), { cookie: tina, body: { topic: 'security-privacy', subject: 's', body: 'b' } });
      expect(bulletin.status).toBe(403);
      // The live stream carries her licenses but never a contact.
      const stream = await openStream(s, tina, w.orgId);
      try {
        const c = await changeRow(w, 'contacts', w.id('cTech'), (d) => ({ ...d, name: 'Grace renamed' }));
        expect((await pushOutcome(s, 'contacts', [c], w.org.cookie, w.orgId)).outcome).toBe('ok');
        const l = await changeRow(w, 'licenses', w.id('LA'), (d) => d);
        await s.put(w.orgId, 'licenses', [{ ...(l.newDocumentState as Fixture<'licenses'>), validUntil: '2099-11-30T00:00:00.000Z' }]);
        await eventually(() => expect(stream.events.some((e) => e.type === 'change' && e.collection === 'licenses')).toBe(true));
        expect(stream.events.filter((e) => e.type === 'change' && e.collection === 'contacts')).toEqual([]);
        expect(JSON.stringify(stream.events)).not.toContain('Grace renamed');
        // DESIGN §5: events carry {collection, documents, checkpoint}.
        for (const e of stream.events) expect(e).toEqual(expect.objectContaining({ collection: expect.any(String), documents: expect.any(Array), checkpoint: expect.objectContaining({ seq: expect.any(Number) }) }));
      } finally {
        stream.close();
      }
    });

    it('a license moved to another team, or revoked, comes back deleted to those who lose it: on pull and on the stream', async () => {
      const admin = w.org.cookie;
      const holder = w.cookies.licenseHolder!;
      const before = await pullAll(s, 'licenses', tina, w.orgId);
      // Hank holds a second license, so revoking one leaves him in the organization.
      await s.put(w.orgId, 'teams', [{ id: w.mk('C'), orgId: w.orgId, name: 'Team C' }]);
      await s.put(w.orgId, 'licenses', [
        { id: w.mk('LB2'), orgId: w.orgId, orderId: w.id('Y'), teamId: w.id('C'), productId: w.id('P'), status: 'assigned', assignee: w.hank, assignedAt: '2026-02-01T00:00:00.000Z', validUntil: '2099-12-31T00:00:00.000Z' },
      ]);
      const holderBefore = await pullAll(s, 'licenses', holder, w.orgId);
      expect(holderBefore.docs.map((d) => w.name(d.id)).sort()).toEqual(['LB', 'LB2']);
      expect(before.docs.map((d) => w.name(d.id)).sort()).toEqual(['LA', 'LAh']);
      const stream = await openStream(s, tina, w.orgId);
      try {
        const move = await changeRow(w, 'licenses', w.id('LA'), (d) => ({ ...d, teamId: w.id('B') }));
        expect((await pushOutcome(s, 'licenses', [move], admin, w.orgId)).outcome).toBe('ok');
        await eventually(() =>
          expect(
            stream.events.some((e) => e.type === 'change' && e.documents.some((d) => d.id === w.id('LA') && d._deleted)),
          ).toBe(true),
        );
      } finally {
        stream.close();
      }
      const after = await s.request(pullPath(w.orgId, 'licenses'), { cookie: tina, body: { checkpoint: before.checkpoint, batchSize: 100 } });
      expect(after.json.documents).toEqual([expect.objectContaining({ id: w.id('LA'), teamId: w.id('A'), _deleted: true })]);
      // A fresh client of Tina's gets nothing of it at all, but the tombstone (harmless: deleted).
      const fresh = await pullAll(s, 'licenses', tina, w.orgId);
      expect(fresh.docs.filter((d) => !d._deleted).map((d) => w.name(d.id))).toEqual(['LAh']);
      // Moved back: Tina sees it again, after its tombstone.
      const back = await changeRow(w, 'licenses', w.id('LA'), (d) => ({ ...d, teamId: w.id('A') }));
      expect((await pushOutcome(s, 'licenses', [back], admin, w.orgId)).outcome).toBe('ok');
      const again = await s.request(pullPath(w.orgId, 'licenses'), { cookie: tina, body: { checkpoint: after.json.checkpoint, batchSize: 100 } });
      expect((again.json as PullResponse).documents.map((d) => [d.id, d._deleted])).toEqual([[w.id('LA'), false]]);

      // Revoking Hank's license: it leaves "My licenses".
      const revoke = await changeRow(w, 'licenses', w.id('LB'), ({ assignee: _a, assignedAt: _b, assignedVia: _c, ...d }) => ({ ...d, status: 'available' }));
      expect((await pushOutcome(s, 'licenses', [revoke], admin, w.orgId)).outcome).toBe('ok');
      const mine = await s.request(pullPath(w.orgId, 'licenses'), { cookie: holder, body: { checkpoint: holderBefore.checkpoint, batchSize: 100 } });
      expect(mine.json.documents).toEqual([expect.objectContaining({ id: w.id('LB'), _deleted: true })]);
      expect(mine.json.reset).toBeUndefined();
      // Revoking the last one takes him out of the organization: it is not one of his any more.
      const revoke2 = await changeRow(w, 'licenses', w.id('LB2'), ({ assignee: _a, assignedAt: _b, assignedVia: _c, ...d }) => ({ ...d, status: 'available' }));
      expect((await pushOutcome(s, 'licenses', [revoke2], admin, w.orgId)).outcome).toBe('ok');
      const out = await s.request(pullPath(w.orgId, 'licenses'), { cookie: holder, body: { checkpoint: mine.json.checkpoint, batchSize: 100 } });
      expect([out.status, out.json.error]).toEqual([404, 'organization-not-found']);
    });
  });
}
