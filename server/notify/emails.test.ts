import { describe, expect, it } from 'vitest';
import {
  bulletinEmail,
  CERTIFICATE_EMAIL_LICENSES,
  invoiceIssuedEmail,
  invoicePaidEmail,
  licenseCertificateEmail,
  invoiceOverdueEmail,
  licenseClaimedEmail,
  licenseRevokedEmail,
  licensesExpiringEmail,
  orderPlacedEmail,
  quoteCreatedEmail,
  type LinkBase,
} from './emails';
import { renderEmail } from './layout';
import type { CertificateData, CertificateLicense } from '../orders/certificate';
import type { InvoiceData } from '../orders/invoice-document';

describe('email links', () => {
  const base: LinkBase = { url: 'https://allot.example', orgId: '6f1c1f0e-8d4b-4c1e-9a51-0a3b9f1c2d3e' };
  const person = { name: 'Ann', email: 'ann@x.test' };
  const inOrg = {
    licenseClaimed: licenseClaimedEmail(base, { claimant: person, product: 'IDE', team: 'Core', invitation: { id: 'inv-1' } }),
    orderPlaced: orderPlacedEmail(base, { by: person, order: { id: 'o-1', reference: 'PO-1', validUntil: '2027-01-01' }, seats: 2, team: 'Core', licensee: person, billing: person }),
    quoteCreated: quoteCreatedEmail(base, { number: 'Q-1', totalCents: 0, currency: 'EUR', validUntil: '2027-01-01', lines: [{ quantity: 1 }] }),
    invoiceOverdue: invoiceOverdueEmail(base, { number: 'I-1', amountCents: 100, currency: 'EUR', dueAt: '2026-01-01' }),
    licensesExpiring: licensesExpiringEmail(base, { orderId: 'o-1', reference: 'PO-1', end: '2026-02-01', count: 1, assigned: 0, products: ['1 × IDE'] }),
    bulletin: bulletinEmail(base, { topic: 'security-privacy', subject: 'S', body: 'B', org: 'Acme' }),
  };

  it('open the organization the email is about (DESIGN §5: /o/:orgId/…)', () => {
    for (const [name, mail] of Object.entries(inOrg)) expect(mail.link?.url, name).toMatch(new RegExp(`^https://allot\\.example/o/${base.orgId}/`));
    expect(inOrg.orderPlaced.link?.url).toBe(`https://allot.example/o/${base.orgId}/orders/o-1`);
  });

  it('open "My licenses" without an organization: it lists every organization’s', () => {
    expect(licenseRevokedEmail(base, { org: 'Acme', product: 'IDE', team: 'Core' }).link?.url).toBe('https://allot.example/my-licenses');
  });
});

describe('the order emails (certificate, invoice, receipt)', () => {
  const base: LinkBase = { url: 'https://allot.example', orgId: '6f1c1f0e-8d4b-4c1e-9a51-0a3b9f1c2d3e' };
  const license = (n: number, over: Partial<CertificateLicense> = {}): CertificateLicense => ({
    id: `0000000${n}-0000-4000-8000-000000000000`,
    ref: `L-0000-000${n}`,
    productId: 'product-ide',
    product: 'IDE <Pro>',
    status: 'available',
    ...over,
  });
  const certificate: CertificateData = {
    org: { id: base.orgId, name: 'Acme & <Co>' },
    order: { id: 'o-1', reference: 'PO-<1>', placedOn: '2026-06-01', validUntil: '2027-06-01' },
    team: { id: 't-1', name: 'Team "Q"' },
    licensee: { name: 'Ann <Admin>', email: 'ann@x.test' },
    lines: [{ productId: 'product-ide', code: 'IDE', product: 'IDE <Pro>', quantity: 2 }],
    licenses: [license(1), license(2, { status: 'assigned', holder: { name: 'Bo <B>', email: 'bo@x.test' }, assignedOn: '2026-06-02', via: 'Launch & go' })],
    licenseCount: 2,
    orderUrl: `https://allot.example/o/${base.orgId}/orders/o-1`,
    jwksUrl: 'https://allot.example/.well-known/jwks.json',
  };
  const invoice: InvoiceData = {
    org: { id: base.orgId, name: 'Acme & <Co>' },
    invoice: { id: 'i-1', number: 'INV-<1>', amount: '€12.34', issuedOn: '2026-06-01', dueOn: '2026-07-01' },
    order: { id: 'o-1', reference: 'PO-<1>', lines: [{ product: 'IDE <Pro>', quantity: 2 }] },
    billing: { name: 'Bill', email: 'bill@x.test' },
    orderUrl: `https://allot.example/o/${base.orgId}/orders/o-1`,
  };
  const rendered = {
    certificate: renderEmail({ name: 'Ann <Admin>' }, licenseCertificateEmail(base, certificate)),
    invoice: renderEmail({ name: 'Bill' }, invoiceIssuedEmail(base, invoice)),
    receipt: renderEmail({ name: 'Bill' }, invoicePaidEmail(base, { ...invoice, invoice: { ...invoice.invoice, paidOn: '2026-06-09' } })),
  };

  it('escape every name in the HTML part and keep it as typed in the text part', () => {
    for (const [name, mail] of Object.entries(rendered)) {
      for (const raw of ['<Co>', 'PO-<1>', 'IDE <Pro>', '<Admin>', '<B>', 'INV-<1>']) expect(mail.html, `${name} ${raw}`).not.toContain(raw);
    }
    const c = rendered.certificate;
    expect(c.subject).toBe('License certificate for order PO-<1>');
    expect(c.html).toContain('Acme &amp; &lt;Co&gt;');
    expect(c.html).toContain('Hello Ann &lt;Admin&gt;,');
    expect(c.html).toContain('Team &quot;Q&quot;');
    expect(c.text).toContain('2 × IDE <Pro>');
    expect(c.text).toContain('L-0000-0001 · IDE <Pro> · Available: goes to the next person who claims an invitation link of the team Team "Q"');
    expect(c.text).toContain('L-0000-0002 · IDE <Pro> · Assigned to Bo <B> <bo@x.test> on 2026-06-02 through the invitation “Launch & go”');
    expect(c.html).toContain('Launch &amp; go');
    expect(rendered.invoice.text).toContain('Amount: €12.34');
    expect(rendered.invoice.text).toContain('Due on: 2026-07-01');
    expect(rendered.invoice.html).toContain('INV-&lt;1&gt;');
    expect(rendered.receipt.subject).toBe('Receipt for invoice INV-<1>');
    expect(rendered.receipt.text).toContain('was paid on 2026-06-09');
  });

  it('link back into the order in its organization', () => {
    for (const mail of Object.values(rendered)) expect(mail.text).toContain(`https://allot.example/o/${base.orgId}/orders/o-1`);
    expect(rendered.certificate.html).toContain(`href="https://allot.example/o/${base.orgId}/orders/o-1"`);
  });

  it('list at most CERTIFICATE_EMAIL_LICENSES licenses and say how many more the attachment has', () => {
    const many = { ...certificate, licenses: Array.from({ length: 60 }, (_, i) => license(i)), licenseCount: 1000 };
    const text = renderEmail({ name: '' }, licenseCertificateEmail(base, many)).text;
    expect(text.match(/ · IDE <Pro> · /g)).toHaveLength(CERTIFICATE_EMAIL_LICENSES);
    expect(text).toContain(`…and ${1000 - CERTIFICATE_EMAIL_LICENSES} more, all listed in the attached certificate.`);
  });
});
