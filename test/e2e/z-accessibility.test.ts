/**
 * WCAG 2.2 AA on every screen (issue: the console as a demanding admin uses it): axe-core, the
 * standard accessibility engine, over the demo organization signed in as its org admin, and the
 * join page signed out, at a desktop (1280 px) and a phone (390 × 844) width. Also: no page is
 * wider than the phone's viewport, and every button and link on it is within reach.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { ROOT, useWorld, waitInSync } from './harness';

const { world, scenario } = useWorld(import.meta.filename);

const AXE_SOURCE = readFileSync(createRequire(join(ROOT, 'package.json')).resolve('axe-core/axe.min.js'), 'utf8');
const WIDTHS = [
  { name: 'desktop', width: 1280, height: 800 },
  { name: 'phone', width: 390, height: 844 },
] as const;

/** `npm run cli -- demo` against the world's database: the demo organization, as a user would load it. */
async function loadDemo(dataDir: string, url: string): Promise<{ admin: string; invitationLink: string }> {
  const tsx = pathToFileURL(createRequire(join(ROOT, 'package.json')).resolve('tsx')).href;
  const child = spawn(process.execPath, ['--import', tsx, join(ROOT, 'server/cli.ts'), 'demo', '--admin', 'ada@demo.test', '--licenses', '40', '--contacts', '30'], {
    env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '', PUBLIC_URL: url, SMTP_URL: '', LOG_LEVEL: 'warn', CATALOG: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (out += c.toString()));
  const code = await new Promise<number | null>((r) => child.once('exit', r));
  if (code !== 0) throw new Error(`demo failed (${code}):\n${out}`);
  const admin = /Org admin:\s+(\S+)/.exec(out)?.[1];
  const invitationLink = /Invitation link:\s+(\S+)/.exec(out)?.[1];
  if (!admin || !invitationLink) throw new Error(`demo printed no admin or link:\n${out}`);
  return { admin, invitationLink };
}

interface Finding {
  id: string;
  impact: string;
  help: string;
  targets: string[];
}

/** axe-core's serious and critical violations of WCAG 2.0–2.2 A and AA on the page as it is now. */
async function axe(page: Page): Promise<Finding[]> {
  // Evaluated through the DevTools protocol: the app's Content Security Policy (script-src 'self') stays as it is.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
  return page.evaluate(async () => {
    const w = window as unknown as { axe: { run: (ctx: Document, opts: unknown) => Promise<{ violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[] }> } };
    const r = await w.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] } });
    return r.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.slice(0, 5).map((n) => n.target.join(' ')) }));
  });
}

/** What sticks out of the viewport: the page's own width, and buttons or links beyond its right edge. */
async function outOfReach(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    const vw = document.documentElement.clientWidth;
    if (document.documentElement.scrollWidth > vw + 1) out.push(`page is ${document.documentElement.scrollWidth} px wide in a ${vw} px viewport`);
    // On a phone a long table's rows are cards: nothing in it waits behind a sideways scroll.
    if (vw <= 640) {
      for (const t of document.querySelectorAll<HTMLElement>('.vtable')) {
        if (t.scrollWidth > t.clientWidth + 1) out.push(`table “${t.getAttribute('aria-label')}” is ${t.scrollWidth} px wide in ${t.clientWidth} px`);
      }
    }
    for (const el of document.querySelectorAll<HTMLElement>('button, a[href], input, select, textarea')) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 && r.height === 0) continue;
      const style = getComputedStyle(el);
      if (style.visibility === 'hidden' || el.closest('[aria-hidden="true"], .sr-only')) continue;
      // Inside a region that scrolls sideways on purpose (a labelled, focusable table region), reachable by scrolling.
      let scroller: HTMLElement | null = el.parentElement;
      let inScroller = false;
      while (scroller) {
        const s = getComputedStyle(scroller);
        if ((s.overflowX === 'auto' || s.overflowX === 'scroll') && scroller.scrollWidth > scroller.clientWidth) {
          inScroller = true;
          break;
        }
        scroller = scroller.parentElement;
      }
      if (!inScroller && r.right > vw + 1) out.push(`${el.tagName.toLowerCase()} “${(el.getAttribute('aria-label') ?? el.textContent ?? '').trim().slice(0, 40)}” ends at ${Math.round(r.right)} px`);
    }
    return out.slice(0, 10);
  });
}

