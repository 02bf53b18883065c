import { expect } from 'vitest';
import { PRODUCTS, useWorld, waitInSync } from './harness';

const { world, scenario } = useWorld(import.meta.filename);

scenario('b. record an order with no team: a team named after the reference, order-specific contacts', async () => {
  const w = world();
  const ctx = await w.newContext();
  const { orgId } = await w.setupOrg(ctx, { orgName: 'Contoso', email: 'ada@contoso.test', name: 'Ada Admin' });
  const page = await w.newPage(ctx);
  await page.goto(w.at(orgId, '/orders'));
  await waitInSync(page);

  await page.getByRole('main').getByRole('button', { name: 'Record order' }).click();
  const dialog = page.getByRole('dialog', { name: 'Record order' });
  await dialog.getByLabel('Order reference').fill('PO-4711');
  await dialog.getByLabel('Product 1', { exact: true }).selectOption({ label: PRODUCTS.ide.name });
  await dialog.getByLabel('Quantity 1', { exact: true }).fill('3');
  await dialog.getByRole('button', { name: 'Add product' }).click();
  await dialog.getByLabel('Product 2', { exact: true }).selectOption({ label: PRODUCTS.profiler.name });
  await dialog.getByLabel('Quantity 2', { exact: true }).fill('2');
  // "No team" is the default: the server makes a team named after the reference.
  await expect(dialog.getByRole('radio', { name: 'No team (named after the reference)' }).isChecked()).resolves.toBe(true);
  await dialog.getByLabel('Licensee email').fill('grace@contoso.test');
  await dialog.getByLabel('Licensee name').fill('Grace Hopper');
  await dialog.getByRole('checkbox', { name: 'The billing contact is the licensee' }).uncheck();
  await dialog.getByLabel('Billing email').fill('barbara@contoso.test');
  await dialog.getByLabel('Billing name').fill('Barbara Liskov');
  await dialog.getByRole('button', { name: 'Record order' }).click();

  // The order page; once synced the server has made the team and the licenses.
  await page.getByRole('heading', { name: 'Order PO-4711' }).waitFor();
  await waitInSync(page);
  const teamCard = page.getByRole('region', { name: 'Team' });
  await teamCard.getByRole('link', { name: 'PO-4711' }).waitFor({ timeout: 20_000 });
  await page.getByRole('region', { name: 'Licenses' }).getByText(PRODUCTS.ide.name).first().waitFor();
  await w.shot(page, 'order');

  // Teams: the new team with its five licenses.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Teams', exact: true }).click();
  const teams = page.getByRole('table', { name: 'Teams' });
  await teams.getByRole('link', { name: 'PO-4711' }).click();
  await page.getByRole('heading', { name: 'PO-4711', level: 1 }).waitFor();
  await page.getByText('5 licenses, 5 available').waitFor();

  // Contacts: licensee and billing contact, both order-specific, linked to the order.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Contacts', exact: true }).click();
  const contacts = page.getByRole('table', { name: 'Contacts' });
  for (const [name, email] of [
    ['Grace Hopper', 'grace@contoso.test'],
    ['Barbara Liskov', 'barbara@contoso.test'],
  ]) {
    const row = contacts.getByRole('row').filter({ hasText: email });
    await row.waitFor();
    await expect(row.textContent()).resolves.toContain(name);
    await expect(row.textContent()).resolves.toContain('Order-specific');
    await expect(row.textContent()).resolves.toContain('PO-4711');
  }
  await page.getByLabel('Kind').selectOption({ label: 'Order-specific' });
  await page.getByText('2 of 2 contacts').waitFor();
  await w.shot(page, 'end');

  // The server agrees: one team named after the reference, the order points at it and its contacts.
  const [order] = await w.pull(ctx, orgId, 'orders');
  const serverTeams = await w.pull(ctx, orgId, 'teams');
  expect(serverTeams.map((t) => t.name)).toEqual(['PO-4711']);
  expect(order.teamId).toBe(serverTeams[0].id);
  expect(serverTeams[0].createdFromOrderId).toBe(order.id);
  const serverContacts = await w.pull(ctx, orgId, 'contacts');
  const byEmail = new Map(serverContacts.map((c) => [c.email, c]));
  expect(order.licenseeContactId).toBe(byEmail.get('grace@contoso.test')!.id);
  expect(order.billingContactId).toBe(byEmail.get('barbara@contoso.test')!.id);
  for (const c of [byEmail.get('grace@contoso.test'), byEmail.get('barbara@contoso.test')]) {
    expect(c).toMatchObject({ orgId, roles: [], orderIds: [order.id], source: 'order' });
  }
  expect((await w.pull(ctx, orgId, 'licenses')).filter((l) => l.teamId === order.teamId)).toHaveLength(5);
  await ctx.close();
});
