import { beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../shared/ids';
import { skipWithoutPg } from '../../test/helpers/pg';
import { storeFor } from '../../test/helpers/store';
import { listDocs, listDocsTogether, orgTx, type ListPart } from './docs';

/** listDocsTogether (docs-query.ts): several lists in one statement, each as listDocs answers it, on real SQLite and PostgreSQL. */
for (const dialect of ['sqlite', 'postgres'] as const) {
  describe.skipIf(skipWithoutPg(dialect, 'lists read together'))(`lists read together on ${dialect}`, () => {
    const storeOf = storeFor(dialect);
    const now = new Date('2026-03-01T10:00:00.000Z');
    const orgId = newId();
    const [teamA, teamB] = [newId(), newId()];
    beforeAll(async () => {
      // Ids written out of order, so that an answer in write order would differ from id order.
      const ids = Array.from({ length: 12 }, () => newId()).reverse();
      await orgTx(storeOf(), orgId, now, async (w) => {
        for (const [i, id] of ids.entries()) {
          await w.put('licenses', {
            id,
            orgId,
            orderId: 'o1',
            teamId: i % 2 ? teamA : teamB,
            productId: 'p1',
            status: i < 3 ? 'assigned' : 'available',
            validUntil: '2027-01-01',
            ...(i < 3 ? { assignee: { accountId: `a${i}`, email: `p${i}@x.test`, name: 'P' } } : {}),
            _deleted: false,
          });
        }
        await w.put('acceptances', {
          id: newId(),
          orgId,
          invitationId: 'inv1',
          teamId: teamA,
          productId: 'p1',
          licenseId: ids[1],
          account: { id: 'a1', email: 'p1@x.test', name: 'P' },
          acceptedAt: now.toISOString(),
          _deleted: false,
        });
      });
    });

    const parts = [
      { query: { collection: 'licenses', where: { teamId: teamA, assigneeAccountId: 'a1', status: 'assigned' } }, page: { limit: 1 } },
      { query: { collection: 'acceptances', where: { invitationId: 'inv1', assigneeAccountId: 'a1' } } },
      { query: { collection: 'licenses', org: orgId, where: { teamId: teamA, status: 'available' } }, page: { orderBy: 'id', limit: 3 } },
      { query: { collection: 'licenses', org: orgId, where: { teamId: teamB, status: 'available' } }, page: { orderBy: 'id' } },
      { query: { collection: 'acceptances', where: { invitationId: 'inv1', assigneeAccountId: 'nobody' } } },
    ] as const satisfies readonly ListPart[];

    it('answers each part as listDocs alone does, in its order, and again the same from its kept text', async () => {
      const alone = await Promise.all(parts.map((p) => listDocs(storeOf().db, p.query, 'page' in p ? p.page : {})));
      expect(alone.map((l) => l.length)).toEqual([1, 1, 3, 4, 0]);
      for (let run = 0; run < 2; run++) expect(await listDocsTogether(storeOf().db, parts)).toEqual(alone);
    });

    it('reads in the writer’s transaction, seeing what it wrote', async () => {
      const id = newId();
      const seen = await orgTx(storeOf(), orgId, now, async (w) => {
        await w.put('licenses', { id, orgId, orderId: 'o1', teamId: teamA, productId: 'p2', status: 'available', validUntil: '2027-01-01', _deleted: false });
        const [pool] = await listDocsTogether(w.tx, [{ query: { collection: 'licenses', org: orgId, where: { productId: 'p2' } } }] as const);
        return pool.map((l) => l.id);
      });
      expect(seen).toEqual([id]);
    });
  });
}
