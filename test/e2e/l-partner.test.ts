import { expect } from 'vitest';
import { newId } from '../../shared/ids';
import { PRODUCTS, useWorld, waitInSync } from './harness';

const { world, scenario } = useWorld(import.meta.filename);

scenario('l. a partner who serves two customer organizations records an order in one; its admins hear of it; its licensee opens the certificate email\'s link and lands in that organization; the partner sees only that order and its licenses', async () => {
  const w = world();
  // Two customers on one server: Northwind (first run) and Globex (from the shell).
  const ada = await w.newContext();
  const northwind = await w.setupOrg(ada, { orgName: 'Northwind', email: 'ada@northwind.test', name: 'Ada Admin' });
  const created = await w.cli(['create-org', '--name', 'Globex', '--admin', 'bea@globex.test', '--admin-name', 'Bea Admin']);
  const globexId = /\(([0-9a-f-]{36})\)/.exec(created)![1];
  const bea = await w.newContext();
  await w.signIn(bea, 'bea@globex.test');

  // Each makes Pat, of a reseller, a partner of theirs: Ada on the Members page, Bea by her client.
  const adaPage = await w.newPage(ada);
  await adaPage.goto(w.at(northwind.orgId, '/members'));
  await waitInSync(adaPage);
  await adaPage.getByRole('main').getByRole('button', { name: 'Add member' }).click();
  const add = adaPage.getByRole('dialog', { name: 'Add member' });
  await add.getByLabel('Name').fill('Pat Partner');
  await add.getByLabel('Email').fill('pat@reseller.test');
  await add.getByRole('checkbox', { name: 'Partner' }).check();
  await add.getByRole('button', { name: 'Add member' }).click();
  await adaPage.getByRole('checkbox', { name: 'Partner: Pat Partner' }).waitFor();
  await expect(adaPage.getByRole('checkbox', { name: 'Partner: Pat Partner' }).isChecked()).resolves.toBe(true);
  await waitInSync(adaPage);
  await w.push(bea, 'members', [
    { id: newId(), orgId: globexId, accountId: '', email: 'pat@reseller.test', name: 'Pat Partner', isOrgAdmin: false, adminOfTeamIds: [], disabled: false, isPartner: true },
  ]);

  // Pat signs in: both organizations, as Partner in each.
  const pat = await w.newContext();
  await w.signIn(pat, 'pat@reseller.test');
  const page = await w.newPage(pat);
  await page.goto(w.at(northwind.orgId, '/orders'));
  await waitInSync(page);
  const trigger = page.getByRole('button', { name: /Switch organization/ });
  await trigger.click();
  await expect(page.getByRole('menuitemradio').allTextContents()).resolves.toEqual(['GlobexPartner', '✓NorthwindPartner']);
  await page.keyboard.press('Escape');
  // Orders, Licenses, Invoices & quotes — no Contacts, Teams or Members.
  const nav = page.getByRole('navigation', { name: 'Main' });
  for (const hidden of ['Contacts', 'Teams', 'Members']) await expect(nav.getByRole('link', { name: hidden, exact: true }).count()).resolves.toBe(0);

  await page.getByRole('main').getByRole('button', { name: 'Record order' }).click();
  const dialog = page.getByRole('dialog', { name: 'Record order' });
  await dialog.getByLabel('Order reference').fill('NW-PARTNER-1');
  await dialog.getByLabel('Product 1', { exact: true }).selectOption({ label: PRODUCTS.ide.name });
  await dialog.getByLabel('Quantity 1', { exact: true }).fill('3');
  // A partner sees no teams: the order's licenses go into a team of their own.
  await expect(dialog.getByRole('radio', { name: 'An existing team' }).count()).resolves.toBe(0);
  await dialog.getByLabel('Licensee email').fill('lena@northwind.test');
  await dialog.getByLabel('Licensee name').fill('Lena Licensee');
  await dialog.getByRole('checkbox', { name: 'The billing contact is the licensee' }).uncheck();
  await dialog.getByLabel('Billing email').fill('bo@northwind.test');
  await dialog.getByLabel('Billing name').fill('Bo Billing');
  await dialog.getByRole('button', { name: 'Record order' }).click();

  await page.getByRole('heading', { name: 'Order NW-PARTNER-1' }).waitFor();
  await waitInSync(page);
  await page.getByText(/Placed .* by you \(partner\)/).waitFor({ timeout: 20_000 });
  const licenses = page.getByRole('table', { name: 'Licenses of order NW-PARTNER-1' });
  await licenses.getByRole('row').filter({ hasText: PRODUCTS.ide.name }).nth(2).waitFor({ timeout: 20_000 });
  await w.shot(page, 'partner-order');

  // Northwind's admin hears of it, by whom; Pat gets the confirmation; Globex hears nothing.
  const told = await w.mailTo('ada@northwind.test', /NW-PARTNER-1 placed/, 0);
  expect(told.text).toContain('Pat Partner (partner) recorded the order NW-PARTNER-1');
  await w.mailTo('pat@reseller.test', /NW-PARTNER-1 placed/, 0);

  // The licensee gets the license certificate; its link, opened signed out, leads through sign-in into Northwind's order.
  const cert = await w.mailTo('lena@northwind.test', /License certificate for order NW-PARTNER-1/, 0);
  const link = /(http:\/\/\S+\/o\/[0-9a-f-]{36}\/orders\/[0-9a-f-]{36})/.exec(cert.text)?.[1];
  expect(link, cert.text).toContain(`/o/${northwind.orgId}/orders/`);
  const lena = await w.newContext();
  const lenaPage = await w.newPage(lena);
  await lenaPage.goto(link!);
  await lenaPage.getByLabel('Email').fill('lena@northwind.test');
  const since = w.smtp.messages.length;
  await lenaPage.getByRole('button', { name: 'Email me a sign-in code' }).click();
  const code = /\b(\d{6})\b/.exec((await w.mailTo('lena@northwind.test', /sign-in code/i, since)).text)![1];
  await lenaPage.getByLabel('Code').fill(code);
  await lenaPage.getByRole('button', { name: 'Sign in', exact: true }).click();
  await lenaPage.getByRole('heading', { name: 'Order NW-PARTNER-1' }).waitFor({ timeout: 20_000 });
  await lenaPage.getByRole('button', { name: /^Northwind.*Switch organization/ }).waitFor();
  const pdfLink = lenaPage.getByRole('link', { name: 'License certificate (PDF)' });
  await pdfLink.waitFor();
  const pdf = await lenaPage.request.get(new URL((await pdfLink.getAttribute('href'))!, w.url).toString());
  expect(pdf.status()).toBe(200);
  expect(pdf.headers()['content-type']).toContain('application/pdf');
  await w.shot(lenaPage, 'licensee-order');

  // Ada sees who placed it.
  await adaPage.goto(w.at(northwind.orgId, '/orders'));
  await waitInSync(adaPage);
  await adaPage.getByRole('table', { name: 'Orders' }).getByRole('row').filter({ hasText: 'NW-PARTNER-1' }).filter({ hasText: 'Pat Partner (partner)' }).waitFor();

  // In Globex, Pat sees no order of Northwind's.
  await page.goto(w.at(globexId, '/orders'));
  await waitInSync(page);
  await page.getByText('No orders yet.').waitFor();
  await w.shotAll('end');
  for (const c of [ada, bea, pat, lena]) await c.close();
});
