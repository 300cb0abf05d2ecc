// Regenerates screenshots/home.png and screenshots/profile.png: starts the built app on the emulators, signs in
// through a consent page with Debian's chromium (playwright-core never downloads a browser here).
// Run: npm run screenshots -w examples/express-app   (builds first)
import { createRequire } from 'node:module';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
const { createApp } = require('../dist/app.js');
const { loadConfig } = require('../dist/config.js');
const { startDemos } = require('../dist/demos.js');
const { startProviders } = require('../dist/providers.js');

const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((path) => existsSync(path));
// The same launch arguments as the browser tests (test/browser.test.ts).
const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const PROVIDER = process.argv[2] ?? 'maniaplanet';
const out = new URL('../screenshots/', import.meta.url);

if (!CHROMIUM) {
  console.error('chromium not found. Install it with: apt-get install -y chromium');
  process.exit(1);
}

const config = loadConfig({ SESSION_SECRET: randomBytes(32).toString('base64url') });
const { providers, close: closeProviders } = await startProviders(config);
const demos = await startDemos(config, providers);
const app = createApp({ providers, sessionSecret: config.sessionSecret, demos: demos.demos });
const server = await new Promise((resolve) => {
  const s = app.listen(0, '127.0.0.1', () => resolve(s));
});
const url = `http://127.0.0.1:${server.address().port}`;
const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
try {
  mkdirSync(out, { recursive: true });
  const page = await browser.newPage({ viewport: { width: 1000, height: 760 }, deviceScaleFactor: 1 });
  page.setDefaultTimeout(15_000);
  await page.goto(`${url}/`);
  await page.screenshot({ path: new URL('home.png', out).pathname, fullPage: true });

  await page.click(`#signin-${PROVIDER}`);
  await page.waitForSelector('#approve');
  await page.click('#approve');
  await page.waitForURL(`${url}/profile`);
  await page.screenshot({ path: new URL('profile.png', out).pathname, fullPage: true });
  console.log(`wrote ${new URL('home.png', out).pathname} and profile.png (${PROVIDER})`);
} finally {
  await browser.close();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await demos.close();
  await closeProviders();
}
