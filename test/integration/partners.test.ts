/**
 * Partners (DESIGN §4 partner row; seed: "if you purchase your licenses through a sales
 * representative or a partner, they will specify your licensee and billing contact information
 * on your behalf"): one partner account serves two customer organizations; in each it records
 * orders naming the licensee and billing people, sees the orders it placed with their licenses
 * and invoices — nothing else — and the organization's admins are emailed about each order.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server';
import { skipWithoutPg } from '../helpers/pg';
import { startSmtpCapture, type SmtpCapture } from '../helpers/smtp';
import { smtpMailer } from '../../server/mail/mailer';
import { startOutboxWorker, type OutboxWorker } from '../../server/mail/worker';
import { CATALOG_ORG } from '../../server/store/docs';
import { newId } from '../../shared/ids';
import type { MeResponse } from '../../shared/api';
import { createRow, pullAll, pushOutcome } from './permissions-fixtures';

for (const dialect of ['sqlite', 'postgres'] as const) {
  describe.skipIf(skipWithoutPg(dialect, 'partners'))(`a partner serving two organizations on ${dialect}`, () => {
    let s: TestServer;
    let smtp: SmtpCapture;
    let worker: OutboxWorker;
    let acme: Awaited<ReturnType<TestServer['createOrg']>>;
    let globex: Awaited<ReturnType<TestServer['createOrg']>>;
    let pat: string;
    const patInAcme = newId();
    const patInGlobex = newId();
    const product = newId();
    const acmeTeam = newId();

    beforeAll(async () => {
      smtp = await startSmtpCapture();
      s = await startTestServer({ dialect, mailer: smtpMailer(smtp.url) });
      worker = startOutboxWorker(s.deps, { intervalMs: 50 });
      acme = await s.createOrg('Acme', 'ada@acme.test');
      globex = await s.createOrg('Globex', 'gil@globex.test');
      await s.put(CATALOG_ORG, 'products', [{ id: product, code: 'RIDE', name: 'Rocket IDE' }]);
      await s.put(acme.orgId, 'teams', [{ id: acmeTeam, orgId: acme.orgId, name: 'Platform' }]);
      pat = await s.signIn('pat@reseller.test', 'Pat Partner');
      const patAccount = await s.accountId('pat@reseller.test');
      const partner = (id: string, orgId: string) => ({
        id,
        orgId,
        accountId: patAccount,
        email: 'pat@reseller.test',
        name: 'Pat Partner',
        isOrgAdmin: false,
        adminOfTeamIds: [],
        disabled: false,
        isPartner: true,
      });
      await s.put(acme.orgId, 'members', [partner(patInAcme, acme.orgId)]);
      await s.put(globex.orgId, 'members', [partner(patInGlobex, globex.orgId)]);
    }, 60_000);
    afterAll(async () => {
      await worker?.stop();
      await s?.close();
      await smtp?.close();
    });

    const order = (orgId: string, over: Record<string, unknown> = {}) =>
      createRow({
        id: newId(),
        orgId,
        reference: `PO-${newId().slice(0, 6)}`,
        placedAt: '2026-11-01T00:00:00.000Z',
        teamId: '',
        licensee: { name: 'Lena Licensee', email: 'lena@customer.test' },
        billing: { name: 'Bo Billing', email: 'bo@customer.test' },
        licenseeContactId: '',
        billingContactId: '',
        lines: [{ productId: product, quantity: 3 }],
        validUntil: '2027-10-31T00:00:00.000Z',
        ...over,
      });
    const ids = (docs: { id: string }[]) => docs.map((d) => d.id).sort();

    it('records an order in one organization: it is materialized, placed by the partner, and theirs to see', async () => {
      const row = order(acme.orgId);
      const orderId = String(row.newDocumentState.id);
      const before = smtp.messages.length;
      expect((await pushOutcome(s, 'orders', [row], pat, acme.orgId)).outcome).toBe('ok');

      const [placed] = (await pullAll(s, 'orders', pat, acme.orgId)).docs;
      expect(placed).toMatchObject({ id: orderId, placedByMemberId: patInAcme, materializedAt: expect.any(String) });
      const licenses = (await pullAll(s, 'licenses', pat, acme.orgId)).docs;
      expect(licenses).toHaveLength(3);
      expect(licenses.every((l) => l.orderId === orderId && l.teamId === placed.teamId)).toBe(true);
      // Nothing else of the organization: no teams, contacts or other members.
      for (const c of ['teams', 'contacts', 'invitations', 'acceptances', 'quotes', 'notifications'] as const) {
        expect((await pullAll(s, c, pat, acme.orgId)).docs, c).toEqual([]);
      }
      expect(ids((await pullAll(s, 'members', pat, acme.orgId)).docs)).toEqual([patInAcme]);
      // The order's people became its contacts, as with any order.
      const contacts = (await pullAll(s, 'contacts', acme.cookie, acme.orgId)).docs;
      expect(contacts.filter((c) => c.orderIds.includes(orderId)).map((c) => c.email).sort()).toEqual(['bo@customer.test', 'lena@customer.test']);

      // The admins are told, and the partner gets the confirmation; Globex hears nothing.
      const mails = await smtp.waitFor((m) => m.slice(before).filter((x) => /placed/.test(x.subject)).length >= 2);
      const placedMails = mails.slice(before).filter((x) => /placed/.test(x.subject));
      expect(placedMails.flatMap((m) => m.to).sort()).toEqual(['ada@acme.test', 'pat@reseller.test']);
      expect(placedMails[0].text).toContain('Pat Partner (partner) recorded the order');
      expect(mails.slice(before).some((m) => m.to.includes('gil@globex.test'))).toBe(false);

      // In the other organization the partner placed nothing (yet), so sees no order or license.
      expect((await pullAll(s, 'orders', pat, globex.orgId)).docs).toEqual([]);
      expect((await pullAll(s, 'licenses', pat, globex.orgId)).docs).toEqual([]);

      // The partner downloads the certificate of the order they placed.
      const cert = await s.request(`/api/orgs/${acme.orgId}/orders/${orderId}/certificate.json`, { cookie: pat });
      expect(cert.status).toBe(200);

      const me = (await s.request('/api/me', { cookie: pat })).json as MeResponse;
      const entry = (orgId: string) => me.organizations.find((o) => o.id === orgId);
      expect(entry(acme.orgId)).toMatchObject({ isPartner: true, placedOrderIds: [orderId], isOrgAdmin: false });
      expect(entry(globex.orgId)).toMatchObject({ isPartner: true, placedOrderIds: [] });
    });

    it('names people, never the organization’s teams or contacts, and changes nothing else', async () => {
      const named = order(acme.orgId, { teamId: acmeTeam });
      expect((await pushOutcome(s, 'orders', [named], pat, acme.orgId)).outcome).toBe('not-allowed');
      const team = (await pullAll(s, 'teams', acme.cookie, acme.orgId)).docs.find((t) => t.id === acmeTeam)!;
      expect((await pushOutcome(s, 'teams', [{ assumedMasterState: team, newDocumentState: { ...team, name: 'Renamed' } }], pat, acme.orgId)).outcome).toBe(
        'not-allowed',
      );
      const contact = createRow({ id: newId(), orgId: acme.orgId, name: 'X', email: 'x@acme.test', roles: [], orderIds: [], disabled: false, source: 'manual' });
      expect((await pushOutcome(s, 'contacts', [contact], pat, acme.orgId)).outcome).toBe('not-allowed');
      // Claiming to be placed by someone else is the server's to say.
      const forged = order(globex.orgId, { placedByMemberId: newId() });
      expect((await pushOutcome(s, 'orders', [forged], pat, globex.orgId)).outcome).toBe('server-only');
    });

    it('never learns an existing contact’s name: the order keeps the names the partner typed', async () => {
      await s.put(acme.orgId, 'contacts', [
        { id: newId(), orgId: acme.orgId, name: 'Lena Stored', email: 'known@customer.test', roles: [], orderIds: [], disabled: false, source: 'manual' },
      ]);
      const row = order(acme.orgId, { licensee: { name: 'As Typed', email: 'known@customer.test' }, billing: undefined });
      expect((await pushOutcome(s, 'orders', [row], pat, acme.orgId)).outcome).toBe('ok');
      const mine = (await pullAll(s, 'orders', pat, acme.orgId)).docs.find((o) => o.id === row.newDocumentState.id);
      expect(mine?.licensee).toEqual({ name: 'As Typed', email: 'known@customer.test' });
      expect(JSON.stringify(mine)).not.toContain('Lena Stored');
    });

    it('an order in the second organization is that organization’s alone', async () => {
      const row = order(globex.orgId, { reference: 'PO-GLOBEX' });
      const before = smtp.messages.length;
      expect((await pushOutcome(s, 'orders', [row], pat, globex.orgId)).outcome).toBe('ok');
      expect(ids((await pullAll(s, 'orders', pat, globex.orgId)).docs)).toEqual([row.newDocumentState.id]);
      expect((await pullAll(s, 'orders', pat, acme.orgId)).docs.map((o) => o.reference)).not.toContain('PO-GLOBEX');
      const mails = await smtp.waitFor((m) => m.slice(before).filter((x) => /PO-GLOBEX/.test(x.subject)).length >= 2);
      expect(mails.slice(before).filter((x) => /PO-GLOBEX/.test(x.subject)).flatMap((m) => m.to).sort()).toEqual(['gil@globex.test', 'pat@reseller.test']);
    });

    it('no longer a partner: the orders they placed are out of their reach', async () => {
      const member = (await pullAll(s, 'members', acme.cookie, acme.orgId)).docs.find((m) => m.id === patInAcme)!;
      const row = { assumedMasterState: member, newDocumentState: { ...member, isPartner: false } };
      expect((await pushOutcome(s, 'members', [row], acme.cookie, acme.orgId)).outcome).toBe('ok');
      expect((await pullAll(s, 'orders', pat, acme.orgId)).docs).toEqual([]);
      expect((await pullAll(s, 'licenses', pat, acme.orgId)).docs).toEqual([]);
      expect((await pushOutcome(s, 'orders', [order(acme.orgId)], pat, acme.orgId)).outcome).toBe('not-allowed');
      // Still a partner of Globex.
      expect((await pullAll(s, 'orders', pat, globex.orgId)).docs).toHaveLength(1);
    });
  });
}
