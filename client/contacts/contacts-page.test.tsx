// @vitest-environment jsdom
import { Route } from '@solidjs/router';
import { cleanup, fireEvent, screen, waitFor, within } from '@solidjs/testing-library';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as v from 'valibot';
import { contactSchema, type Contact } from '../../shared/schemas';
import type { AllotDatabase } from '../db';
import { adminMember, fx, memoryDb, ORG_ID, renderScreen, stored } from '../test-utils';
import { ContactsPage } from './contacts-page';

const contact = (id: string, name: string, over: Partial<Contact> = {}): Contact => ({
  id,
  orgId: ORG_ID,
  name,
  email: `${name.split(' ')[0].toLowerCase()}@acme.test`,
  roles: [],
  orderIds: [],
  disabled: false,
  source: 'manual',
  ...stored,
  ...over,
});

let db: AllotDatabase;
beforeEach(async () => {
  db = await memoryDb();
  await db.members.insert(adminMember());
  await db.contacts.bulkInsert([
    contact('c1', 'Grace Hopper', { roles: ['primaryTechnical'] }),
    contact('c2', 'Linus Order', { roles: [], orderIds: ['o1'], source: 'order' }),
    contact('c3', 'Nora Notify', { roles: ['dataProtection'] }),
    contact('c4', 'Bill Payer', { roles: ['primaryBilling', 'unpaidInvoices'] }),
  ]);
});
afterEach(async () => {
  cleanup();
  await db.close();
});

const table = () => screen.getByRole('table', { name: 'Contacts' });
const names = () => within(table()).queryAllByRole('row').slice(1).map((r) => within(r).getAllByRole('cell')[0].textContent);

function show() {
  return renderScreen({ db, path: '/contacts', routes: () => <Route path="/contacts" component={ContactsPage} /> });
}

