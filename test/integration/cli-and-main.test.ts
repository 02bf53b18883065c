import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { openStore } from '../../server/store/open-store';
import { startSmtpCapture, type SmtpCapture } from '../helpers/smtp';
import { freePort } from '../helpers/net';
import { listOutbox } from '../../server/store/outbox';
import { listDocs } from '../../server/store/docs';

const ROOT = resolve(__dirname, '../..');
const TSX = join(ROOT, 'node_modules/.bin/tsx');

function run(script: string, args: string[], env: Record<string, string>) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((done) => {
    const child = spawn(TSX, [script, ...args], { cwd: ROOT, env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

const cli = (args: string[], env: Record<string, string>) => run('server/cli.ts', args, env);

/** Starts server/main.ts and resolves once it listens; `output()` is everything it printed. */
async function startMain(cwd: string, env: Record<string, string | undefined>) {
  const child = spawn(TSX, [join(ROOT, 'server/main.ts')], { cwd, env });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((done) => child.on('close', (code) => done(code)));
  await new Promise<void>((done, fail) => {
    const t = setInterval(() => {
      if (out.includes('listening')) {
        clearInterval(t);
        done();
      }
    }, 50);
    child.on('close', () => {
      clearInterval(t);
      fail(new Error(`server exited early:\n${out}`));
    });
  });
  return { child, exited, output: () => out };
}

async function outbox(dataDir: string) {
  const store = await openStore({ dataDir });
  try {
    return await listOutbox(store.db);
  } finally {
    await store.close();
  }
}

describe('npm run cli', () => {
  let dir: string;
  let smtp: SmtpCapture;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'allot-cli-'));
    smtp = await startSmtpCapture();
  });
  afterAll(async () => {
    await smtp?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('create-org without SMTP prints the sign-in email and keeps it held', async () => {
    const dataDir = join(dir, 'plain');
    const r = await cli(['create-org', '--name', 'Acme', '--admin', 'Ada@Acme.test'], { DATA_DIR: dataDir, PUBLIC_URL: 'http://allot.local' });
    expect(r.stderr).not.toMatch(/Error/);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Created organization "Acme"');
    expect(r.stdout).toContain('ada@acme.test');
    expect(r.stdout).toMatch(/http:\/\/allot\.local\/signin\?token=[\w-]+/);
    expect(r.stdout).toMatch(/Code: \d{6}/);
    expect(await outbox(dataDir)).toMatchObject([{ topic: 'sign-in', recipient: 'ada@acme.test', status: 'held' }]);
  });

  it('create-org with SMTP sends the sign-in email', async () => {
    const dataDir = join(dir, 'smtp');
    const r = await cli(['create-org', '--name', 'Globex', '--admin', 'hank@globex.test'], { DATA_DIR: dataDir, SMTP_URL: smtp.url });
    expect(r.code).toBe(0);
    const [mail] = smtp.messages.filter((m) => m.to.includes('hank@globex.test'));
    expect(mail.text).toMatch(/\/signin\?token=/);
    expect(mail.html).toMatch(/<a href="http:\/\/localhost:8080\/signin\?token=/);
    expect(await outbox(dataDir)).toMatchObject([{ status: 'sent' }]);
  });

  it('demo prints the admin and the invitation link, and will not make the same admin twice', async () => {
    const dataDir = join(dir, 'demo');
    const r = await cli(['demo', '--licenses', '20'], { DATA_DIR: dataDir });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('admin@northwind.test');
    expect(r.stdout).toMatch(/Invitation link: http:\/\/localhost:8080\/join\/[\w-]{22,}/);
    const again = await cli(['demo'], { DATA_DIR: dataDir });
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already a member.*--admin/);
    expect((await cli(['demo', '--admin', 'boss@northwind.test'], { DATA_DIR: dataDir })).code).toBe(0);
    // Another organization, but not for someone who is a member of one already.
    const taken = await cli(['create-org', '--name', 'Other', '--admin', 'Boss@Northwind.test'], { DATA_DIR: dataDir });
    expect(taken.code).toBe(2);
    expect(taken.stderr).toMatch(/already a member.*--admin/);
    expect((await cli(['create-org', '--name', 'Other', '--admin', 'olga@other.test'], { DATA_DIR: dataDir })).code).toBe(0);
  });

  it('refuses bad arguments with exit code 2 and says why', async () => {
    const env = { DATA_DIR: join(dir, 'bad') };
    for (const [args, why] of [
      [['create-org', '--name', 'Acme'], /--admin is required/],
      [['create-org', '--name', 'Acme', '--admin', 'not-an-email'], /--admin must be an email/],
      [['create-org', '--admin', 'a@b.test'], /--name is required/],
      [['demo', '--licenses', 'many'], /--licenses must be a whole number/],
      [['demo', '--bogus'], /Unknown option '--bogus'/],
      [['launch'], /Unknown command "launch"/],
    ] as const) {
      const r = await cli([...args], env);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(why);
      expect(r.stderr).toContain('Usage: npm run cli');
    }
    const bad = await cli(['demo'], { ...env, PORT: 'eighty' });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/PORT: must be a whole number/);
  });
});

describe('server/main.ts', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'allot-main-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('exits 1 naming a bad setting', async () => {
    const r = await run('server/main.ts', [], { DATA_DIR: dir, SMTP_URL: 'http://nope' });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/SMTP_URL: must start with smtp:\/\/ or smtps:\/\//);
  });

  it('serves the API, prints mail with its links when there is no SMTP, and stops cleanly on SIGTERM', async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const main = await startMain(ROOT, { ...process.env, DATA_DIR: dir, PORT: String(port), PUBLIC_URL: url, LOG_LEVEL: 'info', SMTP_URL: '', DATABASE_URL: '' });
    try {
      const setup = await fetch(`${url}/api/setup`);
      expect(await setup.json()).toEqual({ needsSetup: true });
      const made = await fetch(`${url}/api/setup`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: url },
        // DESIGN §8: "Create your organization" takes a name and your email.
        body: JSON.stringify({ name: 'Acme', email: 'ada@acme.test' }),
      });
      expect(made.status).toBe(200);
      expect(await (await fetch(`${url}/api/setup`)).json()).toEqual({ needsSetup: false });
      // The worker picks the sign-in email up and prints it, link included.
      await new Promise<void>((done) => {
        const t = setInterval(() => {
          if (main.output().includes(`${url}/signin?token=`)) {
            clearInterval(t);
            done();
          }
        }, 50);
      });
      // Readable for a person: To, Subject and the link whole on a line of its own (no JSON escaping).
      const out = main.output();
      expect(out).toMatch(/^To: +ada@acme\.test$/m);
      expect(out).toMatch(/^Subject: +\S.*$/m);
      expect(out).toMatch(new RegExp(`^Link: +${url.replace(/[.:/]/g, '\\$&')}/signin\\?token=[A-Za-z0-9_-]+$`, 'm'));
      const products = await openStore({ dataDir: dir }).then(async (s) => {
        const rows = await listDocs(s.db, { collection: 'products', withDeleted: true });
        await s.close();
        return rows;
      });
      expect(products.map((p) => p.id).sort()).toEqual(['product-code-review', 'product-ide-ultimate', 'product-profiler']);
    } finally {
      main.child.kill('SIGTERM');
    }
    expect(await main.exited).toBe(0);
    const store = await openStore({ dataDir: dir });
    const rows = await listOutbox(store.db);
    await store.close();
    expect(rows.map(({ status, recipient }) => ({ status, recipient }))).toEqual([{ status: 'held', recipient: 'ada@acme.test' }]);
  });

  it('starts as the README says: one port for the API and the app shell, a SQLite file under ./data', async () => {
    // A working directory of its own, as a fresh clone after `npm run build`: main.ts takes
    // ./dist for the app and ./data for the database when nothing else is configured.
    const cwd = join(dir, 'readme-start');
    mkdirSync(join(cwd, 'dist/assets'), { recursive: true });
    const index = '<!doctype html><html><head><title>Allot</title></head><body><div id="root"></div></body></html>';
    writeFileSync(join(cwd, 'dist/index.html'), index);
    writeFileSync(join(cwd, 'dist/assets/app.js'), 'console.log("allot")');
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const env: Record<string, string | undefined> = { ...process.env, PORT: String(port), PUBLIC_URL: url, LOG_LEVEL: 'info' };
    for (const k of ['DATA_DIR', 'DATABASE_URL', 'SMTP_URL', 'CATALOG']) delete env[k];
    const main = await startMain(cwd, env);
    try {
      const health = await fetch(`${url}/api/health`);
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ ok: true, database: 'up', instance: expect.stringMatching(/:\d+$/) });
      const setup = await fetch(`${url}/api/setup`);
      expect(await setup.json()).toEqual({ needsSetup: true });
      expect(existsSync(join(cwd, 'data/allot.db'))).toBe(true);
      // The app shell answers every client-side route; files come as themselves.
      for (const path of ['/', '/teams', '/join/some-token']) {
        const res = await fetch(`${url}${path}`);
        expect(res.status, path).toBe(200);
        expect(res.headers.get('content-type'), path).toMatch(/text\/html/);
        expect(await res.text(), path).toBe(index);
      }
      const js = await fetch(`${url}/assets/app.js`);
      expect(js.headers.get('content-type')).toMatch(/javascript/);
      expect(await js.text()).toBe('console.log("allot")');
      expect((await fetch(`${url}/api/no-such-thing`)).status).toBe(404);
    } finally {
      main.child.kill('SIGTERM');
    }
    expect(await main.exited).toBe(0);
  });
});
