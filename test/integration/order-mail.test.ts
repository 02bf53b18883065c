import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRemoteJWKSet, flattenedVerify } from 'jose';
import { startTestServer, type TestServer } from '../helpers/server';
import { skipWithoutPg } from '../helpers/pg';
import { startSmtpCapture, type ParsedMessage, type SmtpCapture } from '../helpers/smtp';
import { pdfText } from '../helpers/pdf-text';
import { pushPath } from '../helpers/sync-api';
import { manualClock } from '../../server/clock';
import { smtpMailer } from '../../server/mail/mailer';
import { startOutboxWorker, type OutboxWorker } from '../../server/mail/worker';
import { runLicensesExpiring } from '../../server/jobs/licenses-expiring';
import { CATALOG_ORG } from '../../server/store/docs';
import { CERTIFICATE_TYP, verifyCertificate, type CertificateClaims } from '../../shared/certificate';
import { newId } from '../../shared/ids';
import { licenseRef } from '../../shared/license-ref';
import { orgPath } from '../../shared/links';
import { orderCertificatePath } from '../../shared/sync-paths';
import { liveDocs, outboxRows } from './claims-fixtures';

/**
 * What an order's contacts receive (DESIGN §4 order-specific contact row, §7): the licensee the
 * license certificate (PDF + signed JSON), the billing contact the invoice and the receipt —
 * through the outbox, a real SMTP server, and nothing about another order.
 */
