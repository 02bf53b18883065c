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
      // A member just added also gets a welcome email: the sign-in one is the one with the code.
      const signIn = (x: { to: string[]; subject: string }) => x.to.includes(to) && /sign-in code/i.test(x.subject);
      const msgs = await smtp.waitFor((m) => m.slice(before).some(signIn));
      const { code } = signInSecrets(msgs.slice(before).find(signIn)!);
      const verified = await s.request('/api/auth/verify', { body: { email, code } });
      expect(verified.status).toBe(200);
      return sessionCookie(verified.headers);
    }

    it('the server gives a new member an account, and that person signs in as the member', async () => {
      const id = newId();
      const row = member({ id, email: 'nina@acme.test', name: 'Nina New', adminOfTeamIds: [teamA] });
      expect((await pushOutcome(s, 'members', [row], org.cookie, org.orgId)).outcome).toBe('ok');

      // The account exists, unproven until Nina signs in, named after the member.
      const made = await account('nina@acme.test');
      expect(made).toMatchObject({ name: 'Nina New', emailVerifiedAt: null });
      const pulled = (await pullAll(s, 'members', org.cookie, org.orgId)).docs.find((d) => d.id === id);
      expect(pulled).toMatchObject({ accountId: made!.id, email: 'nina@acme.test', adminOfTeamIds: [teamA], _deleted: false });
      expect(pulled!.seq).toBeGreaterThan(0);

      const nina = await signInByEmail('Nina@Acme.test');
      expect(await account('nina@acme.test')).toMatchObject({ id: made!.id, emailVerifiedAt: expect.any(String) });
      const me = await s.request('/api/me', { cookie: nina });
      expect(me.status).toBe(200);
      expect(me.json).toEqual({
        account: { id: made!.id, email: 'nina@acme.test', name: 'Nina New' },
        organizations: [{ id: org.orgId, name: 'Acme', memberId: id, isOrgAdmin: false, adminOfTeamIds: [teamA], roles: [], orderIds: [], holdsLicense: false }],
      });
      const teams = await pullAll(s, 'teams', nina, org.orgId);
      expect(teams.status).toBe(200);
      expect(teams.docs.map((t) => t.id)).toEqual([teamA]);
    });

    it('an email that already has an account gets that account', async () => {
      await s.signIn('olga@acme.test', 'Olga');
      const id = newId();
      const row = member({ id, email: 'olga@acme.test', name: 'Olga O.' });
      expect((await pushOutcome(s, 'members', [row], org.cookie, org.orgId)).outcome).toBe('ok');
      const stored = (await pullAll(s, 'members', org.cookie, org.orgId)).docs.find((d) => d.id === id);
      expect(stored!.accountId).toBe(await s.accountId('olga@acme.test'));
      // The person's own name on their account stays theirs.
      expect(await account('olga@acme.test')).toMatchObject({ name: 'Olga' });
    });

    it('refuses an account chosen by the client, a second member with the same email, and a bad email', async () => {
      const ada = await s.accountId('ada@acme.test');
      const chosen = await pushOutcome(s, 'members', [member({ email: 'mallory@acme.test', accountId: ada })], org.cookie, org.orgId);
      expect(chosen.outcome).toBe('server-only');
      expect(chosen.res.json.rejected[0].fields).toEqual(['accountId']);
      // A refused row comes back deleted and leaves no account behind.
      expect(chosen.res.json.conflicts[0]).toMatchObject({ _deleted: true });
      expect(await account('mallory@acme.test')).toBeUndefined();

      expect((await pushOutcome(s, 'members', [member({ email: 'NINA@acme.TEST' })], org.cookie, org.orgId)).outcome).toBe('member-exists');
      expect((await pushOutcome(s, 'members', [member({ email: 'Ada@Acme.test', isOrgAdmin: true })], org.cookie, org.orgId)).outcome).toBe(
        'member-exists',
      );
      expect((await pushOutcome(s, 'members', [member({ email: 'not an address' })], org.cookie, org.orgId)).outcome).toBe('invalid-document');
      const members = (await pullAll(s, 'members', org.cookie, org.orgId)).docs.filter((d) => !d._deleted);
      expect(members.map((m) => m.email).sort()).toEqual(['ada@acme.test', 'nina@acme.test', 'olga@acme.test']);
    });

    it('the account stays immutable, and a non-admin may not add members', async () => {
      const stored = (await pullAll(s, 'members', org.cookie, org.orgId)).docs.find((d) => d.email === 'nina@acme.test');
      const moved = { assumedMasterState: stored, newDocumentState: { ...stored, accountId: '' } };
      expect((await pushOutcome(s, 'members', [moved], org.cookie, org.orgId)).outcome).toBe('immutable-field');

      // Nina is a team admin only; Pete is signed in but nobody in the organization.
      const nina = await s.signIn('nina@acme.test');
      const pete = await s.signIn('pete@acme.test');
      expect((await pushOutcome(s, 'members', [member({ email: 'quinn@acme.test' })], nina, org.orgId)).outcome).toBe('not-allowed');
      // Pete is nothing here: the organization does not exist for him.
      expect((await pushOutcome(s, 'members', [member({ email: 'quinn@acme.test' })], pete, org.orgId)).outcome).toBe('404');
      expect(await account('quinn@acme.test')).toBeUndefined();
    });

    it("takes another organization's member as a member here too, and nothing changes for them there (DESIGN §3)", async () => {
      const hank = `hank-${newId().slice(0, 6)}@globex.test`;
      const other = await s.createOrg('Globex', hank);
      const id = newId();
      const added = await pushOutcome(s, 'members', [member({ id, email: hank.toUpperCase(), isOrgAdmin: true })], org.cookie, org.orgId);
      expect(added.outcome).toBe('ok');
      // One account, two organizations: an org admin in each, each computed alone.
      const me = (await s.request('/api/me', { cookie: other.cookie })).json;
      expect(me.organizations.map((o: { id: string; isOrgAdmin: boolean }) => [o.id, o.isOrgAdmin]).sort()).toEqual(
        [
          [org.orgId, true],
          [other.orgId, true],
        ].sort(),
      );
      expect((await pullAll(s, 'members', other.cookie, other.orgId)).docs.map((m) => m.email)).toEqual([hank]);
      expect((await pullAll(s, 'members', other.cookie, org.orgId)).docs.some((m) => m.id === id)).toBe(true);
      // Only one member record per person and organization.
      expect((await pushOutcome(s, 'members', [member({ email: hank })], org.cookie, org.orgId)).outcome).toBe('member-exists');
    });

    it('a member brought back under another\'s address is refused', async () => {
      // An address cannot be moved to another member, so deleting one and bringing it back under
      // a live member's address is the only way left: refused as a second member of that person.
      const stored = (await pullAll(s, 'members', org.cookie, org.orgId)).docs.find((d) => d.email === 'olga@acme.test');
      const rename = { assumedMasterState: stored, newDocumentState: { ...stored, email: 'x@acme.test' } };
      expect((await pushOutcome(s, 'members', [rename], org.cookie, org.orgId)).outcome).toBe('immutable-field');
      const gone = { assumedMasterState: stored, newDocumentState: { ...stored, _deleted: true } };
      expect((await pushOutcome(s, 'members', [gone], org.cookie, org.orgId)).outcome).toBe('ok');
      const deleted = (await pullAll(s, 'members', org.cookie, org.orgId)).docs.find((d) => d.id === stored!.id);
      const back = { assumedMasterState: deleted, newDocumentState: { ...deleted, _deleted: false, email: 'nina@acme.test' } };
      expect((await pushOutcome(s, 'members', [back], org.cookie, org.orgId)).outcome).toBe('immutable-field');
      const sameBack = { assumedMasterState: deleted, newDocumentState: { ...deleted, _deleted: false } };
      expect((await pushOutcome(s, 'members', [sameBack], org.cookie, org.orgId)).outcome).toBe('ok');
    });

    it('two organizations adding the same new person at the same moment both have them, with one account', async () => {
      const orgs = [
        await s.createOrg('Initech', `bill-${newId().slice(0, 6)}@initech.test`),
        await s.createOrg('Hooli', `gavin-${newId().slice(0, 6)}@hooli.test`),
      ];
      for (let round = 0; round < 5; round++) {
        const person = `consultant-${round}-${newId().slice(0, 6)}@example.test`;
        const outcomes = await Promise.all(
          orgs.map((o) =>
            pushOutcome(s, 'members', [createRow({ id: newId(), orgId: o.orgId, accountId: '', email: person, name: 'Con', isOrgAdmin: false, adminOfTeamIds: [], disabled: false })], o.cookie, o.orgId),
          ),
        );
        expect(outcomes.map((o) => o.outcome)).toEqual(['ok', 'ok']);
        const live = await listDocs(s.store.db, { collection: 'members', where: { email: person } });
        expect(live.map((m) => m.orgId).sort()).toEqual(orgs.map((o) => o.orgId).sort());
        expect(new Set(live.map((m) => m.accountId)).size).toBe(1);
      }
    });

    it("takes another organization's contact or license holder as a member, and they keep what they are there", async () => {
      const other = await s.createOrg('Vandelay', `art-${newId().slice(0, 6)}@vandelay.test`);
      const pat = `pat-${newId().slice(0, 6)}@vandelay.test`;
      await s.put(other.orgId, 'contacts', [{ id: newId(), orgId: other.orgId, name: 'Pat', email: pat, roles: ['primaryBilling'], orderIds: [], disabled: false, source: 'manual' }]);
      expect((await pushOutcome(s, 'members', [member({ email: pat })], org.cookie, org.orgId)).outcome).toBe('ok');
      const patCookie = await signInByEmail(pat);
      const patMe = (await s.request('/api/me', { cookie: patCookie })).json;
      expect(patMe.organizations.find((o: { id: string }) => o.id === other.orgId)).toMatchObject({ roles: ['primaryBilling'], memberId: null });
      expect(patMe.organizations.find((o: { id: string }) => o.id === org.orgId)).toMatchObject({ roles: [], memberId: expect.any(String) });

      const kim = `kim-${newId().slice(0, 6)}@vandelay.test`;
      const kimCookie = await s.signIn(kim);
      await s.put(other.orgId, 'licenses', [
        { id: newId(), orgId: other.orgId, orderId: newId(), teamId: newId(), productId: newId(), status: 'assigned', validUntil: '2099-01-01', assignee: { accountId: await s.accountId(kim), email: kim, name: 'Kim' }, assignedAt: '2026-01-01' },
      ]);
      expect((await pushOutcome(s, 'members', [member({ email: kim })], org.cookie, org.orgId)).outcome).toBe('ok');
      const kimMe = (await s.request('/api/me', { cookie: kimCookie })).json;
      expect(kimMe.organizations.find((o: { id: string }) => o.id === other.orgId)).toMatchObject({ holdsLicense: true, memberId: null });
      expect((await s.request('/api/me/licenses', { cookie: kimCookie })).json.licenses).toHaveLength(1);
    });
  });
}

