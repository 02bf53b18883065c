/**
 * Figures measured in Chromium: 1 first sync (bench page + real app), 4 local edit to
 * screen (real app), 5 first-screen JavaScript (real app's own requests).
 */
import { readFileSync, existsSync } from 'node:fs';
import { join, extname } from 'node:path';
import { gzipSync } from 'node:zlib';
import { readdirSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { CollectionName } from '../../shared/schemas';
import { QUICK, log, round, summarize, sleep, type ChildServer, type SeededOrg } from './lib';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../helpers/chromium';
import type { BenchPage } from './page/main';

/** What FIRST_SCREEN_WATCH records on `window`. */
type FirstScreenWatch = { __firstRow?: number; __allRows?: number; __syncShown?: number; __syncDone?: number };

export async function launch(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
}

const MIME: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' };

/** A fresh profile signed in as `cookieSecret`, with the bench page served on the server's own origin. */
export async function context(browser: Browser, server: ChildServer, secret: string, pageDir?: string): Promise<BrowserContext> {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await ctx.addCookies([{ name: 'allot_session', value: secret, url: server.url, httpOnly: true, sameSite: 'Lax' }]);
  if (pageDir) {
    await ctx.route(`${server.url}/__bench/**`, async (route) => {
      const path = new URL(route.request().url()).pathname.replace(/^\/__bench\/?/, '') || 'index.html';
      const file = join(pageDir, path);
      if (!existsSync(file)) return route.fulfill({ status: 404, body: 'no such bench file' });
      await route.fulfill({ status: 200, body: readFileSync(file), headers: { 'content-type': MIME[extname(file)] ?? 'application/octet-stream' } });
    });
  }
  return ctx;
}

export function pageErrors(page: Page, into: string[]) {
  page.on('pageerror', (e) => into.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') into.push(m.text());
  });
}

