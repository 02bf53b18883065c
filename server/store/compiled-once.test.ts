import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../shared/ids';
import { skipWithoutPg, PG_URL } from '../../test/helpers/pg';
import { dropPgSchema, openStore, type Store } from './open-store';
import { compiledOnce } from './compiled-once';
import { findDoc, firstDoc, listDocs, orgTx } from './docs';

/** Queries compiled once per shape (compiled-once.ts) answer as Kysely's own, on SQLite and PostgreSQL. */
for (const dialect of ['sqlite', 'postgres'] as const) {
  describe.skipIf(skipWithoutPg(dialect, 'queries compiled once'))(`queries compiled once on ${dialect}`, () => {
    let store: Store;
    const pgSchema = `t_${newId().replace(/-/g, '').slice(0, 16)}`;
    const at = new Date('2026-03-01T10:00:00.000Z');
    const org = newId();
    const [teamA, teamB] = [newId(), newId()];
    beforeAll(async () => {
      store = await openStore(dialect === 'postgres' ? { databaseUrl: PG_URL, pgSchema } : { sqliteFile: ':memory:' });
      await orgTx(store, org, at, async (w) => {
        for (const [id, teamId, productId, status] of [
          ['l1', teamA, 'p1', 'available'],
          ['l2', teamA, 'p2', 'available'],
          ['l3', teamB, 'p1', 'assigned'],
          ['l4', teamB, 'p1', 'available'],
        ]) {
          await w.put('licenses', { id, orgId: org, orderId: 'o1', teamId, productId, status, validUntil: '2027-01-01', _deleted: false } as never);
        }
      });
    });
    afterAll(async () => {
      await store?.close();
      if (dialect === 'postgres') await dropPgSchema(PG_URL!, pgSchema);
    });

    it('one shape run with other values finds the documents those values name', async () => {
      const ids = async (teamId: string, productId: string, status: string) =>
        (await listDocs(store.db, { collection: 'licenses', org, where: { teamId, productId, status } }, { orderBy: 'id' })).map((d) => d.id);
      // The same shape four times: the first compiles, the others run the kept text.
      expect(await ids(teamA, 'p1', 'available')).toEqual(['l1']);
      expect(await ids(teamA, 'p2', 'available')).toEqual(['l2']);
      expect(await ids(teamB, 'p1', 'available')).toEqual(['l4']);
      expect(await ids(teamB, 'p1', 'assigned')).toEqual(['l3']);
      expect((await findDoc(store.db, 'licenses', 'l3'))?.status).toBe('assigned');
      expect(await findDoc(store.db, 'licenses', 'nope')).toBeUndefined();
      expect((await firstDoc(store.db, { collection: 'licenses', org, where: { productId: 'p1' } }, 'id'))?.id).toBe('l1');
    });

    it('keeps no text from a compile whose equal values could hide two swapped places', async () => {
      const key = `test:swapped:${newId()}`;
      // Built with its values in one order but listed in the other: equal values make the lists match once…
      const build = (a: string, b: string) => () =>
        store.db.selectFrom('docs').select('id').where('team_id', '=', a).where('product_id', '=', b).where('collection', '=', 'licenses');
      const run = (a: string, b: string, listed: unknown[]) => compiledOnce(store.db, key, listed, build(a, b));
      expect(await run('x', 'x', ['x', 'x', 'licenses'])).toEqual([]);
      // …and that text must not be kept: with distinct values the query is still Kysely's own.
      expect((await run(teamA, 'p2', ['p2', teamA, 'licenses'])).map((r) => r.id)).toEqual(['l2']);
    });
  });
}