for (const dialect of ['sqlite', 'postgres'] as const) {
  describe.skipIf(skipWithoutPg(dialect, 'the welcome email'))(`a new member's welcome email on ${dialect}`, () => {
    let s: TestServer;
    let smtp: SmtpCapture;
    let worker: OutboxWorker;
    beforeAll(async () => {
      smtp = await startSmtpCapture();
      s = await startTestServer({ dialect, mailer: smtpMailer(smtp.url) });
      worker = startOutboxWorker(s.deps, { intervalMs: 50 });
    }, 60_000);
    afterAll(async () => {
      await worker?.stop();
      await s?.close();
      await smtp?.close();
    });

    it('reaches the person added through SMTP: who added them, to what, and a link into that organization', async () => {
      const org = await s.createOrg('Northwind', 'ada@northwind.test');
      const before = smtp.messages.length;
      const row = createRow({ id: newId(), orgId: org.orgId, accountId: '', email: 'Ivy@Northwind.test', name: 'Ivy', isOrgAdmin: false, adminOfTeamIds: [], disabled: false });
      expect((await pushOutcome(s, 'members', [row], org.cookie, org.orgId)).outcome).toBe('ok');
      const msgs = await smtp.waitFor((m) => m.slice(before).some((x) => x.to.includes('ivy@northwind.test')));
      const welcome = msgs.slice(before).filter((x) => x.to.includes('ivy@northwind.test'));
      expect(welcome).toHaveLength(1);
      expect(welcome[0].subject).toMatch(/added you to Northwind in Allot$/);
      expect(welcome[0].text).toContain(`${s.url}/o/${org.orgId}/`);
      // Nobody else heard of it (the admin who added Ivy knows).
      expect(msgs.slice(before).filter((x) => !x.to.includes('ivy@northwind.test'))).toEqual([]);
    });
  });
}
