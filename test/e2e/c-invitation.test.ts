import { expect } from 'vitest';
import { PRODUCTS, useWorld, waitInSync } from './harness';

const { world, scenario } = useWorld(import.meta.filename);

scenario('c. an invitation for one email domain and 7 days: copy the link, a new person signs up and claims; the admin sees it live and gets the email', async () => {
  const w = world();
  // Clipboard access as a person grants it to the site.
  const admin = await w.newContext({ permissions: ['clipboard-read', 'clipboard-write'] });
  const { orgId } = await w.setupOrg(admin, { orgName: 'Fabrikam', email: 'ada@fabrikam.test', name: 'Ada Admin' });
  const { teamId } = await w.recordOrder(admin, {
    orgId,
    reference: 'PO-100',
    teamName: 'Platform',
    productId: PRODUCTS.ide.id,
    quantity: 3,
    licensee: { name: 'Grace Hopper', email: 'grace@fabrikam.test' },
  });

  const page = await w.newPage(admin);
  await page.goto(w.at(orgId, `/teams/${teamId}?tab=invitations`));
  await waitInSync(page);
  await page.getByRole('heading', { name: 'Platform', level: 1 }).waitFor();
  await page.getByRole('button', { name: 'Create Invitation' }).click();
  const dialog = page.getByRole('dialog', { name: 'Create Invitation' });
  await dialog.getByLabel('Product', { exact: true }).selectOption({ label: PRODUCTS.ide.name });
  await dialog.getByLabel('Name', { exact: true }).fill('Spring cohort');
  await dialog.getByLabel('Link lifetime').selectOption({ label: '7 days' });
  await dialog.getByLabel('Allowed email domains').fill('partners.test');
  const createdAt = Date.now();
  await dialog.getByRole('button', { name: 'Create', exact: true }).click();

  // The invitation page; the link works once the invitation has synced.
  await page.getByRole('heading', { name: 'Spring cohort', level: 1 }).waitFor();
  await waitInSync(page);
  await page.getByText('Not synced yet: the link appears here').waitFor({ state: 'detached' });
  const linkCard = page.getByRole('region', { name: 'Invitation link' });
  await linkCard.getByText('partners.test').waitFor();
  await expect.poll(() => linkCard.getByRole('definition').first().textContent(), { timeout: 20_000 }).toBe('3');

  await linkCard.getByRole('button', { name: 'Copy link' }).click();
  await linkCard.getByRole('button', { name: 'Copied' }).waitFor();
  const link = await page.evaluate(() => navigator.clipboard.readText());
  expect(link).toMatch(new RegExp(`^${w.url}/join/[A-Za-z0-9_-]+$`));

  // The server holds the limits: one domain, 7 days.
  const [inv] = await w.pull(admin, orgId, 'invitations');
  expect(inv.allowedDomains).toEqual(['partners.test']);
  const days = (Date.parse(inv.expiresAt!) - createdAt) / 86_400_000;
  expect(days).toBeGreaterThan(6.99);
  expect(days).toBeLessThan(7.01);
  expect(link).toBe(`${w.url}/join/${inv.token}`);

  // Someone of another domain is turned away.
  const outsider = await w.newContext();
  await w.signIn(outsider, 'eve@elsewhere.test');
  const outPage = await w.newPage(outsider);
  await outPage.goto(link);
  await outPage.getByText('Only addresses at partners.test').waitFor();
  await outPage.getByRole('button', { name: 'Claim license' }).click();
  await outPage.getByRole('alert').filter({ hasText: 'only for email addresses at partners.test' }).waitFor();
  // Nothing changes for this address by trying again: Claim is off, another address is offered.
  expect(await outPage.getByRole('button', { name: 'Claim license' }).isDisabled()).toBe(true);
  await outPage.getByRole('button', { name: 'Use another email' }).click();
  await outPage.getByRole('heading', { name: 'Sign in or sign up to claim it' }).waitFor();
  await outsider.close();

  // A new person opens the link in their own browser, signs up with the emailed code and claims.
  const invitee = await w.newContext();
  const inPage = await w.newPage(invitee);
  await inPage.goto(link);
  await inPage.getByRole('heading', { name: /IDE Ultimate license/ }).waitFor();
  await inPage.getByText('Fabrikam').first().waitFor();
  await inPage.getByRole('heading', { name: 'Sign in or sign up to claim it' }).waitFor();
  await inPage.getByLabel('Email').fill('newton@partners.test');
  const since = w.smtp.messages.length;
  await inPage.getByRole('button', { name: 'Continue with email' }).click();
  const mail = await w.mailTo('newton@partners.test', /sign-in code/i, since);
  const code = /Code: (\d{6})/.exec(mail.text)![1];
  await inPage.getByLabel('Code').fill(code);
  await inPage.getByRole('button', { name: 'Sign in', exact: true }).click();
  await inPage.getByText('Signed in as newton@partners.test').waitFor();
  // First sign-in: the person gives the name the admins will read.
  const prompt = inPage.getByRole('region', { name: 'What should we call you?' });
  await prompt.getByLabel('Your name').fill('Isaac Newton');
  await prompt.getByRole('button', { name: 'Save my name' }).click();
  const claimedSince = w.smtp.messages.length;
  await inPage.getByRole('button', { name: 'Claim license' }).click();
  await inPage.getByRole('heading', { name: 'The license is yours' }).waitFor();
  await w.shot(inPage, 'claimed');
  await inPage.getByRole('link', { name: 'Open My licenses' }).click();
  await inPage.getByRole('heading', { name: 'My licenses', level: 1 }).waitFor();
  const cards = inPage.getByRole('list', { name: 'My licenses' });
  await cards.getByText(PRODUCTS.ide.name).waitFor({ timeout: 20_000 });
  await cards.getByText('Fabrikam').waitFor();
  await w.shot(inPage, 'my-licenses');

  // The admin's open page shows the acceptance without a reload (live stream).
  const accepted = page.getByRole('table', { name: 'Accepted invitations' });
  await accepted.getByText('newton@partners.test').waitFor({ timeout: 20_000 });
  await accepted.getByText('Isaac Newton').waitFor();
  await expect.poll(() => linkCard.getByRole('definition').first().textContent(), { timeout: 20_000 }).toBe('2');

  // …and the claim email arrives over SMTP.
  const claimMail = await w.mailTo('ada@fabrikam.test', /claimed IDE Ultimate/, claimedSince);
  expect(claimMail.text).toContain('newton@partners.test');
  await w.shot(page, 'end');
  await invitee.close();
  await admin.close();
});
