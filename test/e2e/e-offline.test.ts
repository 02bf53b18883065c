import { expect } from 'vitest';
import { newId } from '../../shared/ids';
import { PRODUCTS, useWorld, waitForServiceWorker, waitInSync } from './harness';

const { world, scenario } = useWorld(import.meta.filename);

scenario('e. offline: the app reloads from the service worker with its data; offline edits sync when back online; a clash ends in the merge and a notice', async () => {
  const w = world();
  const ada = await w.newContext();
  const { orgId, memberId } = await w.setupOrg(ada, { orgName: 'Wingtip', email: 'ada@wingtip.test', name: 'Ada Admin' });
  const { teamId } = await w.recordOrder(ada, {
    orgId,
    reference: 'PO-7',
    teamName: 'Platform',
    productId: PRODUCTS.ide.id,
    quantity: 3,
    licensee: { name: 'Grace Hopper', email: 'grace@wingtip.test' },
  });
  const chrisId = newId();
  await w.push(ada, 'contacts', [
    { id: chrisId, orgId, name: 'Chris Contact', email: 'chris@wingtip.test', roles: ['securityPrivacy'], orderIds: [], disabled: false, source: 'manual' },
  ]);
  // Lin holds a license (claimed through an invitation) that Ada will revoke offline.
  const invitation = await w.createInvitation(ada, { orgId, teamId, productId: PRODUCTS.ide.id, memberId, name: 'Team seats' });
  const lin = await w.newContext();
  await w.signIn(lin, 'lin@wingtip.test');
  expect((await w.api(lin, 'POST', `/api/invitations/${invitation.token}/claim`, {})).status).toBe(200);
  // Bob, a second org admin, works online in his own browser.
  const bob = await w.newContext();
  await w.signIn(bob, 'bob@wingtip.test', 'Bob Admin');
  await w.push(ada, 'members', [
    { id: newId(), orgId, accountId: '', email: 'bob@wingtip.test', name: 'Bob Admin', isOrgAdmin: true, adminOfTeamIds: [], disabled: false },
  ]);

  const page = await w.newPage(ada);
  await page.goto(w.at(orgId, '/contacts'));
  await waitInSync(page);
  await page.getByRole('table', { name: 'Contacts' }).getByText('Chris Contact').waitFor();
  await waitForServiceWorker(page);
  const bobPage = await w.newPage(bob);
  // Bob opens an address from before URLs named the organization: it leads into his one organization.
  await bobPage.goto(`${w.url}/contacts`);
  await bobPage.waitForURL(w.at(orgId, '/contacts'));
  await waitInSync(bobPage);

  // --- Ada loses the network and reloads: the service worker opens the app with her local data.
  await ada.setOffline(true);
  const reloaded = await page.reload();
  expect(reloaded?.fromServiceWorker()).toBe(true);
  const status = page.getByRole('status', { name: 'Sync status' });
  await status.getByText('Offline').waitFor();
  // This device synced before the reload: the bar says when, not "Not synced yet".
  await status.getByText(/^Last synced /).waitFor();
  expect(await status.textContent()).not.toContain('Not synced yet');
  const contacts = page.getByRole('table', { name: 'Contacts' });
  await contacts.getByText('Chris Contact').waitFor();
  await contacts.getByText('Grace Hopper').waitFor();
  expect(await page.evaluate(() => fetch('/api/health').then(() => 'reached', () => 'offline'))).toBe('offline');
  await w.shot(page, 'offline-reload');

  // Offline: change Chris's roles and disable him…
  await contacts.getByRole('button', { name: 'Edit Chris Contact' }).click();
  const roles = page.getByRole('dialog', { name: 'Edit Chris Contact' });
  await roles.getByLabel('Name').fill('Chris on the train');
  await roles.getByRole('checkbox', { name: 'Primary technical' }).check();
  await roles.getByRole('button', { name: 'Save' }).click();
  await contacts.getByText('Chris on the train').waitFor();
  // A contact added offline waits to sync and says so in full at 1280 px: its Pending sync badge is whole, and its long
  // name, cut with …, shows whole on hover.
  const longName = 'Maximiliana Theodora Wolfeschlegelsteinhausen-Bergerdorff';
  await page.getByRole('main').getByRole('button', { name: 'Add contact' }).click();
  const add = page.getByRole('dialog', { name: 'Add contact' });
  await add.getByLabel('Name').fill(longName);
  await add.getByLabel('Email').fill('maximiliana@wingtip.test');
  await add.getByRole('checkbox', { name: 'Primary technical' }).check();
  await add.getByRole('button', { name: 'Add contact' }).click();
  const added = contacts.getByRole('row').filter({ hasText: longName });
  const badgeWhole = await added.getByText('Pending sync').evaluate((badge) => {
    const cell = badge.closest('[role="cell"]')!.getBoundingClientRect();
    return badge.scrollWidth <= badge.clientWidth && badge.getBoundingClientRect().right <= cell.right;
  });
  expect(badgeWhole).toBe(true);
  const name = added.getByText(longName, { exact: true });
  await name.hover();
  await expect.poll(() => name.getAttribute('title')).toBe(longName);
  await contacts.getByRole('button', { name: 'Disable Chris on the train' }).click();
  await contacts.getByRole('button', { name: 'Enable Chris on the train' }).waitFor();

  // …revoke Lin's license…
  const nav = page.getByRole('navigation', { name: 'Main' });
  await nav.getByRole('link', { name: 'Licenses', exact: true }).click();
  await page.getByRole('button', { name: `Revoke ${PRODUCTS.ide.name} license of lin` }).click();
  await page.getByRole('alertdialog', { name: 'Revoke this license?' }).getByRole('button', { name: 'Revoke license' }).click();
  await page.getByRole('button', { name: `Revoke ${PRODUCTS.ide.name} license of lin` }).waitFor({ state: 'detached' });

  // …and create an invitation, marked pending until it syncs.
  await nav.getByRole('link', { name: 'Teams', exact: true }).click();
  await page.getByRole('table', { name: 'Teams' }).getByRole('link', { name: 'Platform' }).click();
  await page.getByRole('button', { name: 'Create Invitation' }).click();
  const dialog = page.getByRole('dialog', { name: 'Create Invitation' });
  await dialog.getByLabel('Product', { exact: true }).selectOption({ label: PRODUCTS.ide.name });
  await dialog.getByLabel('Name', { exact: true }).fill('Written on the train');
  await dialog.getByRole('button', { name: 'Create', exact: true }).click();
  await page.getByRole('heading', { name: 'Written on the train', level: 1 }).waitFor();
  const pendingBanner = page.getByText('Not synced yet: the link appears here once this invitation reaches the server.');
  await pendingBanner.waitFor();
  await status.getByText(/[3-9] changes waiting to sync/).waitFor();
  await status.getByText('Offline').waitFor();
  // The bar says what is going on in words: the work is kept here and waits for the network.
  expect((await status.textContent())!.replace(/\s+/g, ' ')).toMatch(/Offline — working on this device; [3-9] changes waiting to sync/);
  await w.shot(page, 'offline-edits');

  // --- Meanwhile Bob, online, changes the same field of the same contact.
  const bobContacts = bobPage.getByRole('table', { name: 'Contacts' });
  await bobContacts.getByRole('button', { name: 'Edit Chris Contact' }).click();
  const bobRoles = bobPage.getByRole('dialog', { name: 'Edit Chris Contact' });
  await bobRoles.getByLabel('Name').fill('Christopher Contact');
  await bobRoles.getByRole('checkbox', { name: 'Data protection' }).check();
  await bobRoles.getByRole('button', { name: 'Save' }).click();
  await waitInSync(bobPage);
  await expect
    .poll(async () => (await w.pull(bob, orgId, 'contacts')).find((c) => c.id === chrisId)?.roles, { timeout: 15_000 })
    .toEqual(['securityPrivacy', 'dataProtection']);

  // --- Ada is back online: everything syncs.
  const revokedSince = w.smtp.messages.length;
  await ada.setOffline(false);
  await waitInSync(page, 45_000);
  await pendingBanner.waitFor({ state: 'detached', timeout: 30_000 });

  // The clash: both renamed Chris, and Bob's name won; Ada's is shown with the reason. Both added a
  // role, and a list of roles merges as a set: both roles are kept. Her other change (disabled) was kept.
  const notices = page.getByRole('region', { name: '1 change did not go through' });
  await notices.waitFor({ timeout: 30_000 });
  // Named as it read when the clash was found (either name).
  await notices.getByText(/^Contact “Chris(topher Contact| on the train)”$/).waitFor();
  const row = notices.getByRole('row').filter({ has: page.getByRole('rowheader', { name: 'Name' }) });
  await expect.poll(() => row.getByRole('cell').allTextContents()).toEqual(['Chris on the train', 'Christopher Contact']);
  await expect(notices.getByRole('rowheader', { name: 'Roles' }).count()).resolves.toBe(0);
  await notices.getByText('Someone else changed the same fields at the same time').waitFor();
  await w.shot(page, 'end');

  await expect
    .poll(async () => (await w.pull(ada, orgId, 'contacts')).find((c) => c.id === chrisId), { timeout: 20_000 })
    .toMatchObject({ name: 'Christopher Contact', roles: ['securityPrivacy', 'dataProtection', 'primaryTechnical'], disabled: true });

  // "Keep my values": Ada's name is written again and syncs; the notice goes.
  await notices.getByRole('button', { name: /^Keep my values for Contact “Chris/ }).click();
  await notices.waitFor({ state: 'detached' });
  await waitInSync(page);
  await expect
    .poll(async () => (await w.pull(ada, orgId, 'contacts')).find((c) => c.id === chrisId)?.name, { timeout: 20_000 })
    .toBe('Chris on the train');
  // Bob sees the merged result live.
  await bobContacts.getByRole('button', { name: 'Enable Chris on the train' }).waitFor({ timeout: 20_000 });

  // The revoke reached the server, and Lin is told.
  const licenses = (await w.pull(ada, orgId, 'licenses')).filter((l) => l.teamId === teamId);
  expect(licenses.filter((l) => l.status === 'assigned')).toHaveLength(0);
  await w.mailTo('lin@wingtip.test', /license was revoked/, revokedSince);

  // The invitation written offline is live: its link opens for anyone.
  const written = (await w.pull(ada, orgId, 'invitations')).find((i) => i.name === 'Written on the train');
  expect(written).toBeTruthy();
  const info = await w.api(bob, 'GET', `/api/invitations/${written!.token}`);
  expect(info.status).toBe(200);
  expect(info.json).toMatchObject({ organization: 'Wingtip', team: 'Platform', status: 'active' });
  await bobPage.goto(w.at(orgId, `/invitations/${written!.id}`));
  await bobPage.getByRole('heading', { name: 'Written on the train', level: 1 }).waitFor();
  await w.shot(bobPage, 'end-second-admin');

  await lin.close();
  await bob.close();
  await ada.close();
});
