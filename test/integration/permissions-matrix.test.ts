/**
 * DESIGN §4 as a table: for each person and each collection, what pull returns and whether a
 * representative push is accepted; and which machines (DESIGN §14, server-only) each person's
 * `GET /api/orgs/:orgId/machines` answers. The expected values are written out here by hand — not
 * computed from shared/permissions.ts — so a change to the rules shows up as a failure.
 *
 * It runs in two organizations on one server whose people are the same accounts in other
 * roles (DESIGN §3: one account, many organizations): each organization's answers must be its
 * own table, whatever the person is in the other one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server';
import { skipWithoutPg } from '../helpers/pg';
import { newId } from '../../shared/ids';
import type { CollectionName } from '../../shared/schemas';
import type { OrgMachinesResponse } from '../../shared/api';
import { orgApiPath } from '../../shared/sync-paths';
import {
  buildWorld,
  changeRow,
  COLLECTIONS,
  createRow,
  PEOPLE,
  PEOPLE_NAMES,
  pullAll,
  pushOutcome,
  type PersonName,
  type World,
  waitlistEntry,
} from './permissions-fixtures';


type Sees = Partial<Record<CollectionName, string[]>>;
/** No reach in the organization: answered as one that does not exist. */
const GONE = 404;
const NOTHING: Sees = {};

/** What pull returns (fixture names); a collection left out returns nothing. */
const SEES: Record<PersonName, Sees | 401 | 404> = {
  orgAdmin: {
    organizations: ['org'],
    members: ['admin', 'tina', 'pat'],
    contacts: ['cLic', 'cTech', 'cBill', 'cOrd', 'cNotif', 'cDis'],
    teams: ['A', 'B'],
    products: ['P', 'P2'],
    orders: ['X', 'Y'],
    licenses: ['LA', 'LAh', 'LB'],
    invitations: ['IA', 'IB'],
    acceptances: ['AccA', 'AccB'],
    invoices: ['InvX', 'InvY'],
    quotes: ['Q1'],
    notifications: ['N1'],
    waitlistEntries: ['WA', 'WB'],
    refusedClaims: ['RA', 'RB'],
    auditEvents: ['E1'],
  },
  teamAdminA: {
    organizations: ['org'],
    members: ['tina'],
    teams: ['A'],
    products: ['P', 'P2'],
    licenses: ['LA', 'LAh'],
    invitations: ['IA'],
    acceptances: ['AccA'],
    waitlistEntries: ['WA'],
    refusedClaims: ['RA'],
  },
  primaryLicensee: {
    organizations: ['org'],
    teams: ['A', 'B'],
    products: ['P', 'P2'],
    orders: ['X', 'Y'],
    licenses: ['LA', 'LAh', 'LB'],
    invitations: ['IA', 'IB'],
    acceptances: ['AccA', 'AccB'],
    waitlistEntries: ['WA', 'WB'],
    refusedClaims: ['RA', 'RB'],
  },
  primaryTechnical: {
    organizations: ['org'],
    teams: ['A', 'B'],
    products: ['P', 'P2'],
    licenses: ['LA', 'LAh', 'LB'],
  },
  primaryBilling: {
    organizations: ['org'],
    products: ['P', 'P2'],
    orders: ['X', 'Y'],
    invoices: ['InvX', 'InvY'],
    quotes: ['Q1'],
  },
  orderContactX: {
    organizations: ['org'],
    products: ['P', 'P2'],
    orders: ['X'],
    licenses: ['LA', 'LAh'],
    invoices: ['InvX'],
  },
  // A contact with notification roles only is part of the organization, and sees nothing of it.
  notificationsOnly: NOTHING,
  // A disabled contact is no part of the organization at all.
  disabledContact: GONE,
  licenseHolder: {
    organizations: ['org'],
    products: ['P', 'P2'],
    licenses: ['LB'],
  },
  stranger: GONE,
  // A partner (DESIGN §4): the orders they placed (Y), those orders' licenses and invoices, the catalog, their own member record.
  partner: {
    organizations: ['org'],
    members: ['pat'],
    products: ['P', 'P2'],
    orders: ['Y'],
    licenses: ['LB'],
    invoices: ['InvY'],
  },
  anonymous: 401,
};

const ok = 'ok';
const NA = 'not-allowed';
const SO = 'server-only';

/**
 * The outcome of one representative push per collection (see `attempt` below):
 * organizations rename · members rename Tina · contacts create · teams rename A · products create ·
 * orders create (into a team of its own) · licenses revoke one in team A · invitations create for team A (naming the pusher) ·
 * acceptances create · invoices mark one of order X paid · quotes request (naming the pusher) · notifications create ·
 * waitlistEntries remove one of team A · refusedClaims create · auditEvents change the summary of one (which only
 * org admins see: everyone else is refused it as a document they may not change).
 */
