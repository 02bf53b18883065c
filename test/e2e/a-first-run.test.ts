import { expect } from 'vitest';
import { useWorld, waitInSync } from './harness';

const { world, scenario } = useWorld(import.meta.filename);

scenario('a. first run: create the organization and sign in with the emailed code, right there', async () => {
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
  // The page turns into "Check your email" with the code field: no second code to ask for.
  await page.getByRole('heading', { name: 'Check your email' }).waitFor();
  await page.getByText('Your organization is ready').waitFor();
  await w.shot(page, 'first-run-check-email');

  // The sign-in email arrives through real SMTP, with a link and a 6-digit code.
  const mail = await w.mailTo('ada@northwind.test', /sign-in code/i, since);
  const link = /(http:\/\/localhost:\d+\/signin\?token=[A-Za-z0-9_-]+)/.exec(mail.text)?.[1];
  expect(link, mail.text).toBeTruthy();
  expect(mail.text).toMatch(/\b\d{6}\b/);
  expect(link!.startsWith(w.url)).toBe(true);

  await page.getByLabel('Code').fill(/\b(\d{6})\b/.exec(mail.text)![1]);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  // Signed in: the app opens on the Overview with the organization's name in the menu.
  const nav = page.getByRole('navigation', { name: 'Main' });
  await nav.getByText('Northwind Traders').waitFor();
  for (const section of ['Overview', 'Contacts', 'Teams', 'Licenses', 'Orders', 'Invoices & quotes', 'Notifications', 'Members', 'My licenses']) {
    await expect(nav.getByRole('link', { name: section, exact: true }).isVisible()).resolves.toBe(true);
  }
  await waitInSync(page);
  expect(await nav.getByText('ada@northwind.test').isVisible()).toBe(true);

  // The code was used, so the same email's link no longer signs anyone in.
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
