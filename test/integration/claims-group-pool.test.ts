import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server';
import { skipWithoutPg } from '../helpers/pg';
import { claimFixture, liveDocs } from './claims-fixtures';
import { claimLicense, invitationByToken } from '../../server/claims/claim';
import { ensureAccountRow } from '../../server/store/accounts';
import { groupedOrgTx, listDocs } from '../../server/store/docs';
import type { Account } from '../../server/auth/session';

/**
 * The claims of one transaction share one read of their pool (server/claims/claim.ts PoolPage):
 * each hands out the next license of it, and work sharing the transaction that writes a
 * license of the pool makes the next claim read it again.
 */
for (const dialect of ['sqlite', 'postgres'] as const) {
  describe.skipIf(skipWithoutPg(dialect, 'the claims of one group'))(`claims of one group on ${dialect}`, () => {
    let s: TestServer;
    beforeAll(async () => {
      s = await startTestServer({ dialect });
    });
    afterAll(async () => {
      await s?.close();
    });

    const person = async (name: string): Promise<Account> => {
      const at = new Date().toISOString();
      const email = `${name}-${Math.random().toString(36).slice(2, 8)}@people.test`;
      return { id: (await ensureAccountRow(s.store.db, email, at, { verified: true, name })).id, email, name, emailVerifiedAt: at };
    };

    it('hands out the pool in id order, and never a license other work of the transaction took away', async () => {
      const f = await claimFixture(s, { seats: 4 });
      // In the database's own order of ids (its collation, not JavaScript's).
      const ids = (await listDocs(s.store.db, { collection: 'licenses', org: f.org.orgId, where: { teamId: f.teamId } }, { orderBy: 'id' })).map((l) => l.id);
      const [ana, ben, cid] = [await person('ana'), await person('ben'), await person('cid')];
      // Hold the organization's transaction, so that what follows queues for the next one, in order.
      let release!: () => void;
      let started!: () => void;
      const running = new Promise<void>((r) => (started = r));
      const held = groupedOrgTx(s.store, f.org.orgId, () => new Date(), () => {
        started();
        return new Promise<void>((r) => (release = r));
      });
      await running;
      // Each queues (once it has read the invitation) before the next is asked: on SQLite the
      // reads wait in turn for the one connection; on PostgreSQL the pause lets each finish.
      // Queued in another order or in two transactions, the checks below fail rather than pass untested.
      const queued = () => new Promise((r) => setTimeout(r, 100));
      const claimOf = (account: Account) => claimLicense(s.deps, { token: f.invitation.token, account });
      const a = claimOf(ana);
      await queued();
      // Between Ana's claim and Ben's, other work deletes the license Ben would have been handed next (the second in id order).
      // (It reads first, as a claim does: on SQLite reads wait in turn for the one connection.)
      const removed = invitationByToken(s.store.db, f.invitation.token).then(() =>
        groupedOrgTx(s.store, f.org.orgId, () => new Date(), async (w) => {
          const second = await w.get('licenses', ids[1]);
          return w.put('licenses', { ...second!, _deleted: true }, second!);
        }),
      );
      await queued();
      const b = claimOf(ben);
      await queued();
      const c = claimOf(cid);
      await queued();
      release();
      await held;
      const [ra, gone, rb, rc] = await Promise.all([a, removed, b, c]);
      // One transaction for the four (the precondition of what is checked next).
      expect(new Set([ra.ok && ra.value.assignedAt, gone.updatedAt, rb.ok && rb.value.assignedAt, rc.ok && rc.value.assignedAt]).size).toBe(1);
      expect([ra, rb, rc].map((r) => r.ok && r.value.id)).toEqual([ids[0], ids[2], ids[3]]);
      const assigned = (await liveDocs(s, 'licenses', f.org.orgId)).filter((l) => l.teamId === f.teamId && l.status === 'assigned');
      expect(assigned.map((l) => l.id).sort()).toEqual([ids[0], ids[2], ids[3]]);
      expect(assigned.map((l) => l.assignee?.accountId).sort()).toEqual([ana.id, ben.id, cid.id].sort());
    });

    it('refuses a link claimed through before once its invitation is deleted (what a claim knows of a token is checked in its transaction)', async () => {
      const f = await claimFixture(s, { seats: 3 });
      const first = await claimLicense(s.deps, { token: f.invitation.token, account: await person('fay') });
      expect(first.ok).toBe(true);
      await s.put(f.org.orgId, 'invitations', [{ ...f.invitation, _deleted: true }]);
      const after = await claimLicense(s.deps, { token: f.invitation.token, account: await person('gus') });
      expect(after.ok ? after.value.id : after.code).toBe('invitation-not-found');
    });

    it('passes over licenses past their last day, and says "No assets left" when the pool is done', async () => {
      const f = await claimFixture(s, { seats: 0 });
      const expired = await s.put(f.org.orgId, 'licenses', [
        { id: `00000000-0000-7000-8000-00000000000${1}`, orgId: f.org.orgId, orderId: f.orderId, teamId: f.teamId, productId: f.productId, status: 'available', validUntil: '2020-01-31' },
        { id: `00000000-0000-7000-8000-00000000000${2}`, orgId: f.org.orgId, orderId: f.orderId, teamId: f.teamId, productId: f.productId, status: 'available', validUntil: '2099-12-31' },
      ]);
      const people = [await person('dee'), await person('eli')];
      const results = await Promise.all(people.map((account) => claimLicense(s.deps, { token: f.invitation.token, account })));
      expect(results.map((r) => (r.ok ? r.value.id : r.code)).sort()).toEqual([expired[1].id, 'no-assets-left'].sort());
    });
  });
}