/** Figure 1 (sync part): real replication vs floor, alternating, each run in a fresh profile. */
export async function firstSync(browser: Browser, server: ChildServer, org: SeededOrg, pageDir: string, reps: number, withBatch1000 = false) {
  const expected = org.counts as Partial<Record<CollectionName, number>>;
  const syncs: Awaited<ReturnType<BenchPage['benchSync']>>[] = [];
  const floors: Awaited<ReturnType<BenchPage['benchFloor']>>[] = [];
  const layouts: Awaited<ReturnType<BenchPage['benchLayoutFloor']>>[] = [];
  const errors: string[] = [];
  const timeoutMs = Math.max(60_000, org.counts.licenses * 3);
  for (let r = 0; r < reps; r++) {
    const kinds = ['floor', 'sync', 'layout'] as const;
    for (const kind of [...kinds.slice(r % 3), ...kinds.slice(0, r % 3)]) {
      const ctx = await context(browser, server, org.admin.secret, pageDir);
      const page = await ctx.newPage();
      pageErrors(page, errors);
      await page.goto(`${server.url}/__bench/index.html`);
      await page.waitForFunction(() => document.getElementById('state')?.textContent === 'ready');
      const name = `bench${kind}${r}${Date.now()}`;
      if (kind === 'sync') {
        const res = await page.evaluate((o) => (window as unknown as BenchPage).benchSync(o), { orgId: org.orgId, name, expected, timeoutMs });
        for (const [c, n] of Object.entries(expected) as [CollectionName, number][]) {
          if (res.counts[c] !== n) throw new Error(`first sync: ${c} has ${res.counts[c]} of ${n}`);
        }
        syncs.push(res);
        log(`  sync ${org.counts.licenses} licenses: ${round(res.ms)} ms`);
      } else if (kind === 'layout') {
        const res = await page.evaluate((o) => (window as unknown as BenchPage).benchLayoutFloor(o), { orgId: org.orgId, name, collections: Object.keys(expected) as CollectionName[] });
        layouts.push(res);
        log(`  RxDB layout floor ${org.counts.licenses} licenses: ${round(res.ms)} ms`);
      } else {
        const res = await page.evaluate((o) => (window as unknown as BenchPage).benchFloor(o), { orgId: org.orgId, name, collections: Object.keys(expected) as CollectionName[] });
        floors.push(res);
        log(`  floor ${org.counts.licenses} licenses: ${round(res.ms)} ms (fetch ${round(res.fetchMs)} ms summed, bulkPut ${round(res.putMs)} ms summed)`);
      }
      await ctx.close();
    }
  }
  // What would move it: the same replication pulling 1,000 documents a request (the server's maximum) instead of the app's 200.
  let batch1000: Awaited<ReturnType<BenchPage['benchSync']>> | null = null;
  if (withBatch1000) {
    const ctx = await context(browser, server, org.admin.secret, pageDir);
    const page = await ctx.newPage();
    pageErrors(page, errors);
    await page.goto(`${server.url}/__bench/index.html`);
    await page.waitForFunction(() => document.getElementById('state')?.textContent === 'ready');
    batch1000 = await page.evaluate((o) => (window as unknown as BenchPage).benchSync(o), { orgId: org.orgId, name: `benchb${Date.now()}`, expected, timeoutMs, batchSize: 1000 });
    log(`  sync ${org.counts.licenses} licenses at batchSize 1000: ${round(batch1000.ms)} ms`);
    await ctx.close();
  }
  if (errors.length) log(`  page errors: ${errors.slice(0, 3).join(' | ')}`);
  const syncMs = summarize(syncs.map((s) => s.ms));
  const floorMs = summarize(floors.map((s) => s.ms));
  return {
    documents: Object.values(expected).reduce((a, b) => a + (b ?? 0), 0),
    reps,
    syncMs,
    floorMs,
    floorFetchMsSummed: summarize(floors.map((s) => s.fetchMs)),
    floorBulkPutMsSummed: summarize(floors.map((s) => s.putMs)),
    floorBytes: floors[0]?.bytes,
    syncFirstDocMs: summarize(syncs.flatMap((s) => (s.firstDocMs === null ? [] : [s.firstDocMs]))),
    syncVsFloor: round(syncMs.p50 / floorMs.p50, 2),
    // The same rows RxDB's storage must hold (documents with their indexes, metadata), written with no reads.
    layoutFloorMs: summarize(layouts.map((s) => s.ms)),
    layoutVsFloor: round(summarize(layouts.map((s) => s.ms)).p50 / floorMs.p50, 2),
    syncVsLayoutFloor: round(syncMs.p50 / summarize(layouts.map((s) => s.ms)).p50, 2),
    raw: { sync: syncs.map((s) => round(s.ms)), floor: floors.map((s) => round(s.ms)), layout: layouts.map((s) => round(s.ms)) },
    syncAtBatchSize1000Ms: batch1000 ? round(batch1000.ms) : undefined,
    pageErrors: errors.slice(0, 5),
  };
}

/**
 * The one-time upgrade of a local database of the previous local version (5: every index of
 * before) holding the organization, measured as the time the app's openDatabase takes to open
 * it; against that database's first sync (`syncMs`, the same run's figure).
 */
export async function localMigration(browser: Browser, server: ChildServer, org: SeededOrg, pageDir: string, syncMs: number) {
  const expected = org.counts as Partial<Record<CollectionName, number>>;
  const errors: string[] = [];
  const ctx = await context(browser, server, org.admin.secret, pageDir);
  try {
    const page = await ctx.newPage();
    pageErrors(page, errors);
    await page.goto(`${server.url}/__bench/index.html`);
    await page.waitForFunction(() => document.getElementById('state')?.textContent === 'ready');
    const res = await page.evaluate((o) => (window as unknown as BenchPage).benchMigration(o), {
      orgId: org.orgId,
      name: `benchmig${Date.now()}`,
      collections: Object.keys(expected) as never,
    });
    for (const [c, n] of Object.entries(expected) as [CollectionName, number][]) {
      if (res.counts[c] !== n) throw new Error(`local migration: ${c} has ${res.counts[c]} of ${n}`);
    }
    log(`  local migration 5 -> 6, ${res.documents} documents: ${round(res.ms)} ms (first sync ${round(syncMs)} ms)`);
    return { documents: res.documents, migrationMs: round(res.ms), firstSyncMs: round(syncMs), vsFirstSync: round(res.ms / syncMs, 2), pageErrors: errors.slice(0, 5) };
  } finally {
    await ctx.close();
  }
}

