import { defineConfig } from 'vitest/config';
import solid from 'vite-plugin-solid';
import { VitePWA } from 'vite-plugin-pwa';
import { THEME_COLOR } from './client/pwa/logo';

export default defineConfig({
  plugins: [
    solid(),
    VitePWA({
      // Registered from client/pwa/update-prompt.tsx (virtual:pwa-register/solid): no inline
      // script in index.html, which the Content-Security-Policy (script-src 'self') forbids.
      injectRegister: false,
      registerType: 'prompt',
      filename: 'sw.js',
      manifestFilename: 'manifest.webmanifest',
      // public/ (icons, favicon) is already in the globPatterns below: list nothing twice.
      includeManifestIcons: false,
      manifest: {
        id: '/',
        name: 'Allot',
        short_name: 'Allot',
        description: "Your organization's contacts, teams, licenses and invitation links — also offline.",
        start_url: '/',
        scope: '/',
        display: 'standalone',
        orientation: 'any',
        lang: 'en',
        theme_color: THEME_COLOR,
        background_color: '#ffffff',
        categories: ['business', 'productivity'],
        icons: [
          { src: '/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
          { src: '/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
          { src: '/icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        ],
      },
      workbox: {
        // The app shell: every built file, so a reload without network opens the app.
        globPatterns: ['**/*.{js,css,html,svg,png}'],
        // Client-side routes (/teams/…, /join/…) open the shell; the API never does.
        navigateFallback: '/index.html',
        navigateFallbackDenylist: [/^\/api\//],
        cleanupOutdatedCaches: true,
        // A new version waits for the person's "Reload" (update prompt), never mid-edit; once
        // chosen (or on the very first install) it takes over the open tabs at once.
        skipWaiting: false,
        clientsClaim: true,
        maximumFileSizeToCacheInBytes: 5 * 1024 * 1024,
      },
    }),
  ],
  root: '.',
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022' },
  server: { proxy: { '/api': 'http://localhost:8080' } },
  test: {
    include: ['client/**/*.test.{ts,tsx}', 'server/**/*.test.ts', 'shared/**/*.test.ts', 'test/integration/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    fileParallelism: true,
    pool: 'forks',
  },
});
