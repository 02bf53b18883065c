/**
 * Adding a member by email (DESIGN §3, §4, §8): an org admin pushes a member with no account,
 * the server finds or makes the account, and that person's first sign-in makes them the member.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server';
import { skipWithoutPg } from '../helpers/pg';
import { startSmtpCapture, type SmtpCapture } from '../helpers/smtp';
import { sessionCookie, signInSecrets } from '../helpers/auth-kit';
import { smtpMailer } from '../../server/mail/mailer';
import { startOutboxWorker, type OutboxWorker } from '../../server/mail/worker';
import { newId } from '../../shared/ids';
import { createRow, pullAll, pushOutcome } from './permissions-fixtures';
import { accountByEmail } from '../../server/store/accounts';
import { listDocs } from '../../server/store/docs';


for (const dialect of ['sqlite', 'postgres'] as const) {
  describe.skipIf(skipWithoutPg(dialect, 'adding members'))(`adding a member by email on ${dialect}`, () => {
    let s: TestServer;
    let smtp: SmtpCapture;
    let worker: OutboxWorker;
    let org: Awaited<ReturnType<TestServer['createOrg']>>;
    const teamA = newId();
    const teamB = newId();
    beforeAll(async () => {
      smtp = await startSmtpCapture();
      s = await startTestServer({ dialect, mailer: smtpMailer(smtp.url) });
      worker = startOutboxWorker(s.deps, { intervalMs: 50 });
      org = await s.createOrg('Acme', 'ada@acme.test');
      await s.put(org.orgId, 'teams', [
        { id: teamA, orgId: org.orgId, name: 'Team A' },
        { id: teamB, orgId: org.orgId, name: 'Team B' },
      ]);
    }, 60_000);
    afterAll(async () => {
      await worker?.stop();
      await s?.close();
      await smtp?.close();
    });

    /** A push row creating a member, as the Members screen writes one. */
    const member = (over: Record<string, unknown>) =>
      createRow({ id: newId(), orgId: org.orgId, accountId: '', name: '', isOrgAdmin: false, adminOfTeamIds: [], disabled: false, ...over });
    const account = (email: string) => accountByEmail(s.store.db, email);

    /** Signs in as a person would: the emailed code, then the session cookie it sets. */
    async function signInByEmail(email: string): Promise<string> {
      const before = smtp.messages.length;
      expect((await s.request('/api/auth/email', { body: { email } })).status).toBe(200);
      const to = email.toLowerCase();
      const msgs = await smtp.waitFor((m) => m.slice(before).some((x) => x.to.includes(to)));
      const { code } = signInSecrets(msgs.slice(before).find((x) => x.to.includes(to))!);
      const verified = await s.request('/api/auth/verify', { body: { email, code } });
      expect(verified.status).toBe(200);
      return sessionCookie(verified.headers);
    }

    it('the server gives a new member an account, and that person signs in as the member', async () => {
      const id = newId();
      const row = member({ id, email: 'nina@acme.test', name: 'Nina New', adminOfTeamIds: [teamA] });
      expect((await pushOutcome(s, 'members', [row], org.cookie)).outcome).toBe('ok');

      // The account exists, unproven until Nina signs in, named after the member.
      const made = await account('nina@acme.test');
      expect(made).toMatchObject({ name: 'Nina New', emailVerifiedAt: null });
      const pulled = (await pullAll(s, 'members', org.cookie)).docs.find((d) => d.id === id);
      expect(pulled).toMatchObject({ accountId: made!.id, email: 'nina@acme.test', adminOfTeamIds: [teamA], _deleted: false });
      expect(pulled!.seq).toBeGreaterThan(0);

      const nina = await signInByEmail('Nina@Acme.test');
      expect(await account('nina@acme.test')).toMatchObject({ id: made!.id, emailVerifiedAt: expect.any(String) });
      const me = await s.request('/api/me', { cookie: nina });
      expect(me.status).toBe(200);
      expect(me.json).toMatchObject({
        account: { id: made!.id, email: 'nina@acme.test' },
        org: { id: org.orgId, name: 'Acme' },
        member: { id, isOrgAdmin: false, adminOfTeamIds: [teamA] },
      });
      const teams = await pullAll(s, 'teams', nina);
      expect(teams.status).toBe(200);
      expect(teams.docs.map((t) => t.id)).toEqual([teamA]);
    });

    it('an email that already has an account gets that account', async () => {
      await s.signIn('olga@acme.test', 'Olga');
      const id = newId();
      const row = member({ id, email: 'olga@acme.test', name: 'Olga O.' });
      expect((await pushOutcome(s, 'members', [row], org.cookie)).outcome).toBe('ok');
      const stored = (await pullAll(s, 'members', org.cookie)).docs.find((d) => d.id === id);
      expect(stored!.accountId).toBe(await s.accountId('olga@acme.test'));
      // The person's own name on their account stays theirs.
      expect(await account('olga@acme.test')).toMatchObject({ name: 'Olga' });
    });

    it('refuses an account chosen by the client, a second member with the same email, and a bad email', async () => {
      const ada = await s.accountId('ada@acme.test');
      const chosen = await pushOutcome(s, 'members', [member({ email: 'mallory@acme.test', accountId: ada })], org.cookie);
      expect(chosen.outcome).toBe('server-only');
      expect(chosen.res.json.rejected[0].fields).toEqual(['accountId']);
      // A refused row comes back deleted and leaves no account behind.
      expect(chosen.res.json.conflicts[0]).toMatchObject({ _deleted: true });
      expect(await account('mallory@acme.test')).toBeUndefined();

      expect((await pushOutcome(s, 'members', [member({ email: 'NINA@acme.TEST' })], org.cookie)).outcome).toBe('member-exists');
      expect((await pushOutcome(s, 'members', [member({ email: 'Ada@Acme.test', isOrgAdmin: true })], org.cookie)).outcome).toBe(
        'member-exists',
      );
      expect((await pushOutcome(s, 'members', [member({ email: 'not an address' })], org.cookie)).outcome).toBe('invalid-document');
      const members = (await pullAll(s, 'members', org.cookie)).docs.filter((d) => !d._deleted);
      expect(members.map((m) => m.email).sort()).toEqual(['ada@acme.test', 'nina@acme.test', 'olga@acme.test']);
    });

    it('the account stays immutable, and a non-admin may not add members', async () => {
      const stored = (await pullAll(s, 'members', org.cookie)).docs.find((d) => d.email === 'nina@acme.test');
      const moved = { assumedMasterState: stored, newDocumentState: { ...stored, accountId: '' } };
      expect((await pushOutcome(s, 'members', [moved], org.cookie)).outcome).toBe('immutable-field');

      // Nina is a team admin only; Pete is signed in but nobody in the organization.
      const nina = await s.signIn('nina@acme.test');
      const pete = await s.signIn('pete@acme.test');
      for (const cookie of [nina, pete]) {
        expect((await pushOutcome(s, 'members', [member({ email: 'quinn@acme.test' })], cookie)).outcome).toBe('not-allowed');
      }
      expect(await account('quinn@acme.test')).toBeUndefined();
    });

    it("refuses another organization's member, and a member brought back under another's address", async () => {
      const hank = `hank-${newId().slice(0, 6)}@globex.test`;
      const other = await s.createOrg('Globex', hank);
      const taken = await pushOutcome(s, 'members', [member({ email: hank.toUpperCase(), isOrgAdmin: true })], org.cookie);
      expect(taken.outcome).toBe('member-elsewhere');
      // Hank still acts in Globex.
      expect((await s.request('/api/me', { cookie: other.cookie })).json.org.id).toBe(other.orgId);

      // An address cannot be moved to another member, so deleting one and bringing it back under
      // a live member's address is the only way left: refused as a second member of that person.
      const stored = (await pullAll(s, 'members', org.cookie)).docs.find((d) => d.email === 'olga@acme.test');
      const rename = { assumedMasterState: stored, newDocumentState: { ...stored, email: 'x@acme.test' } };
      expect((await pushOutcome(s, 'members', [rename], org.cookie)).outcome).toBe('immutable-field');
      const gone = { assumedMasterState: stored, newDocumentState: { ...stored, _deleted: true } };
      expect((await pushOutcome(s, 'members', [gone], org.cookie)).outcome).toBe('ok');
      const deleted = (await pullAll(s, 'members', org.cookie)).docs.find((d) => d.id === stored!.id);
      const back = { assumedMasterState: deleted, newDocumentState: { ...deleted, _deleted: false, email: 'nina@acme.test' } };
      expect((await pushOutcome(s, 'members', [back], org.cookie)).outcome).toBe('immutable-field');
      const sameBack = { assumedMasterState: deleted, newDocumentState: { ...deleted, _deleted: false } };
      expect((await pushOutcome(s, 'members', [sameBack], org.cookie)).outcome).toBe('ok');
    });

    it('lets only one of two organizations adding the same person at the same moment have them', async () => {
      const orgs = [
        await s.createOrg('Initech', `bill-${newId().slice(0, 6)}@initech.test`),
        await s.createOrg('Hooli', `gavin-${newId().slice(0, 6)}@hooli.test`),
      ];
      for (let round = 0; round < 5; round++) {
        const person = `consultant-${round}-${newId().slice(0, 6)}@example.test`;
        const outcomes = await Promise.all(
          orgs.map((o) =>
            pushOutcome(s, 'members', [createRow({ id: newId(), orgId: o.orgId, accountId: '', email: person, name: 'Con', isOrgAdmin: false, adminOfTeamIds: [], disabled: false })], o.cookie),
          ),
        );
        expect(outcomes.map((o) => o.outcome).sort()).toEqual(['member-elsewhere', 'ok']);
        const live = await listDocs(s.store.db, { collection: 'members', where: { email: person } });
        expect(live).toHaveLength(1);
      }
    });

    it("refuses another organization's contact or license holder as a member here", async () => {
      const other = await s.createOrg('Vandelay', `art-${newId().slice(0, 6)}@vandelay.test`);
      const pat = `pat-${newId().slice(0, 6)}@vandelay.test`;
      await s.put(other.orgId, 'contacts', [{ id: newId(), orgId: other.orgId, name: 'Pat', email: pat, roles: ['primaryBilling'], orderIds: [], disabled: false, source: 'manual' }]);
      expect((await pushOutcome(s, 'members', [member({ email: pat })], org.cookie)).outcome).toBe('member-elsewhere');
      const kim = `kim-${newId().slice(0, 6)}@vandelay.test`;
      const kimCookie = await s.signIn(kim);
      await s.put(other.orgId, 'licenses', [
        { id: newId(), orgId: other.orgId, orderId: newId(), teamId: newId(), productId: newId(), status: 'assigned', validUntil: '2099-01-01', assignee: { accountId: await s.accountId(kim), email: kim, name: 'Kim' }, assignedAt: '2026-01-01' },
      ]);
      expect((await pushOutcome(s, 'members', [member({ email: kim })], org.cookie)).outcome).toBe('member-elsewhere');
      expect((await s.request('/api/me', { cookie: kimCookie })).json.org.id).toBe(other.orgId);
    });
  });
}
