import { startTrackmageEmulator, trackmageSpec, type TrackmageEmulator, type TrackmageUser } from '@maniapass/emulators';
import { Strategy, withTokenResponse, type TrackmageProfile, type TrackmageTokenResponse } from 'passport-trackmage';
import { signIn, startTestApp, type TestApp } from '../../../test-support/harness';

const jane = trackmageSpec.sampleUsers[0]!;
const oddUser: TrackmageUser = {
  ...jane,
  id: 'odd id/with+signs',
  email: 'odd@example.com',
  firstName: 'Odd',
  lastName: null,
  photo: { id: 'p1', filePath: '/media/p1/avatar.png' },
};

let emulator: TrackmageEmulator;
let app: TestApp | undefined;
beforeAll(async () => {
  emulator = await startTrackmageEmulator({ users: [jane, oddUser] });
});
afterAll(() => emulator.close());
afterEach(async () => {
  emulator.clearFaults();
  await app?.close();
  app = undefined;
});

type Outcome = { user?: Record<string, unknown>; error?: { name: string; message: string; status?: number; code?: string } };

/** Signs in through a real Express app with these options; the verify keeps the profile and token response. */
async function login(
  extra: Record<string, unknown> = {},
  userId?: string,
): Promise<Outcome & { profile?: TrackmageProfile; params?: TrackmageTokenResponse; result: Awaited<ReturnType<typeof signIn>> }> {
  let profile: TrackmageProfile | undefined;
  let params: TrackmageTokenResponse | undefined;
  app = await startTestApp({
    strategy: (url) =>
      new Strategy(
        { ...emulator.strategyOptions(), callbackURL: `${url}/auth/trackmage/callback`, ...extra },
        withTokenResponse(async (_at, _rt, p, prof) => {
          profile = prof;
          params = p;
          return { id: prof.id };
        }),
      ),
  });
  let result: Awaited<ReturnType<typeof signIn>>;
  if (userId) {
    // Pick the user on the consent page.
    const start = await app.agent.get('/auth/trackmage');
    const page = await fetch(start.headers.location as string).then((r) => r.text());
    const form = new URLSearchParams(
      [...page.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map(([, k, v]): [string, string] => [k!, v!.replace(/&amp;/g, '&')]),
    );
    form.set('decision', 'approve');
    form.set('user_id', userId);
    const hop = await fetch(`${emulator.url}/oauth/v2/auth`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
    });
    const location = new URL(hop.headers.get('location')!);
    const callback = await app.agent.get(location.pathname + location.search);
    result = { start, callback, authorizeURL: start.headers.location as string, emulatorRedirect: location.toString() };
  } else {
    result = await signIn(app, 'trackmage');
  }
  const callback = result.callback!;
  if (callback.headers.location === '/me') return { user: (await app.agent.get('/me')).body.user, profile, params, result };
  return { error: callback.body.error, profile, params, result };
}