let demo: { admin: string; invitationLink: string } | undefined;
let routes: string[] = [];
let orgId = '';

/** The demo organization (once per file) and the routes of every screen, its detail pages included. */
async function demoWorld() {
  const w = world();
  if (!demo) {
    demo = await loadDemo(join(w.workDir, 'data'), w.url);
    const ctx = await w.newContext();
    await w.signIn(ctx, demo.admin);
    const me = await w.api(ctx, 'GET', '/api/me');
    // The demo's admin is org admin of the demo organization (and a billing contact in a second one).
    orgId = (me.json as { organizations: { id: string; isOrgAdmin: boolean }[] }).organizations.find((o) => o.isOrgAdmin)!.id;
    const teams = await w.pull(ctx, orgId, 'teams');
    const orders = await w.pull(ctx, orgId, 'orders');
    const invitations = await w.pull(ctx, orgId, 'invitations');
    await ctx.close();
    routes = [
      '/',
      '/contacts',
      '/teams',
      `/teams/${teams[0].id}`,
      `/teams/${teams[0].id}?tab=invitations`,
      `/invitations/${invitations[0].id}`,
      '/licenses',
      '/orders',
      `/orders/${orders[0].id}`,
      '/invoices',
      '/notifications',
      '/members',
      '/audit',
    ];
  }
  return { w, demo, routes };
}

for (const size of WIDTHS) {
  scenario(`z. every screen of an org admin meets WCAG 2.2 AA (axe-core)${size.name === 'phone' ? ' and fits a phone' : ''} at ${size.width} px`, async () => {
    const { w, demo: d, routes: all } = await demoWorld();
    const ctx = await w.newContext();
    await w.signIn(ctx, d.admin);
    const page = await w.newPage(ctx);
    await page.setViewportSize({ width: size.width, height: size.height });
    const problems: string[] = [];
    let first = true;
    // Every screen of the organization, and My licenses (outside any organization).
    for (const route of [...all.map((r) => w.at(orgId, r)), `${w.url}/my-licenses`]) {
      await page.goto(route);
      await page.getByRole('main').waitFor();
      // The first load syncs the organization; later ones read the device's copy.
      if (first) await waitInSync(page, 60_000);
      first = false;
      await page.waitForTimeout(250);
      for (const f of await axe(page)) problems.push(`${size.name} ${route}: ${f.impact} ${f.id} — ${f.help} — ${f.targets.join(' | ')}`);
      if (size.name === 'phone') for (const p of await outOfReach(page)) problems.push(`${size.name} ${route}: ${p}`);
      await w.shot(page, `${size.name}${route.slice(w.url.length).replace(/\/o\/[^/]+/, '').replace(/[/?=]/g, '-')}`);
    }
    await ctx.close();
    w.log(problems.join('\n'));
    expect(problems, problems.join('\n')).toEqual([]);
  });
}

scenario('z. the join page, signed out, meets WCAG 2.2 AA and fits a phone', async () => {
  const { w, demo: d } = await demoWorld();
  const anon = await w.newContext();
  const problems: string[] = [];
  for (const size of WIDTHS) {
    const page = await w.newPage(anon);
    // A signed-out first visit leaves no error in the console (no 401 from asking who is signed in).
    const failed: string[] = [];
    page.on('response', (r) => r.status() >= 400 && failed.push(`${r.status()} ${new URL(r.url()).pathname}`));
    await page.setViewportSize({ width: size.width, height: size.height });
    await page.goto(d.invitationLink);
    await page.getByRole('heading', { level: 1 }).waitFor();
    await page.getByRole('heading', { name: 'Sign in or sign up to claim it' }).waitFor();
    for (const f of failed) problems.push(`${size.name} join: a signed-out visit got ${f}`);
    for (const f of await axe(page)) problems.push(`${size.name} join: ${f.impact} ${f.id} — ${f.help} — ${f.targets.join(' | ')}`);
    if (size.name === 'phone') for (const p of await outOfReach(page)) problems.push(`${size.name} join: ${p}`);
    await w.shot(page, `${size.name}-join`);
    await page.close();
  }
  await anon.close();
  w.log(problems.join('\n'));
  expect(problems, problems.join('\n')).toEqual([]);
});
