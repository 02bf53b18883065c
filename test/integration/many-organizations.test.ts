/**
 * One account, many organizations (DESIGN §3, §5; issue 14): one person is org admin of A,
 * team admin in B, primary billing contact in C, holder of licenses from A and D, and nothing
 * in E. Each organization's pull, push and stream give exactly what DESIGN §4 grants there;
 * E answers 404; /api/me lists A–D and /api/me/licenses both licenses. Then: what another
 * organization's admin does changes nothing the person sees in the first, and the faults the
 * issue found (a claim in B while holding in A, a contact takeover, an invitee's empty live
 * stream) each stay fixed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server';
import { skipWithoutPg } from '../helpers/pg';
import { openMeStream, openStream, type OpenStream } from '../helpers/sse';
import { streamPath } from '../helpers/sync-api';
import { newId } from '../../shared/ids';
import { CATALOG_ORG, getDoc } from '../../server/store/docs';
import { COLLECTION_NAMES, type CollectionName, type WireDoc } from '../../shared/schemas';
import type { PushRow } from '../../shared/sync';
import type { MeResponse, MyLicensesResponse } from '../../shared/api';
import { createRow, pullAll, pushOutcome } from './permissions-fixtures';
import { addInvitation, claim } from './claims-fixtures';
import { eventually } from './sync-clients';

const pause = (ms: number) => new Promise((done) => setTimeout(done, ms));

for (const dialect of ['sqlite', 'postgres'] as const) {
  describe.skipIf(skipWithoutPg(dialect, 'one account, many organizations'))(`one account in five organizations on ${dialect}`, () => {
    let s: TestServer;
    const tag = newId().slice(0, 6);
    const max = `max-${tag}@people.test`;
    let maxCookie: string;
    /** Fixture names → ids, across every organization. */
    const ids = new Map<string, string>();
    const id = (n: string) => ids.get(n) ?? (() => { throw new Error(`no fixture ${n}`); })();
    const name = (x: string) => [...ids].find(([, v]) => v === x)?.[0] ?? `?${x.slice(0, 8)}`;
    const mk = (n: string) => {
      const v = newId();
      ids.set(n, v);
      return v;
    };
    type Org = Awaited<ReturnType<TestServer['createOrg']>>;
    const orgs = {} as Record<'A' | 'B' | 'C' | 'D' | 'E', Org>;
    let maxMemberInB: string;

    beforeAll(async () => {
      s = await startTestServer({ dialect });
      const P = mk('P');
      await s.put(CATALOG_ORG, 'products', [{ id: P, code: `P-${tag}`, name: 'Rocket IDE' }]);
      // A: Max's own organization, where he is org admin.
      orgs.A = await s.createOrg(`A ${tag}`, max);
      maxCookie = orgs.A.cookie;
      for (const k of ['B', 'C', 'D', 'E'] as const) orgs[k] = await s.createOrg(`${k} ${tag}`, `admin-${k.toLowerCase()}-${tag}@${k.toLowerCase()}.test`);
      for (const k of ['A', 'B', 'C', 'D', 'E'] as const) {
        ids.set(`org${k}`, orgs[k].orgId);
        ids.set(`admin${k}`, orgs[k].memberId);
      }
      const maxAccount = await s.accountId(max);
      const team = async (k: keyof typeof orgs, n: string) => {
        await s.put(orgs[k].orgId, 'teams', [{ id: mk(n), orgId: orgs[k].orgId, name: `Team ${n}` }]);
        return id(n);
      };
      const license = async (k: keyof typeof orgs, n: string, teamId: string) => {
        await s.put(orgs[k].orgId, 'licenses', [
          { id: mk(n), orgId: orgs[k].orgId, orderId: newId(), teamId, productId: P, status: 'available', validUntil: '2099-12-31' },
        ]);
      };

      // A: a team, a license Max claims through A's own invitation, a contact.
      const TA = await team('A', 'TA');
      await license('A', 'LA', TA);
      const IA = await addInvitation(s, orgs.A, TA, P);
      ids.set('IA', IA.id);
      await s.put(orgs.A.orgId, 'contacts', [
        { id: mk('cA'), orgId: orgs.A.orgId, name: 'Cleo', email: `cleo-${tag}@a.test`, roles: ['primaryTechnical'], orderIds: [], disabled: false, source: 'manual' },
      ]);

      // B: Max is team admin of TB1 (not TB2).
      const TB1 = await team('B', 'TB1');
      const TB2 = await team('B', 'TB2');
      await license('B', 'LB1', TB1);
      await license('B', 'LB2', TB2);
      ids.set('IB1', (await addInvitation(s, orgs.B, TB1, P)).id);
      ids.set('IB2', (await addInvitation(s, orgs.B, TB2, P)).id);
      maxMemberInB = mk('maxB');
      await s.put(orgs.B.orgId, 'members', [
        { id: maxMemberInB, orgId: orgs.B.orgId, accountId: maxAccount, email: max, name: 'Max', isOrgAdmin: false, adminOfTeamIds: [TB1], disabled: false },
      ]);
      await s.put(orgs.B.orgId, 'contacts', [
        { id: mk('cB'), orgId: orgs.B.orgId, name: 'Bea', email: `bea-${tag}@b.test`, roles: ['primaryLicensee'], orderIds: [], disabled: false, source: 'manual' },
      ]);

      // C: Max is the primary billing contact.
      const TC = await team('C', 'TC');
      await s.put(orgs.C.orgId, 'orders', [
        {
          id: mk('OC'),
          orgId: orgs.C.orgId,
          reference: 'PO-C',
          placedAt: '2026-01-01',
          teamId: TC,
          licenseeContactId: '',
          billingContactId: '',
          lines: [{ productId: P, quantity: 1 }],
          validUntil: '2099-12-31',
          materializedAt: '2026-01-01T00:00:00.000Z',
        },
      ]);
      await s.put(orgs.C.orgId, 'invoices', [
        { id: mk('InvC'), orgId: orgs.C.orgId, orderId: id('OC'), number: 'INV-C', amountCents: 1000, currency: 'EUR', issuedAt: '2026-01-02', dueAt: '2026-02-02' },
      ]);
      await s.put(orgs.C.orgId, 'contacts', [
        { id: mk('cMaxC'), orgId: orgs.C.orgId, name: 'Max', email: max, roles: ['primaryBilling'], orderIds: [], disabled: false, source: 'manual' },
      ]);
      await license('C', 'LC', TC);

      // D: Max holds a license, claimed through D's invitation.
      const TD = await team('D', 'TD');
      await license('D', 'LD', TD);
      ids.set('ID', (await addInvitation(s, orgs.D, TD, P)).id);

      // E: Max is nothing there.
      const TE = await team('E', 'TE');
      await license('E', 'LE', TE);

      const inv = async (k: 'A' | 'D', n: string) => (await s.request(`/api/invitations/${(await getInvitationToken(k, n))}/claim`, { cookie: maxCookie, body: {} })).status;
      async function getInvitationToken(k: 'A' | 'D', n: string) {
        const docs = await pullAll(s, 'invitations', orgs[k].cookie, orgs[k].orgId);
        return docs.docs.find((d) => d.id === id(n))!.token;
      }
      expect(await inv('A', 'IA')).toBe(200);
      expect(await inv('D', 'ID')).toBe(200);
    }, 90_000);
    afterAll(async () => s?.close());

    /** What a pull of every collection in `org` gives Max: fixture names per collection (the ones he may see), or the status. */
    async function maxSees(org: Org) {
      const out: Partial<Record<CollectionName, string[]>> = {};
      for (const c of COLLECTION_NAMES) {
        const r = await pullAll(s, c, maxCookie, org.orgId);
        if (r.status !== 200) return r.status;
        const names = r.docs.filter((d) => !d._deleted).map((d) => name(d.id)).sort();
        if (names.length) out[c] = names;
      }
      return out;
    }

    it('each organization pulls exactly what DESIGN §4 grants Max there; E does not exist for him', async () => {
      expect(await maxSees(orgs.A)).toEqual({
        organizations: ['orgA'],
        members: ['adminA'],
        contacts: ['cA'],
        teams: ['TA'],
        products: ['P'],
        licenses: ['LA'],
        invitations: ['IA'],
        // Max's own claim in A.
        acceptances: [expect.stringMatching(/^\?/)],
        // The claim emailed A's admin (Max): the sent-mail log is the org admin's.
        notifications: expect.any(Array),
      });
      expect(await maxSees(orgs.B)).toEqual({
        organizations: ['orgB'],
        members: ['maxB'],
        teams: ['TB1'],
        products: ['P'],
        licenses: ['LB1'],
        invitations: ['IB1'],
      });
      expect(await maxSees(orgs.C)).toEqual({
        organizations: ['orgC'],
        products: ['P'],
        orders: ['OC'],
        invoices: ['InvC'],
      });
      expect(await maxSees(orgs.D)).toEqual({
        organizations: ['orgD'],
        products: ['P'],
        licenses: ['LD'],
      });
      expect(await maxSees(orgs.E)).toBe(404);
    });

    it('each organization takes the pushes DESIGN §4 grants Max there, and no other', async () => {
      /** A row changing a stored document, assuming exactly what the server holds. */
      async function changeRow<C extends CollectionName>(c: C, x: string, change: (d: WireDoc<C>) => object): Promise<PushRow> {
        const stored = await getDoc(s.store.db, c, x);
        if (!stored) throw new Error(`${c}/${x} is not stored`);
        return { assumedMasterState: stored, newDocumentState: { ...change(structuredClone(stored)) } };
      }
      const rename = async (org: Org) => changeRow('organizations', org.orgId, (d) => ({ ...d, name: `${d.name} by Max` }));
      const invitation = (org: Org, teamId: string, createdByMemberId: string) =>
        createRow({ id: newId(), orgId: org.orgId, teamId, productId: id('P'), allowedDomains: [], createdByMemberId });
      const outcome = async (org: Org, c: CollectionName, row: PushRow) => (await pushOutcome(s, c, [row], maxCookie, org.orgId)).outcome;

      expect(await outcome(orgs.A, 'organizations', await rename(orgs.A))).toBe('ok');
      expect(await outcome(orgs.A, 'invitations', invitation(orgs.A, id('TA'), orgs.A.memberId))).toBe('ok');

      expect(await outcome(orgs.B, 'organizations', await rename(orgs.B))).toBe('not-allowed');
      expect(await outcome(orgs.B, 'invitations', invitation(orgs.B, id('TB1'), maxMemberInB))).toBe('ok');
      expect(await outcome(orgs.B, 'invitations', invitation(orgs.B, id('TB2'), maxMemberInB))).toBe('not-allowed');
      // A's member id means nothing in B.
      expect(await outcome(orgs.B, 'invitations', invitation(orgs.B, id('TB1'), orgs.A.memberId))).toBe('not-allowed');

      const invoice = await changeRow('invoices', id('InvC'), (d) => ({ ...d, paidAt: '2026-01-20' }));
      expect(await outcome(orgs.C, 'invoices', invoice)).toBe('ok');
      expect(await outcome(orgs.C, 'organizations', await rename(orgs.C))).toBe('not-allowed');
      const teamC = await changeRow('teams', id('TC'), (d) => ({ ...d, name: 'Renamed by Max' }));
      expect(await outcome(orgs.C, 'teams', teamC)).toBe('not-allowed');

      expect(await outcome(orgs.D, 'organizations', await rename(orgs.D))).toBe('not-allowed');
      const revokeD = await changeRow('licenses', id('LD'), ({ assignee: _a, assignedAt: _b, assignedVia: _c, ...d }) => ({ ...d, status: 'available' }));
      expect(await outcome(orgs.D, 'licenses', revokeD)).toBe('not-allowed');

      expect(await outcome(orgs.E, 'organizations', await rename(orgs.E))).toBe('404');
    });

    it("each organization's stream carries what Max may see there, and nothing of the others", async () => {
      const streams = {} as Record<'A' | 'B' | 'C' | 'D', OpenStream>;
      for (const k of ['A', 'B', 'C', 'D'] as const) streams[k] = openStream(s.url, maxCookie, orgs[k].orgId);
      try {
        await Promise.all(Object.values(streams).map((x) => x.opened));
        const e = await fetch(s.url + streamPath(orgs.E.orgId), { headers: { cookie: maxCookie } });
        expect([e.status, (await e.json()).error]).toEqual([404, 'organization-not-found']);

        // The same kinds of change in every organization.
        for (const k of ['A', 'B', 'C', 'D', 'E'] as const) {
          const o = orgs[k].orgId;
          await s.put(o, 'contacts', [{ id: mk(`new-c${k}`), orgId: o, name: 'New', email: `new-${k}-${tag}@x.test`, roles: [], orderIds: [], disabled: false, source: 'manual' }]);
          await s.put(o, 'teams', [{ id: mk(`new-t${k}`), orgId: o, name: `New team ${k}` }]);
        }
        await s.put(orgs.B.orgId, 'licenses', [
          { id: mk('new-lB1'), orgId: orgs.B.orgId, orderId: newId(), teamId: id('TB1'), productId: id('P'), status: 'available', validUntil: '2099-12-31' },
          { id: mk('new-lB2'), orgId: orgs.B.orgId, orderId: newId(), teamId: id('TB2'), productId: id('P'), status: 'available', validUntil: '2099-12-31' },
        ]);
        await s.put(orgs.C.orgId, 'invoices', [
          { id: mk('new-iC'), orgId: orgs.C.orgId, orderId: id('OC'), number: 'INV-C2', amountCents: 5, currency: 'EUR', issuedAt: '2026-03-01', dueAt: '2026-04-01' },
        ]);
        const want = {
          A: ['new-cA', 'new-tA'],
          B: ['new-lB1'],
          C: ['new-iC'],
          D: [] as string[],
        };
        const got = () =>
          Object.fromEntries(
            (['A', 'B', 'C', 'D'] as const).map((k) => [k, [...streams[k].ids()].map(name).filter((n) => n.startsWith('new-')).sort()]),
          );
        await eventually(() => expect(got()).toEqual(want));
        // A last change in D, which Max may see there, to know every earlier one was delivered.
        await s.put(orgs.D.orgId, 'licenses', [{ id: mk('new-lD'), orgId: orgs.D.orgId, orderId: newId(), teamId: id('new-tD'), productId: id('P'), status: 'assigned', assignee: { accountId: await s.accountId(max), email: max, name: 'Max' }, validUntil: '2099-12-31' }]);
        await eventually(() => expect(got().D).toEqual(['new-lD']));
        await pause(200);
        expect(got()).toEqual({ ...want, D: ['new-lD'] });
      } finally {
        for (const x of Object.values(streams)) x.close();
      }
    });

    it('/api/me lists A–D with what Max is in each, and /api/me/licenses his licenses from A and D', async () => {
      const me = (await s.request('/api/me', { cookie: maxCookie })).json as MeResponse;
      const byId = Object.fromEntries(me.organizations.map((o) => [name(o.id), o]));
      expect(Object.keys(byId).sort()).toEqual(['orgA', 'orgB', 'orgC', 'orgD']);
      expect(byId.orgA).toMatchObject({ isOrgAdmin: true, adminOfTeamIds: [], roles: [], holdsLicense: true, memberId: orgs.A.memberId });
      expect(byId.orgB).toMatchObject({ isOrgAdmin: false, adminOfTeamIds: [id('TB1')], roles: [], holdsLicense: false, memberId: maxMemberInB });
      expect(byId.orgC).toMatchObject({ isOrgAdmin: false, adminOfTeamIds: [], roles: ['primaryBilling'], holdsLicense: false, memberId: null });
      expect(byId.orgD).toMatchObject({ isOrgAdmin: false, adminOfTeamIds: [], roles: [], holdsLicense: true, memberId: null });
      expect(byId.orgA.name).toMatch(/^A /);

      const mine = (await s.request('/api/me/licenses', { cookie: maxCookie })).json as MyLicensesResponse;
      const held = mine.licenses.map((l) => ({ license: name(l.license.id), org: name(l.organization.id), product: l.product, team: l.team.name, machines: l.machines }));
      expect(held.filter((l) => !l.license.startsWith('new-'))).toEqual([
        { license: 'LA', org: 'orgA', product: { code: `P-${tag}`, name: 'Rocket IDE', machinesPerLicense: 3 }, team: 'Team TA', machines: [] },
        { license: 'LD', org: 'orgD', product: { code: `P-${tag}`, name: 'Rocket IDE', machinesPerLicense: 3 }, team: 'Team TD', machines: [] },
      ]);
      expect(mine.licenses.every((l) => l.license.assignee?.email === max)).toBe(true);
    });
  });

  describe.skipIf(skipWithoutPg(dialect, 'one account, many organizations'))(`another organization's admin changes nothing in the first on ${dialect}`, () => {
    let s: TestServer;
    beforeAll(async () => {
      s = await startTestServer({ dialect });
    });
    afterAll(async () => s?.close());

    /** An organization with a team, seats of one product and an invitation; its admin signed in. */
    async function orgWithSeats(label: string, seats = 2) {
      const org = await s.createOrg(label, `admin-${newId().slice(0, 6)}@${label.toLowerCase()}.test`);
      const productId = newId();
      await s.put(CATALOG_ORG, 'products', [{ id: productId, code: `P${productId.slice(0, 5)}`, name: `${label} Suite` }]);
      const teamId = newId();
      await s.put(org.orgId, 'teams', [{ id: teamId, orgId: org.orgId, name: `${label} team` }]);
      await s.put(
        org.orgId,
        'licenses',
        Array.from({ length: seats }, () => ({ id: newId(), orgId: org.orgId, orderId: newId(), teamId, productId, status: 'available' as const, validUntil: '2099-12-31' })),
      );
      const invitation = await addInvitation(s, org, teamId, productId);
      return { ...org, productId, teamId, invitation };
    }

    /** Everything a person sees of one organization, and of themselves. */
    async function view(cookie: string, orgId: string) {
      const me = (await s.request('/api/me', { cookie })).json as MeResponse;
      const licenses = (await s.request('/api/me/licenses', { cookie })).json as MyLicensesResponse;
      const pulled: Record<string, unknown> = {};
      for (const c of COLLECTION_NAMES) {
        const r = await pullAll(s, c, cookie, orgId);
        pulled[c] = r.status === 200 ? r.docs.map((d) => [d.id, d.seq]) : r.status;
      }
      return {
        me: me.organizations.find((o) => o.id === orgId),
        licenses: licenses.licenses.filter((l) => l.organization.id === orgId),
        pulled,
      };
    }

    it('adding the person as a contact, a licensee, a billing contact or a member: their first organization stays as it was', async () => {
      const a = await orgWithSeats('Alpha');
      const b = await orgWithSeats('Beta');
      const ivy = `ivy-${newId().slice(0, 6)}@people.test`;
      const ivyCookie = await s.signIn(ivy, 'Ivy');
      expect((await claim(s, a.invitation.token, ivyCookie)).status).toBe(200);
      const before = await view(ivyCookie, a.orgId);
      expect(before.licenses).toHaveLength(1);
      expect(before.me).toMatchObject({ holdsLicense: true, isOrgAdmin: false, roles: [] });

      const steps: [string, CollectionName, Record<string, unknown>][] = [
        ['a contact', 'contacts', { id: newId(), orgId: b.orgId, name: 'Ivy', email: ivy, roles: ['primaryTechnical', 'primaryBilling'], orderIds: [], disabled: false, source: 'manual' }],
        [
          'the licensee and billing contact of an order',
          'orders',
          {
            id: newId(),
            orgId: b.orgId,
            reference: 'PO-B',
            placedAt: '2026-03-01',
            teamId: b.teamId,
            licensee: { name: 'Ivy', email: ivy },
            billing: { name: 'Ivy', email: ivy },
            licenseeContactId: '',
            billingContactId: '',
            lines: [{ productId: b.productId, quantity: 1 }],
            validUntil: '2099-12-31',
          },
        ],
        ['a member (org admin)', 'members', { id: newId(), orgId: b.orgId, accountId: '', email: ivy, name: 'Ivy', isOrgAdmin: true, adminOfTeamIds: [], disabled: false }],
      ];
      for (const [what, collection, doc] of steps) {
        // Through B's own sync path, as B's admin does it in the app.
        expect((await pushOutcome(s, collection, [createRow(doc)], b.cookie, b.orgId)).outcome, what).toBe('ok');
        expect(await view(ivyCookie, a.orgId), what).toEqual(before);
        // Her next sign-in sees the same.
        expect(await view(await s.signIn(ivy), a.orgId), what).toEqual(before);
      }
      // And B is hers now as well, with what B's admin made her there.
      const me = (await s.request('/api/me', { cookie: ivyCookie })).json as MeResponse;
      expect(me.organizations.find((o) => o.id === b.orgId)).toMatchObject({ isOrgAdmin: true, roles: expect.arrayContaining(['primaryTechnical', 'primaryBilling']) });
    });

    it('a license claimed in B while holding one from A: both are the person’s, on /api/me, /api/me/licenses and the live stream', async () => {
      const a = await orgWithSeats('Gamma');
      const b = await orgWithSeats('Delta');
      const kai = `kai-${newId().slice(0, 6)}@people.test`;
      const cookie = await s.signIn(kai, 'Kai');
      expect((await claim(s, a.invitation.token, cookie)).status).toBe(200);
      const live = openMeStream(s.url, cookie);
      try {
        await live.opened;
        await eventually(() => expect(live.licenses()?.licenses.map((l) => l.organization.id)).toEqual([a.orgId]));
        const claimedInB = await claim(s, b.invitation.token, cookie);
        expect(claimedInB.status).toBe(200);
        // At once on the live stream, without asking.
        await eventually(() => expect(live.licenses()?.licenses.map((l) => l.organization.id).sort()).toEqual([a.orgId, b.orgId].sort()));
        await eventually(() => expect(live.me()?.organizations.map((o) => o.id).sort()).toEqual([a.orgId, b.orgId].sort()));
      } finally {
        live.close();
      }
      const licenses = ((await s.request('/api/me/licenses', { cookie })).json as MyLicensesResponse).licenses;
      expect(licenses.map((l) => [l.organization.id, l.product.name, l.team.name]).sort()).toEqual(
        [
          [a.orgId, 'Gamma Suite', 'Gamma team'],
          [b.orgId, 'Delta Suite', 'Delta team'],
        ].sort(),
      );
      const me = (await s.request('/api/me', { cookie })).json as MeResponse;
      expect(me.organizations.map((o) => [o.id, o.holdsLicense]).sort()).toEqual(
        [
          [a.orgId, true],
          [b.orgId, true],
        ].sort(),
      );
      // Each organization's sync shows the person their own license there.
      for (const org of [a, b]) {
        const pulled = await pullAll(s, 'licenses', cookie, org.orgId);
        expect(pulled.docs.map((d) => d.assignee?.email)).toEqual([kai]);
      }
    });

    it("another organization's admin adding the person as a contact does not take their view over (no license vanishes)", async () => {
      const a = await orgWithSeats('Epsilon');
      const b = await orgWithSeats('Zeta');
      const lou = `lou-${newId().slice(0, 6)}@people.test`;
      const cookie = await s.signIn(lou, 'Lou');
      expect((await claim(s, a.invitation.token, cookie)).status).toBe(200);
      expect(((await s.request('/api/me/licenses', { cookie })).json as MyLicensesResponse).licenses).toHaveLength(1);
      const contact = { id: newId(), orgId: b.orgId, name: 'Lou', email: lou, roles: ['primaryLicensee'], orderIds: [], disabled: false, source: 'manual' };
      expect((await pushOutcome(s, 'contacts', [createRow(contact)], b.cookie, b.orgId)).outcome).toBe('ok');
      const next = await s.signIn(lou);
      const mine = ((await s.request('/api/me/licenses', { cookie: next })).json as MyLicensesResponse).licenses;
      expect(mine.map((l) => l.organization.id)).toEqual([a.orgId]);
      const me = (await s.request('/api/me', { cookie: next })).json as MeResponse;
      expect(me.organizations.map((o) => o.id).sort()).toEqual([a.orgId, b.orgId].sort());
      expect((await pullAll(s, 'licenses', next, a.orgId)).docs.map((d) => d.assignee?.email)).toEqual([lou]);
    });

    it('an invitee in no organization yet receives their own claim on their live stream', async () => {
      const a = await orgWithSeats('Eta');
      const nia = `nia-${newId().slice(0, 6)}@people.test`;
      const cookie = await s.signIn(nia, 'Nia');
      const live = openMeStream(s.url, cookie);
      try {
        await live.opened;
        await eventually(() => expect(live.me()).toMatchObject({ account: { email: nia }, organizations: [] }));
        expect(live.licenses()).toEqual({ licenses: [] });
        expect((await claim(s, a.invitation.token, cookie)).status).toBe(200);
        await eventually(() =>
          expect(live.licenses()?.licenses.map((l) => [l.organization.name, l.product.name, l.team.name])).toEqual([['Eta', 'Eta Suite', 'Eta team']]),
        );
        await eventually(() => expect(live.me()?.organizations).toEqual([expect.objectContaining({ id: a.orgId, holdsLicense: true, isOrgAdmin: false })]));
        // Revoked by the admin: it leaves at once too.
        const [held] = (await pullAll(s, 'licenses', a.cookie, a.orgId)).docs.filter((d) => d.assignee?.email === nia);
        const { assignee: _x, assignedAt: _y, assignedVia: _z, ...rest } = held;
        expect((await pushOutcome(s, 'licenses', [{ assumedMasterState: held, newDocumentState: { ...rest, status: 'available' } }], a.cookie, a.orgId)).outcome).toBe('ok');
        await eventually(() => expect(live.licenses()).toEqual({ licenses: [] }));
        await eventually(() => expect(live.me()?.organizations).toEqual([]));
      } finally {
        live.close();
      }
    });
  });
}
