/**
 * The audit log (DESIGN §15): every kind of change appends exactly one event, with the right
 * before → after, in the transaction of the change (a change rolled back leaves none); events
 * are append-only for every role and only org admins pull them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { newId } from '../../shared/ids';
import type { PushResponse } from '../../shared/sync';
import type { AuditEvent, WireDoc } from '../../shared/schemas';
import { getDoc, listDocs, orgTx } from '../../server/store/docs';
import { listOutbox } from '../../server/store/outbox';
import { startOutboxWorker } from '../../server/mail/worker';
import type { Mailer } from '../../server/mail/mailer';
import { recordAudit, SERVER_ACTOR } from '../../server/audit/record';
import { runAuditRetention } from '../../server/jobs/audit-retention';
import { manualClock } from '../../server/clock';
import { startTestServer, type TestServer } from '../helpers/server';
import { skipWithoutPg } from '../helpers/pg';
import { syncPath } from '../helpers/sync-path';
import { claim, claimFixture } from './claims-fixtures';
import { joinWaitlist, leaveWaitlist, revoke } from './waitlist-fixtures';

for (const dialect of ['sqlite', 'postgres'] as const) {
  describe.skipIf(skipWithoutPg(dialect, 'the audit log suite'))(`audit log on ${dialect}`, () => {
    let s: TestServer;
    const clock = manualClock(new Date('2026-03-01T10:00:00.000Z'));
    beforeAll(async () => {
      s = await startTestServer({ dialect, clock });
    });
    afterAll(async () => s?.close());

    const events = async (orgId: string) =>
      (await listDocs(s.store.db, { collection: 'auditEvents', org: orgId }, { orderBy: 'seq' })) as (AuditEvent & { _deleted: boolean })[];
    /** The events appended by `fn` (each test's organization is its own, so nothing else writes there). */
    async function appended(orgId: string, fn: () => Promise<unknown>) {
      const before = new Set((await events(orgId)).map((e) => e.id));
      await fn();
      return (await events(orgId)).filter((e) => !before.has(e.id));
    }
    const kinds = (list: AuditEvent[]) => list.map((e) => e.kind);
    const push = (orgId: string, cookie: string, collection: Parameters<typeof syncPath>[1], rows: unknown[]) =>
      s.request(syncPath(orgId, collection, 'push'), { cookie, body: rows, headers: { 'user-agent': 'audit-test/1.0' } });

    it('a pushed create, update and delete: one event each, who, which document, which fields before → after, from which client', async () => {
      const org = await s.createOrg('Audit Co', `ada-${newId().slice(0, 6)}@audit.test`);
      const id = newId();
      const doc = { id, orgId: org.orgId, seq: 0, updatedAt: '', _deleted: false, name: 'Pia', email: 'pia@audit.test', roles: [], orderIds: [], disabled: false, source: 'manual' };
      const created = await appended(org.orgId, () => push(org.orgId, org.cookie, 'contacts', [{ assumedMasterState: null, newDocumentState: doc }]));
      expect(kinds(created)).toEqual(['create']);
      expect(created[0]).toMatchObject({ collection: 'contacts', docId: id, actorEmail: expect.stringMatching(/^ada-/), client: { userAgent: 'audit-test/1.0' } });
      expect(created[0].changes.find((c) => c.field === 'name')).toEqual({ field: 'name', after: '"Pia"' });
      expect(created[0].changes.map((c) => c.field)).not.toContain('seq');

      const stored = (await getDoc(s.store.db, 'contacts', id))!;
      const updated = await appended(org.orgId, () =>
        push(org.orgId, org.cookie, 'contacts', [{ assumedMasterState: stored, newDocumentState: { ...stored, name: 'Pia Lind', roles: ['newQuotes'] } }]),
      );
      expect(kinds(updated)).toEqual(['update']);
      expect(updated[0].changes).toEqual([
        { field: 'name', before: '"Pia"', after: '"Pia Lind"' },
        { field: 'roles', before: '[]', after: '["newQuotes"]' },
      ]);

      const again = (await getDoc(s.store.db, 'contacts', id))!;
      const deleted = await appended(org.orgId, () => push(org.orgId, org.cookie, 'contacts', [{ assumedMasterState: again, newDocumentState: { ...again, _deleted: true } }]));
      expect(kinds(deleted)).toEqual(['delete']);
      expect(deleted[0].changes).toEqual([{ field: '_deleted', before: 'false', after: 'true' }]);

      // A refused row and a retried push that already landed change nothing, and log nothing.
      const none = await appended(org.orgId, async () => {
        await push(org.orgId, org.cookie, 'contacts', [{ assumedMasterState: again, newDocumentState: { ...again, _deleted: true } }]);
        await push(org.orgId, org.cookie, 'products', [{ assumedMasterState: null, newDocumentState: { id: newId(), code: 'X', name: 'X', seq: 0, updatedAt: '' } }]);
      });
      expect(none).toEqual([]);
    });

    it('claims, refused claims, revokes, waitlist joins, leaves, hand-outs, skips and removals: one event each', async () => {
      const f = await claimFixture(s, { seats: 1 });
      const holderMail = `hold-${newId().slice(0, 6)}@people.test`;
      const holder = await s.signIn(holderMail);
      const claimed = await appended(f.org.orgId, () => claim(s, f.invitation.token, holder));
      expect(kinds(claimed)).toEqual(['claim']);
      expect(claimed[0]).toMatchObject({ collection: 'licenses', docId: f.licenses[0].id, actorEmail: holderMail });
      expect(claimed[0].changes.find((c) => c.field === 'status')).toEqual({ field: 'status', before: '"available"', after: '"assigned"' });

      const late = await s.signIn(`late-${newId().slice(0, 6)}@people.test`);
      const refused = await appended(f.org.orgId, () => claim(s, f.invitation.token, late));
      expect(kinds(refused)).toEqual(['claim-refused']);
      expect(refused[0]).toMatchObject({ collection: 'invitations', docId: f.invitation.id, summary: 'Claim refused: No assets left' });

      const joined = await appended(f.org.orgId, () => joinWaitlist(s, f.invitation.token, late));
      expect(kinds(joined)).toEqual(['waitlist-join']);
      const other = await s.signIn(`other-${newId().slice(0, 6)}@people.test`);
      await joinWaitlist(s, f.invitation.token, other);
      const left = await appended(f.org.orgId, () => leaveWaitlist(s, f.invitation.token, other));
      expect(kinds(left)).toEqual(['waitlist-leave']);
      expect(left[0].changes).toEqual([{ field: '_deleted', before: 'false', after: 'true' }]);

      const revoked = await appended(f.org.orgId, () => revoke(s, f.org.orgId, f.org.cookie, [f.licenses[0].id]));
      expect(kinds(revoked)).toEqual(['revoke', 'waitlist-handout']);
      expect(revoked[0]).toMatchObject({ collection: 'licenses', docId: f.licenses[0].id, summary: `Revoked the license of ${holderMail}` });
      expect(revoked[0].changes.find((c) => c.field === 'status')).toEqual({ field: 'status', before: '"assigned"', after: '"available"' });
      expect(revoked[1]).toMatchObject({ collection: 'licenses', docId: f.licenses[0].id, actorEmail: expect.stringMatching(/^late-/) });
      expect(revoked[1].changes.find((c) => c.field === 'status')).toEqual({ field: 'status', before: '"available"', after: '"assigned"' });

      // A person who no longer qualifies is skipped: one event; an admin's removal: one event.
      const ned = await s.signIn(`ned-${newId().slice(0, 6)}@people.test`);
      const oz = await s.signIn(`oz-${newId().slice(0, 6)}@people.test`);
      await joinWaitlist(s, f.invitation.token, ned);
      await joinWaitlist(s, f.invitation.token, oz);
      const inv = (await getDoc(s.store.db, 'invitations', f.invitation.id))!;
      await push(f.org.orgId, f.org.cookie, 'invitations', [{ assumedMasterState: inv, newDocumentState: { ...inv, maxClaims: 2 } }]);
      const lateLicense = f.licenses[0].id;
      const skipped = await appended(f.org.orgId, () => revoke(s, f.org.orgId, f.org.cookie, [lateLicense]));
      expect(kinds(skipped)).toEqual(['revoke', 'waitlist-skip', 'waitlist-skip']);
      const entries = (await listDocs(s.store.db, { collection: 'waitlistEntries', org: f.org.orgId })) as WireDoc<'waitlistEntries'>[];
      const skippedEntry = entries.find((e) => e.status === 'skipped')!;
      const removed = await appended(f.org.orgId, () =>
        push(f.org.orgId, f.org.cookie, 'waitlistEntries', [{ assumedMasterState: skippedEntry, newDocumentState: { ...skippedEntry, _deleted: true } }]),
      );
      expect(kinds(removed)).toEqual(['waitlist-remove']);
    });

    it('a member signing in, and emails sent or given up: one event each', async () => {
      const email = `sig-${newId().slice(0, 6)}@audit.test`;
      const org = await s.createOrg('Sign Co', email);
      const asked = await s.request('/api/auth/email', { body: { email } });
      expect(asked.status).toBe(200);
      const mail = (await listOutbox(s.store.db)).filter((r) => r.recipient === email && r.topic === 'sign-in').pop()!;
      const code = mail.subject.match(/(\d{6})/)![1];
      const signedIn = await appended(org.orgId, () => s.request('/api/auth/verify', { body: { email, code } }));
      expect(kinds(signedIn)).toEqual(['sign-in']);
      expect(signedIn[0]).toMatchObject({ actorEmail: email, collection: 'members', docId: org.memberId });

      // A claim queues the creator's email: delivered once (event), refused permanently once (event).
      const f = await claimFixture(s, { seats: 2, adminEmail: `creator-${newId().slice(0, 6)}@audit.test` });
      await claim(s, f.invitation.token, await s.signIn(`c1-${newId().slice(0, 6)}@people.test`));
      let fail = false;
      const mailer: Mailer = {
        kind: 'smtp',
        async send() {
          if (fail) throw Object.assign(new Error('550 mailbox unavailable'), { responseCode: 550, command: 'RCPT TO' });
        },
        close() {},
      };
      const worker = startOutboxWorker({ ...s.deps, mailer, logger: pino({ level: 'silent' }) }, { intervalMs: 60_000 });
      try {
        const sent = await appended(f.org.orgId, () => worker.drain());
        expect(kinds(sent)).toEqual(['email-sent']);
        expect(sent[0]).toMatchObject({ collection: 'notifications', actorEmail: '' });
        fail = true;
        const c2 = await s.signIn(`c2-${newId().slice(0, 6)}@people.test`);
        // The worker wakes on the claim's commit: the claim and the failure are both of this step.
        const failed = await appended(f.org.orgId, async () => {
          await claim(s, f.invitation.token, c2);
          await worker.drain();
        });
        expect(kinds(failed)).toEqual(['claim', 'email-failed']);
        expect(failed[1].summary).toContain('550');
      } finally {
        await worker.stop();
      }
    });

    it('a change rolled back leaves no event', async () => {
      const org = await s.createOrg('Rollback Co', `rb-${newId().slice(0, 6)}@audit.test`);
      const before = await events(org.orgId);
      await expect(
        orgTx(s.store, org.orgId, clock.now(), async (w) => {
          await w.put('teams', { id: newId(), orgId: org.orgId, name: 'Doomed', _deleted: false });
          await recordAudit(w, { kind: 'create', actor: SERVER_ACTOR, collection: 'teams', summary: 'Created a team' });
          throw new Error('the change fails after its event was written');
        }),
      ).rejects.toThrow('fails');
      expect(await events(org.orgId)).toEqual(before);
      expect((await listDocs(s.store.db, { collection: 'teams', org: org.orgId })).map((t) => t.name)).not.toContain('Doomed');
    });

    it('no role can push, alter or delete an event', async () => {
      const org = await s.createOrg('Locked Co', `lk-${newId().slice(0, 6)}@audit.test`);
      const team = { id: newId(), orgId: org.orgId, seq: 0, updatedAt: '', _deleted: false, name: 'Ops' };
      await push(org.orgId, org.cookie, 'teams', [{ assumedMasterState: null, newDocumentState: team }]);
      const [event] = await events(org.orgId);
      const tries = [
        { assumedMasterState: null, newDocumentState: { ...event, id: newId(), seq: 0, updatedAt: '', summary: 'Forged' } },
        { assumedMasterState: event, newDocumentState: { ...event, summary: 'Rewritten' } },
        { assumedMasterState: event, newDocumentState: { ...event, _deleted: true } },
      ];
      for (const row of tries) {
        const r = await push(org.orgId, org.cookie, 'auditEvents', [row]);
        expect((r.json as PushResponse).rejected.map((x) => x.code)).toEqual(['server-only']);
      }
      expect(await events(org.orgId)).toEqual([event]);
    });

    it('retention removes events older than AUDIT_RETENTION_DAYS and records the removal', async () => {
      const org = await s.createOrg('Old Co', `old-${newId().slice(0, 6)}@audit.test`);
      await orgTx(s.store, org.orgId, clock.now(), async (w) => {
        for (let i = 0; i < 3; i++) await recordAudit(w, { kind: 'update', actor: SERVER_ACTOR, summary: `old ${i}` });
      });
      clock.advance(366 * 86_400_000);
      await orgTx(s.store, org.orgId, clock.now(), (w) => recordAudit(w, { kind: 'update', actor: SERVER_ACTOR, summary: 'recent' }));
      const { removed } = await runAuditRetention(s.deps);
      expect(removed).toBeGreaterThanOrEqual(3);
      const left = await events(org.orgId);
      expect(left.map((e) => [e.kind, e.summary])).toEqual([
        ['update', 'recent'],
        ['retention', expect.stringMatching(/^Removed 3 audit events older than 365 days/)],
      ]);
      const gone = (await listDocs(s.store.db, { collection: 'auditEvents', org: org.orgId, withDeleted: true })).filter((e) => e._deleted);
      expect(gone).toHaveLength(3);
      expect(gone.every((e) => e.changes.length === 0)).toBe(true);
    });
  });
}
