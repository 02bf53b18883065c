import { describe, expect, it } from 'vitest';
import {
  bulletinEmail,
  invoiceOverdueEmail,
  licenseClaimedEmail,
  licenseRevokedEmail,
  licensesExpiringEmail,
  orderPlacedEmail,
  quoteCreatedEmail,
  type LinkBase,
} from './emails';

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
