/**
 * Merging contacts stored before "one contact per address" (issue 16 §2, DESIGN §3): the kept
 * contact gets every role and order, the orders naming a duplicate name the kept one, the
 * duplicates are deleted — one transaction, org admins only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server';
import { skipWithoutPg } from '../helpers/pg';
import { orgApiPath } from '../../shared/sync-paths';
import { newId } from '../../shared/ids';
import { findDoc } from '../../server/store/docs';
import type { Fixture } from '../helpers/collection-kit';

for (const dialect of ['sqlite', 'postgres'] as const) {
  describe.skipIf(skipWithoutPg(dialect, 'merging contacts'))(`merging duplicate contacts on ${dialect}`, () => {
    let s: TestServer;
    let org: Awaited<ReturnType<TestServer['createOrg']>>;
    beforeAll(async () => {
      s = await startTestServer({ dialect });
      org = await s.createOrg('Northwind', 'ada@northwind.test');
    });
    afterAll(async () => s?.close());

    const contact = (email: string, over: Partial<Fixture<'contacts'>> = {}): Fixture<'contacts'> => ({
      id: newId(),
      orgId: org.orgId,
      name: 'Lena',
      email,
      roles: [],
      orderIds: [],
      disabled: false,
      source: 'manual',
      ...over,
    });
    const merge = (body: unknown, cookie = org.cookie) => s.request(orgApiPath(org.orgId, '/contacts/merge'), { cookie, body });

    it('keeps one contact with every role and order; orders name it; the duplicates are gone', async () => {
      const orderId = newId();
      const keep = contact('lena@northwind.test', { roles: ['primaryBilling'] });
      const dup = contact('LENA@northwind.test', { name: 'LENA', roles: ['primaryLicensee', 'newQuotes'], orderIds: [orderId], source: 'order' });
      await s.put(org.orgId, 'contacts', [keep, dup]);
      await s.put(org.orgId, 'orders', [
        {
          id: orderId,
          orgId: org.orgId,
          reference: 'PO-1',
          placedAt: '2026-11-01T00:00:00.000Z',
          teamId: '',
          licenseeContactId: dup.id,
          billingContactId: dup.id,
          lines: [],
          validUntil: '2099-12-31',
        },
      ]);
      const r = await merge({ keepId: keep.id, mergeIds: [dup.id] });
      expect(r.status).toBe(200);
      expect(r.json).toMatchObject({ id: keep.id, email: 'lena@northwind.test', roles: ['primaryLicensee', 'primaryBilling', 'newQuotes'], orderIds: [orderId] });
      expect(await findDoc(s.store.db, 'contacts', dup.id)).toMatchObject({ _deleted: true });
      expect(await findDoc(s.store.db, 'orders', orderId)).toMatchObject({ licenseeContactId: keep.id, billingContactId: keep.id });
    });

    it.each([
      ['contacts of different addresses', 'not-duplicates', 409],
      ['a contact merged into itself', 'not-duplicates', 409],
      ['an unknown contact', 'not-found', 404],
    ] as const)('refuses %s, changing nothing', async (what, code, status) => {
      const keep = contact('pia@northwind.test');
      const other = contact('ivy@northwind.test');
      await s.put(org.orgId, 'contacts', [keep, other]);
      const mergeIds = what === 'contacts of different addresses' ? [other.id] : what === 'a contact merged into itself' ? [keep.id] : [newId()];
      const r = await merge({ keepId: keep.id, mergeIds });
      expect(r.status).toBe(status);
      expect(r.json.error).toBe(code);
      expect(await findDoc(s.store.db, 'contacts', other.id)).toMatchObject({ _deleted: false, email: 'ivy@northwind.test' });
    });

    it('is for org admins only, and validates its body', async () => {
      const keep = contact('max@northwind.test');
      const dup = contact('Max@Northwind.test');
      await s.put(org.orgId, 'contacts', [keep, dup]);
      const tina = await s.signIn('tina@northwind.test');
      await s.put(org.orgId, 'members', [
        { id: newId(), orgId: org.orgId, accountId: await s.accountId('tina@northwind.test'), email: 'tina@northwind.test', name: 'Tina', isOrgAdmin: false, adminOfTeamIds: [], disabled: false },
      ]);
      expect((await merge({ keepId: keep.id, mergeIds: [dup.id] }, tina)).json.error).toBe('forbidden');
      for (const body of [{}, { keepId: keep.id, mergeIds: [] }, { keepId: 'x', mergeIds: [dup.id] }, { keepId: keep.id, mergeIds: Array(51).fill(dup.id) }]) {
        expect((await merge(body)).status).toBe(400);
      }
      expect(await findDoc(s.store.db, 'contacts', dup.id)).toMatchObject({ _deleted: false });
    });
  });
}
