/**
 * `npm run bench` (issue 7): the figures users feel, each next to a baseline measured in
 * the same run. Writes bench/results.json, prints a table and refreshes the README's
 * "Benchmarks" section. BENCH_QUICK=1: smaller sizes, fewer repetitions.
 * BENCH_ONLY=sync,screen,edit,js,claims,live,bigorder,tickets,audit runs a subset (results.json is then not written
 * unless BENCH_WRITE=1). BENCH_SKIP_BUILD=1 reuses bench/tmp/dist and bench/tmp/page.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { build } from 'vite';
import { firstScreen, firstScreenJs, firstSync, editToScreen, launch, localMigration, REPS } from './browser';
import { bigOrderFigure } from './big-order';
import { claimsFigure } from './claims';
import { auditScreen, seedAuditLog } from './audit';
import { liveFigure } from './live';
import { ticketsFigure } from './tickets';
import { PG_URL, QUICK, ROOT, log, openTarget, round, seedOrg, sqliteTarget, startChildServer } from './lib';

const started = Date.now();
const only = process.env.BENCH_ONLY ? new Set(process.env.BENCH_ONLY.split(',')) : null;
const want = (k: string) => !only || only.has(k);
const TMP = join(ROOT, 'bench/tmp');
const DIST = join(TMP, 'dist');
const PAGE = join(TMP, 'page');
mkdirSync(TMP, { recursive: true });

const pkg = (name: string) => {
  try {
    return JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')).version as string;
  } catch {
    return undefined;
  }
};

const machine: Record<string, unknown> = {
  cpus: os.cpus().length,
  cpuModel: os.cpus()[0]?.model,
  memoryGB: round(os.totalmem() / 2 ** 30, 1),
  platform: `${os.platform()} ${os.release()}`,
  node: process.version,
  loadavgAtStart: os.loadavg().map((x) => round(x, 2)),
  versions: { rxdb: pkg('rxdb'), dexie: pkg('dexie'), 'better-sqlite3': pkg('better-sqlite3'), pg: pkg('pg'), hono: pkg('hono'), 'solid-js': pkg('solid-js'), vite: pkg('vite') },
};
log(`start: ${os.cpus().length} cores, load ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}${QUICK ? ' (BENCH_QUICK)' : ''}`);

/** Each figure as its function measured it, with the load when it started and how long it took. */
type Figure<T> = T & { loadavgAtStart: number[]; durationS: number };
type Measured<F extends (...args: never[]) => Promise<unknown>> = Awaited<ReturnType<F>>;
interface Results {
  claimsSqlite?: Figure<Measured<typeof claimsFigure>>;
  claimsPostgres?: Figure<Measured<typeof claimsFigure>>;
  liveUpdates?: Figure<Measured<typeof liveFigure>>;
  tickets?: Figure<Measured<typeof ticketsFigure>>;
  bigOrderSqlite?: Figure<Measured<typeof bigOrderFigure>>;
  bigOrderPostgres?: Figure<Measured<typeof bigOrderFigure>>;
  firstScreenJs?: Figure<Measured<typeof firstScreenJs>>;
  firstSync10k?: Figure<Measured<typeof firstSync>>;
  firstSync100k?: Figure<Measured<typeof firstSync>>;
  localMigration10k?: Figure<Measured<typeof localMigration>>;
  localMigration100k?: Figure<Measured<typeof localMigration>>;
  firstScreen10k?: Figure<Measured<typeof firstScreen>>;
  firstScreen100k?: Figure<Measured<typeof firstScreen>>;
  editToScreen?: Figure<{ at10k: Measured<typeof editToScreen>; baseline100: Measured<typeof editToScreen>; p95Vs100: number }>;
  auditLog?: Figure<{ large: Measured<typeof auditScreen>; baseline1k: Measured<typeof auditScreen>; allCountedVs1k: number; filterP95Vs1k: number }>;
}

const results: Results = {};
const failures: Record<string, string> = {};

