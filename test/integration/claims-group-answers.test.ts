import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server';
import { skipWithoutPg } from '../helpers/pg';
import { claimFixture, liveDocs } from './claims-fixtures';
import { claimLicense } from '../../server/claims/claim';
import { ensureAccountRow } from '../../server/store/accounts';
import { groupedOrgTx, listDocs, type OrgWriter } from '../../server/store/docs';
import type { Account } from '../../server/auth/session';

/**
 * Claims that share one transaction (groupedOrgTx) with other claims and other work: each is
 * answered as if it had run alone, after everything before it in the transaction — a holder
 * gets the license they hold, a revoked claimant is refused, a repeated claimant gets the
 * license their first claim took, and a license other work handed out or undid counts as such.
 */
for (const dialect of ['sqlite', 'postgres'] as const) {
  describe.skipIf(skipWithoutPg(dialect, 'the answers of a group of claims'))(`the answers of a group of claims on ${dialect}`, () => {
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
      const answers = (await inOneGroup(f.org.orgId, [
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
      ])) as Awaited<ReturnType<typeof claimLicense>>[];
      const [a1, b, c, a2, handed, d, e] = answers as [
        Awaited<ReturnType<typeof claimLicense>>,
        Awaited<ReturnType<typeof claimLicense>>,
        Awaited<ReturnType<typeof claimLicense>>,
        Awaited<ReturnType<typeof claimLicense>>,
        { id: string; assignedAt: string },
        Awaited<ReturnType<typeof claimLicense>>,
        Awaited<ReturnType<typeof claimLicense>>,
      ];
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

    it('reads again for a claimant once a piece of the group before it was undone', async () => {
      const f = await claimFixture(s, { seats: 3 });
      const token = f.invitation.token;
      const [gil, hal] = [await person('gil'), await person('hal')];
      const claimOf = (account: Account) => () => claimLicense(s.deps, { token, account });
      const answers = await inOneGroup(
        f.org.orgId,
        [
          // Gil's claim reads for both of them.
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
      expect(g.ok && h.ok).toBe(true);
      const assigned = (await liveDocs(s, 'licenses', f.org.orgId)).filter((l) => l.status === 'assigned');
      expect(assigned.map((l) => l.assignee?.accountId).sort()).toEqual([gil.id, hal.id].sort());
      expect(new Set(assigned.map((l) => l.id)).size).toBe(2);
    });
  });
}
