import { expect, onTestFinished } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { PRODUCTS, ROOT, useWorld, waitInSync } from './harness';

const { world, scenario } = useWorld(import.meta.filename);

/** Nothing wider than the window: the page scrolls only up and down (a phone at 390 px, DESIGN §11). */
async function fitsWidth(page: Page) {
  const widths = await page.evaluate(() => ({ doc: document.documentElement.scrollWidth, win: window.innerWidth }));
  expect(widths.doc, `page is ${widths.doc}px wide in a ${widths.win}px window`).toBeLessThanOrEqual(widths.win);
}

/** Resolves once no CSS transition or animation runs (a resized shell slides its menu away). */
const settled = (page: Page) => page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running'));

/** Screenshots at 1280 px and at 390 px (a phone), each checked for sideways overflow. */
async function shotsAtBothWidths(w: ReturnType<typeof world>, page: Page, name: string) {
  for (const [width, height] of [
    [1280, 800],
    [390, 844],
  ] as const) {
    await page.setViewportSize({ width, height });
    await settled(page);
    await fitsWidth(page);
    await w.shot(page, `${name}-${width}`);
  }
  await page.setViewportSize({ width: 1280, height: 800 });
  await settled(page);
}

scenario('j. a product activates: `npm run cli -- activate` prints a code, the person opens /activate, signs in, chooses a license and approves; the CLI ends with a verified ticket; My licenses shows the machine and deactivates it; the admin sees "Last used"', async () => {
  const w = world();
  const admin = await w.newContext();
  const { orgId, memberId } = await w.setupOrg(admin, { orgName: 'Fabrikam', email: 'ada@fabrikam.test', name: 'Ada Admin' });
  // Two teams each with a license for the same person: the page asks which one.
  const licensee = { name: 'Lin Licensee', email: 'lin@fabrikam.test' };
  const one = await w.recordOrder(admin, { orgId, reference: 'PO-1', teamName: 'Platform', productId: PRODUCTS.ide.id, quantity: 2, licensee });
  const two = await w.recordOrder(admin, { orgId, reference: 'PO-2', teamName: 'Research', productId: PRODUCTS.ide.id, quantity: 2, licensee });
  const holder = await w.newContext();
  await w.signIn(holder, 'grace@fabrikam.test', 'Grace Hopper');
  for (const teamId of [one.teamId, two.teamId]) {
    const inv = await w.createInvitation(admin, { orgId, teamId, productId: PRODUCTS.ide.id, memberId });
    expect((await w.api(holder, 'POST', `/api/invitations/${inv.token}/claim`, {})).status).toBe(200);
  }

  // The product (the CLI, as `npm run cli -- activate` runs it) asks for a code and waits.
  const state = join(mkdtempSync(join(tmpdir(), 'allot-activate-')), 'state.json');
  const cli = spawn('npm', ['run', '--silent', 'cli', '--', 'activate', '--product', 'ide-ultimate', '--server', w.url, '--state', state], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'silent' },
    detached: true,
  });
  onTestFinished(() => {
    // npm and the CLI it started, as one process group, if the scenario ended before the CLI did.
    if (cli.exitCode === null && cli.pid) {
      try {
        process.kill(-cli.pid, 'SIGTERM');
      } catch {
        // already gone
      }
    }
  });
  let out = '';
  cli.stdout.on('data', (d) => (out += d));
  cli.stderr.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((done) => cli.on('close', (c) => done(c)));
  await expect.poll(() => /enter the code ([A-Z]{4}-[A-Z]{4})/.exec(out)?.[1], { timeout: 60_000 }).toBeTruthy();
  const userCode = /enter the code ([A-Z]{4}-[A-Z]{4})/.exec(out)![1];
  expect(out).toContain(`open ${w.url}/activate`);

  // The person opens /activate in a browser where nobody is signed in, types the code and signs in right there.
  const person = await w.newContext();
  const page = await w.newPage(person);
  await page.goto(`${w.url}/activate`);
  await page.getByRole('heading', { name: 'Activate a product' }).waitFor();
  await shotsAtBothWidths(w, page, 'activate-code');
  await page.getByLabel('Code', { exact: true }).fill(userCode.toLowerCase());
  await page.getByRole('button', { name: 'Continue', exact: true }).click();
  await page.getByRole('heading', { name: 'Sign in or sign up to continue' }).waitFor();
  await page.getByLabel('Email').fill('grace@fabrikam.test');
  const since = w.smtp.messages.length;
  await page.getByRole('button', { name: 'Continue with email' }).click();
  const mail = await w.mailTo('grace@fabrikam.test', /sign-in code/i, since);
  await page.getByLabel('Code', { exact: true }).fill(/Code: (\d{6})/.exec(mail.text)![1]);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();

  await page.getByText(PRODUCTS.ide.name).first().waitFor();
  await page.getByText(hostname()).first().waitFor();
  const choices = page.getByRole('group', { name: 'Which license will it use?' });
  await choices.getByRole('radio').first().waitFor();
  expect(await choices.getByRole('radio').count()).toBe(2);
  await shotsAtBothWidths(w, page, 'activate-choose');
  await choices.getByText('Team Research').click();
  const activatedSince = w.smtp.messages.length;
  await page.getByRole('button', { name: 'Approve' }).click();
  await page.getByRole('heading', { name: 'Approved' }).waitFor();

  // The CLI ends with a ticket it verified offline, for the chosen license.
  expect(await exited, out).toBe(0);
  expect(out).toContain('ticket verified offline');
  const saved = JSON.parse(readFileSync(state, 'utf8')) as { ticket: string };
  const claims = JSON.parse(Buffer.from(saved.ticket.split('.')[1], 'base64url').toString()) as { lic: string };
  const [research] = (await w.pull(admin, orgId, 'licenses')).filter((l) => l.teamId === two.teamId && l.status === 'assigned');
  expect(claims.lic).toBe(research.id);
  await w.mailTo('grace@fabrikam.test', /was activated on/, activatedSince);

  // My licenses shows the machine.
  const mine = await w.newPage(person);
  await mine.goto(`${w.url}/my-licenses`);
  const machines = mine.getByRole('list', { name: `Machines of ${PRODUCTS.ide.name}` });
  await machines.getByText(hostname()).waitFor();
  await mine.getByRole('button', { name: `Deactivate ${hostname()}` }).waitFor();
  await shotsAtBothWidths(w, mine, 'my-licenses-machine');

  // The admin sees "Last used" in Licenses, with the machine's name.
  const adminPage = await w.newPage(admin);
  await adminPage.goto(w.at(orgId, '/licenses'));
  await waitInSync(adminPage);
  await adminPage.getByRole('columnheader', { name: 'Last used' }).waitFor();
  const row = adminPage.getByRole('row').filter({ hasText: 'Research' }).filter({ hasText: 'grace@fabrikam.test' });
  await row.getByText(hostname()).waitFor();
  await w.shot(adminPage, 'licenses-last-used');
  await adminPage.goto(w.at(orgId, '/'));
  await adminPage.getByRole('heading', { name: 'Unused seats' }).waitFor();
  await w.shot(adminPage, 'overview-unused-seats');

  // The holder deactivates the machine: it leaves My licenses, and the product must activate again.
  await mine.getByRole('button', { name: `Deactivate ${hostname()}` }).click();
  await mine.getByRole('button', { name: 'Deactivate machine' }).click();
  await mine.getByText('Not activated on any machine yet.').first().waitFor();
  await expect.poll(async () => (await machines.count()) === 0 || (await machines.getByText(hostname()).count()) === 0, { timeout: 10_000 }).toBe(true);
  const held = (await w.api(person, 'GET', '/api/me/licenses')).json as { licenses: { license: { id: string }; machines: unknown[] }[] };
  expect(held.licenses.find((l) => l.license.id === research.id)?.machines).toEqual([]);

  // The organization's notification log lists the approval, the activation and the deactivation.
  await adminPage.goto(w.at(orgId, '/notifications'));
  const log = adminPage.getByRole('list', { name: 'Product activations' });
  await log.getByText('Machine deactivated').waitFor();
  await log.getByText('Activated on a new machine').waitFor();
  await log.getByText('Approved on /activate').waitFor();
  await w.shot(adminPage, 'notifications-activations');
});