// prettier-ignore
const PUSH: Record<PersonName, Record<CollectionName, string>> = {
  //                  organizations members contacts teams products orders licenses invitations acceptances invoices quotes notifications waitlistEntries refusedClaims auditEvents
  orgAdmin:          { organizations: ok, members: ok, contacts: ok, teams: ok, products: SO, orders: ok, licenses: ok, invitations: ok, acceptances: SO, invoices: ok, quotes: ok, notifications: SO, waitlistEntries: ok, refusedClaims: SO, auditEvents: SO },
  teamAdminA:        { organizations: NA, members: NA, contacts: NA, teams: NA, products: SO, orders: NA, licenses: ok, invitations: ok, acceptances: SO, invoices: NA, quotes: NA, notifications: SO, waitlistEntries: ok, refusedClaims: SO, auditEvents: NA },
  primaryLicensee:   { organizations: NA, members: NA, contacts: NA, teams: NA, products: SO, orders: NA, licenses: NA, invitations: NA, acceptances: SO, invoices: NA, quotes: NA, notifications: SO, waitlistEntries: NA, refusedClaims: SO, auditEvents: NA },
  primaryTechnical:  { organizations: NA, members: NA, contacts: NA, teams: NA, products: SO, orders: NA, licenses: NA, invitations: NA, acceptances: SO, invoices: NA, quotes: NA, notifications: SO, waitlistEntries: NA, refusedClaims: SO, auditEvents: NA },
  primaryBilling:    { organizations: NA, members: NA, contacts: NA, teams: NA, products: SO, orders: NA, licenses: NA, invitations: NA, acceptances: SO, invoices: ok, quotes: ok, notifications: SO, waitlistEntries: NA, refusedClaims: SO, auditEvents: NA },
  orderContactX:     { organizations: NA, members: NA, contacts: NA, teams: NA, products: SO, orders: NA, licenses: NA, invitations: NA, acceptances: SO, invoices: NA, quotes: NA, notifications: SO, waitlistEntries: NA, refusedClaims: SO, auditEvents: NA },
  notificationsOnly: { organizations: NA, members: NA, contacts: NA, teams: NA, products: SO, orders: NA, licenses: NA, invitations: NA, acceptances: SO, invoices: NA, quotes: NA, notifications: SO, waitlistEntries: NA, refusedClaims: SO, auditEvents: NA },
  // A disabled contact is no part of the organization at all: it does not exist for them.
  disabledContact:   { organizations: '404', members: '404', contacts: '404', teams: '404', products: '404', orders: '404', licenses: '404', invitations: '404', acceptances: '404', invoices: '404', quotes: '404', notifications: '404', waitlistEntries: '404', refusedClaims: '404', auditEvents: '404' },
  licenseHolder:     { organizations: NA, members: NA, contacts: NA, teams: NA, products: SO, orders: NA, licenses: NA, invitations: NA, acceptances: SO, invoices: NA, quotes: NA, notifications: SO, waitlistEntries: NA, refusedClaims: SO, auditEvents: NA },
  partner:           { organizations: NA, members: NA, contacts: NA, teams: NA, products: SO, orders: ok, licenses: NA, invitations: NA, acceptances: SO, invoices: NA, quotes: NA, notifications: SO, waitlistEntries: NA, refusedClaims: SO, auditEvents: NA },
  stranger:          { organizations: '404', members: '404', contacts: '404', teams: '404', products: '404', orders: '404', licenses: '404', invitations: '404', acceptances: '404', invoices: '404', quotes: '404', notifications: '404', waitlistEntries: '404', refusedClaims: '404', auditEvents: '404' },
  anonymous:         { organizations: '401', members: '401', contacts: '401', teams: '401', products: '401', orders: '401', licenses: '401', invitations: '401', acceptances: '401', invoices: '401', quotes: '401', notifications: '401', waitlistEntries: '401', refusedClaims: '401', auditEvents: '401' },
};

