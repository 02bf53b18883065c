import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server';
import { skipWithoutPg } from '../helpers/pg';
import { manualClock } from '../../server/clock';
import { CATALOG_ORG } from '../../server/store/docs';
import { runInvoiceOverdue } from '../../server/jobs/invoice-overdue';
import { runLicensesExpiring } from '../../server/jobs/licenses-expiring';
import { newId } from '../../shared/ids';
import type { ContactRole } from '../../shared/schemas';
import { liveDocs, outboxRows } from './claims-fixtures';
import { findDoc } from '../../server/store/docs';
import type { Fixture } from '../helpers/collection-kit';
import { bulletinPath, pushPath } from '../helpers/sync-api';
import { orgPath } from '../../shared/links';


for (const dialect of ['sqlite', 'postgres'] as const) {
  describe.skipIf(skipWithoutPg(dialect, 'the notifications suite'))(`notification events on ${dialect}`, () => {
    let s: TestServer;
    const clock = manualClock(new Date('2026-03-10T08:00:00Z'));
    beforeAll(async () => {
      s = await startTestServer({ dialect, clock });
    });
    afterAll(async () => s?.close());

    const contact = (orgId: string, email: string, roles: ContactRole[], over: Record<string, unknown> = {}) => ({
      id: newId(),
      orgId,
      name: email.split('@')[0],
      email,
      roles,
      orderIds: [],
      disabled: false,
      source: 'manual' as const,
      ...over,
    });
    const push = (collection: string, cookie: string, doc: Record<string, unknown>, assumed?: Record<string, unknown>) =>
      s.request(pushPath(String(doc.orgId), collection), {
        cookie,
        body: [{ ...(assumed ? { assumedMasterState: assumed } : {}), newDocumentState: { seq: 0, updatedAt: '', _deleted: false, ...doc } }],
      });
    const mailsOf = async (orgId: string, topic: string) => (await outboxRows(s, topic)).filter((m) => m.org_id === orgId);

    it('materializes an order without a team: team, one license per seat, contacts, and an email to the org admins', async () => {
      const org = await s.createOrg('Initech', `boss-${newId().slice(0, 6)}@initech.test`);
      const secondAdmin = `second-${newId().slice(0, 6)}@initech.test`;
      await s.signIn(secondAdmin);
      await s.put(org.orgId, 'members', [
        { id: newId(), orgId: org.orgId, accountId: await s.accountId(secondAdmin), email: secondAdmin, name: 'Second', isOrgAdmin: true, adminOfTeamIds: [], disabled: false },
        { id: newId(), orgId: org.orgId, accountId: newId(), email: 'teamadmin@initech.test', name: 'T', isOrgAdmin: false, adminOfTeamIds: [], disabled: false },
      ]);
      const existing = contact(org.orgId, 'bill@initech.test', ['primaryBilling']);
      await s.put(org.orgId, 'contacts', [existing]);
      const [p1, p2] = [newId(), newId()];
      await s.put(CATALOG_ORG, 'products', [
        { id: p1, code: 'A', name: 'Alpha' },
        { id: p2, code: 'B', name: 'Beta' },
      ]);
      const orderId = newId();
      const res = await push('orders', org.cookie, {
        id: orderId,
        orgId: org.orgId,
        reference: 'PO-<1001>',
        placedAt: '2026-03-10',
        teamId: '',
        licensee: { name: 'Lena Licensee', email: 'Lena@Initech.test' },
        billing: { name: 'Bill', email: 'bill@initech.test' },
        licenseeContactId: '',
        billingContactId: '',
        lines: [
          { productId: p1, quantity: 3 },
          { productId: p2, quantity: 2 },
        ],
        validUntil: '2027-03-10',
      });
      expect(res.json).toEqual({ conflicts: [], rejected: [] });
      const [order] = (await liveDocs(s, 'orders', org.orgId)).filter((o) => o.id === orderId);
      expect(order.materializedAt).toBeTruthy();
      const teams = (await liveDocs(s, 'teams', org.orgId)).filter((t) => t.createdFromOrderId === orderId);
      expect(teams).toHaveLength(1);
      expect(teams[0].name).toBe('PO-<1001>');
      expect(order.teamId).toBe(teams[0].id);
      const licenses = (await liveDocs(s, 'licenses', org.orgId)).filter((l) => l.orderId === orderId);
      expect(licenses).toHaveLength(5);
      expect(licenses.filter((l) => l.productId === p1)).toHaveLength(3);
      expect(licenses.every((l) => l.status === 'available' && l.teamId === teams[0].id && l.validUntil === '2027-03-10')).toBe(true);
      const contacts = await liveDocs(s, 'contacts', org.orgId);
      const lena = contacts.find((c) => c.email === 'lena@initech.test');
      expect(lena).toMatchObject({ source: 'order', roles: [], orderIds: [orderId], disabled: false });
      expect(order.licenseeContactId).toBe(lena!.id);
      const bill = contacts.find((c) => c.id === existing.id);
      expect(bill).toMatchObject({ source: 'manual', roles: ['primaryBilling'], orderIds: [orderId] });
      expect(order.billingContactId).toBe(existing.id);
      const mails = await mailsOf(org.orgId, 'order-placed');
      // The admin who recorded it is not told what they just did: the other admin is.
      expect(mails.map((m) => m.recipient)).toEqual([secondAdmin]);
      expect(mails[0].subject).toBe('Order PO-<1001> placed');
      expect(mails[0].html).toContain('PO-&lt;1001&gt;');
      expect(mails[0].html).not.toContain('PO-<1001>');
      expect(mails[0].text).toContain(`${s.url}${orgPath(org.orgId, `/orders/${orderId}`)}`);

      // A later edit of the order does not materialize it again.
      const again = await push('orders', org.cookie, { ...order, validUntil: '2028-01-01' }, { ...order, _deleted: false });
      expect(again.json.rejected).toEqual([]);
      expect((await liveDocs(s, 'licenses', org.orgId)).filter((l) => l.orderId === orderId)).toHaveLength(5);
      expect(await mailsOf(org.orgId, 'order-placed')).toHaveLength(1);
    });

    it('puts an order into a chosen team and lets billing default to the licensee', async () => {
      const org = await s.createOrg('Hooli', `gavin-${newId().slice(0, 6)}@hooli.test`);
      const teamId = newId();
      await s.put(org.orgId, 'teams', [{ id: teamId, orgId: org.orgId, name: 'Core' }]);
      const productId = newId();
      await s.put(CATALOG_ORG, 'products', [{ id: productId, code: 'C', name: 'Gamma' }]);
      const orderId = newId();
      await push('orders', org.cookie, {
        id: orderId,
        orgId: org.orgId,
        reference: 'PO-2',
        placedAt: '2026-03-10',
        teamId,
        licensee: { name: 'Solo', email: 'solo@hooli.test' },
        licenseeContactId: '',
        billingContactId: '',
        lines: [{ productId, quantity: 2 }],
        validUntil: '2027-01-01',
      });
      const [order] = (await liveDocs(s, 'orders', org.orgId)).filter((o) => o.id === orderId);
      expect(order.teamId).toBe(teamId);
      expect(order.billingContactId).toBe(order.licenseeContactId);
      expect((await liveDocs(s, 'teams', org.orgId))).toHaveLength(1);
      expect((await liveDocs(s, 'contacts', org.orgId)).filter((c) => c.email === 'solo@hooli.test')).toHaveLength(1);
      expect((await liveDocs(s, 'licenses', org.orgId)).filter((l) => l.teamId === teamId)).toHaveLength(2);
    });

    it("takes an order written with DESIGN §3's fields only: existing contacts by id, no team", async () => {
      const org = await s.createOrg('Pied Piper', `richard-${newId().slice(0, 6)}@piper.test`);
      const lic = contact(org.orgId, 'jared@piper.test', []);
      const bill = contact(org.orgId, 'monica@piper.test', ['primaryBilling']);
      await s.put(org.orgId, 'contacts', [lic, bill]);
      const productId = newId();
      await s.put(CATALOG_ORG, 'products', [{ id: productId, code: 'PP', name: 'Middle-out' }]);
      const orderId = newId();
      // No seq, updatedAt or _deleted, and no team: what a client other than RxDB may send.
      const res = await s.request(pushPath(org.orgId, 'orders'), {
        cookie: org.cookie,
        body: [
          {
            newDocumentState: {
              id: orderId,
              orgId: org.orgId,
              reference: 'PP-7',
              placedAt: '2026-03-10T08:00:00.000Z',
              teamId: null,
              licenseeContactId: lic.id,
              billingContactId: bill.id,
              lines: [{ productId, quantity: 3 }],
              validUntil: '2027-03-10T00:00:00.000Z',
            },
          },
        ],
      });
      expect(res.status).toBe(200);
      expect(res.json).toEqual({ conflicts: [], rejected: [] });
      const [order] = (await liveDocs(s, 'orders', org.orgId)).filter((o) => o.id === orderId);
      expect(order).toMatchObject({
        licenseeContactId: lic.id,
        billingContactId: bill.id,
        licensee: { name: 'jared', email: 'jared@piper.test' },
        billing: { name: 'monica', email: 'monica@piper.test' },
      });
      const [team] = (await liveDocs(s, 'teams', org.orgId)).filter((t) => t.id === order.teamId);
      expect(team).toMatchObject({ name: 'PP-7', createdFromOrderId: orderId });
      expect((await liveDocs(s, 'licenses', org.orgId)).filter((l) => l.orderId === orderId)).toHaveLength(3);
      const contacts = await liveDocs(s, 'contacts', org.orgId);
      expect(contacts.find((c) => c.id === lic.id)?.orderIds).toEqual([orderId]);
      expect(contacts.find((c) => c.id === bill.id)?.orderIds).toEqual([orderId]);

      // Neither a contact nor a person: refused, nothing made.
      const bare = await push('orders', org.cookie, { id: newId(), orgId: org.orgId, reference: 'PP-8', placedAt: '2026-03-10', teamId: '', licenseeContactId: '', billingContactId: '', lines: [{ productId, quantity: 1 }], validUntil: '2027-01-01' });
      expect(bare.json.rejected[0]).toMatchObject({ code: 'invalid-document', fields: ['licenseeContactId'] });
      // A contact id from nowhere: refused.
      const stray = await push('orders', org.cookie, { id: newId(), orgId: org.orgId, reference: 'PP-9', placedAt: '2026-03-10', teamId: '', licenseeContactId: newId(), billingContactId: '', lines: [{ productId, quantity: 1 }], validUntil: '2027-01-01' });
      expect(stray.json.rejected[0]).toMatchObject({ code: 'unknown-reference' });
      // Made deleted first, then brought back without a licensee: refused like a new one.
      const ghostId = newId();
      const ghost = { id: ghostId, orgId: org.orgId, reference: 'PP-10', placedAt: '2026-03-10', teamId: '', licenseeContactId: '', billingContactId: '', lines: [{ productId, quantity: 1 }], validUntil: '2027-01-01' };
      expect((await push('orders', org.cookie, { ...ghost, _deleted: true })).json.rejected).toEqual([]);
      const stored = (await findDoc(s.store.db, 'orders', ghostId))!;
      expect(stored._deleted).toBe(true);
      const back = await push('orders', org.cookie, { ...stored, _deleted: false }, stored);
      expect(back.status).toBe(200);
      expect(back.json.rejected[0]).toMatchObject({ code: 'invalid-document', fields: ['licenseeContactId'] });
    });

    it('emails a new quote to the new-quotes and primary billing contacts, not to disabled ones', async () => {
      const email = `alice-${newId().slice(0, 6)}@umbrella.test`;
      const org = { ...(await s.createOrg('Umbrella', email)), email };
      await s.put(org.orgId, 'contacts', [
        contact(org.orgId, 'quotes@umbrella.test', ['newQuotes']),
        contact(org.orgId, 'billing@umbrella.test', ['primaryBilling', 'newQuotes']),
        contact(org.orgId, 'off@umbrella.test', ['newQuotes'], { disabled: true }),
        contact(org.orgId, 'tech@umbrella.test', ['primaryTechnical']),
      ]);
      const quoteId = newId();
      const res = await push('quotes', org.cookie, {
        id: quoteId,
        orgId: org.orgId,
        number: '',
        lines: [{ productId: newId(), quantity: 3 }],
        totalCents: 0,
        currency: 'EUR',
        requestedByMemberId: org.memberId,
        createdAt: '2026-03-10T09:00:00Z',
        validUntil: '2026-04-10',
      });
      expect(res.status).toBe(200);
      expect(res.json).toEqual({ conflicts: [], rejected: [] });
      const mails = await mailsOf(org.orgId, 'quote-created');
      expect(mails.map((m) => m.recipient).sort()).toEqual(['billing@umbrella.test', 'quotes@umbrella.test']);
      expect(mails[0].dedupe_key).toMatch(new RegExp(`^quote-created:${quoteId}:`));
      const [quote] = await liveDocs(s, 'quotes', org.orgId);
      expect(quote.number).toBe('Q-2026-0001');
      expect(mails[0].subject).toBe('New quote Q-2026-0001');
      expect(mails[0].text).toContain('3 licenses');
    });

    it('sends a bulletin from an org admin to the topic contacts only', async () => {
      const org = await s.createOrg('Stark', `tony-${newId().slice(0, 6)}@stark.test`);
      await s.put(org.orgId, 'contacts', [
        contact(org.orgId, 'sec@stark.test', ['securityPrivacy']),
        contact(org.orgId, 'tech@stark.test', ['primaryTechnical']),
        contact(org.orgId, 'dp@stark.test', ['dataProtection']),
        contact(org.orgId, 'lic@stark.test', ['primaryLicensee']),
        contact(org.orgId, 'off@stark.test', ['securityPrivacy'], { disabled: true }),
      ]);
      const body = { topic: 'security-privacy', subject: 'Patch <now>', body: 'Update to 2.1 & restart.\n\nThanks' };
      expect((await s.request(bulletinPath(org.orgId), { body })).status).toBe(401);
      const stranger = await s.signIn(`stranger-${newId().slice(0, 6)}@x.test`);
      expect((await s.request(bulletinPath(org.orgId), { cookie: stranger, body })).json.error).toBe('organization-not-found');
      const memberEmail = `member-${newId().slice(0, 6)}@stark.test`;
      const memberCookie = await s.signIn(memberEmail);
      await s.put(org.orgId, 'members', [
        { id: newId(), orgId: org.orgId, accountId: await s.accountId(memberEmail), email: memberEmail, name: 'M', isOrgAdmin: false, adminOfTeamIds: [], disabled: false },
      ]);
      const notAdmin = await s.request(bulletinPath(org.orgId), { cookie: memberCookie, body });
      expect([notAdmin.status, notAdmin.json.error]).toEqual([403, 'forbidden']);
      const bad = await s.request(bulletinPath(org.orgId), { cookie: org.cookie, body: { ...body, topic: 'order-placed' } });
      expect([bad.status, bad.json.error]).toEqual([400, 'invalid-body']);

      const sent = await s.request(bulletinPath(org.orgId), { cookie: org.cookie, body });
      expect(sent.status).toBe(200);
      expect(sent.json.recipients).toBe(2);
      const mails = await mailsOf(org.orgId, 'security-privacy');
      expect(mails.map((m) => m.recipient).sort()).toEqual(['sec@stark.test', 'tech@stark.test']);
      expect(mails[0].subject).toBe('Patch <now>');
      expect(mails[0].html).toContain('Update to 2.1 &amp; restart.');
      expect(mails[0].html).not.toContain('<now>');
      expect(mails[0].text).toContain('Update to 2.1 & restart.');
      expect(mails[0].text).toContain(`${s.url}${orgPath(org.orgId, '/')}`);

      await s.request(bulletinPath(org.orgId), { cookie: org.cookie, body: { ...body, topic: 'data-protection' } });
      expect((await mailsOf(org.orgId, 'data-protection')).map((m) => m.recipient).sort()).toEqual(['dp@stark.test', 'lic@stark.test']);
    });

    it('reminds of an overdue unpaid invoice once per invoice and day', async () => {
      const org = await s.createOrg('Wayne', `bruce-${newId().slice(0, 6)}@wayne.test`);
      await s.put(org.orgId, 'contacts', [
        contact(org.orgId, 'unpaid@wayne.test', ['unpaidInvoices']),
        contact(org.orgId, 'billing@wayne.test', ['primaryBilling']),
        contact(org.orgId, 'quotes@wayne.test', ['newQuotes']),
      ]);
      const invoice = (over: Record<string, unknown>) => ({
        id: newId(),
        orgId: org.orgId,
        orderId: newId(),
        number: `INV-${newId().slice(0, 4)}`,
        amountCents: 9900,
        currency: 'USD',
        issuedAt: '2026-02-01',
        dueAt: '2026-03-01',
        ...over,
      });
      const overdue = invoice({});
      await s.put(org.orgId, 'invoices', [overdue, invoice({ paidAt: '2026-03-02' }), invoice({ dueAt: '2026-04-01' })]);
      await runInvoiceOverdue(s.deps);
      await runInvoiceOverdue(s.deps);
      let mails = await mailsOf(org.orgId, 'invoice-overdue');
      expect(mails.map((m) => m.recipient).sort()).toEqual(['billing@wayne.test', 'unpaid@wayne.test']);
      expect(mails.map((m) => m.dedupe_key)).toContain(`invoice-overdue:${overdue.id}:2026-03-10:unpaid@wayne.test`);
      expect(mails[0].text).toContain(overdue.number);
      expect(mails[0].text).toContain(`${s.url}${orgPath(org.orgId, '/invoices')}`);
      clock.advance(86_400_000);
      await runInvoiceOverdue(s.deps);
      mails = await mailsOf(org.orgId, 'invoice-overdue');
      expect(mails).toHaveLength(4);
      await s.put(org.orgId, 'invoices', [{ ...overdue, paidAt: '2026-03-11' }]);
      clock.advance(86_400_000);
      await runInvoiceOverdue(s.deps);
      expect(await mailsOf(org.orgId, 'invoice-overdue')).toHaveLength(4);
    });

    it('tells the primary licensees once about an order whose licenses end within 30 days', async () => {
      const org = await s.createOrg('Umbrella', `alice-${newId().slice(0, 6)}@umbrella.test`);
      await s.put(org.orgId, 'contacts', [
        contact(org.orgId, 'lic@umbrella.test', ['primaryLicensee']),
        contact(org.orgId, 'gone@umbrella.test', ['primaryLicensee'], { disabled: true }),
        contact(org.orgId, 'tech@umbrella.test', ['primaryTechnical']),
      ]);
      const productId = newId();
      await s.put(CATALOG_ORG, 'products', [{ id: productId, code: 'U', name: 'Umbra IDE' }]);
      const teamId = newId();
      await s.put(org.orgId, 'teams', [{ id: teamId, orgId: org.orgId, name: 'Labs' }]);
      const day = (n: number) => new Date(clock.now().getTime() + n * 86_400_000).toISOString().slice(0, 10);
      const soon = { id: newId(), reference: 'UMB-1', end: day(20) };
      const later = { id: newId(), reference: 'UMB-2', end: day(60) };
      for (const o of [soon, later]) {
        await s.put(org.orgId, 'orders', [
          { id: o.id, orgId: org.orgId, reference: o.reference, placedAt: day(-300), teamId, licenseeContactId: '', billingContactId: '', lines: [{ productId, quantity: 2 }], validUntil: o.end, materializedAt: day(-300) },
        ]);
      }
      const license = (orderId: string, end: string, over: Partial<Fixture<'licenses'>> = {}): Fixture<'licenses'> => ({
        id: newId(), orgId: org.orgId, orderId, teamId, productId, status: 'available', validUntil: `${end}T00:00:00.000Z`, ...over,
      });
      await s.put(org.orgId, 'licenses', [
        license(soon.id, soon.end, { status: 'assigned', assignee: { accountId: newId(), email: 'kim@umbrella.test', name: 'Kim' }, assignedAt: day(-10) }),
        license(soon.id, soon.end),
        license(later.id, later.end),
        license(later.id, later.end),
      ]);

      await runLicensesExpiring(s.deps);
      await runLicensesExpiring(s.deps);
      let mails = await mailsOf(org.orgId, 'licenses-expiring');
      expect(mails.map((m) => m.recipient)).toEqual(['lic@umbrella.test']);
      expect(mails[0].subject).toBe(`2 licenses of order UMB-1 expire on ${soon.end}`);
      expect(mails[0].text).toContain('2 × Umbra IDE');
      expect(mails[0].text).toContain('1 of them is in use');
      expect(mails[0].text).toContain(`${s.url}${orgPath(org.orgId, `/orders/${soon.id}`)}`);

      // A day later: still one email for UMB-1; UMB-2 is not yet within 30 days.
      clock.advance(86_400_000);
      await runLicensesExpiring(s.deps);
      mails = await mailsOf(org.orgId, 'licenses-expiring');
      expect(mails).toHaveLength(1);
      // Once UMB-2's end is 30 days away, its email follows.
      clock.advance(30 * 86_400_000);
      await runLicensesExpiring(s.deps);
      mails = await mailsOf(org.orgId, 'licenses-expiring');
      expect(mails.map((m) => m.subject)).toContain(`2 licenses of order UMB-2 expire on ${later.end}`);
      expect(mails).toHaveLength(2);
    });
  });
}
