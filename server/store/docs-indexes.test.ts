import { CompiledQuery, type Kysely } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { newId, newOrderedId } from '../../shared/ids';
import type { WireDoc } from '../../shared/schemas';
import { skipWithoutPg } from '../../test/helpers/pg';
import { storeFor } from '../../test/helpers/store';
import type { Store } from './open-store';
import type { DB } from './schema';
import { listDocs, orgTx, type DocQuery } from './docs';
import { listDocsStatement } from './docs-query';

/**
 * The docs table's lighter indexes (migration 0006): the lookups by address, account and
 * assignee and the claim's pool each still read through an index, and answer as before.
 */
describe.each(['sqlite', 'postgres'] as const)('docs indexes on %s', (dialect) => {
  describe.skipIf(skipWithoutPg(dialect, 'the docs indexes'))('', () => {
    const storeOf = storeFor(dialect);
    const orgId = newId();
    const teamId = newId();
    const productId = newId();
    const now = new Date('2026-03-01T10:00:00.000Z');
    const licenses: WireDoc<'licenses'>[] = [];
    const pool: DocQuery<'licenses'> = { collection: 'licenses', org: orgId, where: { teamId, productId }, literal: { status: 'available' } };

    /** The plan the database would run the query by (PostgreSQL: with sequential scans off, as the table here is tiny). */
    async function planOf(store: Store, query: DocQuery, page = {}): Promise<string> {
      const statement = listDocsStatement(store.db, query, page);
      if (store.dialect === 'sqlite') {
        const { rows } = await store.db.executeQuery<{ detail: string }>(CompiledQuery.raw(`explain query plan ${statement.sql}`, [...statement.parameters]));
        return rows.map((r) => r.detail).join('\n');
      }
      return store.db.transaction().execute(async (tx: Kysely<DB>) => {
        await tx.executeQuery(CompiledQuery.raw('set local enable_seqscan = off'));
        const { rows } = await tx.executeQuery<{ 'QUERY PLAN': string }>(CompiledQuery.raw(`explain ${statement.sql}`, [...statement.parameters]));
        return rows.map((r) => r['QUERY PLAN']).join('\n');
      });
    }

    beforeAll(async () => {
      const license = (over: Partial<WireDoc<'licenses'>>) =>
        ({ id: newOrderedId(), orgId, orderId: 'o1', teamId, productId, status: 'available', validUntil: '2027-01-01', _deleted: false, ...over }) as WireDoc<'licenses'>;
      await orgTx(storeOf(), orgId, now, async (w) => {
        for (const over of [{}, { _deleted: true }, {}, { status: 'assigned' as const, assignee: { accountId: 'acc-1', email: 'a@x.test', name: 'A' } }, {}]) {
          licenses.push(await w.put('licenses', license(over)));
        }
        await w.put('contacts', { id: newId(), orgId, name: 'Ada', email: 'ada@acme.test', roles: [], orderIds: [], disabled: false, source: 'manual', _deleted: false });
        await w.put('members', { id: newId(), orgId, accountId: 'acc-1', email: 'a@x.test', name: 'A', isOrgAdmin: false, adminOfTeamIds: [], disabled: false, _deleted: false });
      });
    });

    it("reads the claim's pool through the index of available licenses, in id order, live ones only", async () => {
      expect(await planOf(storeOf(), pool, { orderBy: 'id', limit: 8 })).toMatch(/docs_available_licenses/);
      const available = licenses.filter((l) => l.status === 'available' && !l._deleted).map((l) => l.id);
      expect((await listDocs(storeOf().db, pool, { orderBy: 'id' })).map((l) => l.id)).toEqual(available);
      // A license given out leaves the pool.
      await orgTx(storeOf(), orgId, now, (w) => w.put('licenses', { ...licenses[0], status: 'assigned', assignee: { accountId: 'acc-2', email: 'b@x.test', name: 'B' } }));
      expect((await listDocs(storeOf().db, pool, { orderBy: 'id' })).map((l) => l.id)).toEqual(available.slice(1));
    });

    it('looks up by address, account and assignee through their indexes', async () => {
      const cases: [DocQuery, RegExp, number][] = [
        [{ collection: 'contacts', where: { email: 'ada@acme.test' } }, /docs_email/, 1],
        [{ collection: 'members', where: { accountId: 'acc-1' } }, /docs_account/, 1],
        [{ collection: 'licenses', where: { assigneeAccountId: 'acc-1' } }, /docs_assignee/, 1],
      ];
      for (const [query, index, found] of cases) {
        expect(await planOf(storeOf(), query)).toMatch(index);
        expect(await listDocs(storeOf().db, query)).toHaveLength(found);
      }
    });

    it('takes only code constants as literal terms', async () => {
      await expect(listDocs(storeOf().db, { ...pool, literal: { status: "available' or '1'='1" } })).rejects.toThrow(/code constant/);
    });
  });
});
