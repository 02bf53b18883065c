/**
 * One address rule at every door (issue 12 item 4, shared/addresses.ts): the addresses a browser's
 * email field accepts sign in, become members, licensees and claimants, and an invitation
 * limited to an `xn--` domain can be claimed; what is not an address is refused everywhere with
 * its code. On SQLite and PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server';
import { skipWithoutPg } from '../helpers/pg';
import { startSmtpCapture, type ParsedMessage, type SmtpCapture } from '../helpers/smtp';
import { sessionCookie, signInSecrets } from '../helpers/auth-kit';
import { smtpMailer } from '../../server/mail/mailer';
import { startOutboxWorker, type OutboxWorker } from '../../server/mail/worker';
import { newId } from '../../shared/ids';
import { normalizeEmail } from '../../shared/addresses';
import { addInvitation, claim } from './claims-fixtures';
import { createRow, pullAll, pushOutcome } from './permissions-fixtures';

/** As typed, and as stored (lower case, the domain in punycode). */
const VALID = [
  ["O'Brien@Example.test", "o'brien@example.test", 'example.test'],
  ['billing=ap@example.test', 'billing=ap@example.test', 'example.test'],
  ['ops@big--data.test', 'ops@big--data.test', 'big--data.test'],
  ['anna@xn--mnchen-3ya.test', 'anna@xn--mnchen-3ya.test', 'xn--mnchen-3ya.test'],
  ['Bert@MÜNCHEN.test', 'bert@xn--mnchen-3ya.test', 'münchen.test'],
] as const;

const INVALID = ['not an email', 'a@b..test', 'a b@example.test', '@example.test', 'a@-example.test', 'ä@example.test', 'a@example.test.'];

