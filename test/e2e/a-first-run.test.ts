import { expect } from 'vitest';
import { useWorld, waitInSync } from './harness';

const { world, scenario } = useWorld(import.meta.filename);

scenario('a. first run: create the organization and sign in through the emailed link', async () => {
  const w = world();
  const ctx = await w.newContext();
  const page = await w.newPage(ctx);

  await page.goto(w.url);
  await page.getByRole('heading', { name: 'Create your organization' }).waitFor();
  await page.getByLabel('Organization name').fill('Northwind Traders');
  await page.getByLabel('Your name').fill('Ada Admin');
  await page.getByLabel('Your email').fill('ada@northwind.test');
  const since = w.smtp.messages.length;
  await page.getByRole('button', { name: 'Create organization' }).click();
  await page.getByRole('status').filter({ hasText: 'Your organization is ready' }).waitFor();

  // The sign-in email arrives through real SMTP, with a link and a 6-digit code.
  const mail = await w.mailTo('ada@northwind.test', /sign-in code/i, since);
  const link = /(http:\/\/localhost:\d+\/signin\?token=[A-Za-z0-9_-]+)/.exec(mail.text)?.[1];
  expect(link, mail.text).toBeTruthy();
  expect(mail.text).toMatch(/\b\d{6}\b/);
  expect(link!.startsWith(w.url)).toBe(true);

  await page.goto(link!);
  // Opening the link signs nobody in (mail scanners open links too): the page asks first.
  const signInAs = page.getByRole('button', { name: 'Sign in as ada@northwind.test' });
  await signInAs.waitFor();
  await w.shot(page, 'sign-in-as');
  await signInAs.click();
  // Signed in: the app opens on the Overview with the organization's name in the menu.
  const nav = page.getByRole('navigation', { name: 'Main' });
  await nav.getByText('Northwind Traders').waitFor();
  for (const section of ['Overview', 'Contacts', 'Teams', 'Licenses', 'Orders', 'Invoices & quotes', 'Notifications', 'Members', 'My licenses']) {
    await expect(nav.getByRole('link', { name: section, exact: true }).isVisible()).resolves.toBe(true);
  }
  await waitInSync(page);
  expect(await nav.getByText('ada@northwind.test').isVisible()).toBe(true);

  // The link is single use: opening it again does not sign anyone in.
  const other = await w.newContext();
  const page2 = await w.newPage(other);
  await page2.goto(link!);
  await page2.getByRole('alert').waitFor();
  await w.shot(page2, 'link-used-twice');
  await other.close();

  // Reload: the session holds, and there is no second first-run page.
  await page.reload();
  await nav.getByText('Northwind Traders').waitFor();
  await waitInSync(page);
  const setup = await w.api(ctx, 'GET', '/api/setup');
  expect(setup.json).toEqual({ needsSetup: false });
  await w.shot(page, 'end');
  await ctx.close();
});
