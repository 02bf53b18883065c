/**
 * One end-to-end world per scenario file: a copy of the production build, the real server
 * (server/main.ts in a child process, as `npm run serve` runs it) on a free port with a fresh
 * data dir, a real SMTP server capturing its mail, and Chromium driven by playwright-core.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, createWriteStream, mkdirSync, mkdtempSync, rmSync, type WriteStream } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';
import { afterAll, beforeAll, test } from 'vitest';
import { startSmtpCapture, type ParsedMessage, type SmtpCapture } from '../helpers/smtp';
import { signInSecrets } from '../helpers/auth-kit';
import { newId } from '../../shared/ids';
import type { CollectionName, WireDoc } from '../../shared/schemas';
import type { PushResponse } from '../../shared/sync';
import { orgPath } from '../../shared/links';
import { syncPath } from '../../shared/sync-paths';
import { parseJson } from '../helpers/json';
import { freePort } from '../helpers/net';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../helpers/chromium';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const ARTIFACTS = join(ROOT, 'test/e2e/artifacts');

const slug = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 80);

export interface Person {
  email: string;
  name: string;
  accountId: string;
}

export interface World {
  /** http://localhost:PORT — localhost, so service workers run without HTTPS. */
  url: string;
  port: number;
  smtp: SmtpCapture;
  browser: Browser;
  /** The folder the server runs in; its dist/ is a copy of the build (scenario g changes it). */
  workDir: string;
  newContext(opts?: BrowserContextOptions): Promise<BrowserContext>;
  /**
   * A context on an ordinary on-disk profile (its own browser). `newContext` gives
   * off-the-record contexts, where Chromium never offers to install an app ("in-incognito").
   */
  profileContext(): Promise<BrowserContext>;
  newPage(ctx: BrowserContext): Promise<Page>;
  /** The first email to `to` matching `subject` that arrives after message number `since`. */
  mailTo(to: string, subject: RegExp, since?: number, timeoutMs?: number): Promise<ParsedMessage>;
  /** Runs `npm run cli -- <args>` on the world's data and mail, as a self-hoster at the server's shell would; its output. */
  cli(args: string[]): Promise<string>;
  /** Signs the context in through the API (email, then the emailed code); returns the account. */
  signIn(ctx: BrowserContext, email: string, name?: string): Promise<Person>;
  /** First run through the API: creates the organization and signs its admin in in this context. */
  setupOrg(ctx: BrowserContext, org: { orgName: string; email: string; name: string }): Promise<{ orgId: string; memberId: string; admin: Person }>;
  api(ctx: BrowserContext, method: 'GET' | 'POST' | 'PATCH', path: string, body?: unknown): Promise<{ status: number; json: ReturnType<typeof parseJson> }>;
  /** The app's address of `path` in organization `orgId` (`/o/:orgId/…`). */
  at(orgId: string, path: string): string;
  /** Writes documents through the sync push API of the organization they name (`orgId`), as the person signed in in `ctx`. */
  push(ctx: BrowserContext, collection: CollectionName, docs: Record<string, unknown>[]): Promise<PushResponse>;
  /** Everything the person signed in in `ctx` may see of a collection in organization `orgId`. */
  pull<C extends CollectionName>(ctx: BrowserContext, orgId: string, collection: C): Promise<WireDoc<C>[]>;
  /** Records an order through the push API and waits until the server has materialized it. */
  recordOrder(
    ctx: BrowserContext,
    input: { orgId: string; reference: string; productId: string; quantity: number; teamName?: string; licensee: { name: string; email: string } },
  ): Promise<{ orderId: string; teamId: string; licenseIds: string[] }>;
  createInvitation(
    ctx: BrowserContext,
    input: { orgId: string; teamId: string; productId: string; memberId: string; name?: string; allowedDomains?: string[] },
  ): Promise<{ id: string; token: string; link: string }>;
  /** Screenshot into test/e2e/artifacts/<file>-<name>.png. */
  shot(page: Page, name: string): Promise<void>;
  /** A screenshot of every open page (on failure). */
  shotAll(name: string): Promise<void>;
  log(line: string): void;
}

/**
 * Starts the world before the file's tests and stops it after; `scenario` wraps `test` so a
 * failure leaves a screenshot of every open page.
 */