async function figure<K extends keyof Results>(key: K, fn: () => Promise<Omit<NonNullable<Results[K]>, 'loadavgAtStart' | 'durationS'>>) {
  const t0 = Date.now();
  const loadavg = os.loadavg().map((x) => round(x, 2));
  try {
    const out = await fn();
    // Other work on the machine moves these numbers: each figure says what the load was when it started.
    results[key] = { loadavgAtStart: loadavg, durationS: round((Date.now() - t0) / 1000, 1), ...out } as Results[K];
  } catch (err) {
    failures[key] = err instanceof Error ? `${err.message}\n${err.stack?.split('\n').slice(1, 4).join('\n')}` : String(err);
    log(`${key} FAILED: ${failures[key]}`);
  }
  log(`${key}: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

// ---- server figures first: the Chromium figures write gigabytes (IndexedDB, WAL) and the disk's
// write-back would otherwise slow the fsyncs the claims wait for.
if (want('claims')) {
  await figure('claimsSqlite', () => claimsFigure('sqlite'));
  if (PG_URL) await figure('claimsPostgres', () => claimsFigure('postgres'));
  else log('claims on PostgreSQL skipped: TEST_DATABASE_URL is not set');
}
if (want('live')) await figure('liveUpdates', () => liveFigure());
if (want('tickets')) await figure('tickets', () => ticketsFigure());
if (want('bigorder')) {
  await figure('bigOrderSqlite', () => bigOrderFigure('sqlite'));
  if (PG_URL) await figure('bigOrderPostgres', () => bigOrderFigure('postgres'));
}

// ---- builds: the app into its own folder (never racing another dist/), and the bench page.
const browserFigures = ['sync', 'screen', 'edit', 'js', 'audit'].some(want);
if (browserFigures && (process.env.BENCH_SKIP_BUILD !== '1' || !existsSync(DIST) || !existsSync(PAGE))) {
  const t0 = Date.now();
  execFileSync(process.execPath, [join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--outDir', DIST, '--emptyOutDir', '--logLevel', 'warn'], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  await build({
    configFile: false,
    root: join(ROOT, 'test/bench/page'),
    base: '/__bench/',
    logLevel: 'warn',
    build: { outDir: PAGE, emptyOutDir: true, target: 'es2022' },
  });
  log(`builds: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

// ---- Chromium figures on one server (SQLite) with every organization seeded up front.
if (browserFigures) {
  const dir = mkdtempSync(join(TMP, 'browser-'));
  const target = sqliteTarget(dir);
  const store = await openTarget(target);
  const t0 = Date.now();
  const org10k = want('sync') || want('screen') ? await seedOrg(store, { name: 'Ten thousand', licenses: 10_000, contacts: 5_000 }) : null;
  const org100k = !QUICK && (want('sync') || want('screen')) ? await seedOrg(store, { name: 'Hundred thousand', licenses: 100_000, contacts: 5_000 }) : null;
  const editOrg = want('edit') ? await seedOrg(store, { name: 'Edits', licenses: 10, contacts: 10_000, teams: 5 }) : null;
  const smallOrg = await seedOrg(store, { name: 'Small', licenses: 10, contacts: 100, teams: 5 });
  // The Audit log (DESIGN §15): 100,000 events (10,000 with BENCH_QUICK), and 1,000 as the baseline.
  const auditOrgs = want('audit')
    ? await (async () => {
        const big = await seedOrg(store, { name: 'Audited', licenses: 10, contacts: 10, teams: 2 });
        const small = await seedOrg(store, { name: 'Audited small', licenses: 10, contacts: 10, teams: 2 });
        return { big, bigLog: await seedAuditLog(store, big, QUICK ? 10_000 : 100_000), small, smallLog: await seedAuditLog(store, small, 1000) };
      })()
    : null;
  log(`seeded Chromium organizations in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  const server = await startChildServer(target, { staticRoot: DIST });
  const browser = await launch();
  machine.chromium = browser.version();
  try {
    if (want('js')) await figure('firstScreenJs', () => firstScreenJs(browser, server, smallOrg, DIST));
    if (want('sync') && org10k) {
      await figure('firstSync10k', () => firstSync(browser, server, org10k, PAGE, REPS.sync10k, true));
      if (org100k) await figure('firstSync100k', () => firstSync(browser, server, org100k, PAGE, 1));
      // The one-time upgrade that local version 6 (fewer indexes) costs a database made before it.
      const synced10k = results.firstSync10k?.syncMs.p50;
      if (synced10k) await figure('localMigration10k', () => localMigration(browser, server, org10k, PAGE, synced10k));
      const synced100k = results.firstSync100k?.syncMs.p50;
      if (org100k && synced100k) await figure('localMigration100k', () => localMigration(browser, server, org100k, PAGE, synced100k));
    }
    if (want('screen') && org10k) {
      await figure('firstScreen10k', () => firstScreen(browser, server, org10k, REPS.screen10k));
      if (org100k) await figure('firstScreen100k', () => firstScreen(browser, server, org100k, 1));
    }
    if (want('edit') && editOrg) {
      await figure('editToScreen', async () => {
        const big = await editToScreen(browser, server, editOrg, REPS.edits);
        const small = await editToScreen(browser, server, smallOrg, REPS.edits);
        return { at10k: big, baseline100: small, p95Vs100: round(big.renderedMs.p95 / small.renderedMs.p95, 2) };
      });
    }
    if (auditOrgs) {
      await figure('auditLog', async () => {
        const baseline1k = await auditScreen(browser, server, auditOrgs.small, auditOrgs.smallLog);
        const large = await auditScreen(browser, server, auditOrgs.big, auditOrgs.bigLog);
        return {
          large,
          baseline1k,
          allCountedVs1k: round(large.allCountedMs / baseline1k.allCountedMs, 2),
          filterP95Vs1k: round(large.filterByDocumentMs.p95 / baseline1k.filterByDocumentMs.p95, 2),
        };
      });
    }
  } finally {
    await browser.close();
    await server.stop();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}


machine.loadavgAtEnd = os.loadavg().map((x) => round(x, 2));
const durationS = round((Date.now() - started) / 1000, 1);

// ---- headline keys and goals
// A subset written with BENCH_WRITE=1 keeps the other figures of the last run: in results.json and in the table.
const writing = !only || process.env.BENCH_WRITE === '1';
const kept: Results =
  only && writing && existsSync(join(ROOT, 'bench/results.json'))
    ? ((JSON.parse(readFileSync(join(ROOT, 'bench/results.json'), 'utf8')) as { figures?: Results }).figures ?? {})
    : {};
const r: Results = { ...kept, ...results };
const goals = {
  syncVsFloor: { value: r.firstSync10k?.syncVsFloor, goal: '<= 1.3', met: r.firstSync10k ? r.firstSync10k.syncVsFloor <= 1.3 : null },
  claimsVsBareTx: { value: r.claimsSqlite?.claimsVsBareTx, goal: '>= 1.0', met: r.claimsSqlite ? r.claimsSqlite.claimsVsBareTx >= 1 : null },
  claimsP99Ms: { value: r.claimsSqlite?.http.latencyMs.p99, goal: '<= 50', met: r.claimsSqlite ? r.claimsSqlite.http.latencyMs.p99 <= 50 : null },
  claimsVsBareTxPg: { value: r.claimsPostgres?.claimsVsBareTx, goal: '>= 1.0', met: r.claimsPostgres ? r.claimsPostgres.claimsVsBareTx >= 1 : null },
  claimsP99MsPg: { value: r.claimsPostgres?.http.latencyMs.p99, goal: '<= 150', met: r.claimsPostgres ? r.claimsPostgres.http.latencyMs.p99 <= 150 : null },
  liveP99VsBare: { value: r.liveUpdates?.p99VsBare, goal: '<= 1.3', met: r.liveUpdates ? r.liveUpdates.p99VsBare <= 1.3 : null },
  liveMemVsBare: { value: r.liveUpdates?.memoryVsBare, goal: '<= 1.5', met: r.liveUpdates ? r.liveUpdates.memoryVsBare <= 1.5 : null },
  noOversell: {
    value: [r.claimsSqlite, r.claimsPostgres].every((c) => !c || (!c.http.oversold && !c.bareTx.oversold)),
    goal: 'true',
    met: r.claimsSqlite ? [r.claimsSqlite, r.claimsPostgres].every((c) => !c || (!c.http.oversold && !c.bareTx.oversold)) : null,
  },
};

type Line = [string, string, string, string];
const lines: Line[] = [];
const ms = (x: number | undefined) => (x === undefined || Number.isNaN(x) ? '—' : x >= 10_000 ? `${round(x / 1000, 1)} s` : `${round(x, 0)} ms`);
const kb = (b: number) => `${round(b / 1024, 1)} KB`;
if (r.firstSync10k)
  lines.push([
    'First sync, 10k licenses + 5k contacts (Chromium)',
    `${ms(r.firstSync10k.syncMs.p50)} synced`,
    `floor ${ms(r.firstSync10k.floorMs.p50)} (fetch + Dexie bulkPut)${r.firstSync10k.layoutFloorMs ? `; RxDB's rows with no reads ${ms(r.firstSync10k.layoutFloorMs.p50)}` : ''}`,
    `syncVsFloor ${r.firstSync10k.syncVsFloor} (goal ≤ 1.3)${r.firstSync10k.syncVsLayoutFloor ? `; ${r.firstSync10k.syncVsLayoutFloor}× the rows' floor` : ''}`,
  ]);
if (r.firstSync100k)
  lines.push([
    'First sync, 100k licenses + 5k contacts (Chromium)',
    `${ms(r.firstSync100k.syncMs.p50)} synced`,
    `floor ${ms(r.firstSync100k.floorMs.p50)}${r.firstSync100k.layoutFloorMs ? `; RxDB's rows with no reads ${ms(r.firstSync100k.layoutFloorMs.p50)}` : ''}`,
    `${r.firstSync100k.syncVsFloor}×${r.firstSync100k.syncVsLayoutFloor ? `; ${r.firstSync100k.syncVsLayoutFloor}× the rows' floor` : ''}`,
  ]);
for (const [k, label] of [
  ['localMigration10k', 'One-time upgrade of a local database from local version 5 (all indexes), 10k + 5k (Chromium)'],
  ['localMigration100k', 'One-time upgrade of a local database from local version 5 (all indexes), 100k + 5k (Chromium)'],
] as const) {
  const m = r[k];
  if (m) lines.push([label, `${ms(m.migrationMs)} to open`, `its first sync ${ms(m.firstSyncMs)}`, `${m.vsFirstSync}× the first sync`]);
}
for (const [k, label] of [
  ['firstScreen10k', 'First screen shows data, 10k (built app, /licenses)'],
  ['firstScreen100k', 'First screen shows data, 100k (built app, /licenses)'],
] as const) {
  if (r[k])
    lines.push([
      label,
      `first row ${ms(r[k].firstRowMs.p50)}`,
      `all listed ${ms(r[k].allListedMs.p50)}`,
      `first row at ${round((r[k].firstRowMs.p50 / r[k].allListedMs.p50) * 100, 0)}% of full list`,
    ]);
}
if (r.firstScreen100k?.appSyncMs && r.firstSync100k) {
  const f = r.firstScreen100k;
  lines.push([
    'All listed, 100k (built app, /licenses)',
    `all listed ${ms(f.allListedMs.p50)}; the app's own first sync done ${ms(f.appSyncMs.p50)}`,
    `the first-sync figure ${ms(r.firstSync100k.syncMs.p50)}`,
    `allListedVsSync100k ${round(f.allListedMs.p50 / r.firstSync100k.syncMs.p50, 2)} (goal ≤ 1.1)`,
  ]);
}
for (const [k, label] of [
  ['claimsSqlite', 'Claims over HTTP, SQLite (synchronous=FULL)'],
  ['claimsPostgres', 'Claims over HTTP, PostgreSQL'],
] as const) {
  if (r[k])
    lines.push([
      `${label}, ${r[k].http.claims} claimants, 50 at a time${r[k].http.rounds.length > 1 ? `, middle of ${r[k].http.rounds.length} rounds` : ''}`,
      `${r[k].http.claimsPerSec}/s, p50 ${ms(r[k].http.latencyMs.p50)}, p99 ${ms(r[k].http.latencyMs.p99)}${r[k].http.rounds.length > 1 ? ` (rounds: p99 ${r[k].http.rounds.map((x) => ms(x.p99)).join(', ')}); the first 50, sent at once, up to ${ms(r[k].http.firstWaveLatencyMs.max)}, the rest p99 ${ms(r[k].http.afterFirstWaveLatencyMs.p99)}` : ''}`,
      `bare tx ${r[k].bareTx.claimsPerSec}/s, p99 ${ms(r[k].bareTx.latencyMs.p99)}`,
      `claimsVsBareTx ${r[k].claimsVsBareTx}${k === 'claimsSqlite' ? ' (goal ≥ 1.0, p99 ≤ 50 ms)' : ' (goal ≥ 1.0, p99 ≤ 150 ms)'}; oversold: ${r[k].http.oversold || r[k].bareTx.oversold ? 'YES' : 'no'}`,
    ]);
}
if (r.claimsSqlite?.oneAtATime) {
  const o = r.claimsSqlite.oneAtATime;
  lines.push([
    `Claims one at a time, SQLite (${o.claims} claims)`,
    `HTTP p50 ${ms(o.httpLatencyMs.p50)}, p99 ${ms(o.httpLatencyMs.p99)}`,
    `bare tx p50 ${ms(o.bareTxLatencyMs.p50)}; in an org of 5,000 contacts ${ms(o.bareTxIn5000ContactOrgLatencyMs.p50)}; with 10,000 more licenses in the database ${ms(o.bareTxWith10000MoreLicensesInDbLatencyMs.p50)}`,
    `no queue: the 50-at-a-time p99 is waiting for the organization's transaction`,
  ]);
}
if (r.liveUpdates)
  lines.push([
    `Live updates, ${r.liveUpdates.app.clients} stream clients`,
    `commit→receipt p50 ${ms(r.liveUpdates.app.latencyMs.p50)}, p99 ${ms(r.liveUpdates.app.latencyMs.p99)}; ${r.liveUpdates.app.memory.rssPerConnKB} KB RSS/conn`,
    `bare SSE p50 ${ms(r.liveUpdates.bareSse.latencyMs.p50)}, p99 ${ms(r.liveUpdates.bareSse.latencyMs.p99)}; ${r.liveUpdates.bareSse.memory.rssPerConnKB} KB/conn`,
    `p99 ${r.liveUpdates.p99VsBare}× bare; memory ${r.liveUpdates.memoryVsBare}× bare (goal ≤ 1.3, ≤ 1.5)`,
  ]);
if (r.liveUpdates?.many)
  lines.push([
    `Live updates, ${r.liveUpdates.many.app.clients} stream clients`,
    `commit→receipt p50 ${ms(r.liveUpdates.many.app.latencyMs.p50)}, p99 ${ms(r.liveUpdates.many.app.latencyMs.p99)}; ${r.liveUpdates.many.app.memory.rssPerConnKB} KB RSS/conn`,
    `bare SSE p50 ${ms(r.liveUpdates.many.bareSse.latencyMs.p50)}, p99 ${ms(r.liveUpdates.many.bareSse.latencyMs.p99)}; ${r.liveUpdates.many.bareSse.memory.rssPerConnKB} KB/conn`,
    `p99 ${r.liveUpdates.many.p99VsBare}× bare; memory ${r.liveUpdates.many.memoryVsBare}× bare`,
  ]);
if (r.tickets)
  lines.push([
    `Activation tickets over HTTP (renewals, ${r.tickets.concurrency} at a time, SQLite)`,
    `${r.tickets.http.ticketsPerSec}/s, p50 ${ms(r.tickets.http.latencyMs.p50)}, p99 ${ms(r.tickets.http.latencyMs.p99)}; offline verify p50 ${r.tickets.offlineVerifyUs.p50} µs, p99 ${r.tickets.offlineVerifyUs.p99} µs`,
    `Ed25519 signature alone ${r.tickets.signatureAlone.ticketsPerSec}/s`,
    `httpVsSignature ${r.tickets.httpVsSignature}`,
  ]);
for (const [k, label] of [
  ['bigOrderSqlite', 'SQLite'],
  ['bigOrderPostgres', 'PostgreSQL'],
] as const) {
  const b = r[k];
  if (b)
    lines.push([
      `Another organization while a ${b.seats.toLocaleString('en')}-seat order is written, ${label}`,
      `p50 ${ms(b.duringMs.p50)}, p99 ${ms(b.duringMs.p99)}, longest ${ms(b.longestWaitMs)} (push ${ms(b.pushMs)})`,
      `quiet p50 ${ms(b.quietMs.p50)}, p99 ${ms(b.quietMs.p99)}`,
      `p99 ${b.p99VsQuiet}× quiet`,
    ]);
}
if (r.editToScreen)
  lines.push([
    `Local edit to screen, ${r.editToScreen.at10k.documents} contacts (built app)`,
    `p50 ${ms(r.editToScreen.at10k.renderedMs.p50)}, p95 ${ms(r.editToScreen.at10k.renderedMs.p95)}`,
    `100 contacts: p50 ${ms(r.editToScreen.baseline100.renderedMs.p50)}, p95 ${ms(r.editToScreen.baseline100.renderedMs.p95)}`,
    `p95 ${r.editToScreen.p95Vs100}× the 100-contact screen`,
  ]);
if (r.auditLog)
  lines.push([
    `Audit log screen, ${r.auditLog.large.events} events (built app)`,
    `first event ${ms(r.auditLog.large.firstRowMs)}, all counted ${ms(r.auditLog.large.allCountedMs)}; filter by document p50 ${ms(r.auditLog.large.filterByDocumentMs.p50)}, p95 ${ms(r.auditLog.large.filterByDocumentMs.p95)}; by person p95 ${ms(r.auditLog.large.filterByPersonMs.p95)}`,
    `1,000 events: all counted ${ms(r.auditLog.baseline1k.allCountedMs)}, filter p95 ${ms(r.auditLog.baseline1k.filterByDocumentMs.p95)}`,
    `all counted ${r.auditLog.allCountedVs1k}×, filter p95 ${r.auditLog.filterP95Vs1k}× the 1,000-event screen`,
  ]);
if (r.firstScreenJs)
  lines.push([
    'First-screen JavaScript (gzip -9)',
    kb(r.firstScreenJs.firstScreenGzipBytes),
    `all JS ${kb(r.firstScreenJs.allJsGzipBytes)} in ${r.firstScreenJs.chunksInBuild} files`,
    `${round(r.firstScreenJs.firstScreenVsAllJs * 100, 0)}% of all JS`,
  ]);

const header: Line = ['Figure', 'Measured', 'Baseline (same run)', 'Ratio / goal'];
const table = [header, ['---', '---', '---', '---'] as Line, ...lines].map((l) => `| ${l.join(' | ')} |`).join('\n');
const stamp = `${only ? `figures ${[...only].join(', ')} measured ` : ''}${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, ${machine.cpus} cores, ${machine.memoryGB} GB, load ${(machine.loadavgAtStart as number[]).join('/')} at start${QUICK ? ', BENCH_QUICK' : ''}, ${durationS} s`;

console.log(`\n${table}\n\n${stamp}`);
if (Object.keys(failures).length) console.log(`\nFailed figures: ${Object.keys(failures).join(', ')}`);

if (writing) {
  mkdirSync(join(ROOT, 'bench'), { recursive: true });
  const figures = r;
  const out = { generatedAt: new Date().toISOString(), quick: QUICK, durationS, ...headlineKeys(figures), machine, goals, figures, failures, table };
  writeFileSync(join(ROOT, 'bench/results.json'), `${JSON.stringify(out, null, 2)}\n`);
  log('wrote bench/results.json');
  if (!QUICK) updateReadme(table, stamp);
}

/**
 * The headline ratios at the top level of results.json (numbers), each with the raw numbers it
 * is made of beside it as `<key>Raw`; a key is left out when its figures were not measured.
 */
function headlineKeys(f: Results): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const put = (key: string, value: number | undefined, raw: Record<string, unknown>) => {
    if (value === undefined || !Number.isFinite(value)) return;
    out[key] = value;
    out[`${key}Raw`] = raw;
  };
  const sync = (s: Results['firstSync10k']) =>
    s && { syncMsP50: s.syncMs.p50, floorMsP50: s.floorMs.p50, layoutFloorMsP50: s.layoutFloorMs?.p50, syncVsLayoutFloor: s.syncVsLayoutFloor };
  put('syncVsFloor', f.firstSync10k?.syncVsFloor, { ...sync(f.firstSync10k) });
  put('syncVsFloor100k', f.firstSync100k?.syncVsFloor, { ...sync(f.firstSync100k) });
  // All listed against the first-sync figure (the sync with no screen: what the screen costs
  // during the sync counts too); the app's own first sync in the same page beside it.
  if (f.firstScreen100k && f.firstSync100k)
    put('allListedVsSync100k', round(f.firstScreen100k.allListedMs.p50 / f.firstSync100k.syncMs.p50, 2), {
      allListedMsP50: f.firstScreen100k.allListedMs.p50,
      syncMsP50: f.firstSync100k.syncMs.p50,
      appOwnSyncMsP50: f.firstScreen100k.appSyncMs?.p50,
    });
  for (const [suffix, c] of [
    ['', f.claimsSqlite],
    ['Pg', f.claimsPostgres],
  ] as const) {
    if (!c) continue;
    const raw = {
      httpClaimsPerSec: c.http.claimsPerSec,
      bareTxClaimsPerSec: c.bareTx.claimsPerSec,
      httpLatencyMs: c.http.latencyMs,
      concurrency: c.concurrency,
      oversold: c.http.oversold || c.bareTx.oversold,
      httpRounds: c.http.rounds,
      bareTxRounds: c.bareTx.rounds,
    };
    put(`claimsVsBareTx${suffix}`, c.claimsVsBareTx, raw);
    put(`claimsP99Ms${suffix}`, c.http.latencyMs.p99, raw);
  }
  const live = f.liveUpdates;
  if (live) {
    put('liveP99VsBare', live.p99VsBare, { appLatencyMs: live.app.latencyMs, bareLatencyMs: live.bareSse.latencyMs, clients: live.app.clients });
    put('liveMemVsBare', live.memoryVsBare, {
      appRssPerConnKB: live.app.memory.rssPerConnKB,
      bareRssPerConnKB: live.bareSse.memory.rssPerConnKB,
      clients: live.app.clients,
      many: { clients: live.many.app.clients, appRssPerConnKB: live.many.app.memory.rssPerConnKB, bareRssPerConnKB: live.many.bareSse.memory.rssPerConnKB, memoryVsBare: live.many.memoryVsBare },
    });
  }
  return out;
}

