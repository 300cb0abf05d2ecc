// A provider that echoes what it was sent, in any encoding of the class (test-support/echo.ts: percent nested,
// JSON and JavaScript escapes, HTML entities, base64, hex... alone or chained), for every strategy and every call a
// user's app makes: for random client secrets, codes, tokens and API keys, no decoding of what the app gets (the
// error's message, stack, JSON and util.inspect, i.e. what `console.error(err)` logs) or answers reveals a run of
// 8 characters of one. The same for an error response on the callback whose description echoes the secret.
import { inspect } from 'node:util';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import session from 'express-session';
import passport from 'passport';
import fc from 'fast-check';
import request from 'supertest';
import { PROVIDERS, type AnyEmulator, type ReliabilityProvider } from '../reliability/providers';
import { signIn } from '../reliability/driver';
import { NAMES, RUN, encodeChain, revealed } from '../echo';

jest.setTimeout(180_000);
const RUNS = 40;

// How the provider writes back what it received: any encoding of the class a provider may use, alone or chained.
const encoding = fc.array(fc.constantFrom(...NAMES), { minLength: 1, maxLength: 2 });
const encoder = (names: readonly string[]) => (text: string) => encodeChain(names, text);
const secretChar = fc.constantFrom(...'abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789/+=%:_-.~é'.split(''));
const randomSecret = fc.array(secretChar, { minLength: 16, maxLength: 40 }).map((c) => c.join(''));
const leaks = (text: string, secrets: readonly string[]) => revealed(text, secrets, 3);

/** Everything a user could see or log of an error. */
const shown = (err: unknown): string => {
  if (!(err instanceof Error)) return String(err);
  return [err.message, err.stack, JSON.stringify(err), inspect(err, { depth: 6 }), String(err)].join('\n');
};

