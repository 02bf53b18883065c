import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { newId } from '../../shared/ids';
import { skipWithoutPg } from '../../test/helpers/pg';
import { storeFor } from '../../test/helpers/store';
import { isConnectionLost } from './connection-errors';
import { findDoc, orgTx } from './docs';

/** On PostgreSQL the repository's kept texts run as named prepared statements (open-store.ts namingStatements). */
describe.skipIf(skipWithoutPg('postgres', 'named prepared statements'))('named prepared statements on postgres', () => {
  const storeOf = storeFor('postgres');

  it('prepares a kept text once per connection and answers as before; other queries stay unnamed', async () => {
    const orgId = newId();
    const team = await orgTx(storeOf(), orgId, new Date('2026-03-01T10:00:00.000Z'), (w) => w.put('teams', { id: newId(), orgId, name: 'Platform', _deleted: false }));
    const prepared = await storeOf()
      .db.connection()
      .execute(async (c) => {
        // The first run compiles the text and keeps it; the next ones run it by name.
        for (let i = 0; i < 3; i++) expect(await findDoc(c, 'teams', team.id)).toEqual(team);
        await sql`select 1 as one`.execute(c);
        return (await sql<{ name: string; statement: string }>`select name, statement from pg_prepared_statements`.execute(c)).rows;
      });
    const find = prepared.find((p) => /from "docs" where "collection" = \$1 and "id" = \$2/.test(p.statement));
    expect(find?.name).toMatch(/^allot_[0-9a-f]{20}$/);
    expect(prepared.some((p) => p.statement.includes('select 1'))).toBe(false);
  });

  it('goes on reading after a migration changed the type of a column its prepared statements return', async () => {
    const orgId = newId();
    const team = await orgTx(storeOf(), orgId, new Date('2026-03-01T10:00:00.000Z'), (w) => w.put('teams', { id: newId(), orgId, name: 'Ops', _deleted: false }));
    // Every connection of the pool has the read prepared.
    await Promise.all(Array.from({ length: 20 }, () => findDoc(storeOf().db, 'teams', team.id)));
    await sql`alter table docs alter column updated_at type varchar(40)`.execute(storeOf().db);
    // Outside a transaction each read is prepared anew and answers.
    const reads = await Promise.allSettled(Array.from({ length: 40 }, () => findDoc(storeOf().db, 'teams', team.id)));
    expect(reads.filter((r) => r.status === 'rejected')).toEqual([]);
    // Inside one, a connection meeting it first fails that transaction as "try again" (busy), and the next try answers.
    for (let i = 0; i < 12; i++) {
      const got = await orgTx(storeOf(), orgId, new Date(), (w) => w.get('teams', team.id)).catch((err: unknown) => {
        expect(isConnectionLost(err)).toBe(true);
        return 'again';
      });
      if (typeof got !== 'string') expect(got?.name).toBe('Ops');
    }
    expect((await orgTx(storeOf(), orgId, new Date(), (w) => w.get('teams', team.id)))?.name).toBe('Ops');
  });
});
