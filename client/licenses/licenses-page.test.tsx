// @vitest-environment jsdom
import { Route } from '@solidjs/router';
import { cleanup, fireEvent, screen, waitFor, within } from '@solidjs/testing-library';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AllotDatabase } from '../db';
import { adminMember, fx, holder, memoryDb, renderScreen, inOrg } from '../test-utils';
import { LicensesPage } from './licenses-page';
import { ME_ACCOUNT } from '../test-utils';

let db: AllotDatabase;
beforeEach(async () => {
  db = await memoryDb();
  await db.members.insert(adminMember());
  await db.products.bulkInsert([fx.product('product-ij', 'IntelliJ IDEA Ultimate'), fx.product('product-py', 'PyCharm Professional')]);
  await db.teams.bulkInsert([fx.team('team-a', 'Platform'), fx.team('team-b', 'Data')]);
  await db.orders.insert(fx.order('order-1', 'R-1001', { lines: [{ productId: 'product-ij', quantity: 3 }, { productId: 'product-py', quantity: 1 }] }));
  await db.licenses.bulkInsert([
    fx.license('l1', holder('acct-x', 'Xena')),
    fx.license('l2', holder(ME_ACCOUNT, 'Ada')),
    fx.license('l3'),
    fx.license('l4', { productId: 'product-py', teamId: 'team-b' }),
  ]);
});
afterEach(async () => {
  cleanup();
  await db.close();
});

const show = () =>
  renderScreen({
    db,
    path: '/licenses',
    routes: () => <Route path="/licenses" component={LicensesPage} />,
  });
const list = () => screen.getByRole('table', { name: 'Licenses' });
const dataRows = () => within(list()).queryAllByRole('row').slice(1);

describe('Licenses', () => {
  it('shows Active subscriptions per order and product, with the Team column linking to the team', async () => {
    show();
    const subs = await screen.findByRole('region', { name: 'Active subscriptions' });
    const ij = await within(subs).findByRole('rowheader', { name: 'IntelliJ IDEA Ultimate' });
    const cells = [...ij.closest('tr')!.children].map((c) => c.textContent);
    expect(cells).toEqual(['R-1001', 'IntelliJ IDEA Ultimate', '3', '2', '1', expect.any(String), 'Platform']);
    expect(within(subs).getByRole('columnheader', { name: 'Team' })).toBeTruthy();
    expect(within(ij.closest('tr')!).getByRole('link', { name: 'Platform' }).getAttribute('href')).toBe(inOrg('/teams/team-a'));
  });

  it('filters by product, team, status and assignee', async () => {
    show();
    await waitFor(() => expect(dataRows()).toHaveLength(4));
    fireEvent.change(screen.getByLabelText('Product'), { target: { value: 'product-py' } });
    await waitFor(() => expect(dataRows()).toHaveLength(1));
    fireEvent.change(screen.getByLabelText('Product'), { target: { value: '' } });
    fireEvent.change(screen.getByLabelText('Team'), { target: { value: 'team-a' } });
    fireEvent.change(screen.getByLabelText('Status'), { target: { value: 'assigned' } });
    await waitFor(() => expect(dataRows()).toHaveLength(2));
    fireEvent.input(screen.getByLabelText('Assignee'), { target: { value: 'xen' } });
    await waitFor(() => expect(dataRows()).toHaveLength(1));
    expect(dataRows()[0].textContent).toContain('xena@acme.test');
  });

  it('revokes a license after confirmation', async () => {
    show();
    fireEvent.click(await screen.findByRole('button', { name: 'Revoke IntelliJ IDEA Ultimate license of Xena' }));
    const confirm = await screen.findByRole('alertdialog', { name: 'Revoke this license?' });
    fireEvent.click(within(confirm).getByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(screen.queryByRole('alertdialog')).toBeNull());
    expect((await db.licenses.findOne('l1').exec())!.status).toBe('assigned');

    fireEvent.click(screen.getByRole('button', { name: 'Revoke IntelliJ IDEA Ultimate license of Xena' }));
    fireEvent.click(within(await screen.findByRole('alertdialog')).getByRole('button', { name: 'Revoke license' }));
    await waitFor(async () => expect((await db.licenses.findOne('l1').exec())!.status).toBe('available'));
    const doc = (await db.licenses.findOne('l1').exec())!.toJSON();
    expect(doc.assignee).toBeUndefined();
    expect(doc.assignedAt).toBeUndefined();
    expect(doc.assignedVia).toBeUndefined();
    expect(doc.seq).toBe(1);
  });

  it('moves a license to another team', async () => {
    show();
    fireEvent.click(await screen.findByRole('button', { name: 'Move IntelliJ IDEA Ultimate license of Xena to another team' }));
    const dialog = await screen.findByRole('dialog', { name: 'Move license to another team' });
    fireEvent.change(within(dialog).getByLabelText('Team'), { target: { value: 'team-b' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Move license' }));
    await waitFor(async () => expect((await db.licenses.findOne('l1').exec())!.teamId).toBe('team-b'));
  });

  it('keeps 10,000 licenses virtualized and filters them as you type', async () => {
    const many = Array.from({ length: 10_000 }, (_, i) => {
      const n = String(i).padStart(5, '0');
      return i % 2
        ? fx.license(`bulk-${i}`, {
            status: 'assigned',
            assignee: { accountId: `acct-bulk-${i}`, email: `p${n}@bulk.test`, name: `Person ${n}` },
            assignedAt: '2025-02-01T00:00:00.000Z',
            assignedVia: 'inv-1',
          })
        : fx.license(`bulk-${i}`, { productId: 'product-py', teamId: 'team-b' });
    });
    await db.licenses.bulkInsert(many);
    show();
    await screen.findByText('10004 of 10004 licenses');
    const rendered = dataRows().length;
    expect(rendered).toBeGreaterThan(5);
    expect(rendered).toBeLessThan(60);
    expect(list().getAttribute('aria-rowcount')).toBe('10005');
    // Person 09990 … 09999: only the odd ones hold a license.
    fireEvent.input(screen.getByLabelText('Assignee'), { target: { value: 'person 0999' } });
    await screen.findByText('5 of 10004 licenses');
    expect(dataRows()).toHaveLength(5);
    expect(dataRows().every((r) => /Person 0999\d/.test(r.textContent ?? ''))).toBe(true);
    fireEvent.input(screen.getByLabelText('Assignee'), { target: { value: 'p09991@bulk' } });
    await screen.findByText('1 of 10004 licenses');
    expect(dataRows()[0].textContent).toContain('Person 09991');
  });
});
