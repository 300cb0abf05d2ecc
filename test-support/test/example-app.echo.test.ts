// The example app against providers that echo what they were sent, in every encoding of the class
// (test-support/echo.ts), alone or chained, for every provider and every place a provider's text could reach a
// visitor: the code exchange, the profile call, an error response on the callback, the token helpers. A visitor
// never sees the provider's text: each page shows one of the app's fixed messages, and no decoding of what the
// visitor got or of what the server logged reveals 8 characters of a secret. The counts are kept: 0 revealed.
import fc from 'fast-check';
import request from 'supertest';
import { PROVIDER_FAILURE_MESSAGES } from '../../examples/express-app/src/errors';
import { emulatorOf, startExampleApp, type ExampleApp } from '../../examples/express-app/test/helpers';
import { NAMES, encodeChain, revealed } from '../echo';
import { PROVIDERS } from '../reliability/providers';
import { signIn } from '../reliability/driver';

jest.setTimeout(240_000);
const RUNS = 25;

const chain = fc.array(fc.constantFrom(...NAMES), { minLength: 1, maxLength: 2 });
/** A word a provider writes in its answer: it must never reach a page. */
const marker = fc.stringMatching(/^[A-Za-z]{12,20}$/).map((word) => `Provider${word}`);

/** The message a failure page shows. */
const shownMessage = (page: string) => /<p class="message" id="failure-message">([^<]*)<\/p>/.exec(page)?.[1];
const FIXED = new Set<string>(Object.values(PROVIDER_FAILURE_MESSAGES));

let app: ExampleApp;
const echoes = { total: 0, revealed: 0 };

beforeAll(async () => {
  app = await startExampleApp({ timeout: 2000, limits: { demoCacheSeconds: 0 } });
});
afterAll(async () => {
  await app.close();
  // Every echo above was checked on its own; this is the tally the review counted.
  expect(echoes.total).toBeGreaterThan(0);
  expect(echoes).toEqual({ total: echoes.total, revealed: 0 });
});

/** Counts one echo, and checks that what the visitor got and what the server logged reveal none of the secrets. */
function expectNothingRevealed(pages: string[], logged: string[], secrets: string[]): void {
  echoes.total += 1;
  const found = revealed(
    [...pages, ...logged].join('\n'),
    secrets.filter((s) => s.length >= 8),
    3,
  );
  if (found.length > 0) echoes.revealed += 1;
  expect(found).toEqual([]);
}

describe.each(PROVIDERS.map((p) => p.name))('example app, %s: a provider that echoes', (name) => {
  const emulator = () => emulatorOf(app, name);
  const clientSecret = () => emulator().clients[0]!.clientSecret;
  const apiKey = () => String((emulator().strategyOptions() as { apiKey?: unknown }).apiKey ?? '');
  afterEach(() => emulator().clearFaults());

  it.each(['token', 'profile'] as const)('the %s call echoed in any encoding: a fixed message, nothing revealed', async (where) => {
    const endpoint = where === 'token' ? 'token' : PROVIDERS.find((p) => p.name === name)!.profileEndpoints[0]!;
    await fc.assert(
      fc.asyncProperty(chain, fc.constantFrom(400, 401, 403, 500), marker, async (names, status, word) => {
        emulator().fault(endpoint, { type: 'echo', status, encode: (text) => `${word} ${encodeChain(names, text)}` }, { times: 1 });
        const logLines = app.logged.length;
        const outcome = await signIn(app.url, name);
        expect(outcome.kind).toBe('error');
        const page = outcome.bodies.at(-1)!;
        expect(FIXED.has(shownMessage(page) ?? '')).toBe(true);
        expect(revealed(outcome.bodies.join('\n'), [word], 1)).toEqual([]);
        const accessToken = /^Bearer (\S+)/.exec(emulator().lastRequest(endpoint)?.headers.authorization ?? '')?.[1] ?? '';
        expectNothingRevealed(outcome.bodies, app.logged.slice(logLines), [
          clientSecret(),
          apiKey(),
          outcome.code ?? '',
          where === 'profile' ? accessToken : '',
        ]);
      }),
      { numRuns: RUNS },
    );
  });

  it.each(['access_denied', 'server_error', 'temporarily_unavailable'])(
    "?error=%s with this sign-in's state and a description echoing the client secret: a fixed message, nothing revealed",
    async (error) => {
      await fc.assert(
        fc.asyncProperty(chain, marker, async (names, word) => {
          const agent = request.agent(app.url);
          const start = await agent.get(`/auth/${name}`);
          const state = new URL(start.headers.location as string).searchParams.get('state')!;
          const description = `${word} ${encodeChain(names, `client_id=x&client_secret=${encodeURIComponent(clientSecret())}`)}`;
          const logLines = app.logged.length;
          const callback = await agent.get(`/auth/${name}/callback?${new URLSearchParams({ error, error_description: description, state })}`);
          const pages = [callback.text ?? ''];
          if (callback.status === 302) pages.push((await agent.get(callback.headers.location as string)).text);
          const shown = shownMessage(pages.at(-1)!);
          expect(error === 'access_denied' ? shown === `Access denied at ${name}` : FIXED.has(shown ?? '')).toBe(true);
          expect(revealed(pages.join('\n'), [word], 1)).toEqual([]);
          expectNothingRevealed(pages, app.logged.slice(logLines), [clientSecret()]);
        }),
        { numRuns: RUNS },
      );
    },
  );
});

describe('example app: the token helpers with a lookup API that echoes', () => {
  afterEach(() => emulatorOf(app, 'trackmania').clearFaults());

  it('the /demo page shows a fixed message, and the log keeps the masked provider text', async () => {
    const trackmania = emulatorOf(app, 'trackmania');
    await fc.assert(
      fc.asyncProperty(chain, fc.constantFrom(400, 403, 500), marker, async (names, status, word) => {
        trackmania.fault('display-names', { type: 'echo', status, encode: (text) => `${word} ${encodeChain(names, text)}` });
        const logLines = app.logged.length;
        const page = (await request(app.url).get('/demo')).text;
        expect(page).toContain(`<p class="message">${PROVIDER_FAILURE_MESSAGES.provider}</p>`);
        expect(revealed(page, [word], 1)).toEqual([]);
        const logged = app.logged.slice(logLines);
        expect(logged.some((line) => line.startsWith('ERROR provider GET /demo: ProviderError: trackmania: GET '))).toBe(true);
        const accessToken = /^Bearer (\S+)/.exec(trackmania.lastRequest('display-names')?.headers.authorization ?? '')?.[1] ?? '';
        expect(accessToken.length).toBeGreaterThanOrEqual(8);
        expectNothingRevealed([page], logged, [accessToken, trackmania.clients[0]!.clientSecret]);
      }),
      // Each run also runs the Nadeo demonstration: fewer runs keep the file quick.
      { numRuns: 10 },
    );
  });
});