function updateReadme(tableText: string, stampText: string) {
  const file = join(ROOT, 'README.md');
  const readme = readFileSync(file, 'utf8');
  const section = `## Benchmarks

\`npm run bench\` measures what users feel, each figure next to a baseline measured in the same run,
and prints this table; every raw number, the machine, versions and the load average (at the start
and at each figure) go to \`bench/results.json\`. Rerun it with:

\`\`\`sh
TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npm run bench   # ~10 min on 2 cores; without the URL the PostgreSQL claims are skipped
BENCH_QUICK=1 npm run bench                    # smaller sizes and fewer repetitions (~2 min); the README is left alone
BENCH_ONLY=claims,live npm run bench           # a subset: sync, screen, edit, js, claims, live, tickets (results.json untouched unless BENCH_WRITE=1)
\`\`\`

It builds the app into \`bench/tmp/dist\` and a bench page (test/bench/page) into \`bench/tmp/page\`
(\`BENCH_SKIP_BUILD=1\` reuses them), runs the server as its own process (test/bench/server-child.ts)
over a fresh SQLite file or PostgreSQL schema seeded directly through the store (licenses with
ordered ids, as an order makes them), and drives Chromium
(\`/usr/bin/chromium\` or \`CHROMIUM_PATH\`) with playwright-core. Baselines: first sync — the same
documents fetched from the same pull endpoint (1,000 a request) and written with a raw Dexie
\`bulkPut\`, in the same page (and, as "RxDB's rows", the rows the app's storage must leave: each
document as RxDB stores it, with the indexes the app's queries read, written with one \`bulkPut\` a
page and no reads); claims — \`claimLicense\` called on the same database without HTTP;
live updates — a bare node:http SSE broadcaster with the same 1,000 clients; activation
tickets — the same Ed25519 signature made by jose alone, without HTTP or the database; local edit — the same
screen with 100 contacts; JavaScript — all JavaScript of the build. Numbers move with the machine's
load: compare runs by their ratios.

<!-- bench:start -->
${tableText}

Latest run: ${stampText}${only ? ' (the other figures are those of the runs before)' : ''}.
<!-- bench:end -->
`;
  // The whole section is rewritten: the table and how to rerun it stay in step with this script.
  const at = readme.indexOf('\n## Benchmarks\n');
  let next: string;
  if (at < 0) next = `${readme.trimEnd()}\n\n${section}`;
  else {
    const after = readme.indexOf('\n## ', at + 1);
    next = `${readme.slice(0, at + 1)}${section}${after < 0 ? '' : `\n${readme.slice(after + 1)}`}`;
  }
  writeFileSync(file, next);
  log('updated the README "Benchmarks" section');
}

process.exit(Object.keys(failures).length ? 1 : 0);
