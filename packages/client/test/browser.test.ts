// The plain client in a real browser (Debian's chromium driven by playwright-core; never downloads one): a bare
// node:http app, each provider's emulator consent page clicked through, approve and deny.
import type { Server } from 'node:http';
import { type Browser, type Page } from 'playwright-core';
import { OAuthClient, type ClientOptions } from '@maniapass/client';
import type { EmulatedUser, OAuthEmulator } from '@maniapass/emulators';
import { describeBrowser, launchChromium } from '../../../test-support/services';
import { TEST_PROVIDERS, type TestProvider } from '../../../test-support/providers';
import { startApp, type AnyClient } from './node-app';

// A busy machine makes each page load take seconds.
jest.setTimeout(30_000);

describeBrowser()('@maniapass/client in a browser', () => {
  let browser: Browser;
  let page: Page;
  beforeAll(async () => {
    browser = await launchChromium();
    page = await (await browser.newContext()).newPage();
    page.setDefaultTimeout(10_000);
  }, 40_000);
  afterAll(() => browser?.close());

  describe.each(TEST_PROVIDERS.map((p): [string, TestProvider] => [p.id, p]))('%s', (_id, provider) => {
    let emulator: OAuthEmulator<EmulatedUser>;
    let app: { url: string; server: Server };
    beforeAll(async () => {
      emulator = await provider.startEmulator();
      app = await startApp(
        (redirectURI) => new OAuthClient(provider.definition, { ...(emulator.strategyOptions() as unknown as ClientOptions), redirectURI }) as AnyClient,
        [],
      );
    });
    afterAll(async () => {
      app.server.closeAllConnections();
      await new Promise((resolve) => app.server.close(resolve));
      await emulator.close();
    });

    it('approve on the consent page: back at the app, signed in with the profile', async () => {
      await page.context().clearCookies();
      await page.goto(`${app.url}/login`);
      await page.waitForSelector('#approve');
      expect(new URL(page.url()).origin).toBe(emulator.url);
      await page.click('#approve');
      await page.waitForURL(new RegExp(`^${app.url}/callback\\?`));
      const body = JSON.parse((await page.locator('body').textContent()) ?? 'null') as { profile: Record<string, unknown> };
      expect(body.profile).toMatchObject({ provider: provider.id, ...provider.expectedProfile });
    });

    it('deny on the consent page: back at the app with access_denied', async () => {
      await page.context().clearCookies();
      await page.goto(`${app.url}/login`);
      await page.waitForSelector('#deny');
      await page.click('#deny');
      await page.waitForURL(new RegExp(`^${app.url}/callback\\?`));
      const body = JSON.parse((await page.locator('body').textContent()) ?? 'null') as { error: { code: string } };
      expect(body.error.code).toBe('access_denied');
    });
  });
});
