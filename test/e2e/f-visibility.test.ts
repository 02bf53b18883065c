import { expect } from 'vitest';
import type { Page } from 'playwright-core';
import { newId } from '../../shared/ids';
import { PRODUCTS, useWorld, waitInSync } from './harness';

const { world, scenario } = useWorld(import.meta.filename);

const SECTIONS = ['Overview', 'Contacts', 'Teams', 'Licenses', 'Orders', 'Invoices & quotes', 'Notifications', 'Members', 'My licenses'];

async function menuOf(page: Page): Promise<string[]> {
  const nav = page.getByRole('navigation', { name: 'Main' });
  await nav.getByRole('link', { name: 'My licenses' }).waitFor();
  const shown: string[] = [];
  for (const s of SECTIONS) if (await nav.getByRole('link', { name: s, exact: true }).count()) shown.push(s);
  return shown;
}

scenario('f. a team admin sees only their team; a primary billing contact sees orders, invoices and quotes only', async () => {
  const w = world();
  const ada = await w.newContext();
  const { orgId, memberId } = await w.setupOrg(ada, { orgName: 'Litware', email: 'ada@litware.test', name: 'Ada Admin' });
  const platform = await w.recordOrder(ada, {
    orgId,
    reference: 'PO-1',
    teamName: 'Platform',
    productId: PRODUCTS.ide.id,
    quantity: 2,
    licensee: { name: 'Grace Hopper', email: 'grace@litware.test' },
  });
  const mobile = await w.recordOrder(ada, {
    orgId,
    reference: 'PO-2',
    teamName: 'Mobile',
    productId: PRODUCTS.profiler.id,
    quantity: 2,
    licensee: { name: 'Margaret Hamilton', email: 'margaret@litware.test' },
  });
  await w.createInvitation(ada, { orgId, teamId: platform.teamId, productId: PRODUCTS.ide.id, memberId, name: 'Platform seats' });
  await w.createInvitation(ada, { orgId, teamId: mobile.teamId, productId: PRODUCTS.profiler.id, memberId, name: 'Mobile seats' });
  const now = Date.now();
  await w.push(ada, 'invoices', [
    {
      id: newId(),
      orgId,
      orderId: platform.orderId,
      number: 'INV-1001',
      amountCents: 120_000,
      currency: 'EUR',
      issuedAt: new Date(now).toISOString(),
      dueAt: new Date(now + 30 * 86_400_000).toISOString(),
    },
  ]);

  // Ada adds Tara as a member who administers the Platform team.
  const ap = await w.newPage(ada);
  await ap.goto(w.at(orgId, '/members'));
  await waitInSync(ap);
  await ap.getByRole('button', { name: 'Add member' }).click();
  const dialog = ap.getByRole('dialog', { name: 'Add member' });
  await dialog.getByLabel('Name').fill('Tara');
  await dialog.getByLabel('Email').fill('tara@litware.test');
  await dialog.getByRole('group', { name: 'Team admin of' }).getByLabel('Platform').check();
  await w.shot(ap, 'add-member');
  await dialog.getByRole('button', { name: 'Add member' }).click();
  await ap.getByRole('table', { name: 'Members' }).getByText('tara@litware.test').waitFor();
  await waitInSync(ap);
  const tara = await w.newContext();
  await w.signIn(tara, 'tara@litware.test', 'Tara');
  // Bill is the primary billing contact.
  await w.push(ada, 'contacts', [
    { id: newId(), orgId, name: 'Bill Billing', email: 'bill@litware.test', roles: ['primaryBilling'], orderIds: [], disabled: false, source: 'manual' },
  ]);
  const bill = await w.newContext();
  await w.signIn(bill, 'bill@litware.test');

  // --- The team admin.
  const tp = await w.newPage(tara);
  await tp.goto(w.at(orgId, '/teams'));
  await waitInSync(tp);
  expect(await menuOf(tp)).toEqual(['Overview', 'Teams', 'Licenses', 'My licenses']);
  const teams = tp.getByRole('table', { name: 'Teams' });
  await teams.getByRole('link', { name: 'Platform' }).waitFor();
  expect(await teams.getByRole('link', { name: 'Mobile' }).count()).toBe(0);
  await teams.getByRole('link', { name: 'Platform' }).click();
  await tp.getByRole('heading', { name: 'Platform', level: 1 }).waitFor();
  await tp.getByRole('button', { name: 'Create Invitation' }).waitFor();
  await tp.getByRole('tab', { name: 'Invitations' }).click();
  await tp.getByRole('table', { name: 'Invitations' }).getByText('Platform seats').waitFor();
  await w.shot(tp, 'team-admin-team');
  await tp.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Licenses', exact: true }).click();
  const licenses = tp.getByRole('table', { name: 'Licenses' });
  await licenses.getByText(PRODUCTS.ide.name).first().waitFor();
  expect(await licenses.getByText(PRODUCTS.profiler.name).count()).toBe(0);
  expect(await licenses.getByText('Mobile').count()).toBe(0);
  // Another team's page and the contacts are out of reach, even by address.
  await tp.goto(w.at(orgId, `/teams/${mobile.teamId}`));
  await tp.getByText('This team does not exist or you may not see it.').waitFor();
  await tp.goto(w.at(orgId, '/contacts'));
  await tp.getByRole('heading', { name: 'Not available' }).waitFor();
  await waitInSync(tp);
  await w.shot(tp, 'team-admin-end');
  // What the server hands the team admin's device.
  expect((await w.pull(tara, orgId, 'teams')).map((t) => t.name)).toEqual(['Platform']);
  expect((await w.pull(tara, orgId, 'invitations')).map((i) => i.name)).toEqual(['Platform seats']);
  expect(new Set((await w.pull(tara, orgId, 'licenses')).map((l) => l.teamId))).toEqual(new Set([platform.teamId]));
  for (const c of ['contacts', 'orders', 'invoices', 'quotes'] as const) {
    expect(await w.pull(tara, orgId, c), `a team admin pulls no ${c}`).toEqual([]);
  }

  // --- The primary billing contact.
  const bp = await w.newPage(bill);
  await bp.goto(w.at(orgId, '/orders'));
  await waitInSync(bp);
  const billMenu = await menuOf(bp);
  for (const hidden of ['Contacts', 'Teams', 'Licenses', 'Notifications', 'Members']) expect(billMenu).not.toContain(hidden);
  expect(billMenu).toEqual(expect.arrayContaining(['Orders', 'Invoices & quotes', 'My licenses']));
  const orders = bp.getByRole('table', { name: 'Orders' });
  await orders.getByRole('link', { name: 'PO-1' }).waitFor();
  await orders.getByRole('link', { name: 'PO-2' }).waitFor();
  await bp.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Invoices & quotes' }).click();
  await bp.getByRole('table', { name: 'Invoices' }).getByText('INV-1001', { exact: true }).waitFor();
  await bp.getByRole('button', { name: 'Mark invoice INV-1001 paid' }).waitFor();
  await bp.goto(w.at(orgId, '/teams'));
  await bp.getByRole('heading', { name: 'Not available' }).waitFor();
  await bp.goto(w.at(orgId, '/invoices'));
  await bp.getByRole('table', { name: 'Invoices' }).getByText('INV-1001', { exact: true }).waitFor();
  await waitInSync(bp);
  await w.shot(bp, 'end');
  expect((await w.pull(bill, orgId, 'orders')).map((o) => o.reference).sort()).toEqual(['PO-1', 'PO-2']);
  expect((await w.pull(bill, orgId, 'invoices')).map((i) => i.number)).toEqual(['INV-1001']);
  for (const c of ['contacts', 'teams', 'licenses', 'invitations', 'acceptances', 'members'] as const) {
    expect(await w.pull(bill, orgId, c), `a primary billing contact pulls no ${c}`).toEqual([]);
  }

  await tara.close();
  await bill.close();
  await ada.close();
});
