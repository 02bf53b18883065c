/**
 * Orders are bounded (MAX_ORDER_SEATS, issue 12 §6): a bigger one is refused at push, and the
 * largest allowed one does not keep another organization waiting for an answer. (How long the
 * other organization waits is measured by `npm run bench`, not asserted here.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server';
import { skipWithoutPg } from '../helpers/pg';
import { syncPath } from '../helpers/sync-path';
import { newId } from '../../shared/ids';
import { countDocs, findDoc } from '../../server/store/docs';
import { claimFixture, seatsOrder } from './claims-fixtures';

for (const dialect of ['sqlite', 'postgres'] as const) {
  describe.skipIf(skipWithoutPg(dialect, 'the order size suite'))(`order size on ${dialect}`, () => {
    let s: TestServer;
    beforeAll(async () => {
      s = await startTestServer({ dialect });
    });
    afterAll(async () => s?.close());

    const order = seatsOrder;

    it.each([
      ['one line over the maximum', [10_001]],
      ['lines together over the maximum', [5_000, 5_001]],
      ['the schema maximum of a line', [100_000]],
    ])('refuses %s with invalid-document naming lines, and makes no license', async (_what, quantities) => {
      const f = await claimFixture(s, { seats: 0 });
      const o = order(f, quantities);
      const r = await s.request(syncPath(f.org.orgId, 'orders', 'push'), { cookie: f.org.cookie, body: [{ newDocumentState: o }] });
      expect(r.status).toBe(200);
      expect(r.json.rejected).toMatchObject([{ id: o.id, code: 'invalid-document', fields: ['lines'] }]);
      expect(await findDoc(s.store.db, 'orders', o.id)).toBeUndefined();
      expect(await countDocs(s.store.db, { collection: 'licenses', org: f.org.orgId })).toBe(0);
    });

    it('the largest allowed order (MAX_ORDER_SEATS, 10,000 by default) is materialized while another organization is answered', async () => {
      const big = await claimFixture(s, { seats: 0 });
      const other = await claimFixture(s, { seats: 1, orgName: 'Globex' });
      const o = order(big, [6_000, 4_000]);
      const pushing = s.request(syncPath(big.org.orgId, 'orders', 'push'), { cookie: big.org.cookie, body: [{ newDocumentState: o }] });
      // The other organization's requests while the order is being written.
      const answers = await Promise.all([
        s.request(syncPath(other.org.orgId, 'licenses', 'pull'), { cookie: other.org.cookie, body: { checkpoint: null, batchSize: 10 } }),
        s.request(`/api/invitations/${other.invitation.token}`),
        s.request(syncPath(other.org.orgId, 'teams', 'push'), {
          cookie: other.org.cookie,
          body: [{ newDocumentState: { id: newId(), orgId: other.org.orgId, name: 'Ops', seq: 0, updatedAt: '' } }],
        }),
      ]);
      expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
      expect(answers[0].json.documents).toHaveLength(1);
      const pushed = await pushing;
      expect(pushed.json).toEqual({ conflicts: [], rejected: [] });
      expect(await countDocs(s.store.db, { collection: 'licenses', org: big.org.orgId, where: { orderId: o.id } })).toBe(10_000);
    });
  });
}
