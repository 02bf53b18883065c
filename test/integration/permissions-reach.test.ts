/**
 * Reach changes (DESIGN §4, §5) with real RxDB clients over a real port: when what a person
 * may see changes, their open client ends up holding exactly that — what they lost
 * disappears locally, what they gained arrives — without a reload.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server';
import { skipWithoutPg } from '../helpers/pg';
import type { CollectionName, LocalCollectionName, WireDoc } from '../../shared/schemas';
import { buildWorld, changeRow, pullAll, pushOutcome, type World } from './permissions-fixtures';
import { eventually, openClient, type Client } from './sync-clients';

/** The fixture names of what a client holds (live documents only), per collection. */
async function holds(w: World, c: Client, collections: LocalCollectionName[]) {
  const out: Record<string, string[]> = {};
  for (const name of collections) {
    // Any collection of the local database: only the documents' ids are read.
    const docs = await (c.db[name] as unknown as { find(): { exec(): Promise<{ id: string }[]> } }).find().exec();
    out[name] = docs.map((d) => w.name(d.id)).sort();
  }
  return out;
}

/** The same, as the server says the person may see it now (live documents only). */
async function serverSays(w: World, cookie: string, collections: CollectionName[]) {
  const out: Record<string, string[]> = {};
  for (const name of collections) {
    const r = await pullAll(w.s, name, cookie, w.orgId);
    out[name] = r.docs.filter((d) => !d._deleted).map((d) => w.name(d.id)).sort();
  }
  return out;
}

async function admin<C extends CollectionName>(w: World, collection: C, id: string, change: (d: WireDoc<C>) => object) {
  const row = await changeRow(w, collection, id, change);
  expect((await pushOutcome(w.s, collection, [row], w.org.cookie, w.orgId)).outcome).toBe('ok');
}

