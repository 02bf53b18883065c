/**
 * Screenshots of every console screen, on the demo organization, in Chromium:
 *   npm run build && npx tsx docs/take-screenshots.ts [outDir]
 * Writes one PNG per screen (desktop) plus phone-width ones into outDir (default
 * docs/screenshots/all, git-ignored); the README's two pictures are copied from there.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { loadDemo } from '../server/demo-data';
import { startTestServer } from '../test/helpers/server';

const outDir = resolve(process.argv[2] ?? 'docs/screenshots/all');
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
  const teams = await s.request('/api/sync/teams/pull', { cookie: cookie.join('='), body: { checkpoint: null, batchSize: 10 } });
  const team = teams.json.documents[0];
  const invitations = await s.request('/api/sync/invitations/pull', { cookie: cookie.join('='), body: { checkpoint: null, batchSize: 10 } });
  const routes: [string, string][] = [
    ['overview', '/'],
    ['contacts', '/contacts'],
    ['teams', '/teams'],
    ['team', `/teams/${team.id}`],
    ['invitation', `/invitations/${invitations.json.documents[0].id}`],
    ['licenses', '/licenses'],
    ['orders', '/orders'],
    ['order', `/orders/${demo.orderIds[0]}`],
    ['invoices', '/invoices'],
    ['notifications', '/notifications'],
    ['members', '/members'],
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