/**
 * Figure 1 (screen part): the built app opened on /licenses in a fresh profile; time from
 * navigation start until the first license row is in the DOM, until the list counts every
 * license (the whole collection is local), and until the app's own first sync is done (its
 * "Loading your organization's data…" bar gone, once every collection is in): against the
 * first-sync figure (the same sync on a page with no screen), what the screen costs the sync.
 */
export async function firstScreen(browser: Browser, server: ChildServer, org: SeededOrg, reps: number) {
  const n = org.counts.licenses;
  const first: number[] = [];
  const all: number[] = [];
  const ownSync: number[] = [];
  const errors: string[] = [];
  for (let r = 0; r < reps; r++) {
    const ctx = await context(browser, server, org.admin.secret);
    const page = await ctx.newPage();
    pageErrors(page, errors);
    // As source text: functions handed to the page must not carry tsx's helpers (__name).
    await page.addInitScript({ content: FIRST_SCREEN_WATCH.replace('__TOTAL__', String(n)) });
    await page.goto(`${server.url}/licenses`);
    // All listed, and the app's own first sync done (the bar goes once every collection is in: it may outlast the list).
    await page.waitForFunction(
      () => {
        const watch = window as unknown as FirstScreenWatch;
        const syncOver = watch.__syncDone !== undefined || (watch.__syncShown === undefined && !document.querySelector('.first-sync'));
        return watch.__allRows !== undefined && syncOver;
      },
      undefined,
      { timeout: Math.max(120_000, n * 3), polling: 250 },
    );
    const t = await page.evaluate(() => {
      const watch = window as unknown as FirstScreenWatch;
      return { first: watch.__firstRow ?? NaN, all: watch.__allRows ?? NaN, syncDone: watch.__syncDone ?? NaN };
    });
    first.push(t.first);
    all.push(t.all);
    ownSync.push(t.syncDone);
    log(`  app /licenses ${n}: first row ${round(t.first)} ms, its own first sync done ${round(t.syncDone)} ms, all ${n} listed ${round(t.all)} ms`);
    await ctx.close();
  }
  const appSyncMs = summarize(ownSync);
  return {
    reps,
    firstRowMs: summarize(first),
    allListedMs: summarize(all),
    appSyncMs,
    raw: { firstRow: first.map((x) => round(x)), appSync: ownSync.map((x) => round(x)), allListed: all.map((x) => round(x)) },
    pageErrors: errors.slice(0, 5),
  };
}

/**
 * Figure 4: the Contacts screen of the built app holding `org.counts.contacts` contacts; a
 * click on a row's Disable/Enable until the row shows the new state (DOM changed, then the
 * next animation frame: the frame that paints it).
 */
export async function editToScreen(browser: Browser, server: ChildServer, org: SeededOrg, edits: number) {
  const n = org.counts.contacts;
  const ctx = await context(browser, server, org.admin.secret);
  const page = await ctx.newPage();
  const errors: string[] = [];
  pageErrors(page, errors);
  await page.goto(`${server.url}/contacts`);
  await page.waitForFunction(
    (total) => (document.querySelector('.toolbar-count')?.textContent ?? '').replace(/\s+/g, ' ').includes(`${total} of ${total} contacts`),
    n,
    { timeout: 120_000, polling: 250 },
  );
  await sleep(1500);
  const res = (await page.evaluate(`(${EDIT_LOOP})(${edits})`)) as { dom: number[]; frame: number[] };
  await ctx.close();
  return {
    documents: n,
    edits,
    renderedMs: summarize(res.frame),
    domMs: summarize(res.dom),
    pageErrors: errors.slice(0, 5),
  };
}

/**
 * Figure 5: every JavaScript file the built app requests until its first screen (Overview,
 * signed in) is up, gzipped (level 9, as a server would precompress) from the build folder;
 * the baseline is all JavaScript of the build.
 */
