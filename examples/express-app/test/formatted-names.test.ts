// The colours of formatted names, in a real browser: the page's Content Security Policy lets their style attributes
// apply (a policy that blocked them would leave the names in the default colour, silently).
import { type Browser } from 'playwright-core';
import { describeBrowser, launchChromium } from '../../../test-support/services';
import { startExampleApp, type ExampleApp } from './helpers';

describeBrowser()('formatted names in a browser', () => {
  let browser: Browser;
  let app: ExampleApp;

  beforeAll(async () => {
    app = await startExampleApp();
    browser = await launchChromium();
  }, 40_000);
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('the Track of the Day shows in its colours under the page policy', async () => {
    const page = await browser.newPage();
    const violations: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
    });
    await page.goto(`${app.url}/demo`);
    const runs = await page.locator('#totd .formatted span').evaluateAll((spans) =>
      spans.map((s) => ({
        declared: s.getAttribute('style') ?? '',
        shown: (globalThis as unknown as { getComputedStyle(e: unknown): { color: string } }).getComputedStyle(s).color,
      })),
    );
    expect(runs.length).toBeGreaterThan(1);
    for (const { declared, shown } of runs) {
      const hex = /color:#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})/.exec(declared)!;
      expect(shown).toBe(`rgb(${parseInt(hex[1]!, 16)}, ${parseInt(hex[2]!, 16)}, ${parseInt(hex[3]!, 16)})`);
    }
    expect(violations).toEqual([]);
  }, 30_000);
});
