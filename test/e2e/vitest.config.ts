import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/**
 * The end-to-end suite: the production build (dist/, made by `npm run build` beforehand)
 * served by the real server in a child process, driven by playwright-core in Chromium.
 * One scenario file at a time: each starts its own server, mail capture and browser.
 */
export default defineConfig({
  root: fileURLToPath(new URL('../..', import.meta.url)),
  test: {
    include: ['test/e2e/**/*.test.ts'],
    environment: 'node',
    globalSetup: ['test/e2e/global-setup.ts'],
    fileParallelism: false,
    pool: 'forks',
    testTimeout: 180_000,
    hookTimeout: 120_000,
    // A browser test that fails is reported once, with its screenshots; never retried into a pass.
    retry: 0,
  },
});