export function useWorld(file: string): { world: () => World; scenario: (name: string, fn: () => Promise<void>) => void } {
  const prefix = basename(file).replace(/\.test\.ts$/, '');
  let w: World | undefined;
  let stop: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    const started = await startWorld(prefix);
    w = started.world;
    stop = started.stop;
  });
  afterAll(async () => {
    await stop?.();
  });
  return {
    world: () => {
      if (!w) throw new Error('the e2e world did not start');
      return w;
    },
    scenario(name, fn) {
      test(name, async () => {
        const started = Date.now();
        try {
          await fn();
          w?.log(`scenario "${name}" passed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
        } catch (err) {
          w?.log(`scenario "${name}" FAILED after ${((Date.now() - started) / 1000).toFixed(1)} s: ${String(err)}`);
          await w?.shotAll(`${slug(name)}-FAILED`);
          throw err;
        }
      });
    },
  };
}

async function waitForHealth(url: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the server exited (${child.exitCode}):\n${output()}`);
    try {
      const res = await fetch(`${url}/api/health`);
      if (res.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`the server did not answer /api/health within 60 s:\n${output()}`);
}

export async function startWorld(prefix: string): Promise<{ world: World; stop: () => Promise<void> }> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const workDir = mkdtempSync(join(tmpdir(), 'allot-e2e-'));
  cpSync(join(ROOT, 'dist'), join(workDir, 'dist'), { recursive: true });
  const smtp = await startSmtpCapture();
  const port = await freePort();
  const url = `http://localhost:${port}`;
  const serverLog: WriteStream = createWriteStream(join(ARTIFACTS, `${prefix}-server.log`));
  const testLog: WriteStream = createWriteStream(join(ARTIFACTS, `${prefix}-browser.log`));
  const log = (line: string) => testLog.write(`${new Date().toISOString()} ${line}\n`);
  let tail = '';

  const tsx = pathToFileURL(createRequire(join(ROOT, 'package.json')).resolve('tsx')).href;
  const env = {
    ...process.env,
    PORT: String(port),
    PUBLIC_URL: url,
    DATA_DIR: join(workDir, 'data'),
    DATABASE_URL: '',
    SMTP_URL: smtp.url,
    MAIL_FROM: 'Allot <allot@e2e.test>',
    LOG_LEVEL: 'info',
    // Every browser and request here comes from 127.0.0.1.
    SIGNIN_RATE: '10000',
    CLAIM_RATE: '10000',
    PUBLIC_RATE: '10000',
    CATALOG: '',
  };
  const child = spawn(process.execPath, ['--import', tsx, join(ROOT, 'server/main.ts')], {
    // The server serves ./dist: the copy in the work folder.
    cwd: workDir,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const collect = (chunk: Buffer) => {
    serverLog.write(chunk);
    tail = (tail + chunk.toString()).slice(-8000);
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);

  let browser: Browser | undefined;
  const profiles: BrowserContext[] = [];
  const stop = async () => {
    for (const p of profiles) await p.close().catch(() => {});
    await browser?.close().catch(() => {});
    if (child.exitCode === null) {
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
    await smtp.close();
    await new Promise<void>((r) => serverLog.end(() => r()));
    await new Promise<void>((r) => testLog.end(() => r()));
    rmSync(workDir, { recursive: true, force: true });
  };

  try {
    await waitForHealth(url, child, () => tail);
    browser = await chromium.launch({
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: CHROMIUM_ARGS,
    });
  } catch (err) {
    await stop();
    throw err;
  }
  const b = browser;

  let pageNo = 0;
  const newPage = async (ctx: BrowserContext) => {
    const page = await ctx.newPage();
    const n = ++pageNo;
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') log(`[page ${n}] console.${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => log(`[page ${n}] pageerror: ${e.message}`));
    page.on('framenavigated', (f) => {
      if (f === page.mainFrame()) log(`[page ${n}] navigated to ${f.url()}`);
    });
    return page;
  };

  const api: World['api'] = async (ctx, method, path, body) => {
    const res = await ctx.request.fetch(url + path, {
      method,
      headers: { origin: url, 'content-type': 'application/json' },
      data: body === undefined ? undefined : JSON.stringify(body),
      failOnStatusCode: false,
    });
    const text = await res.text();
    return { status: res.status(), json: parseJson(text) ?? (text || undefined) };
  };

  const mailTo: World['mailTo'] = async (to, subject, since = 0, timeoutMs = 20_000) => {
    const lower = to.toLowerCase();
    const match = (m: ParsedMessage) => m.to.includes(lower) && subject.test(m.subject);
    const msgs = await smtp.waitFor((all) => all.slice(since).some(match), timeoutMs);
    return msgs.slice(since).find(match)!;
  };

  const signIn: World['signIn'] = async (ctx, email, name) => {
    const since = smtp.messages.length;
    const asked = await api(ctx, 'POST', '/api/auth/email', { email });
    if (asked.status !== 200) throw new Error(`sign-in request for ${email}: ${asked.status} ${JSON.stringify(asked.json)}`);
    const { code } = signInSecrets(await mailTo(email, /sign-in code/i, since));
    const verified = await api(ctx, 'POST', '/api/auth/verify', { email, code });
    if (verified.status !== 200) throw new Error(`verify ${email}: ${verified.status} ${JSON.stringify(verified.json)}`);
    // A new account has no name until the person gives one (the app asks at first sign-in): give it here.
    let named = verified.json.account.name as string;
    if (!named || (name && name !== named)) {
      named = name ?? email.split('@')[0];
      const set = await api(ctx, 'PATCH', '/api/me', { name: named });
      if (set.status !== 200) throw new Error(`name of ${email}: ${set.status} ${JSON.stringify(set.json)}`);
    }
    return { email: email.toLowerCase(), name: named, accountId: verified.json.account.id };
  };

  const push: World['push'] = async (ctx, collection, docs) => {
    const orgIds = new Set(docs.map((d) => d.orgId));
    if (orgIds.size !== 1 || typeof docs[0]?.orgId !== 'string') throw new Error(`push ${collection}: documents of one organization, each naming it`);
    const r = await api(
      ctx,
      'POST',
      syncPath(docs[0].orgId, collection, 'push'),
      docs.map((d) => ({ newDocumentState: { seq: 0, updatedAt: '', _deleted: false, ...d } })),
    );
    if (r.status !== 200) throw new Error(`push ${collection}: ${r.status} ${JSON.stringify(r.json)}`);
    if (r.json.rejected.length) throw new Error(`push ${collection} rejected: ${JSON.stringify(r.json.rejected)}`);
    return r.json;
  };

  const pull: World['pull'] = async <C extends CollectionName>(ctx: BrowserContext, orgId: string, collection: C) => {
    const out: WireDoc<C>[] = [];
    let checkpoint: unknown = null;
    for (;;) {
      const r = await api(ctx, 'POST', syncPath(orgId, collection, 'pull'), { checkpoint, batchSize: 500 });
      if (r.status !== 200) throw new Error(`pull ${collection}: ${r.status} ${JSON.stringify(r.json)}`);
      out.push(...r.json.documents);
      if (r.json.documents.length < 500) break;
      checkpoint = r.json.checkpoint;
    }
    // The latest state of each document.
    const byId = new Map<string, WireDoc<C>>();
    for (const d of out) byId.set(d.id, d);
    return [...byId.values()].filter((d) => !d._deleted);
  };

  const world: World = {
    url,
    port,
    smtp,
    browser: b,
    workDir,
    async newContext(opts) {
      return b.newContext({ viewport: { width: 1280, height: 860 }, locale: 'en-GB', timezoneId: 'UTC', ...opts });
    },
    async profileContext() {
      const ctx = await chromium.launchPersistentContext(mkdtempSync(join(workDir, 'profile-')), {
        executablePath: CHROMIUM_PATH,
        headless: true,
        args: CHROMIUM_ARGS,
        viewport: { width: 1280, height: 860 },
        locale: 'en-GB',
        timezoneId: 'UTC',
      });
      profiles.push(ctx);
      return ctx;
    },
    newPage,
    async cli(args) {
      const run = spawn(process.execPath, ['--import', tsx, join(ROOT, 'server/cli.ts'), ...args], { cwd: workDir, env, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      run.stdout!.on('data', (c: Buffer) => (out += c.toString()));
      run.stderr!.on('data', (c: Buffer) => (out += c.toString()));
      const code = await new Promise<number | null>((r) => run.once('exit', r));
      log(`cli ${args.join(' ')} → ${code}\n${out}`);
      if (code !== 0) throw new Error(`cli ${args.join(' ')} exited ${code}:\n${out}`);
      return out;
    },
    mailTo,
    signIn,
    api,
    at: (orgId, path) => url + orgPath(orgId, path),
    push,
    pull,
    async setupOrg(ctx, org) {
      const since = smtp.messages.length;
      const r = await api(ctx, 'POST', '/api/setup', { orgName: org.orgName, email: org.email, name: org.name });
      if (r.status !== 200) throw new Error(`setup: ${r.status} ${JSON.stringify(r.json)}`);
      // The setup email is a sign-in email; its code signs the admin in.
      const { code } = signInSecrets(await mailTo(org.email, /sign-in code/i, since));
      const v = await api(ctx, 'POST', '/api/auth/verify', { email: org.email, code });
      if (v.status !== 200) throw new Error(`verify: ${v.status} ${JSON.stringify(v.json)}`);
      const me = await api(ctx, 'GET', '/api/me');
      const [mine] = me.json.organizations;
      return {
        orgId: mine.id,
        memberId: mine.memberId,
        admin: { email: org.email, name: org.name, accountId: me.json.account.id },
      };
    },
    async recordOrder(ctx, input) {
      const orderId = newId();
      await push(ctx, 'orders', [
        {
          id: orderId,
          orgId: input.orgId,
          reference: input.reference,
          placedAt: new Date().toISOString(),
          teamId: '',
          ...(input.teamName ? { teamName: input.teamName } : {}),
          licensee: input.licensee,
          licenseeContactId: '',
          billingContactId: '',
          lines: [{ productId: input.productId, quantity: input.quantity }],
          validUntil: new Date(Date.now() + 365 * 86_400_000).toISOString(),
        },
      ]);
      const deadline = Date.now() + 15_000;
      for (;;) {
        const order = (await pull(ctx, input.orgId, 'orders')).find((o) => o.id === orderId);
        const licenses = (await pull(ctx, input.orgId, 'licenses')).filter((l) => l.orderId === orderId);
        if (order?.teamId && licenses.length === input.quantity) {
          return { orderId, teamId: order.teamId, licenseIds: licenses.map((l) => l.id) };
        }
        if (Date.now() > deadline) throw new Error(`order ${input.reference} was not materialized: ${JSON.stringify(order)}`);
        await new Promise((r) => setTimeout(r, 200));
      }
    },
    async createInvitation(ctx, input) {
      const id = newId();
      await push(ctx, 'invitations', [
        {
          id,
          orgId: input.orgId,
          teamId: input.teamId,
          productId: input.productId,
          allowedDomains: input.allowedDomains ?? [],
          createdByMemberId: input.memberId,
          ...(input.name ? { name: input.name } : {}),
          expiresAt: new Date(Date.now() + 7 * 86_400_000).toISOString(),
        },
      ]);
      // The server makes the link's token (DESIGN §6): read it back.
      const token = (await pull(ctx, input.orgId, 'invitations')).find((d) => d.id === id)?.token;
      if (!token) throw new Error(`invitation ${id} has no token after its push`);
      return { id, token, link: `${url}/join/${token}` };
    },
    async shot(page, name) {
      await page.screenshot({ path: join(ARTIFACTS, `${prefix}-${slug(name)}.png`), fullPage: true }).catch((err) => {
        log(`screenshot ${name} failed: ${String(err)}`);
      });
    },
    async shotAll(name) {
      let i = 0;
      for (const ctx of [...b.contexts(), ...profiles]) {
        for (const page of ctx.pages()) {
          i++;
          await page
            .screenshot({ path: join(ARTIFACTS, `${prefix}-${name}-${i}.png`), fullPage: true, timeout: 10_000 })
            .catch(() => {});
        }
      }
    },
    log,
  };
  return { world, stop };
}

/** Product ids of the built-in catalog (server/catalog.ts). */
export const PRODUCTS = {
  ide: { id: 'product-ide-ultimate', name: 'IDE Ultimate' },
  review: { id: 'product-code-review', name: 'Code Review' },
  profiler: { id: 'product-profiler', name: 'Profiler' },
};

/** Waits until the signed-in app has finished its first sync and nothing is waiting. */
export async function waitInSync(page: Page, timeout = 30_000): Promise<void> {
  const status = page.getByRole('status', { name: 'Sync status' });
  await status.getByText('Online').waitFor({ timeout });
  await status.getByText('No changes waiting').waitFor({ timeout });
  await status.getByText(/Last synced/).waitFor({ timeout });
  // The first full pull of this page load is over (its progress bar is gone).
  await page.getByRole('progressbar', { name: /Loading your organization/ }).waitFor({ state: 'detached', timeout });
}

/**
 * Resolves once a service worker controls the page and holds the app shell (so a reload
 * without network opens the app).
 */
export async function waitForServiceWorker(page: Page, timeout = 30_000): Promise<void> {
  const deadline = Date.now() + timeout;
  for (;;) {
    const state = await page.evaluate(async () => {
      const reg = await navigator.serviceWorker.getRegistration();
      return {
        active: reg?.active?.state ?? null,
        controlled: !!navigator.serviceWorker.controller,
        shell: !!(await caches.match('/index.html', { ignoreSearch: true })),
      };
    });
    if (state.active === 'activated' && state.controlled && state.shell) return;
    if (Date.now() > deadline) throw new Error(`no service worker in control after ${timeout} ms: ${JSON.stringify(state)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
