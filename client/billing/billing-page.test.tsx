// @vitest-environment jsdom
import { Route } from '@solidjs/router';
import { cleanup, fireEvent, screen, waitFor, within } from '@solidjs/testing-library';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AllotDatabase } from '../db';
import { adminMember, fx, memoryDb, ME_MEMBER, meAs, ORG_ID, renderScreen, stored } from '../test-utils';
import { BillingPage } from './billing-page';
import { OverviewPage } from '../overview/overview-page';

let db: AllotDatabase;
beforeEach(async () => {
  db = await memoryDb();
  await db.products.insert(fx.product('product-ij', 'IntelliJ IDEA Ultimate'));
  await db.orders.insert(fx.order('order-1', 'R-1001'));
  await db.invoices.bulkInsert([
    { id: 'i1', orgId: ORG_ID, orderId: 'order-1', number: 'INV-1', amountCents: 129900, currency: 'EUR', issuedAt: '2025-01-01T00:00:00.000Z', dueAt: '2025-01-31T00:00:00.000Z', ...stored },
    { id: 'i2', orgId: ORG_ID, orderId: 'order-1', number: 'INV-2', amountCents: 5000, currency: 'EUR', issuedAt: '2025-01-01T00:00:00.000Z', dueAt: '2025-01-31T00:00:00.000Z', paidAt: '2025-01-10T00:00:00.000Z', ...stored },
  ]);
  await db.licenses.bulkInsert([fx.license('l1', { status: 'assigned', assignee: { accountId: 'a', email: 'a@acme.test', name: 'A' } }), fx.license('l2')]);
});
afterEach(async () => {
  cleanup();
  await db.close();
});

describe('Invoices & quotes', () => {
  it('marks an invoice paid and requests a quote (primary billing)', async () => {
    const me = meAs(adminMember({ isOrgAdmin: false }), { roles: ['primaryBilling'] });
    renderScreen({ db, me, path: '/invoices', routes: () => <Route path="/invoices" component={BillingPage} /> });
    fireEvent.click(await screen.findByRole('button', { name: 'Mark invoice INV-1 paid' }));
    await waitFor(async () => expect((await db.invoices.findOne('i1').exec())!.paidAt).toBeTruthy());
    expect(screen.queryByRole('button', { name: 'Mark invoice INV-2 paid' })).toBeNull();

    fireEvent.click(screen.getByRole('button', { name: 'Request a quote' }));
    const dialog = await screen.findByRole('dialog', { name: 'Request a quote' });
    await within(dialog).findByRole('option', { name: 'IntelliJ IDEA Ultimate' });
    fireEvent.change(within(dialog).getByLabelText('Product 1'), { target: { value: 'product-ij' } });
    // A quantity the quote schema refuses (the server would refuse the quote on sync) is refused here.
    fireEvent.input(within(dialog).getByLabelText('Quantity 1'), { target: { value: '2.5' } });
    fireEvent.submit(within(dialog).getByRole('button', { name: 'Request quote' }).closest('form')!);
    expect((await within(dialog).findByRole('alert')).textContent).toBe('Each line needs a product and a whole quantity of at least 1.');
    expect(await db.quotes.count().exec()).toBe(0);
    fireEvent.input(within(dialog).getByLabelText('Quantity 1'), { target: { value: '25' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Request quote' }));
    const quotes = await screen.findByRole('table', { name: 'Quotes' });
    await within(quotes).findByText('Being priced');
    const [q] = await db.quotes.find().exec();
    expect(q.toJSON()).toMatchObject({ orgId: ORG_ID, lines: [{ productId: 'product-ij', quantity: 25 }], requestedByMemberId: ME_MEMBER, seq: 0 });
  });

  it("shows an order-specific contact their order's invoices and quotes, with nothing to change", async () => {
    const me = meAs(null, { roles: [], orderIds: ['order-1'] });
    renderScreen({ db, me, path: '/invoices', routes: () => <Route path="/invoices" component={BillingPage} /> });
    const invoices = await screen.findByRole('table', { name: 'Invoices' });
    await within(invoices).findByText('INV-1');
    within(invoices).getByText('INV-2');
    expect(screen.queryByRole('button', { name: /^Mark invoice/ })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Request a quote' })).toBeNull();
  });

  it('shows seats per product, and unpaid invoices, on the Overview', async () => {
    renderScreen({ db, path: '/', routes: () => <Route path="/" component={OverviewPage} /> });
    await screen.findByRole('img', { name: 'IntelliJ IDEA Ultimate: 1 used, 1 available' });
    const unpaid = screen.getByRole('region', { name: 'Unpaid invoices' });
    await within(unpaid).findByText(/INV-1/);
    expect(within(unpaid).queryByText(/INV-2/)).toBeNull();
  });
});