describe('trackmage: profile loading from the token response', () => {
  it('loads GET /users/{user_id} with the token response user id, as plain JSON', async () => {
    const { user, profile, params } = await login();
    expect(user).toEqual({ id: jane.id });
    expect(params).toMatchObject({ token_type: 'bearer', scope: null, user_id: jane.id, user_email: jane.email, refresh_token: expect.any(String) });
    const call = emulator.lastRequest('user')!;
    expect(call.path).toBe(`/users/${jane.id}`);
    expect(call.headers.accept).toBe('application/json');
    expect(profile!._json).not.toHaveProperty('@context');
  });

  it('URL-encodes the user id and resolves a relative photo path against baseURL', async () => {
    const { profile } = await login({}, oddUser.id);
    expect(emulator.lastRequest('user')!.path).toBe(`/users/${encodeURIComponent(oddUser.id)}`);
    expect(profile).toMatchObject({ id: oddUser.id, displayName: 'Odd', photos: [{ value: `${emulator.url}/media/p1/avatar.png` }] });
  });

  it('photoBaseURL changes what relative photo paths resolve against', async () => {
    const { profile } = await login({ photoBaseURL: 'https://images.example.com/' }, oddUser.id);
    expect(profile!.photos).toEqual([{ value: 'https://images.example.com/media/p1/avatar.png' }]);
  });

  it('a token response without user_id fails with EBADRESPONSE and no profile request', async () => {
    const before = emulator.requestsTo('user').length;
    emulator.fault(
      'token',
      { type: 'status', status: 200, body: JSON.stringify({ access_token: 'a-token-without-user', token_type: 'bearer', expires_in: 3600 }) },
      { times: 1 },
    );
    const { error } = await login();
    expect(error).toMatchObject({ name: 'ProviderError', code: 'EBADRESPONSE', message: expect.stringContaining('user_id') });
    expect(error!.message).not.toContain('a-token-without-user');
    expect(emulator.requestsTo('user').length).toBe(before);
  });

  it("a token whose user_id is another user's record gets the API's 403 as a ProviderError", async () => {
    const token = emulator.issueAccessToken({ userId: jane.id });
    emulator.fault(
      'token',
      { type: 'status', status: 200, body: JSON.stringify({ access_token: token, token_type: 'bearer', user_id: oddUser.id }) },
      { times: 1 },
    );
    const { error } = await login();
    expect(error).toMatchObject({ name: 'ProviderError', upstreamStatus: 403, code: 'EHTTPSTATUS', message: expect.stringContaining('Access Denied.') });
    expect(error!.message).not.toContain(token);
  });

  it('a 402 on the profile call is a ProviderError with status 402 and the hydra message', async () => {
    emulator.fault('user', {
      type: 'status',
      status: 402,
      body: JSON.stringify(trackmageSpec.apiError(402, 'Your plan does not include API access. Please upgrade.')),
    });
    const { error } = await login();
    expect(error).toMatchObject({ name: 'ProviderError', upstreamStatus: 402, code: 'EHTTPSTATUS', message: expect.stringContaining('Please upgrade.') });
  });

  it("a profile 401 carries TrackMage's {code, message} text", async () => {
    emulator.fault('user', { type: 'status', status: 401 });
    const { error } = await login();
    expect(error).toMatchObject({ name: 'ProviderError', upstreamStatus: 401, message: expect.stringContaining('Emulated HTTP 401') });
  });
});

describe('trackmage: codeExchange', () => {
  it("'documented-json' exchanges the code with a JSON POST to /oauth/v2/auth, exactly as the guide shows", async () => {
    const tokenCalls = emulator.requestsTo('token').length;
    const { user, result } = await login({ codeExchange: 'documented-json' });
    expect(user).toEqual({ id: jane.id });
    expect(emulator.requestsTo('token').length).toBe(tokenCalls);
    const exchange = emulator.lastRequest('authorize')!;
    expect(exchange.method).toBe('POST');
    expect(exchange.headers['content-type']).toBe('application/json');
    expect(exchange.query.toString()).toBe('');
    expect(exchange.body).toBe(
      JSON.stringify({
        grant_type: 'authorization_code',
        code: new URL(result.emulatorRedirect!).searchParams.get('code'),
        redirect_uri: `${app!.url}/auth/trackmage/callback`,
        client_id: emulator.clients[0]!.clientId,
        client_secret: emulator.clients[0]!.clientSecret,
      }),
    );
  });

  it("'documented-json' maps a refused code to a TokenError", async () => {
    app = await startTestApp({
      strategy: (url) =>
        new Strategy({ ...emulator.strategyOptions(), callbackURL: `${url}/auth/trackmage/callback`, codeExchange: 'documented-json' }, async () => false),
    });
    const start = await app.agent.get('/auth/trackmage');
    const state = new URL(start.headers.location as string).searchParams.get('state');
    const callback = await app.agent.get(`/auth/trackmage/callback?code=forged-code&state=${state}`);
    expect(callback.body.error).toMatchObject({ name: 'TokenError', upstreamStatus: 400, code: 'invalid_grant' });
  });

  it("'documented-json' still refreshes with a form POST to /oauth/v2/token", async () => {
    const { params } = await login({ codeExchange: 'documented-json' });
    const strategy = new Strategy({ ...emulator.strategyOptions(), callbackURL: 'http://127.0.0.1:1/cb', codeExchange: 'documented-json' }, async () => false);
    await strategy.refresh(params!.refresh_token!);
    const refresh = emulator.lastRequest('token')!;
    expect(refresh).toMatchObject({ method: 'POST', path: '/oauth/v2/token', form: { grant_type: 'refresh_token', refresh_token: params!.refresh_token } });
  });
});