for (const dialect of ['sqlite', 'postgres'] as const) {
  describe.skipIf(skipWithoutPg(dialect, 'the address rule suite'))(`addresses at every door on ${dialect}`, () => {
    let s: TestServer;
    let smtp: SmtpCapture;
    let worker: OutboxWorker;
    let org: Awaited<ReturnType<TestServer['createOrg']>>;
    let productId: string;
    const teamId = newId();
    beforeAll(async () => {
      smtp = await startSmtpCapture();
      s = await startTestServer({ dialect, mailer: smtpMailer(smtp.url) });
      worker = startOutboxWorker(s.deps, { intervalMs: 50 });
      org = await s.createOrg('Acme', 'ada@acme.test');
      productId = newId();
      await s.put('', 'products', [{ id: productId, code: 'RKT', name: 'Rocket IDE' } as never]);
      await s.put(org.orgId, 'teams', [{ id: teamId, orgId: org.orgId, name: 'Launch' }]);
    }, 60_000);
    afterAll(async () => {
      await worker?.stop();
      await s?.close();
      await smtp?.close();
    });

    async function signInByEmail(typed: string, stored: string): Promise<string> {
      const before = smtp.messages.length;
      const asked = await s.request('/api/auth/email', { body: { email: typed } });
      expect(asked.status, typed).toBe(200);
      // The capturing SMTP server hands envelope domains back in Unicode: compare stored forms.
      const to = (x: ParsedMessage) => /sign-in code/i.test(x.subject) && x.to.some((t) => normalizeEmail(t) === stored);
      const msgs = await smtp.waitFor((m) => m.slice(before).some(to));
      const { code } = signInSecrets(msgs.slice(before).find(to)!);
      const verified = await s.request('/api/auth/verify', { body: { email: typed, code } });
      expect(verified.status, typed).toBe(200);
      expect(verified.json.account.email).toBe(stored);
      return sessionCookie(verified.headers);
    }

    it.each(VALID)('%s signs in, becomes a member, a licensee and a claimant', async (typed, stored, domain) => {
      const cookie = await signInByEmail(typed, stored);

      // A member, added by the org admin by address.
      const memberId = newId();
      const member = createRow({ id: memberId, orgId: org.orgId, accountId: '', email: typed, name: 'Someone', isOrgAdmin: false, adminOfTeamIds: [], disabled: false });
      expect((await pushOutcome(s, 'members', [member], org.cookie, org.orgId)).outcome).toBe('ok');
      const me = await s.request('/api/me', { cookie });
      expect(me.json).toMatchObject({ account: { email: stored }, organizations: [{ id: org.orgId, memberId }] });

      // The licensee of an order: an order-specific contact of that address.
      const orderId = newId();
      const order = createRow({
        id: orderId,
        orgId: org.orgId,
        reference: `PO-${orderId.slice(0, 6)}`,
        placedAt: '2026-03-01',
        teamId,
        licenseeContactId: '',
        billingContactId: '',
        licensee: { name: 'Someone', email: typed },
        lines: [{ productId, quantity: 1 }],
        validUntil: '2099-12-31',
      });
      expect((await pushOutcome(s, 'orders', [order], org.cookie, org.orgId)).outcome).toBe('ok');
      const contacts = (await pullAll(s, 'contacts', org.cookie, org.orgId)).docs.filter((c) => c.orderIds.includes(orderId));
      expect(contacts.map((c) => c.email)).toEqual([stored]);

      // A claimant through an invitation limited to the address's domain (as typed by the admin).
      const inv = await addInvitation(s, org, teamId, productId, { allowedDomains: [domain] });
      const claimed = await claim(s, inv.token, cookie);
      expect(claimed.status, JSON.stringify(claimed.json)).toBe(200);
      expect(claimed.json.assignee).toMatchObject({ email: stored });
    });

    it('an invitation limited to an xn-- domain refuses other domains', async () => {
      const cookie = await signInByEmail('eve@example.test', 'eve@example.test');
      const inv = await addInvitation(s, org, teamId, productId, { allowedDomains: ['xn--mnchen-3ya.test'] });
      const refused = await claim(s, inv.token, cookie);
      expect(refused.status).toBe(403);
      expect(refused.json.error).toBe('domain-not-allowed');
    });

    it.each(INVALID)('%j is refused at sign-in, as a member and as a licensee', async (bad) => {
      const asked = await s.request('/api/auth/email', { body: { email: bad } });
      expect(asked.status).toBe(400);
      expect(asked.json).toMatchObject({ error: 'invalid-body', message: 'email: Enter a valid email address' });
      const member = createRow({ id: newId(), orgId: org.orgId, accountId: '', email: bad, name: 'X', isOrgAdmin: false, adminOfTeamIds: [], disabled: false });
      expect((await pushOutcome(s, 'members', [member], org.cookie, org.orgId)).outcome).toBe('invalid-document');
      const contact = createRow({ id: newId(), orgId: org.orgId, name: 'X', email: bad, roles: [], orderIds: [], disabled: false, source: 'manual' });
      expect((await pushOutcome(s, 'contacts', [contact], org.cookie, org.orgId)).outcome).toBe('invalid-document');
    });

    it('refuses allowed domains that are not domains, and stores the others normalized', async () => {
      const bad = createRow({ id: newId(), orgId: org.orgId, teamId, productId, allowedDomains: ['*.com'], createdByMemberId: org.memberId });
      expect((await pushOutcome(s, 'invitations', [bad], org.cookie, org.orgId)).outcome).toBe('invalid-document');
      const id = newId();
      const good = createRow({ id, orgId: org.orgId, teamId, productId, allowedDomains: ['*.MÜNCHEN.test'], createdByMemberId: org.memberId });
      expect((await pushOutcome(s, 'invitations', [good], org.cookie, org.orgId)).outcome).toBe('ok');
      const stored = (await pullAll(s, 'invitations', org.cookie, org.orgId)).docs.find((d) => d.id === id);
      expect(stored!.allowedDomains).toEqual(['*.xn--mnchen-3ya.test']);
    });
  });
}
