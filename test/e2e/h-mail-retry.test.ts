import { expect } from 'vitest';
import type { Page } from 'playwright-core';
import { newId } from '../../shared/ids';
import { orgApiPath } from '../../shared/sync-paths';
import { useWorld, waitInSync } from './harness';

const { world, scenario } = useWorld(import.meta.filename);

const contact = (orgId: string, email: string, name: string, roles: string[]) => ({
  id: newId(),
  orgId,
  name,
  email,
  roles,
  orderIds: [],
  disabled: false,
  source: 'manual',
});

async function openLog(page: Page, url: string) {
  // `/` opens the person's organization.
  await page.goto(`${url}/`);
  await waitInSync(page);
  const nav = page.getByRole('navigation', { name: 'Main' });
  // On a phone the menu sits behind its button.
  const menu = page.getByRole('button', { name: 'Menu', exact: true });
  if (await menu.isVisible()) await menu.click();
  await nav.getByRole('link', { name: 'Notifications', exact: true }).click();
  return page.getByRole('table', { name: 'Sent emails' });
}

scenario('h. an email refused or waiting through an SMTP outage shows why, and an org admin retries it', async () => {
  const w = world();
  const ctx = await w.newContext();
  const { orgId, admin } = await w.setupOrg(ctx, { orgName: 'Globex', email: 'ada@globex.test', name: 'Ada Admin' });
  await w.push(ctx, 'contacts', [
    contact(orgId, 'sec@globex.test', 'Sam Secure', ['securityPrivacy']),
    contact(orgId, 'dpo@globex.test', 'Dana Protect', ['dataProtection']),
  ]);

  // The same admin on a phone (signed in while mail still flows).
  const phone = await w.newContext({ viewport: { width: 390, height: 844 } });
  await w.signIn(phone, admin.email);

  // A mailbox the SMTP server refuses for good (550): failed at once.
  w.smtp.refuse('sec@globex.test');
  expect((await w.api(ctx, 'POST', orgApiPath(orgId, '/notifications/bulletin'), { topic: 'security-privacy', subject: 'Patch your IDE', body: 'Version 2.1 fixes a flaw.' })).status).toBe(200);
  for (let i = 0; ; i++) {
    const [entry] = (await w.pull(ctx, orgId, 'notifications')).filter((n) => n.subject === 'Patch your IDE');
    if (entry?.status === 'failed') break;
    if (i > 100) throw new Error(`the refused email is ${entry?.status}, not failed`);
    await new Promise((r) => setTimeout(r, 100));
  }
  // The SMTP server goes down: the next email waits, tried again with growing pauses.
  await w.smtp.setDown(true);
  expect((await w.api(ctx, 'POST', orgApiPath(orgId, '/notifications/bulletin'), { topic: 'data-protection', subject: 'New sub-processor', body: 'We added a data centre.' })).status).toBe(200);

  const page = await w.newPage(ctx);
  const log = await openLog(page, w.url);
  const refused = log.getByRole('row').filter({ hasText: 'Patch your IDE' });
  const waiting = log.getByRole('row').filter({ hasText: 'New sub-processor' });
  await refused.getByText('Failed', { exact: true }).waitFor({ timeout: 20_000 });
  await expect(refused.textContent()).resolves.toMatch(/550/);
  await waiting.getByText(/^Waiting: .*ECONNREFUSED/).waitFor({ timeout: 20_000 });
  await expect(waiting.textContent()).resolves.toMatch(/next try/);
  await w.shot(page, 'log-desktop');

  const phonePage = await w.newPage(phone);
  const phoneLog = await openLog(phonePage, w.url);
  await phoneLog.getByRole('row').filter({ hasText: 'New sub-processor' }).getByRole('button', { name: /^Retry email/ }).waitFor();
  await w.shot(phonePage, 'log-phone');
  await phone.close();

  // SMTP is back: Retry sends the waiting email now rather than at its next try.
  const since = w.smtp.messages.length;
  await w.smtp.setDown(false);
  await waiting.getByRole('button', { name: 'Retry email “New sub-processor” to dpo@globex.test' }).click();
  await waiting.getByText('Sent', { exact: true }).waitFor({ timeout: 20_000 });
  await w.mailTo('dpo@globex.test', /New sub-processor/, since);

  // The refused mailbox exists after all: failed emails wait for a person, whose Retry sends it.
  w.smtp.accept('sec@globex.test');
  await expect(refused.getByText('Failed', { exact: true }).isVisible()).resolves.toBe(true);
  await refused.getByRole('button', { name: 'Retry email “Patch your IDE” to sec@globex.test' }).click();
  await refused.getByText('Sent', { exact: true }).waitFor({ timeout: 20_000 });
  await w.mailTo('sec@globex.test', /Patch your IDE/, since);
  await expect(log.getByRole('button', { name: /^Retry email/ }).count()).resolves.toBe(0);
  await w.shot(page, 'end');
  await ctx.close();
});