for (const dialect of ['sqlite', 'postgres'] as const) {
  describe.skipIf(skipWithoutPg(dialect, 'the reach suite'))(`reach changes reach open clients on ${dialect}`, () => {
    let s: TestServer;
    let w: World;
    beforeAll(async () => {
      s = await startTestServer({ dialect });
      w = await buildWorld(s);
    }, 60_000);
    afterAll(async () => s?.close());

    it('a team admin: a license moved away, losing team A, gaining team B', async () => {
      const cols: LocalCollectionName[] = ['teams', 'licenses', 'invitations', 'acceptances'];
      const tina = await openClient(s, w.cookies.teamAdminA!, w.orgId, 'tina', cols);
      try {
        await eventually(async () =>
          expect(await holds(w, tina, cols)).toEqual({ teams: ['A'], licenses: ['LA', 'LAh'], invitations: ['IA'], acceptances: ['AccA'] }),
        );

        // The org admin moves LA from A to B: it leaves Tina's client.
        await admin(w, 'licenses', w.id('LA'), (d) => ({ ...d, teamId: w.id('B') }));
        await eventually(async () =>
          expect(await holds(w, tina, cols)).toEqual({ teams: ['A'], licenses: ['LAh'], invitations: ['IA'], acceptances: ['AccA'] }),
        );

        // Tina is no longer admin of A: all of A goes.
        await admin(w, 'members', w.id('tina'), (d) => ({ ...d, adminOfTeamIds: [] }));
        await eventually(async () =>
          expect(await holds(w, tina, cols)).toEqual({ teams: [], licenses: [], invitations: [], acceptances: [] }),
        );

        // Tina becomes admin of B: B arrives, LA (now in B) with it.
        await admin(w, 'members', w.id('tina'), (d) => ({ ...d, adminOfTeamIds: [w.id('B')] }));
        const expected = { teams: ['B'], licenses: ['LA', 'LB'], invitations: ['IB'], acceptances: ['AccB'] };
        await eventually(async () => expect(await holds(w, tina, cols)).toEqual(expected));
        expect(await serverSays(w, w.cookies.teamAdminA!, cols)).toEqual(expected);

        // The stream still flows after the resets: a new invitation of B shows up live.
        const row = await changeRow(w, 'invitations', w.id('IB'), (d) => ({ ...d, name: 'Renamed live' }));
        expect((await pushOutcome(s, 'invitations', [row], w.cookies.teamAdminA, w.orgId)).outcome).toBe('ok');
        await eventually(async () => expect((await tina.db.invitations.findOne(w.id('IB')).exec())?.name).toBe('Renamed live'));
      } finally {
        await tina.close();
        // Put the world back as it was for the next test.
        await admin(w, 'members', w.id('tina'), (d) => ({ ...d, adminOfTeamIds: [w.id('A')] }));
        await admin(w, 'licenses', w.id('LA'), (d) => ({ ...d, teamId: w.id('A') }));
      }
    });

    it('an order-specific contact: gaining an order, losing one, then disabled', async () => {
      const cols: LocalCollectionName[] = ['organizations', 'orders', 'licenses', 'invoices'];
      const olga = await openClient(s, w.cookies.orderContactX!, w.orgId, 'olga', cols);
      try {
        await eventually(async () =>
          expect(await holds(w, olga, cols)).toEqual({ organizations: ['org'], orders: ['X'], licenses: ['LA', 'LAh'], invoices: ['InvX'] }),
        );
        await admin(w, 'contacts', w.id('cOrd'), (d) => ({ ...d, orderIds: [w.id('X'), w.id('Y')] }));
        await eventually(async () =>
          expect(await holds(w, olga, cols)).toEqual({
            organizations: ['org'],
            orders: ['X', 'Y'],
            licenses: ['LA', 'LAh', 'LB'],
            invoices: ['InvX', 'InvY'],
          }),
        );
        // Order X is taken from her.
        await admin(w, 'contacts', w.id('cOrd'), (d) => ({ ...d, orderIds: [w.id('Y')] }));
        await eventually(async () =>
          expect(await holds(w, olga, cols)).toEqual({ organizations: ['org'], orders: ['Y'], licenses: ['LB'], invoices: ['InvY'] }),
        );
        // Disabled: she has no reach left, and the organization answers her as one that does not exist (DESIGN §5).
        await admin(w, 'contacts', w.id('cOrd'), (d) => ({ ...d, disabled: true }));
        await eventually(async () => expect((await pullAll(s, 'orders', w.cookies.orderContactX, w.orgId)).status).toBe(404));
      } finally {
        await olga.close();
      }
    });

    it('a primary licensee whose role is removed keeps only what is left (nothing)', async () => {
      const cols: LocalCollectionName[] = ['teams', 'orders', 'licenses', 'acceptances'];
      const lee = await openClient(s, w.cookies.primaryLicensee!, w.orgId, 'lee', cols);
      try {
        await eventually(async () =>
          expect(await holds(w, lee, cols)).toEqual({ teams: ['A', 'B'], orders: ['X', 'Y'], licenses: ['LA', 'LAh', 'LB'], acceptances: ['AccA', 'AccB'] }),
        );
        // Licensee → technical: orders and acceptances go, teams and licenses stay.
        await admin(w, 'contacts', w.id('cLic'), (d) => ({ ...d, roles: ['primaryTechnical'] }));
        await eventually(async () =>
          expect(await holds(w, lee, cols)).toEqual({ teams: ['A', 'B'], orders: [], licenses: ['LA', 'LAh', 'LB'], acceptances: [] }),
        );
        // Only a notification role left: nothing.
        await admin(w, 'contacts', w.id('cLic'), (d) => ({ ...d, roles: ['dataProtection'] }));
        await eventually(async () => expect(await holds(w, lee, cols)).toEqual({ teams: [], orders: [], licenses: [], acceptances: [] }));
      } finally {
        await lee.close();
      }
    });
  });
}
