import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server';
import { skipWithoutPg } from '../helpers/pg';
import { newId, randomToken } from '../../shared/ids';
import { addInvitation, claim, claimFixture, liveDocs, outboxRows } from './claims-fixtures';
import { ensureAccountRow } from '../../server/store/accounts';
import { pushPath } from '../helpers/sync-api';
import { orgPath } from '../../shared/links';


for (const dialect of ['sqlite', 'postgres'] as const) {
  describe.skipIf(skipWithoutPg(dialect, 'the claim rules suite'))(`claims on ${dialect}`, () => {
    let s: TestServer;
    beforeAll(async () => {
      s = await startTestServer({ dialect });
    });
    afterAll(async () => s?.close());

    const user = (prefix = 'user', domain = 'people.test') => `${prefix}-${newId().slice(0, 8)}@${domain}`;

    it('needs a session to claim', async () => {
      const f = await claimFixture(s, { seats: 1 });
      const res = await claim(s, f.invitation.token);
      expect(res.status).toBe(401);
      expect(res.json.error).toBe('unauthenticated');
    });

    it('answers 404 invitation-not-found for unknown, malformed and deleted invitations', async () => {
      const cookie = await s.signIn(user());
      for (const token of [randomToken(), 'short', 'x'.repeat(65), '..%2F..']) {
        const res = await claim(s, token, cookie);
        expect(res.status).toBe(404);
        expect(res.json.error).toBe('invitation-not-found');
      }
      const f = await claimFixture(s, { seats: 1 });
      await s.put(f.org.orgId, 'invitations', [{ ...f.invitation, _deleted: true }]);
      expect((await claim(s, f.invitation.token, cookie)).json.error).toBe('invitation-not-found');
      expect((await s.request(`/api/invitations/${f.invitation.token}`)).status).toBe(404);
    });

    it('answers 410 for a disabled and for an expired invitation (disabled first)', async () => {
      const cookie = await s.signIn(user());
      const past = new Date(Date.now() - 60_000).toISOString();
      const disabled = await claimFixture(s, { seats: 1, invitation: { disabledAt: past, expiresAt: past } });
      const r1 = await claim(s, disabled.invitation.token, cookie);
      expect([r1.status, r1.json.error]).toEqual([410, 'invitation-disabled']);
      const expired = await claimFixture(s, { seats: 1, invitation: { expiresAt: past } });
      const r2 = await claim(s, expired.invitation.token, cookie);
      expect([r2.status, r2.json.error]).toEqual([410, 'invitation-expired']);
      const future = await claimFixture(s, { seats: 1, invitation: { expiresAt: new Date(Date.now() + 3_600_000).toISOString() } });
      expect((await claim(s, future.invitation.token, cookie)).status).toBe(200);
    });

    it('checks the verified email domain exactly, case-insensitively, and refuses the tricks', async () => {
      const f = await claimFixture(s, { seats: 10, invitation: { allowedDomains: ['example.com', '*.corp.test'] } });
      const refused = [
        'mallory@evil.com',
        'mallory@example.com.evil.com',
        'MALLORY@EXAMPLE.COM.EVIL.COM',
        'mallory@example.com.',
        'mallory@sub.example.com',
        'mallory@notexample.com',
        'mallory@corp.test',
        'mallory@eu.corp.test.evil.com',
      ];
      for (const email of refused) {
        const res = await claim(s, f.invitation.token, await s.signIn(email));
        expect([email, res.status, res.json.error]).toEqual([email, 403, 'domain-not-allowed']);
        expect(res.json.details).toEqual({ allowedDomains: ['example.com', '*.corp.test'] });
      }
      for (const email of ['Alice@Example.COM', 'bob@eu.corp.test', 'carol@a.b.corp.test']) {
        const res = await claim(s, f.invitation.token, await s.signIn(email));
        expect([email, res.status]).toEqual([email, 200]);
        expect(res.json.assignee.email).toBe(email.toLowerCase());
      }
    });

    it('refuses an address that was never verified when domains are limited', async () => {
      const f = await claimFixture(s, { seats: 1, invitation: { allowedDomains: ['example.com'] } });
      const now = new Date().toISOString();
      const { id } = await ensureAccountRow(s.store.db, 'unverified@example.com', now, { verified: false, name: 'U' });
      const { createSession } = await import('../../server/auth/session');
      const cookie = `allot_session=${await createSession(s.store.db, id, new Date())}`;
      expect((await claim(s, f.invitation.token, cookie)).json.error).toBe('domain-not-allowed');
    });

    it('gives a license, records the acceptance and queues one email to the creator; claiming again returns the same license', async () => {
      const f = await claimFixture(s, { seats: 3 });
      const email = user('dora');
      const cookie = await s.signIn(email, 'Dora');
      const first = await claim(s, f.invitation.token, cookie);
      expect(first.status).toBe(200);
      expect(first.json).toMatchObject({
        status: 'assigned',
        teamId: f.teamId,
        productId: f.productId,
        assignedVia: f.invitation.id,
        assignee: { accountId: await s.accountId(email), email, name: 'Dora' },
      });
      expect(first.json.id).toBe([...f.licenses].sort((a, b) => a.id.localeCompare(b.id))[0].id);
      const again = await claim(s, f.invitation.token, cookie);
      expect(again.status).toBe(200);
      expect(again.json.id).toBe(first.json.id);
      expect(again.json.seq).toBe(first.json.seq);
      const acceptances = (await liveDocs(s, 'acceptances', f.org.orgId)).filter((a) => a.invitationId === f.invitation.id);
      expect(acceptances).toHaveLength(1);
      expect(acceptances[0]).toMatchObject({ licenseId: first.json.id, account: { email, name: 'Dora' } });
      const mails = (await outboxRows(s, 'license-claimed')).filter((m) => m.org_id === f.org.orgId);
      expect(mails).toHaveLength(1);
      const admin = (await liveDocs(s, 'members', f.org.orgId))[0];
      expect(mails[0]).toMatchObject({ recipient: admin.email, dedupe_key: `license-claimed:${acceptances[0].id}:${admin.email}` });
      expect(mails[0].text).toContain(`${s.url}${orgPath(f.org.orgId, `/invitations/${f.invitation.id}`)}`);
      expect(mails[0].html).toContain(`href="${s.url}${orgPath(f.org.orgId, `/invitations/${f.invitation.id}`)}"`);
    });

    it('answers 200 with the license already held in the team, whichever invitation it came from', async () => {
      const f = await claimFixture(s, { seats: 2 });
      const second = await addInvitation(s, f.org, f.teamId, f.productId);
      const cookie = await s.signIn(user());
      const a = await claim(s, f.invitation.token, cookie);
      const b = await claim(s, second.token, cookie);
      expect(b.status).toBe(200);
      expect(b.json.id).toBe(a.json.id);
      expect((await liveDocs(s, 'licenses', f.org.orgId)).filter((l) => l.status === 'assigned')).toHaveLength(1);
    });

    it('answers 409 invitation-used-up once maxClaims people claimed', async () => {
      const f = await claimFixture(s, { seats: 3, invitation: { maxClaims: 1 } });
      expect((await claim(s, f.invitation.token, await s.signIn(user()))).status).toBe(200);
      const res = await claim(s, f.invitation.token, await s.signIn(user()));
      expect([res.status, res.json.error]).toEqual([409, 'invitation-used-up']);
      expect((await s.request(`/api/invitations/${f.invitation.token}`)).json.status).toBe('used-up');
    });

    it('answers 409 no-assets-left when the team has no available license of the product', async () => {
      const f = await claimFixture(s, { seats: 1 });
      expect((await claim(s, f.invitation.token, await s.signIn(user()))).status).toBe(200);
      const res = await claim(s, f.invitation.token, await s.signIn(user()));
      expect([res.status, res.json.error, res.json.message]).toEqual([409, 'no-assets-left', 'No assets left']);
      // Licenses of other products or other teams do not count, nor licenses past their validity.
      const other = await claimFixture(s, { seats: 0 });
      await s.put(other.org.orgId, 'licenses', [
        { id: newId(), orgId: other.org.orgId, orderId: newId(), teamId: other.teamId, productId: f.productId, status: 'available', validUntil: '2099-01-01' },
        { id: newId(), orgId: other.org.orgId, orderId: newId(), teamId: newId(), productId: other.productId, status: 'available', validUntil: '2099-01-01' },
        { id: newId(), orgId: other.org.orgId, orderId: newId(), teamId: other.teamId, productId: other.productId, status: 'available', validUntil: '2020-01-01' },
      ]);
      expect((await claim(s, other.invitation.token, await s.signIn(user()))).json.error).toBe('no-assets-left');
    });

    it('shows the public invitation page: names, expiry, status and nothing else', async () => {
      const expiresAt = new Date(Date.now() + 86_400_000).toISOString();
      const f = await claimFixture(s, { seats: 1, orgName: 'Globex', invitation: { expiresAt, allowedDomains: ['example.com'] } });
      const res = await s.request(`/api/invitations/${f.invitation.token}`);
      expect(res.status).toBe(200);
      expect(res.json).toEqual({
        organization: 'Globex',
        team: 'Launch',
        product: 'Rocket IDE',
        name: 'Spring cohort',
        expiresAt,
        status: 'active',
      });
      const past = new Date(Date.now() - 1000).toISOString();
      const expired = await claimFixture(s, { seats: 1, invitation: { expiresAt: past } });
      expect((await s.request(`/api/invitations/${expired.invitation.token}`)).json.status).toBe('expired');
      const disabled = await claimFixture(s, { seats: 1, invitation: { disabledAt: past } });
      expect((await s.request(`/api/invitations/${disabled.invitation.token}`)).json.status).toBe('disabled');
      expect((await s.request(`/api/invitations/${randomToken()}`)).json.error).toBe('invitation-not-found');
    });

    it('tells who may claim and whether a seat is free, beside the public page (issue 16 §10)', async () => {
      const f = await claimFixture(s, { seats: 1, invitation: { allowedDomains: ['example.com', '*.example.org'] } });
      const path = `/api/invitations/${f.invitation.token}/eligibility`;
      expect((await s.request(path)).json).toEqual({ allowedDomains: ['example.com', '*.example.org'], seatsLeft: true });
      const none = await claimFixture(s, { seats: 0 });
      expect((await s.request(`/api/invitations/${none.invitation.token}/eligibility`)).json).toEqual({ allowedDomains: [], seatsLeft: false });
      const r = await s.request(`/api/invitations/${randomToken()}/eligibility`);
      expect(r.status).toBe(404);
      expect(r.json.error).toBe('invitation-not-found');
    });

    it('revoking frees the seat at once, emails the holder, and the holder cannot re-claim through that invitation', async () => {
      const f = await claimFixture(s, { seats: 1 });
      const holder = user('hal');
      const holderCookie = await s.signIn(holder, 'Hal');
      const claimed = await claim(s, f.invitation.token, holderCookie);
      expect(claimed.status).toBe(200);
      const { assignee, assignedAt, assignedVia, ...rest } = claimed.json;
      const push = await s.request(pushPath(f.org.orgId, 'licenses'), {
        cookie: f.org.cookie,
        body: [{ assumedMasterState: { ...claimed.json, _deleted: false }, newDocumentState: { ...rest, status: 'available', _deleted: false } }],
      });
      expect(push.status).toBe(200);
      expect(push.json).toEqual({ conflicts: [], rejected: [] });
      const [acc] = (await liveDocs(s, 'acceptances', f.org.orgId)).filter((a) => a.invitationId === f.invitation.id);
      expect(acc.revokedAt).toBeTruthy();
      const revokedMail = (await outboxRows(s, 'license-revoked')).filter((m) => m.recipient === holder);
      expect(revokedMail).toHaveLength(1);
      expect(revokedMail[0].dedupe_key).toBe(`license-revoked:${claimed.json.id}:${assignedAt}:${holder}`);
      expect(revokedMail[0].text).toContain('Rocket IDE');

      const again = await claim(s, f.invitation.token, holderCookie);
      expect([again.status, again.json.error]).toEqual([403, 'revoked-cannot-reclaim']);
      const next = await claim(s, f.invitation.token, await s.signIn(user()));
      expect(next.status).toBe(200);
      expect(next.json.id).toBe(claimed.json.id);
      // Another invitation of the same team is a fresh start for the revoked person.
      await s.put(f.org.orgId, 'licenses', [
        { id: newId(), orgId: f.org.orgId, orderId: f.orderId, teamId: f.teamId, productId: f.productId, status: 'available', validUntil: '2099-01-01' },
      ]);
      const fresh = await addInvitation(s, f.org, f.teamId, f.productId);
      expect((await claim(s, fresh.token, holderCookie)).status).toBe(200);
    });
  });
}