for (const dialect of ['sqlite', 'postgres'] as const) {
  describe.skipIf(skipWithoutPg(dialect, 'the order emails suite'))(`an order's contacts' emails on ${dialect}`, () => {
    let s: TestServer;
    let smtp: SmtpCapture;
    let worker: OutboxWorker;
    const clock = manualClock(new Date('2026-06-01T09:00:00Z'));
    const tag = newId().slice(0, 6);
    const lena = `lena-${tag}@initech.test`;
    const bill = `bill-${tag}@initech.test`;
    const olga = `olga-${tag}@initech.test`;
    const [alpha, beta] = [newId(), newId()];
    let org: { orgId: string; cookie: string };

    beforeAll(async () => {
      smtp = await startSmtpCapture();
      s = await startTestServer({ dialect, clock, mailer: smtpMailer(smtp.url) });
      // Only the test's drains drive this worker.
      worker = startOutboxWorker(s.deps, { intervalMs: 3_600_000 });
      org = await s.createOrg('Initech & <Sons>', `boss-${tag}@initech.test`);
      await s.put(CATALOG_ORG, 'products', [
        { id: alpha, code: 'ALPHA', name: 'Alpha IDE' },
        { id: beta, code: 'BETA', name: 'Beta <Profiler>' },
      ]);
    });
    afterAll(async () => {
      await worker?.stop();
      await s?.close();
      await smtp?.close();
    });

    const push = async (collection: string, doc: Record<string, unknown>, assumed?: Record<string, unknown>) => {
      const res = await s.request(pushPath(org.orgId, collection), {
        cookie: org.cookie,
        body: [{ ...(assumed ? { assumedMasterState: assumed } : {}), newDocumentState: { seq: 0, updatedAt: '', _deleted: false, orgId: org.orgId, ...doc } }],
      });
      expect(res.status).toBe(200);
      expect(res.json).toEqual({ conflicts: [], rejected: [] });
    };
    // The organization is made in beforeAll: push fills in its id.
    const order = (reference: string, licensee: { name: string; email: string }, billing?: { name: string; email: string }, validUntil = '2027-06-01') => ({
      id: newId(),
      reference,
      placedAt: '2026-06-01',
      teamId: '',
      licensee,
      ...(billing ? { billing } : {}),
      licenseeContactId: '',
      billingContactId: '',
      lines: [
        { productId: alpha, quantity: 3 },
        { productId: beta, quantity: 2 },
      ],
      validUntil,
    });
    const to = (address: string) => smtp.messages.filter((m) => m.to.includes(address));
    const stored = async <C extends 'orders' | 'invoices' | 'contacts'>(collection: C, id: string) =>
      (await liveDocs(s, collection, org.orgId)).find((d) => d.id === id)!;
    const jwks = () => createRemoteJWKSet(new URL(`${s.url}/.well-known/jwks.json`));
    const verify = async (json: string): Promise<CertificateClaims> => {
      const { payload, protectedHeader } = await flattenedVerify(JSON.parse(json), jwks());
      expect(protectedHeader).toMatchObject({ alg: 'EdDSA', typ: CERTIFICATE_TYP });
      return JSON.parse(new TextDecoder().decode(payload)) as CertificateClaims;
    };

    const orderA = order('PO-<7>', { name: 'Lena <Licensee>', email: lena }, { name: 'Bill Billing', email: bill });
    const orderB = order('PO-B-8', { name: 'Olga', email: olga });
    let certificateMail: ParsedMessage;

    it('sends the licensee of a new order one certificate email, its PDF naming the order and its products, its signed copy verifying against the JWKS', async () => {
      await push('orders', orderA);
      await worker.drain();
      await worker.drain();
      const mails = to(lena);
      expect(mails).toHaveLength(1);
      [certificateMail] = mails;
      const m = certificateMail;
      expect(m.subject).toBe('License certificate for order PO-<7>');
      // Text and HTML parts, the HTML escaped, a link into this organization's order page.
      expect(m.text).toContain('Hello Lena <Licensee>,');
      expect(m.text).toContain('3 × Alpha IDE');
      expect(m.text).toContain('2 × Beta <Profiler>');
      expect(m.text).toContain('Initech & <Sons>');
      expect(m.text).toContain(`${s.url}${orgPath(org.orgId, `/orders/${orderA.id}`)}`);
      expect(m.html).toContain('PO-&lt;7&gt;');
      expect(m.html).toContain('Beta &lt;Profiler&gt;');
      expect(m.html).toContain('Initech &amp; &lt;Sons&gt;');
      expect(m.html).not.toContain('<Sons>');
      expect(m.html).toContain(`href="${s.url}${orgPath(org.orgId, `/orders/${orderA.id}`)}"`);
      // Each license's short reference, and how the licenses reach people.
      const licenses = (await liveDocs(s, 'licenses', org.orgId)).filter((l) => l.orderId === orderA.id);
      expect(licenses).toHaveLength(5);
      for (const l of licenses) expect(m.text).toContain(licenseRef(l.id));
      expect(m.text).toContain('invitation link');
      const team = (await liveDocs(s, 'teams', org.orgId)).find((t) => t.createdFromOrderId === orderA.id)!;
      expect(m.text).toContain(`Team: ${team.name}`);
      expect(m.text).toContain('Valid until 2027-06-01');

      expect(m.attachments.map((a) => [a.filename, a.contentType])).toEqual([
        ['license-certificate-PO-7.pdf', 'application/pdf'],
        ['license-certificate-PO-7.json', 'application/jose+json'],
      ]);
      const pdf = await pdfText(m.attachments[0].content);
      expect(pdf.title).toBe('License certificate');
      expect(pdf.text).toContain('PO-<7>');
      expect(pdf.text).toContain('Alpha IDE');
      expect(pdf.text).toContain('Beta <Profiler>');
      expect(pdf.text).toContain('Initech & <Sons>');
      for (const l of licenses) expect(pdf.text).toContain(licenseRef(l.id));

      const claims = await verify(m.attachments[1].content.toString('utf8'));
      expect(claims).toMatchObject({
        iss: s.url,
        sub: orderA.id,
        org: { id: org.orgId, name: 'Initech & <Sons>' },
        order: { id: orderA.id, reference: 'PO-<7>', placedOn: '2026-06-01', validUntil: '2027-06-01' },
        team: { id: team.id, name: team.name },
        licensee: { name: 'Lena <Licensee>', email: lena },
        lines: [
          { product: 'ALPHA', name: 'Alpha IDE', quantity: 3 },
          { product: 'BETA', name: 'Beta <Profiler>', quantity: 2 },
        ],
        licenseCount: 5,
      });
      expect(claims.licenses.map((l) => l.ref).sort()).toEqual(licenses.map((l) => licenseRef(l.id)).sort());
      // shared/certificate.ts verifies it offline with the published JWKS; a changed byte breaks it.
      const published = (await s.request('/.well-known/jwks.json')).json;
      const checked = await verifyCertificate(m.attachments[1].content.toString('utf8'), published);
      expect(checked.ok && checked.claims.order.reference).toBe('PO-<7>');
      const jws = JSON.parse(m.attachments[1].content.toString('utf8'));
      const forged = { ...jws, payload: Buffer.from(JSON.stringify({ ...claims, licenseCount: 500 })).toString('base64url') };
      expect(await verifyCertificate(forged, published)).toMatchObject({ ok: false, code: 'bad-signature' });

      // The billing contact receives no certificate; the outbox row is logged and sent once.
      expect(to(bill)).toHaveLength(0);
      const rows = (await outboxRows(s, 'license-certificate')).filter((r) => r.org_id === org.orgId);
      expect(rows.map((r) => [r.recipient, r.status])).toEqual([[lena, 'sent']]);
      const log = (await liveDocs(s, 'notifications', org.orgId)).find((n) => n.id === rows[0].notification_id);
      expect(log).toMatchObject({ status: 'sent', recipients: [lena], subject: 'License certificate for order PO-<7>' });
      await worker.drain();
      expect(to(lena)).toHaveLength(1);
    });

    it('emails an issued invoice to the billing contact with its PDF, and a receipt once it is paid', async () => {
      const invoice = { id: newId(), orgId: org.orgId, orderId: orderA.id, number: 'INV-<2026>-1', amountCents: 123456, currency: 'EUR', issuedAt: '2026-06-01', dueAt: '2026-07-01' };
      await push('invoices', invoice);
      await worker.drain();
      let mails = to(bill);
      expect(mails).toHaveLength(1);
      const m = mails[0];
      expect(m.subject).toBe('Invoice INV-<2026>-1 for order PO-<7>');
      expect(m.text).toContain('Amount: €1,234.56');
      expect(m.text).toContain('Due on: 2026-07-01');
      expect(m.text).toContain('Hello Bill Billing,');
      expect(m.text).toContain(`${s.url}${orgPath(org.orgId, `/orders/${orderA.id}`)}`);
      expect(m.html).toContain('INV-&lt;2026&gt;-1');
      expect(m.attachments.map((a) => a.filename)).toEqual(['invoice-INV-2026-1.pdf']);
      const pdf = await pdfText(m.attachments[0].content);
      expect(pdf.text).toContain('INV-<2026>-1');
      expect(pdf.text).toContain('€1,234.56');
      expect(pdf.text).toContain('PO-<7>');
      expect(pdf.text).toContain('Unpaid');

      const before = await stored('invoices', invoice.id);
      await push('invoices', { ...before, paidAt: '2026-06-10' }, before);
      await worker.drain();
      mails = to(bill);
      expect(mails).toHaveLength(2);
      expect(mails[1].subject).toBe('Receipt for invoice INV-<2026>-1');
      expect(mails[1].text).toContain('was paid on 2026-06-10');
      const receipt = await pdfText(mails[1].attachments[0].content);
      expect(receipt.text).toContain('Paid on 2026-06-10');
      // The licensee received none of it.
      expect(to(lena)).toHaveLength(1);
      // Sent once each; the notification log records each under its own topic.
      const rows = (await outboxRows(s)).filter((r) => r.org_id === org.orgId && r.recipient === bill);
      expect(rows.map((r) => `${r.topic} ${r.status}`).sort()).toEqual(['invoice-issued sent', 'invoice-paid sent']);
      const log = (await liveDocs(s, 'notifications', org.orgId)).filter((n) => rows.some((r) => r.notification_id === n.id));
      expect(log.map((n) => `${n.topic} ${n.status} ${n.subject}`).sort()).toEqual([
        'invoice-issued sent Invoice INV-<2026>-1 for order PO-<7>',
        'invoice-paid sent Receipt for invoice INV-<2026>-1',
      ]);
    });

    it("gives another order's licensee their own certificate and invoice (billing defaulting to them), and order A's contacts nothing of it", async () => {
      await push('orders', orderB);
      await push('invoices', { id: newId(), orgId: org.orgId, orderId: orderB.id, number: 'INV-B-1', amountCents: 5000, currency: 'USD', issuedAt: '2026-06-01', dueAt: '2026-06-30' });
      await worker.drain();
      const olgas = to(olga);
      expect(olgas.map((m) => m.subject).sort()).toEqual(['Invoice INV-B-1 for order PO-B-8', 'License certificate for order PO-B-8']);
      expect(olgas.find((m) => m.subject.startsWith('Invoice'))!.text).toContain('Amount: $50.00');
      for (const address of [lena, bill]) {
        expect(to(address).some((m) => m.subject.includes('PO-B-8') || m.text.includes('PO-B-8') || m.subject.includes('INV-B-1'))).toBe(false);
      }
      expect(to(lena)).toHaveLength(1);
      expect(to(bill)).toHaveLength(2);
    });

    it('lets admins and the order’s contacts download the certificate again, nobody else', async () => {
      const pdf = await fetch(`${s.url}${orderCertificatePath(org.orgId, orderA.id, 'pdf')}`, { headers: { cookie: org.cookie } });
      expect(pdf.status).toBe(200);
      expect(pdf.headers.get('content-type')).toBe('application/pdf');
      expect(pdf.headers.get('content-disposition')).toBe('attachment; filename="license-certificate-PO-7.pdf"');
      expect((await pdfText(new Uint8Array(await pdf.arrayBuffer()))).text).toContain('PO-<7>');

      const lenaCookie = await s.signIn(lena);
      const json = await s.request(orderCertificatePath(org.orgId, orderA.id, 'json'), { cookie: lenaCookie });
      expect(json.status).toBe(200);
      expect(json.headers.get('content-type')).toBe('application/jose+json');
      expect((await verify(json.text)).order.reference).toBe('PO-<7>');
      const billCookie = await s.signIn(bill);
      expect((await s.request(orderCertificatePath(org.orgId, orderA.id, 'pdf'), { cookie: billCookie })).status).toBe(200);
      // Lena is a contact of order A only: order B does not exist for her.
      const other = await s.request(orderCertificatePath(org.orgId, orderB.id, 'json'), { cookie: lenaCookie });
      expect([other.status, other.json.error]).toEqual([404, 'not-found']);
      // A primary billing contact sees every order but is no licensee: refused.
      const billing = `billing-${tag}@initech.test`;
      await s.put(org.orgId, 'contacts', [{ id: newId(), orgId: org.orgId, name: 'PB', email: billing, roles: ['primaryBilling'], orderIds: [], disabled: false, source: 'manual' }]);
      const refused = await s.request(orderCertificatePath(org.orgId, orderA.id, 'pdf'), { cookie: await s.signIn(billing) });
      expect([refused.status, refused.json.error]).toEqual([403, 'forbidden']);
      const stranger = await s.request(orderCertificatePath(org.orgId, orderA.id, 'pdf'), { cookie: await s.signIn(`x-${tag}@else.test`) });
      expect([stranger.status, stranger.json.error]).toEqual([404, 'organization-not-found']);
      expect((await s.request(orderCertificatePath(org.orgId, orderA.id, 'pdf'))).status).toBe(401);
      const bad = await s.request(orderCertificatePath(org.orgId, 'not-a-uuid', 'pdf'), { cookie: org.cookie });
      expect([bad.status, bad.json.error]).toEqual([400, 'invalid-body']);
      const missing = await s.request(orderCertificatePath(org.orgId, newId(), 'pdf'), { cookie: org.cookie });
      expect([missing.status, missing.json.error]).toEqual([404, 'not-found']);
    });

    it('sends a fresh certificate when the order’s licensee becomes another person, and nothing to the former one', async () => {
      const a = await stored('orders', orderA.id);
      const contact = await stored('contacts', a.licenseeContactId);
      const renamed = `lena.new-${tag}@initech.test`;
      await push('contacts', { ...contact, email: renamed }, contact);
      await worker.drain();
      const fresh = to(renamed);
      expect(fresh).toHaveLength(1);
      expect(fresh[0].subject).toBe('License certificate for order PO-<7>');
      expect((await verify(fresh[0].attachments[1].content.toString('utf8'))).licensee.email).toBe(renamed);
      expect(to(lena)).toHaveLength(1);
      // A change that keeps the address sends nothing.
      const now = await stored('contacts', contact.id);
      await push('contacts', { ...now, name: 'Lena L.' }, now);
      await worker.drain();
      expect(to(renamed)).toHaveLength(1);
    });

    it('fails a certificate email for good when its order is deleted before it is sent, and sends nothing', async () => {
      const gone = `gone-${tag}@initech.test`;
      const doomed = order('PO-GONE', { name: 'Gus', email: gone });
      // The mail server is down at first: the email waits for its next try.
      await smtp.setDown(true);
      await push('orders', doomed);
      await worker.drain();
      expect((await outboxRows(s, 'license-certificate')).find((r) => r.recipient === gone)).toMatchObject({ status: 'queued', attempts: 1 });
      const made = await stored('orders', doomed.id);
      await push('orders', { ...made, _deleted: true }, made);
      await smtp.setDown(false);
      clock.advance(60_000);
      await worker.drain();
      const [row] = (await outboxRows(s, 'license-certificate')).filter((r) => r.recipient === gone);
      expect(row).toMatchObject({ status: 'failed', attempts: 2, last_error: 'The order of this certificate no longer exists' });
      expect(to(gone)).toHaveLength(0);
      const log = (await liveDocs(s, 'notifications', org.orgId)).find((n) => n.id === row.notification_id);
      expect(log).toMatchObject({ status: 'failed', lastError: 'The order of this certificate no longer exists' });
    });

    it("tells an order's own contacts when their order's licenses expire, not those of another order", async () => {
      const pat = `pat-${tag}@initech.test`;
      const soon = order('PO-SOON', { name: 'Pat', email: pat }, undefined, '2026-06-20');
      await push('orders', soon);
      await runLicensesExpiring(s.deps);
      await worker.drain();
      const expiring = (address: string) => to(address).filter((m) => m.subject.includes('expire'));
      expect(expiring(pat).map((m) => m.subject)).toEqual(['5 licenses of order PO-SOON expire on 2026-06-20']);
      expect(expiring(pat)[0].text).toContain(`${s.url}${orgPath(org.orgId, `/orders/${soon.id}`)}`);
      for (const address of [lena, bill, olga]) expect(expiring(address)).toHaveLength(0);
    });
  });
}
