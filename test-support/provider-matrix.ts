// The test matrix every provider strategy passes: one definition, run by each provider package's tests
// against its own emulator through a real Express app.
import type { Strategy as PassportStrategy } from 'passport';
import type { OAuthEmulator, EmulatedUser } from '@maniapass/emulators';
import { InternalOAuthError, ProviderError, withTokenResponse } from '@maniapass/oauth2-core';
import { startTestApp, signIn, pathOf, visitEmulator, type TestApp } from './harness';
import { TEST_PROVIDERS } from './providers';

type AnyEmulator = OAuthEmulator<EmulatedUser>;
type Options = Record<string, unknown>;
type StrategyWithHelpers = PassportStrategy & {
  name: string;
  refresh(
    refreshToken: string,
    options?: { scope?: string | string[] },
  ): Promise<{ accessToken: string; refreshToken?: string; tokenType: string; expiresAt?: number }>;
  clientCredentials(options?: { scope?: string | string[] }): Promise<{ accessToken: string; expiresAt?: number }>;
  clientCredentialsSource(): { get(): Promise<{ accessToken: string }> };
};

export interface ProviderMatrix<E extends AnyEmulator> {
  /** The strategy's name and the profile's `provider`. */
  provider: string;
  startEmulator(): Promise<E>;
  /** `new Strategy(options, verify)` of the package under test. */
  createStrategy(options: Options, verify: (...args: never[]) => unknown): StrategyWithHelpers;
  /** Options besides the emulator's `strategyOptions()` and `callbackURL` that every strategy here needs. */
  extraOptions?: Options;
  /**
   * Required options, each of which must throw a TypeError naming it when missing or empty. Default: the client's
   * and `callbackURL`, with the definition's own (`requiredOptions` in @maniapass/providers' registry).
   */
  requiredOptions?: string[];
  /** Exact query of the authorize redirect, without `state`, `redirect_uri` and `client_id` (checked by the matrix). */
  authorizeQuery: Record<string, string>;
  /** The emulator path of the authorize endpoint. */
  authorizePath: string;
  /** Exact body of the code exchange, without `code`, `redirect_uri`, `client_id`, `client_secret` (checked by the matrix). */
  tokenRequestExtras?: Record<string, string>;
  /** Headers every outbound request must carry besides Accept, User-Agent and Authorization. */
  requiredHeaders?: Record<string, string>;
  /** Emulator endpoint names of the profile call(s) made during a sign-in. */
  profileEndpoints: string[];
  /** The profile the verify function receives for the emulator's first sample user. */
  expectedProfile: Record<string, unknown>;
  /** Scopes: one documented scope to request per request, and whether the provider has scopes at all. */
  validScope?: string;
  /** HTTP status of the token endpoint's `invalid_client` answer; default 401 (FOSOAuthServerBundle answers 400). */
  invalidClientStatus?: number;
}

