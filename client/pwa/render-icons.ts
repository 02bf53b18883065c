/**
 * Renders the PWA icons in public/ from the SVG logo with Chromium (the same browser the
 * end-to-end suite drives), so the PNGs are real renderings of one source:
 *
 *   npx tsx client/pwa/render-icons.ts
 *
 * Writes favicon.svg, icon-192.png, icon-512.png, icon-maskable-512.png, apple-touch-icon.png.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { logoSvg } from './logo';

const out = join(import.meta.dirname, '../../public');

const targets: { file: string; size: number; maskable?: boolean }[] = [
  { file: 'icon-192.png', size: 192 },
  { file: 'icon-512.png', size: 512 },
  { file: 'icon-maskable-512.png', size: 512, maskable: true },
  // iOS ignores the manifest's icons and crops its own corners: give it the full square.
  { file: 'apple-touch-icon.png', size: 180, maskable: true },
];

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu'],
});
try {
  writeFileSync(join(out, 'favicon.svg'), logoSvg());
  for (const t of targets) {
    const page = await browser.newPage({ viewport: { width: t.size, height: t.size }, deviceScaleFactor: 1 });
    const svg = logoSvg({ maskable: t.maskable }).replace('width="512" height="512"', `width="${t.size}" height="${t.size}"`);
    await page.setContent(`<html><body style="margin:0;background:transparent">${svg}</body></html>`);
    await page.locator('svg').screenshot({ path: join(out, t.file), omitBackground: true });
    await page.close();
    console.log(`public/${t.file} (${t.size}×${t.size})`);
  }
} finally {
  await browser.close();
}