export async function firstScreenJs(browser: Browser, server: ChildServer, org: SeededOrg, distDir: string) {
  const ctx = await context(browser, server, org.admin.secret);
  const page = await ctx.newPage();
  const scripts = new Set<string>();
  page.on('request', (req) => {
    const u = new URL(req.url());
    if (u.origin === new URL(server.url).origin && u.pathname.endsWith('.js')) scripts.add(u.pathname);
  });
  await page.goto(`${server.url}/`);
  await page.getByRole('heading', { name: 'Overview', level: 1 }).waitFor({ timeout: 60_000 });
  await sleep(1500);
  await ctx.close();
  const gz = (p: string) => gzipSync(readFileSync(join(distDir, p)), { level: 9 }).length;
  const files = [...scripts].filter((p) => p !== '/sw.js' && !p.startsWith('/workbox-')).sort();
  const firstScreen = files.map((p) => ({ file: p, bytes: readFileSync(join(distDir, p)).length, gzip: gz(p) }));
  const html = readFileSync(join(distDir, 'index.html'), 'utf8');
  const entry = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+\.js)"/g)].map((m) => m[1]);
  const allJs = readdirSync(join(distDir, 'assets')).filter((f) => f.endsWith('.js')).map((f) => `/assets/${f}`);
  const sum = (xs: string[]) => xs.reduce((a, p) => a + gz(p), 0);
  const firstScreenGzip = firstScreen.reduce((a, f) => a + f.gzip, 0);
  const allGzip = sum(allJs);
  return {
    firstScreenGzipBytes: firstScreenGzip,
    entryGzipBytes: sum(entry),
    allJsGzipBytes: allGzip,
    firstScreenVsAllJs: round(firstScreenGzip / allGzip, 2),
    files: firstScreen,
    chunksInBuild: allJs.length,
  };
}

const FIRST_SCREEN_WATCH = `
(function () {
  var total = __TOTAL__;
  var w = window;
  var obs = new MutationObserver(function () {
    if (w.__firstRow === undefined && document.querySelector('[role="table"][aria-label="Licenses"] .vtable-body [role="row"]')) {
      w.__firstRow = performance.now();
    }
    if (w.__allRows === undefined) {
      var el = document.querySelector('.toolbar-count');
      var count = el ? el.textContent.replace(/\\s+/g, ' ') : '';
      if (count.indexOf(total + ' of ' + total + ' licenses') >= 0) w.__allRows = performance.now();
    }
    // The app's own first sync, as its person sees it: the "Loading your organization's data…" bar shown, then gone.
    var bar = document.querySelector('.first-sync');
    if (bar && w.__syncShown === undefined) w.__syncShown = performance.now();
    if (!bar && w.__syncShown !== undefined && w.__syncDone === undefined) w.__syncDone = performance.now();
    if (w.__firstRow !== undefined && w.__allRows !== undefined && w.__syncDone !== undefined) obs.disconnect();
  });
  document.addEventListener('DOMContentLoaded', function () {
    obs.observe(document.body, { childList: true, subtree: true, characterData: true });
  });
})();
`;

/** One edit after another: click, wait until the table shows the new state, then the next frame. */
const EDIT_LOOP = `async function (count) {
  var dom = [];
  var frame = [];
  for (var k = 0; k < count; k++) {
    var rows = Array.from(document.querySelectorAll('[role="table"][aria-label="Contacts"] .vtable-body [role="row"]'));
    var row = rows[k % Math.min(6, rows.length)];
    var button = Array.from(row.querySelectorAll('button')).find(function (b) { return /^(Disable|Enable) /.test(b.getAttribute('aria-label') || ''); });
    var label = button.getAttribute('aria-label');
    var want = label.indexOf('Disable ') === 0 ? 'Enable ' + label.slice(8) : 'Disable ' + label.slice(7);
    var table = document.querySelector('[role="table"][aria-label="Contacts"]');
    var seen = new Promise(function (resolve) {
      var obs = new MutationObserver(function () {
        if (table.querySelector('[aria-label="' + CSS.escape(want) + '"]')) {
          obs.disconnect();
          resolve(performance.now());
        }
      });
      obs.observe(table, { subtree: true, childList: true, attributes: true, characterData: true });
    });
    var t0 = performance.now();
    button.click();
    var tDom = await seen;
    var tFrame = await new Promise(function (r) { requestAnimationFrame(function () { r(performance.now()); }); });
    dom.push(tDom - t0);
    frame.push(tFrame - t0);
    // Let the push and the server's answer land before the next edit, as a person would.
    await new Promise(function (r) { setTimeout(r, 400); });
  }
  return { dom: dom, frame: frame };
}`;

export const REPS = { sync10k: QUICK ? 1 : 3, screen10k: QUICK ? 1 : 2, edits: QUICK ? 10 : 20 };