export function describeProviderMatrix<E extends AnyEmulator>(m: ProviderMatrix<E>): void {
  // Every provider the matrix runs is one of the registry's.
  const registered = TEST_PROVIDERS.find((p) => p.id === m.provider);
  if (!registered) throw new Error(`${m.provider} is not in @maniapass/providers' registry`);
  const requiredOptions = m.requiredOptions ?? ['clientID', 'clientSecret', 'callbackURL', ...registered.definition.requiredOptions];
  let emulator: E;
  let app: TestApp | undefined;
  const secret = () => emulator.clients[0]!.clientSecret;

  beforeAll(async () => {
    emulator = await m.startEmulator();
  });
  afterAll(() => emulator.close());
  afterEach(async () => {
    emulator.clearFaults();
    emulator.autoApprove = false;
    await app?.close();
    app = undefined;
  });

  const optionsFor = (baseURL: string, extra: Options = {}): Options => ({
    ...emulator.strategyOptions(),
    callbackURL: `${baseURL}/auth/${m.provider}/callback`,
    ...m.extraOptions,
    ...extra,
  });

  /** An app whose verify resolves to `{ id, provider, displayName }` and records every profile. */
  async function startApp(extra: Options = {}, opts: { express4?: boolean; authOptions?: Options } = {}) {
    const profiles: Array<Record<string, unknown>> = [];
    const params: Array<Record<string, unknown>> = [];
    app = await startTestApp({
      express4: opts.express4,
      authOptions: opts.authOptions,
      strategy: (url) =>
        m.createStrategy(
          optionsFor(url, extra),
          withTokenResponse(
            async (_at: string, _rt: string | undefined, tokenParams: Record<string, unknown> & { access_token: string }, profile: Record<string, unknown>) => {
              profiles.push(profile);
              params.push(tokenParams);
              return { id: profile.id, provider: profile.provider, displayName: profile.displayName };
            },
          ),
        ),
    });
    return { app, profiles, params };
  }

  /** Runs a sign-in and returns what the app answered at the callback, following its redirect. */
  async function callbackOutcome(result: Awaited<ReturnType<typeof signIn>>) {
    const callback = result.callback!;
    if (callback.status === 302 && callback.headers.location === '/failed') {
      const failed = await app!.agent.get('/failed');
      return { kind: 'failure' as const, messages: failed.body.messages as string[] };
    }
    if (callback.status === 302 && callback.headers.location === '/me') return { kind: 'success' as const };
    return { kind: 'error' as const, status: callback.status, error: callback.body.error as { name: string; message: string; status?: number; code?: string } };
  }

  describe(`${m.provider}: sign-in`, () => {
    it('redirects to the authorize endpoint with the exact parameters', async () => {
      await startApp();
      const start = await app!.agent.get(`/auth/${m.provider}`);
      expect(start.status).toBe(302);
      const url = new URL(start.headers.location as string);
      expect(`${url.origin}${url.pathname}`).toBe(`${emulator.url}${m.authorizePath}`);
      expect(Object.fromEntries(url.searchParams)).toEqual({
        ...m.authorizeQuery,
        response_type: 'code',
        client_id: emulator.clients[0]!.clientId,
        redirect_uri: `${app!.url}/auth/${m.provider}/callback`,
        state: expect.stringMatching(/^[A-Za-z0-9]{24}$/),
      });
    });

    it('exchanges the code with the exact token request and gives verify the profile and token response', async () => {
      const { profiles, params } = await startApp();
      const result = await signIn(app!, m.provider);
      expect(await callbackOutcome(result)).toEqual({ kind: 'success' });
      const token = emulator.lastRequest('token')!;
      expect(token.method).toBe('POST');
      expect(token.query.toString()).toBe('');
      expect(token.form).toEqual({
        grant_type: 'authorization_code',
        code: new URL(result.emulatorRedirect!).searchParams.get('code'),
        redirect_uri: `${app!.url}/auth/${m.provider}/callback`,
        client_id: emulator.clients[0]!.clientId,
        client_secret: secret(),
        ...m.tokenRequestExtras,
      });
      for (const endpoint of m.profileEndpoints) {
        const call = emulator.lastRequest(endpoint)!;
        expect(call.headers.authorization).toMatch(/^Bearer \S+$/);
        expect(call.query.has('access_token')).toBe(false);
        expect(call.headers.accept).toBe('application/json');
        expect(call.headers['user-agent']).toMatch(new RegExp(`^passport-${m.provider}/\\d+\\.\\d+\\.\\d+`));
        for (const [name, value] of Object.entries(m.requiredHeaders ?? {})) expect(call.headers[name.toLowerCase()]).toBe(value);
      }
      expect(profiles).toHaveLength(1);
      expect(profiles[0]).toMatchObject({ provider: m.provider, ...m.expectedProfile });
      expect(typeof profiles[0]!.id).toBe('string');
      expect(typeof profiles[0]!._raw).toBe('string');
      expect(profiles[0]!._json).toEqual(expect.any(Object));
      expect(params[0]).toMatchObject({ access_token: expect.any(String) });
      const me = await app!.agent.get('/me');
      expect(me.body.user).toEqual({ id: m.expectedProfile.id, provider: m.provider, displayName: m.expectedProfile.displayName });
    });

    it('signs in under Express 4 too', async () => {
      await startApp({}, { express4: true });
      expect(await callbackOutcome(await signIn(app!, m.provider))).toEqual({ kind: 'success' });
    });

    it('signs in with the emulator in auto-approve mode', async () => {
      emulator.autoApprove = true;
      await startApp();
      expect(await callbackOutcome(await signIn(app!, m.provider, { consent: false }))).toEqual({ kind: 'success' });
    });
  });

  describe(`${m.provider}: verify forms`, () => {
    const cases: Array<[string, Options, (...args: never[]) => unknown]> = [
      [
        'callback (accessToken, refreshToken, profile, done)',
        {},
        ((_a: string, _r: string, p: { id: string }, done: (e: unknown, u?: unknown) => void) => done(null, { id: p.id })) as never,
      ],
      [
        'callback with params',
        {},
        ((_a: string, _r: string, t: { access_token: string }, p: { id: string }, done: (e: unknown, u?: unknown) => void) =>
          done(null, { id: p.id, hasToken: typeof t.access_token === 'string' })) as never,
      ],
      ['async (accessToken, refreshToken, profile)', {}, (async (_a: string, _r: string, p: { id: string }) => ({ id: p.id })) as never],
      [
        'async (accessToken, refreshToken, profile, done) calling done',
        {},
        (async (_a: string, _r: string, p: { id: string }, done: (e: unknown, u?: unknown) => void) => {
          await Promise.resolve();
          done(null, { id: p.id });
        }) as never,
      ],
      [
        'withTokenResponse(async (accessToken, refreshToken, params, profile))',
        {},
        withTokenResponse(async (_a: string, _r: string | undefined, t: { access_token: string }, p: { id: string }) => ({
          id: p.id,
          hasToken: typeof t.access_token === 'string',
        })) as never,
      ],
      [
        'passReqToCallback, callback',
        { passReqToCallback: true },
        ((req: { url: string }, _a: string, _r: string, p: { id: string }, done: (e: unknown, u?: unknown) => void) =>
          done(null, { id: p.id, path: req.url.split('?')[0] })) as never,
      ],
      [
        'passReqToCallback, async (req, accessToken, refreshToken, profile, done) calling done',
        { passReqToCallback: true },
        (async (req: { url: string }, _a: string, _r: string, p: { id: string }, done: (e: unknown, u?: unknown) => void) =>
          done(null, { id: p.id, path: req.url.split('?')[0] })) as never,
      ],
      [
        'passReqToCallback, withTokenResponse with req',
        { passReqToCallback: true },
        withTokenResponse(async (req: { url: string }, _a: string, _r: string | undefined, t: { access_token: string }, p: { id: string }) => ({
          id: p.id,
          path: req.url.split('?')[0],
          hasToken: typeof t.access_token === 'string',
        })) as never,
      ],
    ];
    it.each(cases)('%s', async (_name, extra, verify) => {
      app = await startTestApp({ strategy: (url) => m.createStrategy(optionsFor(url, extra), verify) });
      const result = await signIn(app, m.provider);
      expect(result.callback!.headers.location).toBe('/me');
      const me = await app.agent.get('/me');
      expect(me.body.user.id).toBe(m.expectedProfile.id);
      if ('path' in me.body.user) expect(me.body.user.path).toBe(`/auth/${m.provider}/callback`);
      if ('hasToken' in me.body.user) expect(me.body.user.hasToken).toBe(true);
    });

    it('an async verify resolving to false fails the login', async () => {
      app = await startTestApp({ strategy: (url) => m.createStrategy(optionsFor(url), (async () => false) as never) });
      expect(await callbackOutcome(await signIn(app, m.provider))).toMatchObject({ kind: 'failure' });
    });

    it('an async verify that rejects ends in an error, not a hang', async () => {
      app = await startTestApp({
        strategy: (url) =>
          m.createStrategy(optionsFor(url), (async () => {
            throw new Error('database down');
          }) as never),
      });
      expect(await callbackOutcome(await signIn(app, m.provider))).toMatchObject({ kind: 'error', status: 500, error: { message: 'database down' } });
    });
  });

  describe(`${m.provider}: failures`, () => {
    it('a callback without state is refused', async () => {
      await startApp();
      const result = await signIn(app!, m.provider);
      const code = new URL(result.emulatorRedirect!).searchParams.get('code');
      // Replay the code without state in a new session that never started a login.
      await app!.close();
      await startApp();
      const callback = await app!.agent.get(`/auth/${m.provider}/callback?code=${code}`);
      expect(callback.headers.location).toBe('/failed');
      expect((await app!.agent.get('/failed')).body.messages).toEqual(['Unable to verify authorization request state.']);
    });

    it('a callback with a mismatched state is refused and no token is requested', async () => {
      await startApp();
      const start = await app!.agent.get(`/auth/${m.provider}`);
      const hop = await visitEmulator(start.headers.location as string);
      const before = emulator.requestsTo('token').length;
      const form = new URLSearchParams(
        [...hop.body.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map(([, k, v]): [string, string] => [k!, v!]),
      );
      form.set('decision', 'approve');
      const approved = await visitEmulator(`${emulator.url}${m.authorizePath}`, { method: 'POST', body: form.toString() });
      const tampered = new URL(approved.location);
      tampered.searchParams.set('state', 'forged-state-value-000000');
      const callback = await app!.agent.get(pathOf(tampered.toString()));
      expect(callback.headers.location).toBe('/failed');
      expect((await app!.agent.get('/failed')).body.messages).toEqual(['Invalid authorization request state.']);
      expect(emulator.requestsTo('token').length).toBe(before);
    });

    it("access_denied lands on failureRedirect with a fixed message, never the provider's text", async () => {
      await startApp();
      const outcome = await callbackOutcome(await signIn(app!, m.provider, { decision: 'deny' }));
      expect(outcome).toEqual({ kind: 'failure', messages: [`Access denied at ${m.provider}`] });
    });

    it("another ?error= with this login's state is an AuthorizationError with the provider's text", async () => {
      await startApp();
      const start = await app!.agent.get(`/auth/${m.provider}`);
      const state = new URL(start.headers.location as string).searchParams.get('state')!;
      const callback = await app!.agent.get(`/auth/${m.provider}/callback?error=server_error&error_description=Provider+broke&state=${state}`);
      expect(callback.body.error).toMatchObject({ name: 'AuthorizationError', message: 'Provider broke', code: 'server_error' });
    });

    it("an ?error= whose state is not this login's shows a fixed message, never the text it carries", async () => {
      await startApp();
      await app!.agent.get(`/auth/${m.provider}`);
      const forged = await app!.agent.get(
        `/auth/${m.provider}/callback?error=server_error&error_description=Call+0800+now&error_uri=https%3A%2F%2Fevil.example&state=forged`,
      );
      expect(forged.body.error).toMatchObject({
        name: 'AuthorizationError',
        message: `${m.provider} authorization failed: server_error`,
        code: 'server_error',
      });
      expect(forged.text).not.toMatch(/0800|evil/);
      const denied = await app!.agent.get(`/auth/${m.provider}/callback?error=access_denied&error_description=Call+0800+now`);
      expect(denied.headers.location).toBe('/failed');
      expect((await app!.agent.get('/failed')).body.messages).toEqual([`Access denied at ${m.provider}`]);
    });

    it('a malformed callback (repeated code) fails cleanly', async () => {
      await startApp();
      await app!.agent.get(`/auth/${m.provider}`);
      const callback = await app!.agent.get(`/auth/${m.provider}/callback?code=a&code=b&state=x`);
      expect(callback.status).toBeLessThan(500);
    });

    it("invalid_grant is a TokenError with the provider message and upstream status; the visitor gets a 500, not the provider's 4xx", async () => {
      await startApp();
      const start = await app!.agent.get(`/auth/${m.provider}`);
      const state = new URL(start.headers.location as string).searchParams.get('state');
      const callback = await app!.agent.get(`/auth/${m.provider}/callback?code=not-a-real-code&state=${state}`);
      expect(callback.status).toBe(500);
      expect(callback.body.error).toMatchObject({
        name: 'TokenError',
        code: 'invalid_grant',
        status: 500,
        upstreamStatus: 400,
        message: expect.stringContaining('authorization code'),
      });
    });

    it.each([
      ['token 5xx', 'token', { type: 'status', status: 503 }, { name: 'TokenError', upstreamStatus: 503 }],
      ['token body that is not JSON', 'token', { type: 'malformed' }, { name: 'ProviderError', code: 'EBADRESPONSE' }],
      ['token connection reset', 'token', { type: 'reset' }, { name: 'ProviderError', code: 'ENETWORK' }],
      ['profile 401', 'profile', { type: 'status', status: 401 }, { name: 'ProviderError', upstreamStatus: 401, code: 'EHTTPSTATUS' }],
      ['profile 5xx', 'profile', { type: 'status', status: 502 }, { name: 'ProviderError', upstreamStatus: 502, code: 'EHTTPSTATUS' }],
      ['profile body that is not JSON', 'profile', { type: 'malformed' }, { name: 'ProviderError', code: 'EBADRESPONSE' }],
    ] as const)('%s fails the login with a typed error', async (_name, where, fault, expected) => {
      await startApp();
      emulator.fault(where === 'token' ? 'token' : m.profileEndpoints[0]!, fault);
      const outcome = await callbackOutcome(await signIn(app!, m.provider));
      expect(outcome).toMatchObject({ kind: 'error', error: expected });
      expect(outcome.kind === 'error' && outcome.error.message).toMatch(new RegExp(m.provider, 'i'));
    });

    it.each([
      ['a JSON list', '[]'],
      ['an object without the profile', '{"unexpected":true}'],
    ])('a profile answer the parser refuses (%s) is a ProviderError and a passport-oauth2 InternalOAuthError', async (_name, body) => {
      const fetch = async () => new Response(body, { status: 200, headers: { 'content-type': 'application/json' } });
      const strategy = m.createStrategy(optionsFor('http://127.0.0.1:1', { fetch }), (async () => false) as never) as unknown as {
        userProfile(accessToken: string, done: (err: unknown) => void): void;
      };
      const err = await new Promise<unknown>((resolve) => strategy.userProfile('access-token', resolve));
      expect(err).toBeInstanceOf(InternalOAuthError);
      expect(err).toBeInstanceOf(ProviderError);
      expect(err).toMatchObject({ name: 'ProviderError', code: 'EBADRESPONSE', provider: m.provider });
    });

    it.each(['token', 'profile'] as const)('a %s endpoint that never answers fails within the configured timeout', async (where) => {
      await startApp({ timeout: 300 });
      emulator.fault(where === 'token' ? 'token' : m.profileEndpoints[0]!, { type: 'hang' });
      const started = Date.now();
      const outcome = await callbackOutcome(await signIn(app!, m.provider));
      expect(Date.now() - started).toBeLessThan(5000);
      expect(outcome).toMatchObject({ kind: 'error', error: { name: 'ProviderError', code: 'ETIMEDOUT', message: expect.stringContaining('300 ms') } });
    });

    it('no error message or page contains the client secret, a token or a code', async () => {
      const seen: string[] = [];
      const codes: string[] = [];
      for (const [endpoint, fault] of [
        [
          'token',
          {
            type: 'status',
            status: 400,
            body: JSON.stringify({ error: 'invalid_request', error_description: `bad secret ${secret()}`, message: `bad secret ${secret()}` }),
          },
        ],
        ['token', { type: 'status', status: 500 }],
        [m.profileEndpoints[0]!, { type: 'status', status: 401 }],
        [m.profileEndpoints[0]!, { type: 'hang' }],
        [m.profileEndpoints[0]!, { type: 'malformed' }],
      ] as const) {
        await startApp({ timeout: 300 });
        emulator.fault(endpoint, fault as never);
        const result = await signIn(app!, m.provider);
        codes.push(new URL(result.emulatorRedirect!).searchParams.get('code')!);
        seen.push(JSON.stringify(result.callback!.body), result.callback!.text);
        await app!.close();
        app = undefined;
        emulator.clearFaults();
      }
      const tokens = emulator.requests.map((r) => /^Bearer (\S+)/.exec(r.headers.authorization ?? '')?.[1]).filter((t): t is string => !!t);
      expect(tokens.length).toBeGreaterThan(0);
      const output = seen.join('\n');
      expect(output).toContain('error'); // the failures did produce error output
      for (const needle of [secret(), ...codes, ...tokens]) expect(output).not.toContain(needle);
    });
  });

  describe(`${m.provider}: options`, () => {
    const verify = (async () => false) as never;
    it.each(requiredOptions)('a missing or empty %s throws a TypeError naming it', (key) => {
      for (const value of [undefined, '']) {
        const options = optionsFor('http://127.0.0.1:1', { [key]: value });
        expect(() => m.createStrategy(options, verify)).toThrow(TypeError);
        expect(() => m.createStrategy(options, verify)).toThrow(key);
      }
    });

    it('an unknown scope throws at construction, naming it', () => {
      expect(() => m.createStrategy(optionsFor('http://127.0.0.1:1', { scope: 'no-such-scope' }), verify)).toThrow(/no-such-scope/);
    });

    it('an unknown scope per request is an error naming it', async () => {
      await startApp({}, { authOptions: { scope: ['no-such-scope'] } });
      const start = await app!.agent.get(`/auth/${m.provider}`);
      expect(start.status).toBe(500);
      expect(start.body.error).toMatchObject({ name: 'TypeError', message: expect.stringContaining('no-such-scope') });
    });

    if (m.validScope) {
      it('a documented scope per request reaches the authorize URL', async () => {
        await startApp({}, { authOptions: { scope: [m.validScope] } });
        const start = await app!.agent.get(`/auth/${m.provider}`);
        expect(new URL(start.headers.location as string).searchParams.get('scope')).toBe(m.validScope);
      });
    }

    it('state is on by default with a provider-specific session key', () => {
      const strategy = m.createStrategy(optionsFor('http://127.0.0.1:1'), verify) as unknown as { _key: string; _stateStore: object; name: string };
      expect(strategy.name).toBe(m.provider);
      expect(strategy._key).toBe(`oauth2:${m.provider}`);
      expect(strategy._stateStore.constructor.name).toBe('SessionStore');
    });

    it('name overrides the strategy name', () => {
      expect(m.createStrategy(optionsFor('http://127.0.0.1:1', { name: 'other' }), verify).name).toBe('other');
    });

    it('userAgent, customHeaders and an injected fetch are used for every call', async () => {
      const urls: string[] = [];
      const recordingFetch = (input: string, init: RequestInit) => {
        urls.push(input);
        return fetch(input, init);
      };
      await startApp({ userAgent: 'my-app/1.0 (me@example.com)', customHeaders: { 'X-Trace': 'abc' }, fetch: recordingFetch });
      const result = await signIn(app!, m.provider);
      expect(await callbackOutcome(result)).toEqual({ kind: 'success' });
      for (const endpoint of ['token', ...m.profileEndpoints]) {
        const call = emulator.lastRequest(endpoint)!;
        expect(call.headers['user-agent']).toBe('my-app/1.0 (me@example.com)');
        expect(call.headers['x-trace']).toBe('abc');
      }
      expect(urls.length).toBe(1 + m.profileEndpoints.length);
    });
  });

  describe(`${m.provider}: token helpers`, () => {
    it('refresh() returns a new token set with the rotated refresh token; the old one is then refused', async () => {
      let refreshToken = '';
      let strategy: StrategyWithHelpers | undefined;
      app = await startTestApp({
        strategy: (url) => {
          strategy = m.createStrategy(optionsFor(url), (async (_a: string, rt: string | undefined, p: { id: string }) => {
            refreshToken = rt ?? '';
            return { id: p.id };
          }) as never);
          return strategy;
        },
      });
      await signIn(app, m.provider);
      expect(refreshToken).not.toBe('');
      const refreshed = await strategy!.refresh(refreshToken);
      expect(refreshed).toMatchObject({
        accessToken: expect.any(String),
        refreshToken: expect.any(String),
        tokenType: expect.any(String),
        expiresAt: expect.any(Number),
      });
      expect(refreshed.refreshToken).not.toBe(refreshToken);
      expect(emulator.lastRequest('token')!.form).toMatchObject({ grant_type: 'refresh_token', refresh_token: refreshToken, client_secret: secret() });
      const error = (await strategy!.refresh(refreshToken).catch((e: unknown) => e)) as { name: string; code: string; status: number; message: string };
      expect(error).toMatchObject({ name: 'TokenError', code: 'invalid_grant', upstreamStatus: 400 });
      expect(error.message).not.toContain(refreshToken);
    });

    it('clientCredentials() returns a token; concurrent source callers share one request', async () => {
      const strategy = m.createStrategy(optionsFor('http://127.0.0.1:1'), (async () => false) as never);
      const set = await strategy.clientCredentials();
      expect(set.accessToken).toEqual(expect.any(String));
      expect(emulator.lastRequest('token')!.form).toMatchObject({ grant_type: 'client_credentials', client_id: emulator.clients[0]!.clientId });
      const before = emulator.requestsTo('token').length;
      const source = strategy.clientCredentialsSource();
      const tokens = await Promise.all(Array.from({ length: 50 }, () => source.get()));
      expect(new Set(tokens.map((t) => t.accessToken)).size).toBe(1);
      await source.get();
      expect(emulator.requestsTo('token').length - before).toBe(1);
    });

    it('wrong client credentials are a TokenError with upstream status 401 (status 500) that does not echo the secret', async () => {
      const strategy = m.createStrategy(optionsFor('http://127.0.0.1:1', { clientSecret: 'definitely-wrong-secret' }), (async () => false) as never);
      const error = (await strategy.clientCredentials().catch((e: unknown) => e)) as Error & { status: number; code: string };
      expect(error).toMatchObject({ name: 'TokenError', status: 500, upstreamStatus: m.invalidClientStatus ?? 401, code: 'invalid_client' });
      expect(error.message).not.toContain('definitely-wrong-secret');
    });
  });
}
