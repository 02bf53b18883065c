import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { useWorld, waitForServiceWorker } from './harness';

const { world, scenario } = useWorld(import.meta.filename);

/** Width and height from a PNG's IHDR chunk. */
function pngSize(buf: Buffer): { width: number; height: number } {
  expect(buf.subarray(1, 4).toString('latin1')).toBe('PNG');
  return { width: buf.readUInt32BE(16), height: buf.readUInt32BE(20) };
}

scenario('g. the manifest and the service worker make the app installable (DevTools protocol); a new version is offered with Reload', async () => {
  const w = world();
  // An ordinary profile: Chromium never offers installation in off-the-record contexts.
  const ctx = await w.profileContext();
  const page = await w.newPage(ctx);
  await page.goto(w.url);
  await page.getByRole('heading', { name: 'Create your organization' }).waitFor();
  await waitForServiceWorker(page);

  // Chromium's own installability checks, as DevTools > Application > Manifest runs them.
  const cdp = await ctx.newCDPSession(page);
  const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
  expect(installabilityErrors).toEqual([]);
  const manifest = await cdp.send('Page.getAppManifest');
  expect(manifest.url).toBe(`${w.url}/manifest.webmanifest`);
  expect(manifest.errors).toEqual([]);
  const data = JSON.parse(manifest.data!);
  expect(data).toMatchObject({ name: 'Allot', short_name: 'Allot', start_url: '/', display: 'standalone', theme_color: '#1f3a5f' });
  const icons = data.icons as { src: string; sizes: string; type: string; purpose: string }[];
  expect(icons.map((i) => `${i.sizes} ${i.purpose}`).sort()).toEqual(['192x192 any', '512x512 any', '512x512 maskable']);
  for (const icon of icons) {
    const res = await ctx.request.get(w.url + icon.src);
    expect(res.status()).toBe(200);
    expect(res.headers()['content-type']).toBe('image/png');
    const [width, height] = icon.sizes.split('x').map(Number);
    expect(pngSize(await res.body())).toEqual({ width, height });
  }

  // The service worker and the manifest are always re-checked; hashed assets are cached for good.
  const sw = await ctx.request.get(`${w.url}/sw.js`);
  expect(sw.headers()['cache-control']).toMatch(/no-cache/);
  expect(sw.headers()['content-type']).toMatch(/javascript/);
  const mf = await ctx.request.get(`${w.url}/manifest.webmanifest`);
  expect(mf.headers()['content-type']).toMatch(/application\/manifest\+json/);
  expect(mf.headers()['cache-control']).toMatch(/no-cache/);
  const scope = await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.scope);
  expect(scope).toBe(`${w.url}/`);

  // A new version on the server: the tab open since the first install (claimed by the
  // worker, never reloaded) offers it, and Reload switches to it.
  appendFileSync(join(w.workDir, 'dist/sw.js'), `\n// e2e: version ${Date.now()}\n`);
  await page.evaluate(async () => {
    (window as unknown as { beforeUpdate: boolean }).beforeUpdate = true;
    await (await navigator.serviceWorker.getRegistration())!.update();
  });
  const prompt = page.getByRole('alert').filter({ hasText: 'A new version of Allot is available.' });
  await prompt.waitFor({ timeout: 30_000 });
  await w.shot(page, 'update-available');
  const reloaded = page.waitForEvent('framenavigated', { timeout: 30_000 });
  await prompt.getByRole('button', { name: 'Reload' }).click();
  await reloaded;
  await page.getByRole('heading', { name: 'Create your organization' }).waitFor();
  expect(await page.evaluate(() => (window as unknown as { beforeUpdate?: boolean }).beforeUpdate)).toBeUndefined();
  await waitForServiceWorker(page);
  const afterUpdate = await page.evaluate(async () => {
    const reg = await navigator.serviceWorker.getRegistration();
    return { waiting: !!reg?.waiting, installing: !!reg?.installing, controlled: !!navigator.serviceWorker.controller };
  });
  expect(afterUpdate).toEqual({ waiting: false, installing: false, controlled: true });
  expect(await prompt.count()).toBe(0);
  // Still installable on the new version.
  const cdp2 = await ctx.newCDPSession(page);
  expect((await cdp2.send('Page.getInstallabilityErrors')).installabilityErrors).toEqual([]);
  await w.shot(page, 'end');
  // Offline, any app address opens the shell from the service worker, but /api/* never does.
  const other = await w.newContext();
  const op = await w.newPage(other);
  await op.goto(w.url);
  await waitForServiceWorker(op);
  await other.setOffline(true);
  const deep = await op.goto(`${w.url}/teams/some-team`);
  expect(deep?.fromServiceWorker()).toBe(true);
  await op.getByRole('alert').or(op.getByRole('heading', { name: 'Create your organization' })).first().waitFor();
  const apiNav = await op.goto(`${w.url}/api/health`).then(
    (r) => `HTTP ${r?.status()}`,
    (err: Error) => err.message,
  );
  expect(apiNav).toMatch(/ERR_INTERNET_DISCONNECTED|ERR_FAILED/);
  await other.setOffline(false);
  const online = await op.goto(`${w.url}/api/health`);
  expect(online?.fromServiceWorker()).toBe(false);
  expect(await online?.json()).toMatchObject({ ok: true, database: 'up' });
  await other.close();

  await ctx.close();
});
