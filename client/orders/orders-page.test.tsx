// @vitest-environment jsdom
import { Route } from '@solidjs/router';
import { cleanup, fireEvent, screen, waitFor, within } from '@solidjs/testing-library';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as v from 'valibot';
import { orderSchema } from '../../shared/schemas';
import type { AllotDatabase } from '../db';
import { adminMember, fx, meAs, memoryDb, ORG_ID, renderScreen, stored, inOrg } from '../test-utils';
import { OrderPage, OrdersPage } from './orders-page';

let db: AllotDatabase;
beforeEach(async () => {
  db = await memoryDb();
  await db.members.insert(adminMember());
  await db.products.bulkInsert([fx.product('product-ij', 'IntelliJ IDEA Ultimate'), fx.product('product-py', 'PyCharm Professional')]);
  await db.teams.insert(fx.team('team-a', 'Platform'));
  await db.contacts.insert({
    id: 'c-lena',
    orgId: ORG_ID,
    name: 'Lena Licensee',
    email: 'lena@acme.test',
    roles: [],
    orderIds: [],
    disabled: false,
    source: 'manual',
    ...stored,
  });
});
afterEach(async () => {
  cleanup();
  await db.close();
});

const routes = () => (
  <>
    <Route path="/orders" component={OrdersPage} />
    <Route path="/orders/:orderId" component={OrderPage} />
  </>
);

async function openDialog() {
  fireEvent.click(await screen.findByRole('button', { name: 'Record order' }));
  const dialog = await screen.findByRole('dialog', { name: 'Record order' });
  // The catalog and the contact list load from the local database a moment after the screen.
  await within(dialog).findByRole('option', { name: 'PyCharm Professional' });
  await within(dialog).findByText('Lena Licensee', { selector: 'option' });
  return dialog;
}

