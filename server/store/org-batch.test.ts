import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../shared/ids';
import { skipWithoutPg, PG_URL } from '../../test/helpers/pg';
import { dropPgSchema, openStore, type Store } from './open-store';
import { currentSeq, findDoc, groupedOrgTx, listDocs } from './docs';

/** Group commit (org-batch.ts) on real SQLite and PostgreSQL. */
for (const dialect of ['sqlite', 'postgres'] as const) {
  describe.skipIf(skipWithoutPg(dialect, 'group commit'))(`group commit on ${dialect}`, () => {
    let store: Store;
    const pgSchema = `t_${newId().replace(/-/g, '').slice(0, 16)}`;
    const at = () => new Date('2026-03-01T10:00:00.000Z');
    beforeAll(async () => {
      store = await openStore(dialect === 'postgres' ? { databaseUrl: PG_URL, pgSchema } : { sqliteFile: ':memory:' });
    });
    afterAll(async () => {
      await store?.close();
      if (dialect === 'postgres') await dropPgSchema(PG_URL!, pgSchema);
    });

    const team = (orgId: string, name: string) =>
      groupedOrgTx(store, orgId, at, async (w) => (await w.put('teams', { id: newId(), orgId, name, _deleted: false })).seq);

    it('runs work that arrives together in one transaction, in order, each answered on its own', async () => {
      const orgId = newId();
      let commits = 0;
      const off = store.onChange((o) => {
        if (o === orgId) commits++;
      });
      // All ten arrive in one turn of the event loop: they share one transaction.
      const seqs = await Promise.all(Array.from({ length: 10 }, (_, i) => team(orgId, `T${i}`)));
      off();
      expect(seqs).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      expect(await currentSeq(store.db, orgId)).toBe(10);
      if (dialect === 'sqlite') expect(commits).toBe(1);
    });

    it('undoes only the piece that throws: the others before and after it commit', async () => {
      const orgId = newId();
      const blockerId = newId();
      const first = team(orgId, 'First');
      const kept = team(orgId, 'Kept');
      const failing = groupedOrgTx(store, orgId, at, async (w) => {
        await w.put('teams', { id: blockerId, orgId, name: 'Undone', _deleted: false });
        await w.tx.insertInto('outbox').values({
          id: newId(),
          org_id: orgId,
          dedupe_key: `undone:${orgId}`,
          topic: 'license-claimed',
          recipient: 'x@y.test',
          subject: 's',
          text: 't',
          html: 'h',
          status: 'queued',
          attempts: 0,
          next_attempt_at: w.now,
          last_error: null,
          sent_at: null,
          created_at: w.now,
          notification_id: null,
        }).execute();
        throw new Error('refused halfway');
      });
      const after = team(orgId, 'After');
      await expect(failing).rejects.toThrow('refused halfway');
      expect([await first, await kept, await after]).toEqual([1, 2, 3]);
      expect(await findDoc(store.db, 'teams', blockerId)).toBeUndefined();
      expect(await store.db.selectFrom('outbox').select('id').where('dedupe_key', '=', `undone:${orgId}`).execute()).toHaveLength(0);
      // No gap in the change numbers: the undone piece's numbers were given back.
      expect((await listDocs(store.db, { collection: 'teams', org: orgId }, { orderBy: 'seq' })).map((t) => [t.name, t.seq])).toEqual([
        ['First', 1],
        ['Kept', 2],
        ['After', 3],
      ]);
      expect(await currentSeq(store.db, orgId)).toBe(3);
    });

    it('keeps organizations apart: each has its own queue', async () => {
      const [a, b] = [newId(), newId()];
      const out = await Promise.all([team(a, 'A1'), team(b, 'B1'), team(a, 'A2'), team(b, 'B2')]);
      expect(out).toEqual([1, 1, 2, 2]);
    });
  });
}
