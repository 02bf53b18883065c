import { describe, expect, it } from 'vitest';
import { newId } from '../../shared/ids';
import { skipWithoutPg } from '../../test/helpers/pg';
import { storeFor } from '../../test/helpers/store';
import { changesAfter, currentSeq, findDoc, groupedOrgTx, orgTx } from './docs';

/** OrgWriter.deferring (org-tx.ts): writes held back and sent together, on real SQLite and PostgreSQL. */
for (const dialect of ['sqlite', 'postgres'] as const) {
  describe.skipIf(skipWithoutPg(dialect, 'deferred writes'))(`deferred writes on ${dialect}`, () => {
    const storeOf = storeFor(dialect);
    const now = new Date('2026-03-01T10:00:00.000Z');
    const team = (orgId: string, name: string, id = newId()) => ({ id, orgId, name, _deleted: false });
    const license = (orgId: string, teamId: string, over: Record<string, unknown> = {}) => ({
      id: newId(),
      orgId,
      orderId: 'o1',
      teamId,
      productId: 'p1',
      status: 'available' as const,
      validUntil: '2027-01-01',
      _deleted: false,
      ...over,
    });

    it('stores what it held back, with the change numbers it gave, as writes one by one would', async () => {
      const orgId = newId();
      const stored = await orgTx(storeOf(), orgId, now, (w) =>
        w.deferring(async () => [await w.put('teams', team(orgId, 'A')), await w.put('teams', team(orgId, 'B')), await w.put('teams', team(orgId, 'C'))]),
      );
      expect(stored.map((d) => d.seq)).toEqual([1, 2, 3]);
      expect(await currentSeq(storeOf().db, orgId)).toBe(3);
      const changes = await changesAfter(storeOf().db, orgId, 0, 10);
      expect(changes.map((c) => [(c.doc as { name?: string }).name, c.doc.seq])).toEqual([
        ['A', 1],
        ['B', 2],
        ['C', 3],
      ]);
      for (const d of stored) expect(await findDoc(storeOf().db, 'teams', d.id)).toEqual(d);
    });

    it('sends what it holds before a read of the writer, and before a second write of the same document', async () => {
      const orgId = newId();
      const id = newId();
      const seen = await orgTx(storeOf(), orgId, now, (w) =>
        w.deferring(async () => {
          await w.put('teams', team(orgId, 'First', id));
          const read = await w.get('teams', id);
          await w.put('teams', team(orgId, 'Second', id));
          await w.put('teams', team(orgId, 'Third', id));
          return read?.name;
        }),
      );
      expect(seen).toBe('First');
      expect((await findDoc(storeOf().db, 'teams', id))?.name).toBe('Third');
      expect((await findDoc(storeOf().db, 'teams', id))?.seq).toBe(3);
    });

    // SQLite holds nothing back (no round trip to save): there each put is written at once.
    it.skipIf(dialect !== 'postgres')('keeps holding back across a read of another document, and still answers a read of a held one with it', async () => {
      const orgId = newId();
      const [heldId, otherId] = [newId(), newId()];
      await orgTx(storeOf(), orgId, now, (w) => w.put('teams', team(orgId, 'Other', otherId)));
      const inTable = (w: { tx: Parameters<typeof findDoc>[0] }, id: string) => findDoc(w.tx, 'teams', id);
      const seen = await orgTx(storeOf(), orgId, now, (w) =>
        w.deferring(async () => {
          await w.put('teams', team(orgId, 'Held', heldId));
          const other = await w.get('teams', otherId);
          const heldAfterOtherRead = await inTable(w, heldId);
          const held = await w.get('teams', heldId);
          return { other: other?.name, heldAfterOtherRead, held: held?.name };
        }),
      );
      expect(seen).toEqual({ other: 'Other', heldAfterOtherRead: undefined, held: 'Held' });
      expect((await findDoc(storeOf().db, 'teams', heldId))?.name).toBe('Held');
    });

    it('keeps a moved license’s tombstone for the team that loses it, reading the held-back state it replaces', async () => {
      const orgId = newId();
      const [teamA, teamB] = [newId(), newId()];
      const lic = license(orgId, teamA);
      await orgTx(storeOf(), orgId, now, (w) =>
        w.deferring(async () => {
          await w.put('licenses', lic);
          // No `previous`: the writer reads the stored state, which is the held-back one.
          await w.put('licenses', { ...lic, teamId: teamB });
        }),
      );
      expect((await findDoc(storeOf().db, 'licenses', lic.id))?.teamId).toBe(teamB);
      const pulled = await storeOf().db.selectFrom('tombstones').select(['id', 'audience']).where('org_id', '=', orgId).execute();
      expect(pulled).toEqual([{ id: lic.id, audience: `teamId:${teamA}` }]);
    });

    it('drops what a piece of a group held back when it throws, and the others of the group commit', async () => {
      const orgId = newId();
      const kept = team(orgId, 'Kept');
      const dropped = team(orgId, 'Dropped');
      const after = team(orgId, 'After');
      const results = await Promise.allSettled([
        groupedOrgTx(storeOf(), orgId, () => now, (w) => w.deferring(async () => (await w.put('teams', kept)).seq)),
        groupedOrgTx(storeOf(), orgId, () => now, (w) =>
          w.deferring(async () => {
            await w.put('teams', dropped);
            throw new Error('refused');
          }),
        ),
        groupedOrgTx(storeOf(), orgId, () => now, (w) => w.deferring(async () => (await w.put('teams', after)).seq)),
      ]);
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
      expect(await findDoc(storeOf().db, 'teams', kept.id)).toBeDefined();
      expect(await findDoc(storeOf().db, 'teams', dropped.id)).toBeUndefined();
      expect(await findDoc(storeOf().db, 'teams', after.id)).toBeDefined();
      expect(await currentSeq(storeOf().db, orgId)).toBe(2);
    });

    it('keeps what it held before a savepoint, and what the savepoint undoes stays undone', async () => {
      const orgId = newId();
      const [a, b, c] = [team(orgId, 'A'), team(orgId, 'B'), team(orgId, 'C')];
      await orgTx(storeOf(), orgId, now, (w) =>
        w.deferring(async () => {
          await w.put('teams', a);
          const undone = await w.attempt(async () => {
            expect((await w.get('teams', a.id))?.name).toBe('A');
            await w.put('teams', b);
            throw new Error('undo');
          });
          expect(undone.status).toBe('rejected');
          await w.put('teams', c);
        }),
      );
      const stored = await Promise.all([a, b, c].map((t) => findDoc(storeOf().db, 'teams', t.id)));
      expect(stored.map((d) => d && [d.name, d.seq])).toEqual([['A', 1], undefined, ['C', 2]]);
    });

    /** An outbox row of `orgId` under dedupe key `key`, as enqueueMail makes it. */
    const outboxRow = (orgId: string, key: string) => ({
      id: newId(),
      org_id: orgId,
      dedupe_key: key,
      topic: 'license-claimed',
      recipient: 'admin@example.test',
      subject: 'Claimed',
      text: 'Claimed',
      html: '<p>Claimed</p>',
      status: 'queued',
      attempts: 0,
      next_attempt_at: now.toISOString(),
      last_error: null,
      sent_at: null,
      created_at: now.toISOString(),
      notification_id: null,
      attachments: null,
    });
    const queuedKeys = async (orgId: string) =>
      (await storeOf().db.selectFrom('outbox').select('dedupe_key').where('org_id', '=', orgId).orderBy('dedupe_key').execute()).map((r) => r.dedupe_key);

    it('writes a new outbox row with the documents it holds, and drops it with them when a piece of a group throws', async () => {
      const orgId = newId();
      const results = await Promise.allSettled(
        ['a', 'b', 'c'].map((k) =>
          groupedOrgTx(storeOf(), orgId, () => now, (w) =>
            w.deferring(async () => {
              await w.put('teams', team(orgId, k));
              await w.queueNewOutbox(outboxRow(orgId, `k:${k}`));
              if (k === 'b') throw new Error('refused');
            }),
          ),
        ),
      );
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
      expect(await queuedKeys(orgId)).toEqual(['k:a', 'k:c']);
    });

    it('keeps an outbox row queued before a savepoint, and undoes the one the savepoint queued', async () => {
      const orgId = newId();
      await orgTx(storeOf(), orgId, now, (w) =>
        w.deferring(async () => {
          await w.queueNewOutbox(outboxRow(orgId, 'before'));
          await w.attempt(async () => {
            await w.queueNewOutbox(outboxRow(orgId, 'inside'));
            throw new Error('undo');
          });
          await w.queueNewOutbox(outboxRow(orgId, 'after'));
        }),
      );
      expect(await queuedKeys(orgId)).toEqual(['after', 'before']);
    });

    it('fails the transaction, writing nothing, when a new outbox key was queued before after all', async () => {
      const orgId = newId();
      await orgTx(storeOf(), orgId, now, (w) => w.deferring(() => w.queueNewOutbox(outboxRow(orgId, 'once'))));
      const t = team(orgId, 'Lost with it');
      await expect(
        orgTx(storeOf(), orgId, now, (w) =>
          w.deferring(async () => {
            await w.put('teams', t);
            await w.queueNewOutbox(outboxRow(orgId, 'once'));
          }),
        ),
      ).rejects.toThrow();
      expect(await findDoc(storeOf().db, 'teams', t.id)).toBeUndefined();
      expect(await queuedKeys(orgId)).toEqual(['once']);
    });
  });
}
