import { expect } from 'vitest';
import type { Page } from 'playwright-core';
import { newId } from '../../shared/ids';
import { PRODUCTS, useWorld, waitInSync } from './harness';

const { world, scenario } = useWorld(import.meta.filename);

/** Opens the organization switcher from the keyboard and picks `name` with Enter. */
async function switchTo(page: Page, name: string) {
  const trigger = page.getByRole('button', { name: /Switch organization/ });
  await trigger.focus();
  await page.keyboard.press('Enter');
  const menu = page.getByRole('menu');
  await menu.waitFor();
  // As a person would: once the menu has put its focus on its first item (Kobalte does that a task after it opens), move to the organization and press Enter.
  await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('role'))).toBe('menuitemradio');
  await menu.getByRole('menuitemradio', { name: new RegExp(name) }).press('Enter');
  await menu.waitFor({ state: 'detached' });
  await page.getByRole('button', { name: new RegExp(`^${name}.*Switch organization`) }).waitFor();
}

scenario('i. one person in two organizations switches between them, works offline in both, and both sync; an invitee claims in a second organization and sees it under My licenses at once', async () => {
  const w = world();
  // --- Northwind: Ada's organization (first run).
  const ada = await w.newContext();
  const northwind = await w.setupOrg(ada, { orgName: 'Northwind', email: 'ada@northwind.test', name: 'Ada Admin' });
  const nwOrder = await w.recordOrder(ada, {
    orgId: northwind.orgId,
    reference: 'NW-1',
    teamName: 'Platform',
    productId: PRODUCTS.ide.id,
    quantity: 2,
    licensee: { name: 'Grace Hopper', email: 'grace@northwind.test' },
  });
  const nwInvitation = await w.createInvitation(ada, { orgId: northwind.orgId, teamId: nwOrder.teamId, productId: PRODUCTS.ide.id, memberId: northwind.memberId, name: 'Northwind seats' });

  // --- Globex: another organization on the same server, made from the shell, run by Bea.
  const created = await w.cli(['create-org', '--name', 'Globex', '--admin', 'bea@globex.test', '--admin-name', 'Bea Admin']);
  const globexId = /\(([0-9a-f-]{36})\)/.exec(created)![1];
  const bea = await w.newContext();
  await w.signIn(bea, 'bea@globex.test');
  const beaMe = (await w.api(bea, 'GET', '/api/me')).json;
  expect(beaMe.organizations.map((o: { name: string }) => o.name)).toEqual(['Globex']);
  const beaMemberId = beaMe.organizations[0].memberId;
  const gxOrder = await w.recordOrder(bea, {
    orgId: globexId,
    reference: 'GX-1',
    teamName: 'Partners',
    productId: PRODUCTS.profiler.id,
    quantity: 3,
    licensee: { name: 'Hedy Lamarr', email: 'hedy@globex.test' },
  });
  const gxInvitation = await w.createInvitation(bea, { orgId: globexId, teamId: gxOrder.teamId, productId: PRODUCTS.profiler.id, memberId: beaMemberId, name: 'Partner seats' });

  // --- Ada works in Northwind; Bea makes her the Partners team's admin and Globex's primary billing contact.
  const page = await w.newPage(ada);
  await page.goto(w.at(northwind.orgId, '/contacts'));
  await waitInSync(page);
  await w.push(bea, 'members', [
    { id: newId(), orgId: globexId, accountId: '', email: 'ada@northwind.test', name: 'Ada Admin', isOrgAdmin: false, adminOfTeamIds: [gxOrder.teamId], disabled: false },
  ]);
  await w.push(bea, 'contacts', [
    { id: newId(), orgId: globexId, name: 'Ada Admin', email: 'ada@northwind.test', roles: ['primaryBilling'], orderIds: [], disabled: false, source: 'manual' },
  ]);
  // Her open app learns it without a reload: the switcher lists Globex with her roles there.
  const trigger = page.getByRole('button', { name: /Switch organization/ });
  await expect
    .poll(
      async () => {
        await trigger.click();
        const items = await page.getByRole('menuitemradio').allTextContents();
        await page.keyboard.press('Escape');
        return items;
      },
      { timeout: 20_000 },
    )
    .toEqual(['GlobexTeam admin, Primary billing', '✓NorthwindOrganization admin']);
  await trigger.click();
  await page.getByRole('menu').waitFor();
  await w.shot(page, 'switcher-open');
  await page.keyboard.press('Escape');

  // Switching opens Globex at its own address; the Contacts section is not hers there, so its Overview.
  await switchTo(page, 'Globex');
  await page.waitForURL(w.at(globexId, '/'));
  await waitInSync(page);
  const nav = page.getByRole('navigation', { name: 'Main' });
  await nav.getByRole('link', { name: 'Teams', exact: true }).click();
  await page.waitForURL(w.at(globexId, '/teams'));
  await page.getByRole('table', { name: 'Teams' }).getByRole('link', { name: 'Partners' }).waitFor();
  expect(await nav.getByRole('link', { name: 'Contacts', exact: true }).count()).toBe(0);
  // And back: Teams is hers in Northwind too, so the same section opens.
  await switchTo(page, 'Northwind');
  await page.waitForURL(w.at(northwind.orgId, '/teams'));
  await page.getByRole('table', { name: 'Teams' }).getByRole('link', { name: 'Platform' }).waitFor();
  await waitInSync(page);

  // --- Offline: a contact in Northwind, an invitation in Globex; switching needs no network.
  await ada.setOffline(true);
  const status = page.getByRole('status', { name: 'Sync status' });
  await nav.getByRole('link', { name: 'Contacts', exact: true }).click();
  await page.getByRole('main').getByRole('button', { name: 'Add contact' }).click();
  const add = page.getByRole('dialog', { name: 'Add contact' });
  await add.getByLabel('Name').fill('Olga Offline');
  await add.getByLabel('Email').fill('olga@northwind.test');
  await add.getByRole('checkbox', { name: 'Security and privacy updates' }).check();
  await add.getByRole('button', { name: 'Add contact' }).click();
  await page.getByRole('table', { name: 'Contacts' }).getByText('Olga Offline').waitFor();
  await status.getByText('Offline').waitFor();
  await status.getByText('1 change waiting to sync').waitFor();

  await switchTo(page, 'Globex');
  await page.waitForURL(w.at(globexId, '/'));
  await nav.getByRole('link', { name: 'Teams', exact: true }).click();
  await page.getByRole('table', { name: 'Teams' }).getByRole('link', { name: 'Partners' }).click();
  await page.getByRole('button', { name: 'Create Invitation' }).click();
  const dialog = page.getByRole('dialog', { name: 'Create Invitation' });
  await dialog.getByLabel('Product', { exact: true }).selectOption({ label: PRODUCTS.profiler.name });
  await dialog.getByLabel('Name', { exact: true }).fill('Made on the plane');
  await dialog.getByRole('button', { name: 'Create', exact: true }).click();
  await page.getByRole('heading', { name: 'Made on the plane', level: 1 }).waitFor();
  await status.getByText('1 change waiting to sync').waitFor();
  await status.getByText('Offline').waitFor();
  await w.shot(page, 'offline-globex');

  // Back in Northwind, still offline (from an invitation's page: Teams, where it belongs): its unpushed contact is still there, and still waiting.
  await switchTo(page, 'Northwind');
  await page.waitForURL(w.at(northwind.orgId, '/teams'));
  await nav.getByRole('link', { name: 'Contacts', exact: true }).click();
  await page.getByRole('table', { name: 'Contacts' }).getByText('Olga Offline').waitFor();
  await status.getByText('1 change waiting to sync').waitFor();

  // --- Online again: Northwind syncs; Globex's invitation goes up as soon as Globex is open.
  await ada.setOffline(false);
  await waitInSync(page, 45_000);
  await expect
    .poll(async () => (await w.pull(ada, northwind.orgId, 'contacts')).map((c) => c.email), { timeout: 20_000 })
    .toContain('olga@northwind.test');
  await switchTo(page, 'Globex');
  await waitInSync(page, 45_000);
  await expect
    .poll(async () => (await w.pull(bea, globexId, 'invitations')).map((i) => i.name), { timeout: 20_000 })
    .toContain('Made on the plane');
  // Nothing of one organization leaked into the other.
  expect((await w.pull(ada, globexId, 'contacts')).map((c) => c.email)).not.toContain('olga@northwind.test');
  expect((await w.pull(ada, northwind.orgId, 'invitations')).map((i) => i.name)).not.toContain('Made on the plane');
  await w.shot(page, 'both-synced');

  // --- Ivy holds a Northwind license, and claims one through Globex's invitation.
  const ivy = await w.newContext({ viewport: { width: 390, height: 844 } });
  await w.signIn(ivy, 'ivy@elsewhere.test');
  expect((await w.api(ivy, 'POST', `/api/invitations/${nwInvitation.token}/claim`, {})).status).toBe(200);
  const mine = await w.newPage(ivy);
  // She works in no organization: the app opens on My licenses.
  await mine.goto(`${w.url}/`);
  await mine.waitForURL(`${w.url}/my-licenses`);
  const cards = mine.getByRole('list', { name: 'My licenses' });
  await cards.getByText(PRODUCTS.ide.name).waitFor();
  await expect(cards.getByRole('listitem').count()).resolves.toBe(1);

  const join = await w.newPage(ivy);
  await join.goto(gxInvitation.link);
  await join.getByText('Signed in as ivy@elsewhere.test').waitFor();
  await join.getByRole('button', { name: 'Claim license' }).click();
  await join.getByRole('heading', { name: 'The license is yours' }).waitFor();
  await join.getByText(new RegExp(`${PRODUCTS.profiler.name}, valid until`)).waitFor();
  // The page she left open lists it at once, with where it comes from.
  await expect.poll(() => cards.getByRole('listitem').count(), { timeout: 10_000 }).toBe(2);
  const globexCard = cards.getByRole('listitem').filter({ hasText: PRODUCTS.profiler.name });
  await globexCard.getByText('Globex').waitFor();
  await globexCard.getByText('Partners').waitFor();
  await cards.getByRole('listitem').filter({ hasText: PRODUCTS.ide.name }).getByText('Northwind').waitFor();
  await w.shot(mine, 'my-licenses-phone');
  // …and so does My licenses opened from the join page.
  await join.getByRole('link', { name: 'Open My licenses' }).click();
  await join.getByRole('list', { name: 'My licenses' }).getByText(PRODUCTS.profiler.name).waitFor();
  await expect(join.getByRole('list', { name: 'My licenses' }).getByRole('listitem').count()).resolves.toBe(2);

  // An organization she is not part of reads like one that does not exist.
  await mine.goto(w.at(newId(), '/teams'));
  await mine.getByRole('heading', { name: 'Organization not found' }).waitFor();
  await w.shot(page, 'end');
  await ivy.close();
  await bea.close();
  await ada.close();
});
