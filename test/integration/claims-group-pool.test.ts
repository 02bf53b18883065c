import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server';
import { skipWithoutPg } from '../helpers/pg';
import { claimFixture, liveDocs } from './claims-fixtures';
import { claimLicense, invitationByToken } from '../../server/claims/claim';
import { ensureAccountRow } from '../../server/store/accounts';
import { groupedOrgTx, listDocs, type OrgWriter } from '../../server/store/docs';
import type { WireDoc } from '../../shared/schemas';
import type { Account } from '../../server/auth/session';

/**
 * The claims of one transaction share one read of their pool (server/claims/claim.ts PoolPage):
 * each hands out the next license of it, and work sharing the transaction that writes a
 * license of the pool makes the next claim read it again. And each claim of a group is answered
 * as if it ran alone after everything before it in the transaction: a holder gets the license
 * they hold, a revoked claimant is refused, a repeated claimant gets the license their first
 * claim took, and a license other work handed out (or handed out and was undone) counts as such.
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

    /**
     * Runs `steps` as pieces of one transaction, in order: the organization's transaction is
     * held while they queue (each given time to read what it reads before queueing), then let go.
     */
    async function inOneGroup(orgId: string, steps: (() => Promise<unknown>)[]) {
      let release!: () => void;
      let started!: () => void;
      const running = new Promise<void>((r) => (started = r));
      const held = groupedOrgTx(s.store, orgId, () => new Date(), () => {
        started();
        return new Promise<void>((r) => (release = r));
      });
      await running;
      const out: Promise<unknown>[] = [];
      for (const step of steps) {
        out.push(step());
        await new Promise((r) => setTimeout(r, 100));
      }
      release();
      await held;
      return Promise.all(out);
    }

    const piece = (orgId: string, fn: (w: OrgWriter) => Promise<unknown>) => () => groupedOrgTx(s.store, orgId, () => new Date(), fn);

    it('answers a holder, a revoked claimant, a repeated claimant and work between them as each would be answered alone', async () => {
      const f = await claimFixture(s, { seats: 6 });
      const token = f.invitation.token;
      const [ana, ben, cid, dan, eve] = [await person('ana'), await person('ben'), await person('cid'), await person('dan'), await person('eve')];
      const alone = (account: Account) => claimLicense(s.deps, { token, account }, { alone: true });
      // Before the group: Ben holds a license; Cid held one and had it revoked.
      const bens = await alone(ben);
      const cids = await alone(cid);
      if (!bens.ok || !cids.ok) throw new Error('the first claims failed');
      const [cidAcceptance] = await listDocs(s.store.db, { collection: 'acceptances', where: { invitationId: f.invitation.id, assigneeAccountId: cid.id } });
      await groupedOrgTx(s.store, f.org.orgId, () => new Date(), async (w) => {
        const lic = (await w.get('licenses', cids.value.id))!;
        const { assignee: _a, assignedAt: _t, assignedVia: _v, ...rest } = lic;
        await w.put('licenses', { ...rest, status: 'available' }, lic);
        await w.put('acceptances', { ...cidAcceptance, revokedAt: w.now }, cidAcceptance);
      });
      const claimOf = (account: Account) => () => claimLicense(s.deps, { token, account });
      type Answer = Awaited<ReturnType<typeof claimLicense>>;
      const [a1, b, c, a2, handed, d, e] = (await inOneGroup(f.org.orgId, [
        claimOf(ana),
        claimOf(ben),
        claimOf(cid),
        // Ana again: her first claim of this group gave her a license.
        claimOf(ana),
        // Other work of the transaction hands Dan a license before his claim runs.
        piece(f.org.orgId, async (w) => {
          const [free] = await listDocs(w.tx, { collection: 'licenses', org: f.org.orgId, where: { teamId: f.teamId, status: 'available' } }, { orderBy: 'id' });
          return w.put('licenses', { ...free, status: 'assigned', assignee: { accountId: dan.id, email: dan.email, name: dan.name }, assignedAt: w.now }, free);
        }),
        claimOf(dan),
        claimOf(eve),
      ])) as [Answer, Answer, Answer, Answer, WireDoc<'licenses'>, Answer, Answer];
      // One transaction for all (the precondition of what is checked next).
      expect(a1.ok && a1.value.assignedAt).toBe(handed.assignedAt);
      expect(e.ok && e.value.assignedAt).toBe(handed.assignedAt);
      expect(b.ok && b.value.id).toBe(bens.value.id);
      expect(c.ok ? c.value.id : c.code).toBe('revoked-cannot-reclaim');
      expect(a2.ok && a2.value.id).toBe(a1.ok && a1.value.id);
      expect(d.ok && d.value.id).toBe(handed.id);
      const assigned = (await liveDocs(s, 'licenses', f.org.orgId)).filter((l) => l.status === 'assigned');
      const holders = assigned.map((l) => l.assignee?.accountId);
      expect(holders.sort()).toEqual([ana.id, ben.id, dan.id, eve.id].sort());
      // One acceptance per claim that took a license: Ben's and Cid's earlier ones, Ana's and Eve's now (Dan's license came another way).
      const acceptances = await listDocs(s.store.db, { collection: 'acceptances', where: { invitationId: f.invitation.id } });
      expect(acceptances.map((x) => x.account.id).sort()).toEqual([ana.id, ben.id, cid.id, eve.id].sort());
    });

    it('counts nothing of a piece of the group that was undone: a license it handed out stays free to claim', async () => {
      const f = await claimFixture(s, { seats: 3 });
      const token = f.invitation.token;
      const [gil, hal] = [await person('gil'), await person('hal')];
      const claimOf = (account: Account) => () => claimLicense(s.deps, { token, account });
      const answers = await inOneGroup(
        f.org.orgId,
        [
          claimOf(gil),
          // Hands Hal a license, then throws: undone (the group is run again, each piece in a savepoint).
          piece(f.org.orgId, async (w) => {
            const [free] = await listDocs(w.tx, { collection: 'licenses', org: f.org.orgId, where: { teamId: f.teamId, status: 'available' } }, { orderBy: 'id' });
            await w.put('licenses', { ...free, status: 'assigned', assignee: { accountId: hal.id, email: hal.email, name: hal.name }, assignedAt: w.now }, free);
            throw new Error('undone');
          }),
          claimOf(hal),
        ].map((step) => () => step().catch((err: Error) => err)),
      );
      const [g, thrown, h] = answers as [Awaited<ReturnType<typeof claimLicense>>, Error, Awaited<ReturnType<typeof claimLicense>>];
      expect(thrown.message).toBe('undone');
      // One transaction for both claims (the precondition of what is checked next).
      expect(g.ok && h.ok && g.value.assignedAt === h.value.assignedAt).toBe(true);
      const assigned = (await liveDocs(s, 'licenses', f.org.orgId)).filter((l) => l.status === 'assigned');
      expect(assigned.map((l) => l.assignee?.accountId).sort()).toEqual([gil.id, hal.id].sort());
      expect(new Set(assigned.map((l) => l.id)).size).toBe(2);
    });
  });
}