describe('Orders', () => {
  it('records an order with no team: the server names the team after the reference', async () => {
    const { history } = renderScreen({ db, path: '/orders', routes });
    const dialog = await openDialog();
    fireEvent.input(within(dialog).getByLabelText('Order reference'), { target: { value: 'R-2042' } });
    fireEvent.change(within(dialog).getByLabelText('Product 1'), { target: { value: 'product-ij' } });
    fireEvent.input(within(dialog).getByLabelText('Quantity 1'), { target: { value: '10' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Add product' }));
    fireEvent.change(within(dialog).getByLabelText('Product 2'), { target: { value: 'product-py' } });
    fireEvent.input(within(dialog).getByLabelText('Quantity 2'), { target: { value: '2' } });
    fireEvent.click(within(dialog).getByLabelText('No team (named after the reference)'));
    fireEvent.input(within(dialog).getByLabelText('Licensee email'), { target: { value: 'lena@acme.test' } });
    fireEvent.change(within(dialog).getByLabelText('Licensee email'), { target: { value: 'lena@acme.test' } });
    await waitFor(() => expect((within(dialog).getByLabelText('Licensee name') as HTMLInputElement).value).toBe('Lena Licensee'));
    expect((within(dialog).getByLabelText('The billing contact is the licensee') as HTMLInputElement).checked).toBe(true);
    fireEvent.click(within(dialog).getByRole('button', { name: 'Record order' }));

    await screen.findByRole('heading', { name: 'Order R-2042' });
    const [order] = await db.orders.find().exec();
    const doc = order.toJSON();
    expect(doc).toMatchObject({
      orgId: ORG_ID,
      reference: 'R-2042',
      teamId: '',
      licensee: { name: 'Lena Licensee', email: 'lena@acme.test' },
      licenseeContactId: '',
      billingContactId: '',
      lines: [
        { productId: 'product-ij', quantity: 10 },
        { productId: 'product-py', quantity: 2 },
      ],
      seq: 0,
      updatedAt: '',
    });
    expect(doc.teamName).toBeUndefined();
    expect(doc.billing).toBeUndefined();
    expect(history.get()).toBe(inOrg(`/orders/${doc.id}`));
    expect(screen.getByText(/A team named “R-2042” is created when the order syncs/)).toBeTruthy();
  });

  it('records an order for a new team with a separate billing contact', async () => {
    renderScreen({ db, path: '/orders', routes });
    const dialog = await openDialog();
    fireEvent.input(within(dialog).getByLabelText('Order reference'), { target: { value: 'R-7' } });
    fireEvent.click(within(dialog).getByLabelText('A new team'));
    fireEvent.input(within(dialog).getByLabelText('New team name'), { target: { value: 'Mobile' } });
    fireEvent.input(within(dialog).getByLabelText('Licensee email'), { target: { value: 'max@acme.test' } });
    fireEvent.input(within(dialog).getByLabelText('Licensee name'), { target: { value: 'Max' } });
    fireEvent.click(within(dialog).getByLabelText('The billing contact is the licensee'));
    fireEvent.input(within(dialog).getByLabelText('Billing email'), { target: { value: 'ap@acme.test' } });
    fireEvent.input(within(dialog).getByLabelText('Billing name'), { target: { value: 'Accounts Payable' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Record order' }));
    await screen.findByRole('heading', { name: 'Order R-7' });
    const [order] = await db.orders.find().exec();
    expect(order.toJSON()).toMatchObject({
      teamId: '',
      teamName: 'Mobile',
      billing: { name: 'Accounts Payable', email: 'ap@acme.test' },
      lines: [{ productId: 'product-ij', quantity: 1 }],
    });
  });

  it('records an order into an existing team and refuses a missing licensee, an address and a quantity the order schema refuses', async () => {
    renderScreen({ db, path: '/orders', routes });
    const dialog = await openDialog();
    fireEvent.input(within(dialog).getByLabelText('Order reference'), { target: { value: 'R-8' } });
    fireEvent.click(within(dialog).getByLabelText('An existing team'));
    fireEvent.change(within(dialog).getByLabelText('Existing team'), { target: { value: 'team-a' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Record order' }));
    expect((await within(dialog).findByRole('alert')).textContent).toContain('licensee');
    // An address the order schema refuses (the server would refuse the order on sync) is refused here too.
    expect(v.safeParse(orderSchema.entries.licensee.wrapped.entries.email, 'max@acme_test.com').success).toBe(false);
    fireEvent.input(within(dialog).getByLabelText('Licensee email'), { target: { value: 'max@acme_test.com' } });
    fireEvent.input(within(dialog).getByLabelText('Licensee name'), { target: { value: 'Max' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Record order' }));
    expect((await within(dialog).findByRole('alert')).textContent).toBe('Enter the licensee’s name and email.');
    expect(await db.orders.count().exec()).toBe(0);
    // So is a quantity beyond the order line's maximum.
    fireEvent.input(within(dialog).getByLabelText('Licensee email'), { target: { value: 'max@acme.test' } });
    fireEvent.input(within(dialog).getByLabelText('Quantity 1'), { target: { value: '100001' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Record order' }));
    expect((await within(dialog).findByRole('alert')).textContent).toBe('Each line needs a product and a quantity of at least 1 (at most 100,000).');
    fireEvent.input(within(dialog).getByLabelText('Quantity 1'), { target: { value: '1' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Record order' }));
    await screen.findByRole('heading', { name: 'Order R-8' });
    const [order] = await db.orders.find().exec();
    expect(order.teamId).toBe('team-a');
  });

  it('offers the license certificate on a made order to those who may have it: org admins and the order’s contacts', async () => {
    await db.orders.insert(fx.order('o-cert', 'PO-CERT', { materializedAt: '2025-01-01T00:00:00.000Z', licenseeContactId: 'c-lena' }));
    await db.orders.insert(fx.order('o-new', 'PO-NEW'));
    renderScreen({ db, path: '/orders/o-cert', routes });
    const pdf = await screen.findByRole('link', { name: 'License certificate (PDF)' });
    expect(pdf.getAttribute('href')).toBe(`/api/orgs/${ORG_ID}/orders/o-cert/certificate.pdf`);
    expect(pdf.hasAttribute('download')).toBe(true);
    expect(screen.getByRole('link', { name: 'Signed certificate (JSON)' }).getAttribute('href')).toBe(`/api/orgs/${ORG_ID}/orders/o-cert/certificate.json`);
    cleanup();
    // Not made yet (no licenses): nothing to download.
    renderScreen({ db, path: '/orders/o-new', routes });
    await screen.findByRole('heading', { name: 'Order PO-NEW' });
    expect(screen.queryByRole('link', { name: 'License certificate (PDF)' })).toBeNull();
    cleanup();
    // The order's own contact gets it; a primary billing contact, who sees every order, does not.
    renderScreen({ db, path: '/orders/o-cert', routes, me: meAs(null, { orderIds: ['o-cert'] }) });
    await screen.findByRole('link', { name: 'License certificate (PDF)' });
    cleanup();
    renderScreen({ db, path: '/orders/o-cert', routes, me: meAs(null, { roles: ['primaryBilling'] }) });
    await screen.findByRole('heading', { name: 'Order PO-CERT' });
    expect(screen.queryByRole('link', { name: 'License certificate (PDF)' })).toBeNull();    // Nor may they act on its licenses: their table has no (empty) Actions column, an admin's has.
    const headers = () => within(screen.getByRole('table', { name: 'Licenses of order PO-CERT' })).getAllByRole('columnheader').map((h) => h.textContent);
    expect(headers()).not.toContain('Actions');
    cleanup();
    renderScreen({ db, path: '/orders/o-cert', routes });
    await screen.findByRole('heading', { name: 'Order PO-CERT' });
    expect(headers()).toContain('Actions');
  });
});
