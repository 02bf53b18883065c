/**
 * Screenshots of every console screen, on the demo organization, in Chromium:
 *   npm run build && npx tsx docs/take-screenshots.ts [outDir]
 * Writes one PNG per screen (desktop) plus phone-width ones into outDir (default
 * docs/screenshots, kept in the repository), and the shell with the organization switcher open and
 * My licenses across the demo's two organizations; the README's pictures are copied from there.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { loadDemo } from '../server/demo-data';
import { orgPath } from '../shared/links';
import { syncPath } from '../shared/sync-paths';
import { startTestServer } from '../test/helpers/server';

const outDir = resolve(process.argv[2] ?? 'docs/screenshots');
mkdirSync(outDir, { recursive: true });

const s = await startTestServer({ staticRoot: resolve('dist') });
const demo = await loadDemo(s.deps, { licenses: 40, contacts: 30 });
const cookie = (await s.signIn(demo.adminEmail)).split('=');
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const host = new URL(s.url).hostname;

async function shoot(width: number, height: number, suffix: string) {
  const context = await browser.newContext({ viewport: { width, height }, deviceScaleFactor: 1 });
  await context.addCookies([{ name: cookie[0], value: cookie.slice(1).join('='), domain: host, path: '/' }]);
  const page = await context.newPage();
  page.on('console', (m) => m.type() === 'error' && console.error(`[console] ${m.text()}`));
  await page.goto(s.url + '/');
  await page.getByText('Synced', { exact: false }).first().waitFor({ timeout: 30_000 }).catch(() => {});
  const pull = (collection: 'teams' | 'invitations') =>
    s.request(syncPath(demo.orgId, collection, 'pull'), { cookie: cookie.join('='), body: { checkpoint: null, batchSize: 10 } });
  const team = (await pull('teams')).json.documents[0];
  const invitations = await pull('invitations');
  const at = (path: string) => orgPath(demo.orgId, path);
  const routes: [string, string][] = [
    ['overview', at('/')],
    ['contacts', at('/contacts')],
    ['teams', at('/teams')],
    ['team', at(`/teams/${team.id}`)],
    ['invitation', at(`/invitations/${invitations.json.documents[0].id}`)],
    ['licenses', at('/licenses')],
    ['orders', at('/orders')],
    ['order', at(`/orders/${demo.orderIds[0]}`)],
    ['invoices', at('/invoices')],
    ['notifications', at('/notifications')],
    ['members', at('/members')],
    ['audit', at('/audit')],
    ['my-licenses', '/my-licenses'],
  ];
  for (const [name, path] of routes) {
    await page.evaluate((p) => {
      history.pushState(null, '', p);
      dispatchEvent(new PopStateEvent('popstate'));
    }, path);
    await page.waitForTimeout(600);
    await page.screenshot({ path: join(outDir, `${name}${suffix}.png`), fullPage: false });
  }
  // The shell with the organization switcher open (on a phone, inside the menu).
  await page.evaluate((p) => {
    history.pushState(null, '', p);
    dispatchEvent(new PopStateEvent('popstate'));
  }, at('/'));
  await page.waitForTimeout(600);
  const menu = page.getByRole('button', { name: 'Menu', exact: true });
  if (await menu.isVisible()) {
    await menu.click();
    await page.waitForTimeout(400);
  }
  await page.getByRole('button', { name: /Switch organization/ }).click();
  await page.getByRole('menu').waitFor();
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(outDir, `switcher-open${suffix}.png`), fullPage: false });
  await context.close();
}

await shoot(1280, 800, '');
await shoot(390, 844, '-phone');
const join_ = await browser.newContext({ viewport: { width: 390, height: 844 } });
const joinPage = await join_.newPage();
await joinPage.goto(demo.invitation.url.replace(/^https?:\/\/[^/]+/, s.url));
await joinPage.waitForTimeout(1000);
await joinPage.screenshot({ path: join(outDir, 'join-phone.png') });
await browser.close();
await s.close();
console.log(`Screenshots in ${outDir}`);