describe('trackmage: clientCredentials()', () => {
  it("is a form POST with nothing in the URL (not the guide's GET with the secret in the query)", async () => {
    const strategy = new Strategy({ ...emulator.strategyOptions(), callbackURL: 'http://127.0.0.1:1/cb' }, async () => false);
    const set = await strategy.clientCredentials();
    const call = emulator.lastRequest('token')!;
    expect(call.method).toBe('POST');
    expect(call.path).toBe('/oauth/v2/token');
    expect(call.query.toString()).toBe('');
    expect(call.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(call.form).toEqual({ grant_type: 'client_credentials', client_id: emulator.clients[0]!.clientId, client_secret: emulator.clients[0]!.clientSecret });
    expect(set).toMatchObject({ tokenType: 'bearer', scope: 'user', expiresIn: 3600, raw: { user_id: jane.id, user_email: jane.email } });
  });

  it('bad credentials: the FOSOAuthServerBundle 400 invalid_client, without the secret', async () => {
    const strategy = new Strategy(
      { ...emulator.strategyOptions(), clientSecret: 'wrong-secret-value', callbackURL: 'http://127.0.0.1:1/cb' },
      async () => false,
    );
    const error = await strategy.clientCredentials().catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'TokenError', upstreamStatus: 400, code: 'invalid_client', message: 'trackmage: The client credentials are invalid' });
  });
});

describe('trackmage: options', () => {
  const verify = async () => false;
  const base = { clientID: 'id', clientSecret: 'secret', callbackURL: 'http://127.0.0.1:1/cb' };

  it('defaults to api.trackmage.com', () => {
    const s = new Strategy(base, verify);
    expect([s.authorizationURL, s.tokenURL, s.userProfileURL]).toEqual([
      'https://api.trackmage.com/oauth/v2/auth',
      'https://api.trackmage.com/oauth/v2/token',
      'https://api.trackmage.com/users/{id}',
    ]);
    expect(s.codeExchange).toBe('form');
  });

  it('baseURL moves every endpoint (a trailing slash is fine); explicit URLs still win', () => {
    const s = new Strategy({ ...base, baseURL: 'https://api.rc.trackmage.com/' }, verify);
    expect([s.authorizationURL, s.tokenURL, s.userProfileURL]).toEqual([
      'https://api.rc.trackmage.com/oauth/v2/auth',
      'https://api.rc.trackmage.com/oauth/v2/token',
      'https://api.rc.trackmage.com/users/{id}',
    ]);
    expect(new Strategy({ ...base, baseURL: 'https://api.rc.trackmage.com', tokenURL: 'https://proxy.example/token' }, verify).tokenURL).toBe(
      'https://proxy.example/token',
    );
  });

  it.each([
    ['baseURL', { baseURL: 'api.trackmage.com' }],
    ['baseURL', { baseURL: 'ftp://api.trackmage.com' }],
    ['baseURL', { baseURL: 'https://api.trackmage.com/?x=1' }],
    ['photoBaseURL', { photoBaseURL: 42 }],
    ['codeExchange', { codeExchange: 'json' }],
    ['userProfileURL', { userProfileURL: 'https://api.trackmage.com/users/me' }],
  ])('a bad %s is a TypeError naming it', (key, extra) => {
    expect(() => new Strategy({ ...base, ...(extra as object) }, verify)).toThrow(TypeError);
    expect(() => new Strategy({ ...base, ...(extra as object) }, verify)).toThrow(key);
  });

  it('any scope is refused: TrackMage has none', () => {
    expect(() => new Strategy({ ...base, scope: 'user' as never }, verify)).toThrow(/trackmage has no scopes, but scope "user"/);
    expect(() => new Strategy({ ...base, scope: [] as never }, verify)).not.toThrow();
  });
});
