// Every provider in a real browser (Debian's chromium driven by playwright-core): consent page → profile,
// deny → failure message, refresh, logout. Never downloads a browser.
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { PROVIDERS } from '../src/providers';
import { describeBrowser, launchChromium } from '../../../test-support/services';
import { startExampleApp, type ExampleApp } from './helpers';

// A busy machine (the whole test run in parallel) makes each page load take seconds.
const TEST_TIMEOUT = 30_000;

describeBrowser()('in a browser', () => {
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let app: ExampleApp;

  beforeAll(async () => {
    app = await startExampleApp();
    browser = await launchChromium();
    // One page for the suite: a new one costs seconds on a busy machine. Each test starts without cookies.
    context = await browser.newContext();
    page = await context.newPage();
    page.setDefaultTimeout(10_000);
  }, 40_000);
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  async function withPage(run: (page: Page) => Promise<void>): Promise<void> {
    await context.clearCookies();
    await run(page);
  }

  describe.each(PROVIDERS.map((p) => [p.label, p] as const))('%s', (_label, entry) => {
    it(
      'signs in through the consent page, shows the profile, refreshes, and logs out',
      async () => {
        await withPage(async (page) => {
          await page.goto(`${app.url}/`);
          await expect(page.locator(`#provider-${entry.name} .badge`).textContent()).resolves.toBe('emulated');
          await page.click(`#signin-${entry.name}`);

          // The emulator's consent page, on its own origin.
          await page.waitForSelector('#approve');
          expect(new URL(page.url()).origin).not.toBe(app.url);
          await expect(page.locator('select[name="user_id"]').count()).resolves.toBe(1);
          await page.click('#approve');

          await page.waitForURL(`${app.url}/profile`);
          await expect(page.locator('#profile').textContent()).resolves.toContain(`provider${entry.name}`);
          await expect(page.locator('#expires').textContent()).resolves.toMatch(/\(in \d+ minutes\)$/);
          const raw = JSON.parse((await page.locator('#raw').textContent()) ?? 'null') as unknown;
          expect(raw).toEqual(expect.any(Object));

          await page.click('#refresh');
          await page.waitForSelector('#notice');
          await expect(page.locator('#notice').textContent()).resolves.toBe('Tokens refreshed.');
          await expect(page.locator('#refreshed-at').count()).resolves.toBe(1);

          await page.click('#logout-profile');
          await page.waitForURL(`${app.url}/`);
          await expect(page.locator('main').textContent()).resolves.toContain('Not signed in');
          await page.goto(`${app.url}/profile`);
          expect(page.url()).toBe(`${app.url}/`);
        });
      },
      TEST_TIMEOUT,
    );

    it(
      'shows the provider message when access is denied',
      async () => {
        await withPage(async (page) => {
          await page.goto(`${app.url}/`);
          await page.click(`#signin-${entry.name}`);
          await page.waitForSelector('#deny');
          await page.click('#deny');
          await page.waitForURL(`${app.url}/auth/failure?provider=${entry.name}`);
          await expect(page.locator('h1').textContent()).resolves.toBe('Sign-in failed');
          await expect(page.locator('#failure-message').textContent()).resolves.toMatch(/denied/i);
        });
      },
      TEST_TIMEOUT,
    );
  });
});