/** The representative push of each collection, built fresh for each person. */
async function attempt(w: World, p: PersonName, collection: CollectionName) {
  const { orgId, s } = w;
  const memberId = p === 'orgAdmin' ? w.org.memberId : p === 'teamAdminA' ? w.id('tina') : await w.requester(p);
  switch (collection) {
    case 'organizations':
      return changeRow(w, 'organizations', orgId, (d) => ({ ...d, name: `${d.name} by ${p}` }));
    case 'members':
      return changeRow(w, 'members', w.id('tina'), (d) => ({ ...d, name: `Tina by ${p}` }));
    case 'contacts':
      return createRow({ id: newId(), orgId, name: 'New', email: `new-${newId().slice(0, 6)}@acme.test`, roles: [], orderIds: [], disabled: false, source: 'manual' });
    case 'teams':
      return changeRow(w, 'teams', w.id('A'), (d) => ({ ...d, name: `A by ${p}` }));
    case 'products':
      return createRow({ id: newId(), code: `N${newId().slice(0, 5)}`, name: 'Sneaky product' });
    case 'orders':
      return createRow({
        id: newId(),
        orgId,
        reference: `PO-${p}`,
        placedAt: '2026-05-01T00:00:00.000Z',
        teamId: '',
        licensee: { name: 'Lee', email: w.mail('primaryLicensee') },
        licenseeContactId: '',
        billingContactId: '',
        lines: [{ productId: w.id('P'), quantity: 1 }],
        validUntil: '2099-12-31T00:00:00.000Z',
      });
    case 'licenses': {
      const id = newId();
      const holder = { accountId: newId(), email: `h-${id.slice(0, 6)}@x.test`, name: 'H' };
      await s.put(orgId, 'licenses', [
        { id, orgId, orderId: w.id('X'), teamId: w.id('A'), productId: w.id('P'), status: 'assigned', assignee: holder, assignedAt: '2026-02-01T00:00:00.000Z', validUntil: '2099-12-31T00:00:00.000Z' },
      ]);
      return changeRow(w, 'licenses', id, ({ assignee: _a, assignedAt: _b, assignedVia: _c, ...d }) => ({ ...d, status: 'available' }));
    }
    case 'invitations':
      return createRow({ id: newId(), orgId, teamId: w.id('A'), productId: w.id('P'), allowedDomains: [], createdByMemberId: memberId });
    case 'acceptances':
      return createRow({
        id: newId(),
        orgId,
        invitationId: w.id('IA'),
        teamId: w.id('A'),
        productId: w.id('P'),
        licenseId: w.id('LA'),
        account: { id: newId(), email: 'a@b.test', name: 'A' },
        acceptedAt: '2026-02-01T00:00:00.000Z',
      });
    case 'invoices': {
      const id = newId();
      await s.put(orgId, 'invoices', [
        { id, orgId, orderId: w.id('X'), number: `INV-${id.slice(0, 6)}`, amountCents: 100, currency: 'EUR', issuedAt: '2026-01-01T00:00:00.000Z', dueAt: '2026-02-01T00:00:00.000Z' },
      ]);
      return changeRow(w, 'invoices', id, (d) => ({ ...d, paidAt: '2026-01-20T00:00:00.000Z' }));
    }
    case 'quotes':
      return createRow({
        id: newId(),
        orgId,
        number: '',
        lines: [{ productId: w.id('P'), quantity: 3 }],
        totalCents: 0,
        currency: 'EUR',
        requestedByMemberId: memberId,
        createdAt: '2026-05-01T00:00:00.000Z',
        validUntil: '2026-06-01T00:00:00.000Z',
      });
    case 'notifications':
      return createRow({ id: newId(), orgId, topic: 'order-placed', recipients: ['x@y.test'], subject: 'Forged', status: 'sent', attempts: 1 });
    case 'waitlistEntries': {
      const id = newId();
      await s.put(orgId, 'waitlistEntries', [{ ...waitlistEntry(id, w.id('IA'), w.id('A'), w.id('P2'), w.zed, 100), orgId }]);
      return changeRow(w, 'waitlistEntries', id, (d) => ({ ...d, _deleted: true }));
    }
    case 'refusedClaims':
      return createRow({
        id: newId(),
        orgId,
        invitationId: w.id('IA'),
        teamId: w.id('A'),
        productId: w.id('P'),
        email: 'forged@x.test',
        code: 'no-assets-left',
        firstAt: '2026-02-03T00:00:00.000Z',
        lastAt: '2026-02-03T00:00:00.000Z',
        attempts: 1,
      });
    case 'auditEvents':
      return changeRow(w, 'auditEvents', w.id('E1'), (d) => ({ ...d, summary: `Rewritten by ${p}` }));
  }
}

/**
 * `GET /api/orgs/:orgId/machines` (DESIGN §14): machines of the licenses the person
 * administers (MA is on LAh in team A, MB on LB in team B); anyone else in the organization
 * is refused. Holders see their own under My licenses (`/api/me/licenses`), not here.
 */
const MACHINES: Record<PersonName, string[] | 401 | 403 | 404> = {
  orgAdmin: ['MA', 'MB'],
  teamAdminA: ['MA'],
  primaryLicensee: 403,
  primaryTechnical: 403,
  primaryBilling: 403,
  orderContactX: 403,
  notificationsOnly: 403,
  disabledContact: GONE,
  licenseHolder: 403,
  stranger: GONE,
  partner: 403,
  anonymous: 401,
};

