import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CHROMIUM_PATH } from '../helpers/chromium';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** The suite tests the production build; it builds nothing itself. */
export default function setup() {
  const dist = join(root, 'dist');
  const missing = ['index.html', 'sw.js', 'manifest.webmanifest'].filter((f) => !existsSync(join(dist, f)));
  if (missing.length) {
    throw new Error(`dist/ is missing ${missing.join(', ')}: run \`npm run build\` before \`npm run test:e2e\`.`);
  }
  const chromium = CHROMIUM_PATH;
  if (!existsSync(chromium)) {
    throw new Error(`No Chromium at ${chromium}: install it (apt-get install -y chromium) or set CHROMIUM_PATH.`);
  }
  mkdirSync(join(root, 'test/e2e/artifacts'), { recursive: true });
}