describe.each(PROVIDERS.map((p): [string, ReliabilityProvider] => [p.name, p]))('%s: a provider that echoes secrets', (_name, provider) => {
  let emulator: AnyEmulator;
  let server: Server;
  let url: string;
  let strategyOptions: Record<string, unknown> = {};
  const errors: unknown[] = [];

  beforeAll(async () => {
    emulator = await provider.startEmulator();
    emulator.autoApprove = true;
    const app = express();
    app.use(session({ secret: 'echo-test', resave: false, saveUninitialized: false }));
    app.use(passport.initialize());
    app.use(passport.session());
    app.get('/auth/:name', (req, res, next) => passport.authenticate(`echo-${provider.name}`)(req, res, next));
    // The custom-callback form: the app gets the error object itself, as apps that log it do.
    app.get('/auth/:name/callback', (req, res, next) =>
      passport.authenticate(`echo-${provider.name}`, (err: unknown) => {
        if (!err) return res.redirect('/failed');
        errors.push(err);
        res.status(500).json({ error: { message: (err as Error).message } });
      })(req, res, next),
    );
    server = await new Promise((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
    await emulator.close();
  });
  afterEach(() => emulator.clearFaults());

  /** A strategy on a client whose secret (and API key) are random, registered with the emulator for this run. */
  function strategyWith(clientSecret: string, apiKey: string) {
    const base = emulator.clients[0]!;
    emulator.clients.splice(0, emulator.clients.length, { ...base, clientSecret });
    strategyOptions = {
      ...emulator.strategyOptions(),
      ...(provider.name === 'toornament' ? { apiKey } : {}),
      callbackURL: `${url}/auth/${provider.name}/callback`,
      name: `echo-${provider.name}`,
    };
    const strategy = provider.createStrategy(strategyOptions, (async () => ({ id: 'u' })) as never);
    passport.use(strategy);
    return strategy as unknown as { refresh(token: string): Promise<unknown>; clientCredentials(): Promise<unknown> };
  }

  it('the code exchange echoed back: the login fails, and the error shows no run of the secret or the code', async () => {
    await fc.assert(
      fc.asyncProperty(randomSecret, randomSecret, encoding, fc.constantFrom(400, 401, 500), async (clientSecret, apiKey, enc, status) => {
        strategyWith(clientSecret, apiKey);
        errors.length = 0;
        emulator.fault('token', { type: 'echo', status, encode: encoder(enc) }, { times: 1 });
        const outcome = await signIn(url, provider.name);
        expect(outcome.kind).toBe('error');
        expect(errors).toHaveLength(1);
        const secrets = [clientSecret, apiKey, outcome.code ?? ''].filter((s) => s.length >= RUN);
        expect(leaks(shown(errors[0]) + outcome.bodies.join('\n'), secrets)).toEqual([]);
      }),
      { numRuns: RUNS },
    );
  });

  it('the profile call echoed back: the error shows no run of the access token or the secret', async () => {
    const endpoint = provider.profileEndpoints[0]!;
    await fc.assert(
      fc.asyncProperty(randomSecret, randomSecret, encoding, fc.constantFrom(401, 403, 500), async (clientSecret, apiKey, enc, status) => {
        strategyWith(clientSecret, apiKey);
        errors.length = 0;
        emulator.fault(endpoint, { type: 'echo', status, encode: encoder(enc) }, { times: 1 });
        const outcome = await signIn(url, provider.name);
        expect(outcome.kind).toBe('error');
        const sent = emulator.lastRequest(endpoint)!;
        const accessToken = /^(?:Bearer )?(\S+)/.exec(sent.headers.authorization ?? '')?.[1] ?? '';
        expect(accessToken.length).toBeGreaterThanOrEqual(RUN);
        const secrets = [clientSecret, apiKey, accessToken, outcome.code ?? ''].filter((s) => s.length >= RUN);
        expect(leaks(shown(errors[0]) + outcome.bodies.join('\n'), secrets)).toEqual([]);
      }),
      { numRuns: RUNS },
    );
  });

  it('refresh() and clientCredentials() echoed back: the rejection shows no run of the refresh token or the secret', async () => {
    await fc.assert(
      fc.asyncProperty(randomSecret, randomSecret, randomSecret, encoding, fc.boolean(), async (clientSecret, apiKey, refreshToken, enc, useRefresh) => {
        const strategy = strategyWith(clientSecret, apiKey);
        emulator.fault('token', { type: 'echo', status: 400, encode: encoder(enc) }, { times: 1 });
        const err = await (useRefresh ? strategy.refresh(refreshToken) : strategy.clientCredentials()).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(Error);
        expect(leaks(shown(err), [clientSecret, apiKey, ...(useRefresh ? [refreshToken] : [])])).toEqual([]);
      }),
      { numRuns: RUNS },
    );
  });

  it("an error response on the callback with this login's state, its description echoing the client secret: the AuthorizationError shows no run of it", async () => {
    const code = fc.constantFrom('server_error', 'invalid_scope', 'temporarily_unavailable');
    await fc.assert(
      fc.asyncProperty(randomSecret, randomSecret, encoding, code, async (clientSecret, apiKey, enc, error) => {
        strategyWith(clientSecret, apiKey);
        errors.length = 0;
        const agent = request.agent(url);
        const start = await agent.get(`/auth/${provider.name}`);
        const state = new URL(start.headers.location as string).searchParams.get('state')!;
        const description = encodeChain(enc, `client_id=x&client_secret=${encodeURIComponent(clientSecret)}&api_key=${apiKey}`);
        const callback = await agent.get(`/auth/${provider.name}/callback?${new URLSearchParams({ error, error_description: description, state })}`);
        expect(errors).toHaveLength(1);
        expect((errors[0] as Error).name).toBe('AuthorizationError');
        expect(leaks(shown(errors[0]) + callback.text, [clientSecret, ...(provider.name === 'toornament' ? [apiKey] : [])])).toEqual([]);
      }),
      { numRuns: RUNS },
    );
  });
});