describe('Contacts', () => {
  it('lists contacts and filters by role, by kind and as you type', async () => {
    show();
    await screen.findByText('Grace Hopper');
    expect(screen.getByText('4 of 4 contacts')).toBeTruthy();

    fireEvent.change(screen.getByLabelText('Role'), { target: { value: 'primaryBilling' } });
    await waitFor(() => expect(names()).toEqual([expect.stringContaining('Bill Payer')]));

    fireEvent.change(screen.getByLabelText('Role'), { target: { value: '' } });
    fireEvent.change(screen.getByLabelText('Kind'), { target: { value: 'order-specific' } });
    await waitFor(() => expect(names()).toEqual([expect.stringContaining('Linus Order')]));

    fireEvent.change(screen.getByLabelText('Kind'), { target: { value: 'notifications-only' } });
    await waitFor(() => expect(names()).toEqual([expect.stringContaining('Nora Notify')]));

    fireEvent.change(screen.getByLabelText('Kind'), { target: { value: 'primary' } });
    fireEvent.input(screen.getByLabelText('Filter contacts'), { target: { value: 'gra' } });
    await waitFor(() => expect(names()).toEqual([expect.stringContaining('Grace Hopper')]));
  });

  it('edits name, email and roles in one dialog, and Cancel keeps the contact as it was', async () => {
    show();
    fireEvent.click(await screen.findByRole('button', { name: 'Edit Grace Hopper' }));
    let dialog = await screen.findByRole('dialog', { name: 'Edit Grace Hopper' });
    expect((within(dialog).getByLabelText('Email') as HTMLInputElement).value).toBe('grace@acme.test');
    fireEvent.input(within(dialog).getByLabelText('Name'), { target: { value: 'Nobody' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect((await db.contacts.findOne('c1').exec())!.name).toBe('Grace Hopper');

    fireEvent.click(screen.getByRole('button', { name: 'Edit Grace Hopper' }));
    dialog = await screen.findByRole('dialog', { name: 'Edit Grace Hopper' });
    // The dialog opens again from the stored contact, not from what was cancelled.
    expect((within(dialog).getByLabelText('Name') as HTMLInputElement).value).toBe('Grace Hopper');
    fireEvent.input(within(dialog).getByLabelText('Name'), { target: { value: 'Grace B. Hopper' } });
    fireEvent.input(within(dialog).getByLabelText('Email'), { target: { value: 'Grace.Hopper@Acme.test' } });
    fireEvent.click(within(dialog).getByLabelText('Primary billing'));
    fireEvent.click(within(dialog).getByLabelText('Primary technical'));
    fireEvent.click(within(dialog).getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    const doc = (await db.contacts.findOne('c1').exec())!;
    expect(doc.toJSON()).toMatchObject({ name: 'Grace B. Hopper', email: 'grace.hopper@acme.test', roles: ['primaryBilling'] });
    const graceRow = () => within(table()).getAllByRole('row').find((r) => r.textContent!.includes('Grace B. Hopper'))!;
    await waitFor(() => expect(within(graceRow()).getByText('Primary billing')).toBeTruthy());
    expect(within(graceRow()).queryByText('Primary technical')).toBeNull();
  });

  it('refuses a second contact for an address, whatever its case, in Add and in Edit', async () => {
    show();
    await screen.findByText('Grace Hopper');
    fireEvent.click(await screen.findByRole('button', { name: 'Add contact' }));
    const dialog = await screen.findByRole('dialog', { name: 'Add contact' });
    fireEvent.input(within(dialog).getByLabelText('Name'), { target: { value: 'Grace Again' } });
    fireEvent.input(within(dialog).getByLabelText('Email'), { target: { value: 'GRACE@acme.test' } });
    fireEvent.click(within(dialog).getByLabelText('Primary technical'));
    fireEvent.click(within(dialog).getByRole('button', { name: 'Add contact' }));
    expect((await within(dialog).findByRole('alert')).textContent).toBe('Grace Hopper already has the address grace@acme.test: one contact per address.');
    expect(await db.contacts.count().exec()).toBe(4);
    // The reason goes away as soon as the field changes: no stale words beside a corrected value.
    fireEvent.input(within(dialog).getByLabelText('Email'), { target: { value: 'grace.again@acme.test' } });
    expect(within(dialog).queryByRole('alert')).toBeNull();
    fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));

    fireEvent.click(await screen.findByRole('button', { name: 'Edit Nora Notify' }));
    const edit = await screen.findByRole('dialog', { name: 'Edit Nora Notify' });
    fireEvent.input(within(edit).getByLabelText('Email'), { target: { value: 'Bill@Acme.Test' } });
    fireEvent.click(within(edit).getByRole('button', { name: 'Save' }));
    expect((await within(edit).findByRole('alert')).textContent).toContain('Bill Payer already has the address');
    expect((await db.contacts.findOne('c3').exec())!.email).toBe('nora@acme.test');
  });

  it('asks before saving a contact that would receive nothing', async () => {
    show();
    fireEvent.click(await screen.findByRole('button', { name: 'Add contact' }));
    const dialog = await screen.findByRole('dialog', { name: 'Add contact' });
    fireEvent.input(within(dialog).getByLabelText('Name'), { target: { value: 'Quiet Person' } });
    fireEvent.input(within(dialog).getByLabelText('Email'), { target: { value: 'quiet@acme.test' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Add contact' }));
    expect((await within(dialog).findByRole('alert')).textContent).toContain('A contact with no role receives no email and cannot sign in.');
    expect(await db.contacts.count().exec()).toBe(4);
    fireEvent.click(within(dialog).getByRole('button', { name: 'Save without a role' }));
    await screen.findByText('Quiet Person');
    expect(await db.contacts.count().exec()).toBe(5);
  });

  it('deletes a contact after a confirmation naming what it affects; an order’s contact can only be disabled', async () => {
    await db.orders.insert({
      id: 'o1', orgId: ORG_ID, reference: 'PO-9', placedAt: '2026-01-01', teamId: '', licenseeContactId: 'c2', billingContactId: 'c2',
      lines: [], validUntil: '2027-01-01', materializedAt: '', ...stored,
    } as never);
    show();
    fireEvent.click(await screen.findByRole('button', { name: 'Delete Bill Payer' }));
    const confirm = await screen.findByRole('alertdialog', { name: 'Delete Bill Payer?' });
    expect(confirm.textContent).toContain('Bill Payer will no longer receive the emails of: Primary billing, Unpaid invoices.');
    expect(confirm.textContent).toContain('no longer lets them sign in');
    fireEvent.click(within(confirm).getByRole('button', { name: 'Delete contact' }));
    await waitFor(async () => expect(await db.contacts.findOne('c4').exec()).toBeNull());
    await waitFor(() => expect(screen.queryByText('Bill Payer')).toBeNull());

    fireEvent.click(screen.getByRole('button', { name: 'Delete Linus Order' }));
    const refused = await screen.findByRole('dialog', { name: 'Linus Order cannot be deleted' });
    expect(refused.textContent).toContain('licensee or billing contact of order PO-9');
    fireEvent.click(within(refused).getByRole('button', { name: 'Disable contact' }));
    await waitFor(async () => expect((await db.contacts.findOne('c2').exec())!.disabled).toBe(true));
    expect(await db.contacts.findOne('c2').exec()).not.toBeNull();
  });

  it('disables and enables a contact', async () => {
    show();
    fireEvent.click(await screen.findByRole('button', { name: 'Disable Nora Notify' }));
    await waitFor(async () => expect((await db.contacts.findOne('c3').exec())!.disabled).toBe(true));
    fireEvent.click(await screen.findByRole('button', { name: 'Enable Nora Notify' }));
    await waitFor(async () => expect((await db.contacts.findOne('c3').exec())!.disabled).toBe(false));
  });

  it('adds a contact with roles, pending until synced', async () => {
    show();
    fireEvent.click(await screen.findByRole('button', { name: 'Add contact' }));
    const dialog = await screen.findByRole('dialog', { name: 'Add contact' });
    fireEvent.input(within(dialog).getByLabelText('Name'), { target: { value: 'Sec Officer' } });
    fireEvent.input(within(dialog).getByLabelText('Email'), { target: { value: 'Sec@Acme.test' } });
    fireEvent.click(within(dialog).getByLabelText('Security and privacy updates'));
    fireEvent.click(within(dialog).getByRole('button', { name: 'Add contact' }));
    await screen.findByText('Sec Officer');
    const added = (await db.contacts.find({ selector: { email: 'sec@acme.test' } }).exec())[0];
    expect(added.toJSON()).toMatchObject({ orgId: ORG_ID, roles: ['securityPrivacy'], seq: 0, updatedAt: '', source: 'manual' });
    expect(screen.getAllByText('Pending sync').length).toBe(1);
  });

  it('refuses an address the server would refuse, by the same shared rule', async () => {
    // The client's old pattern (anything@anything.anything) let these through; the server refused them on sync.
    const refused = ['ada@exa_mple.com', 'ada@@acme.test', 'a b@acme.test'];
    for (const address of refused) expect(v.safeParse(contactSchema.entries.email, address).success).toBe(false);
    show();
    fireEvent.click(await screen.findByRole('button', { name: 'Add contact' }));
    const dialog = await screen.findByRole('dialog', { name: 'Add contact' });
    fireEvent.input(within(dialog).getByLabelText('Name'), { target: { value: 'Ada Lovelace' } });
    for (const address of refused) {
      fireEvent.input(within(dialog).getByLabelText('Email'), { target: { value: address } });
      // Submitted as a browser whose own check of type="email" let it pass.
      fireEvent.submit(within(dialog).getByRole('button', { name: 'Add contact' }).closest('form')!);
      expect((await within(dialog).findByRole('alert')).textContent).toBe('Enter a valid email address.');
    }
    expect(await db.contacts.count().exec()).toBe(4);
  });

  it('fills the role table and says who receives each email today', async () => {
    show();
    await screen.findByText('Grace Hopper');
    const receivers = screen.getByRole('region', { name: 'Who receives each email today' });
    const row = (topic: string) => within(receivers).getByRole('rowheader', { name: topic }).closest('tr')!;
    await waitFor(() => expect(row('Security and privacy updates').textContent).toContain('grace@acme.test'));
    expect(row('Unpaid invoices').textContent).toContain('bill@acme.test');
    expect(row('Order placed').textContent).toContain('ada@acme.test');
    // Each order's own emails: its licensee the certificate, its billing contact the invoices; nobody else.
    expect(row('Licenses expiring').textContent).toContain('each order’s licensee and billing contact, for that order');
    await db.orders.bulkInsert([
      { ...fx.order('o1', 'PO-1', { licenseeContactId: 'c2', billingContactId: 'c4' }), orgId: ORG_ID },
      { ...fx.order('o2', 'PO-2', { licenseeContactId: 'c3', billingContactId: 'c3', placedAt: '2024-01-01T00:00:00.000Z' }), orgId: ORG_ID },
    ]);
    await waitFor(() => expect(row('License certificate — order PO-1').textContent).toContain('Linus Order <linus@acme.test>'));
    expect(row('License certificate — order PO-1').textContent).not.toContain('bill@acme.test');
    expect(row('Invoice and receipt — order PO-1').textContent).toBe('Invoice and receipt — order PO-1Bill Payer <bill@acme.test>');
    expect(row('Invoice and receipt — order PO-2').textContent).toContain('nora@acme.test');
    expect(row('Invoice and receipt — order PO-2').textContent).not.toContain('linus@acme.test');
    const roles = screen.getByRole('region', { name: 'Contact roles' });
    expect(within(roles).getByRole('rowheader', { name: 'Primary billing' }).closest('tr')!.textContent).toContain('Invoices (mark paid)');
  });

  it('keeps 10,000 contacts virtualized and filters them as you type', async () => {
    const many = Array.from({ length: 10_000 }, (_, i) =>
      contact(`bulk-${i}`, `Person ${String(i).padStart(5, '0')}`, { email: `p${i}@bulk.test`, roles: i % 2 ? ['newQuotes'] : [] }),
    );
    await db.contacts.bulkInsert(many);
    show();
    await screen.findByText('10004 of 10004 contacts');
    const rendered = names().length;
    expect(rendered).toBeGreaterThan(5);
    expect(rendered).toBeLessThan(60);
    expect(table().getAttribute('aria-rowcount')).toBe('10005');
    fireEvent.input(screen.getByLabelText('Filter contacts'), { target: { value: 'person 0999' } });
    await screen.findByText('10 of 10004 contacts');
    expect(names()).toHaveLength(10);
  });
});

describe('Duplicate contacts (issue 16 §2)', () => {
  it('are absent while every address has one contact', async () => {
    show();
    await screen.findByText('Grace Hopper');
    expect(screen.queryByRole('region', { name: 'Duplicate contacts' })).toBeNull();
  });

  it('lists the addresses with several contacts and asks before merging them into the oldest', async () => {
    await db.contacts.bulkInsert([
      contact('d1', 'Lena Licensee', { email: 'lena@acme.test', roles: ['primaryLicensee'], seq: 7 }),
      contact('d2', 'LENA', { email: 'LENA@acme.test', orderIds: ['o1'], source: 'order', seq: 3 }),
    ]);
    show();
    const region = await screen.findByRole('region', { name: 'Duplicate contacts' });
    expect(region.textContent).toContain('One address has more than one contact');
    expect(region.textContent).toContain('lena@acme.test: LENA, Lena Licensee');
    fireEvent.click(within(region).getByRole('button', { name: 'Merge the contacts of lena@acme.test' }));
    const dialog = await screen.findByRole('alertdialog', { name: 'Merge 2 contacts of lena@acme.test?' });
    expect(dialog.textContent).toContain('LENA keeps every role and order of Lena Licensee');
    expect(within(dialog).getByRole('button', { name: 'Merge contacts' })).toBeTruthy();
    fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(screen.queryByRole('alertdialog')).toBeNull());
  });
});