/** `GET /api/orgs/:orgId/activation-events` (DESIGN §14 point 7): the notification log's activations, org admins only. */
const ACTIVATION_EVENTS: Record<PersonName, 200 | 401 | 403 | 404> = {
  orgAdmin: 200,
  teamAdminA: 403,
  primaryLicensee: 403,
  primaryTechnical: 403,
  primaryBilling: 403,
  orderContactX: 403,
  notificationsOnly: 403,
  disabledContact: GONE,
  licenseHolder: 403,
  stranger: GONE,
  partner: 403,
  anonymous: 401,
};

/** The second organization's cast: each person plays the role the next one plays in the first (the first org admin is its stranger). */
const SECOND_CAST = Object.fromEntries(
  PEOPLE.filter((p) => p !== 'anonymous').map((role, i) => [role, PEOPLE_NAMES[(i + 1) % PEOPLE_NAMES.length]]),
) as Partial<Record<PersonName, string>>;

for (const dialect of ['sqlite', 'postgres'] as const) {
  describe.skipIf(skipWithoutPg(dialect, 'the permission matrix'))(`permission matrix across two organizations on ${dialect}`, () => {
    let s: TestServer;
    let worlds: World[];
    beforeAll(async () => {
      s = await startTestServer({ dialect });
      const first = await buildWorld(s);
      const second = await buildWorld(s, first.tag, { cast: SECOND_CAST, productId: first.id('P'), product2Id: first.id('P2'), name: `Globex ${first.tag}` });
      worlds = [first, second];
    }, 90_000);
    afterAll(async () => s?.close());

    it('the same people play other roles in the second organization', () => {
      const [first, second] = worlds;
      expect(second.mail('partner')).toBe(first.mail('orgAdmin'));
      expect(second.mail('orgAdmin')).toBe(first.mail('teamAdminA'));
      expect(second.mail('licenseHolder')).toBe(first.mail('stranger'));
    });

    it('pull returns to each person, in each organization, exactly what its table says', async () => {
      const got: Record<string, unknown> = {};
      const want: Record<string, unknown> = {};
      for (const [n, w] of worlds.entries()) {
        for (const p of PEOPLE) {
          const expected = SEES[p];
          for (const c of COLLECTIONS) {
            const r = await pullAll(s, c, w.cookies[p], w.orgId);
            got[`org${n + 1} ${p} ${c}`] = r.status === 200 ? r.docs.map((d) => w.name(d.id)).sort() : r.status;
            want[`org${n + 1} ${p} ${c}`] = typeof expected === 'number' ? expected : [...(expected[c] ?? [])].sort();
          }
        }
      }
      expect(got).toEqual(want);
    });

    it('the machines read answers, in each organization, what its table says', async () => {
      const got: Record<string, unknown> = {};
      const want: Record<string, unknown> = {};
      for (const [n, w] of worlds.entries()) {
        for (const p of PEOPLE) {
          const r = await s.request(orgApiPath(w.orgId, '/machines'), { method: 'GET', cookie: w.cookies[p] });
          got[`org${n + 1} ${p}`] = r.status === 200 ? (r.json as OrgMachinesResponse).machines.map((m) => w.name(m.id)).sort() : r.status;
          const expected = MACHINES[p];
          want[`org${n + 1} ${p}`] = typeof expected === 'number' ? expected : [...expected].sort();
        }
      }
      expect(got).toEqual(want);
    });

    it('the activations log answers, in each organization, only its org admin', async () => {
      const got: Record<string, number> = {};
      const want: Record<string, number> = {};
      for (const [n, w] of worlds.entries()) {
        for (const p of PEOPLE) {
          got[`org${n + 1} ${p}`] = (await s.request(orgApiPath(w.orgId, '/activation-events'), { method: 'GET', cookie: w.cookies[p] })).status;
          want[`org${n + 1} ${p}`] = ACTIVATION_EVENTS[p];
        }
      }
      expect(got).toEqual(want);
    });

    it('push accepts and refuses, in each organization, what its table says', async () => {
      const got: Record<string, string> = {};
      const want: Record<string, string> = {};
      for (const [n, w] of worlds.entries()) {
        for (const p of PEOPLE) {
          for (const c of COLLECTIONS) {
            const row = await attempt(w, p, c);
            const { outcome } = await pushOutcome(s, c, [row], w.cookies[p], w.orgId);
            got[`org${n + 1} ${p} ${c}`] = outcome;
            want[`org${n + 1} ${p} ${c}`] = PUSH[p][c];
          }
        }
      }
      expect(got).toEqual(want);
    }, 120_000);
  });
}
