import { startToornamentEmulator, toornamentRateLimit, type ToornamentEmulator } from '@maniapass/emulators';
import { Strategy, API_KEY_HEADER, type ToornamentProfile } from 'passport-toornament';
import { signIn, startTestApp, type TestApp } from '../../../test-support/harness';

let emulator: ToornamentEmulator;
let app: TestApp | undefined;
beforeAll(async () => {
  emulator = await startToornamentEmulator();
});
afterAll(() => emulator.close());
afterEach(async () => {
  emulator.clearFaults();
  await app?.close();
  app = undefined;
});

const API_KEY = 'emulator-api-key';

/** A real Express app signing in against `target`; collects the profiles its verify receives. */
async function startApp(target: ToornamentEmulator, extra: Record<string, unknown> = {}, authOptions?: Record<string, unknown>) {
  const profiles: ToornamentProfile[] = [];
  const refreshTokens: string[] = [];
  let strategy: InstanceType<typeof Strategy> | undefined;
  app = await startTestApp({
    authOptions,
    strategy: (url) => {
      strategy = new Strategy(
        { ...target.strategyOptions(), apiKey: target.strategyOptions().apiKey!, callbackURL: `${url}/auth/toornament/callback`, ...extra },
        async (_at, rt, profile) => {
          profiles.push(profile);
          if (rt) refreshTokens.push(rt);
          return { id: profile.id };
        },
      );
      return strategy;
    },
  });
  return { app, profiles, refreshTokens, strategy: () => strategy! };
}

async function callbackError(result: Awaited<ReturnType<typeof signIn>>) {
  return result.callback!.body.error as { name: string; message: string; status?: number; code?: string };
}

describe('toornament: the API key', () => {
  it('is sent as X-Api-Key on the code exchange, the profile, refresh and client credentials', async () => {
    const { refreshTokens, strategy } = await startApp(emulator);
    const before = emulator.requests.length;
    expect((await signIn(app!, 'toornament')).callback!.headers.location).toBe('/me');
    await strategy().refresh(refreshTokens[0]!);
    await strategy().clientCredentials({ scope: 'organizer:view' });
    const calls = emulator.requests.slice(before).filter((r) => r.endpoint === 'token' || r.endpoint === 'me');
    expect(calls.map((r) => r.form?.grant_type ?? r.endpoint)).toEqual(['authorization_code', 'me', 'refresh_token', 'client_credentials']);
    for (const call of calls) expect(call.headers['x-api-key']).toBe(API_KEY);
    // Never in a URL.
    for (const call of calls) expect(call.query.toString()).not.toContain(API_KEY);
  });

  it('wins over an X-Api-Key the user put in customHeaders, whatever its spelling', async () => {
    await startApp(emulator, { customHeaders: { 'x-api-key': 'stale-key', 'X-Trace': 't' } });
    expect((await signIn(app!, 'toornament')).callback!.headers.location).toBe('/me');
    const me = emulator.lastRequest('me')!;
    expect(me.headers['x-api-key']).toBe(API_KEY);
    expect(me.headers['x-trace']).toBe('t');
    expect(API_KEY_HEADER).toBe('X-Api-Key');
  });

  it('a wrong API key fails the login with a ProviderError that never shows the key', async () => {
    await startApp(emulator, { apiKey: 'not-the-right-api-key' });
    const error = await callbackError(await signIn(app!, 'toornament'));
    expect(error).toMatchObject({ name: 'ProviderError', upstreamStatus: 403, code: 'EHTTPSTATUS', message: expect.stringContaining('Invalid API key') });
    expect(error.message).not.toContain('not-the-right-api-key');
  });

  it('is masked in messages even when the provider echoes it back', async () => {
    const { strategy } = await startApp(emulator);
    emulator.fault(
      'token',
      { type: 'status', status: 400, body: JSON.stringify({ error: 'invalid_request', message: `bad key ${API_KEY}`, hint: API_KEY }) },
      { times: 1 },
    );
    const tokenError = (await strategy()
      .clientCredentials()
      .catch((e: unknown) => e)) as Error & { status: number };
    expect(tokenError).toMatchObject({ name: 'TokenError', upstreamStatus: 400, message: expect.stringContaining('bad key [redacted]') });
    emulator.fault('me', { type: 'status', status: 400, body: JSON.stringify({ errors: [{ message: `bad key ${API_KEY}` }] }) });
    const result = await signIn(app!, 'toornament');
    const profileError = await callbackError(result);
    expect(profileError).toMatchObject({ name: 'ProviderError', upstreamStatus: 400, message: expect.stringContaining('bad key [redacted]') });
    expect(JSON.stringify(result.callback!.body)).not.toContain(API_KEY);
    expect(tokenError.message).not.toContain(API_KEY);
  });

  it('works against a token endpoint that requires the key too', async () => {
    const strict = await startToornamentEmulator({ requireApiKeyForToken: true, apiKeys: ['strict-key-1'] });
    try {
      await startApp(strict);
      expect((await signIn(app!, 'toornament')).callback!.headers.location).toBe('/me');
      expect(strict.lastRequest('token')!.headers['x-api-key']).toBe('strict-key-1');
    } finally {
      await strict.close();
    }
  });
});

describe('toornament: profile and tokens', () => {
  it('asks for user:info by default, the scope /me/info needs', async () => {
    await startApp(emulator);
    const start = await app!.agent.get('/auth/toornament');
    const url = new URL(start.headers.location as string);
    expect(url.pathname).toBe('/oauth2/authorize');
    expect(url.searchParams.get('scope')).toBe('user:info');
  });

  it('a login without user:info is refused by /me/info with the API message', async () => {
    await startApp(emulator, {}, { scope: ['organizer:view'] });
    const error = await callbackError(await signIn(app!, 'toornament'));
    expect(error).toMatchObject({ name: 'ProviderError', upstreamStatus: 403, message: expect.stringContaining('user:info') });
  });

  it('keeps an 18-digit id exact when the API sends it as a bare JSON number', async () => {
    const numeric = await startToornamentEmulator({ numericIds: true });
    try {
      const { profiles } = await startApp(numeric);
      expect((await signIn(app!, 'toornament')).callback!.headers.location).toBe('/me');
      expect(numeric.requestsTo('me')).toHaveLength(1);
      expect(profiles[0]!._raw).toContain('"id":145246939508809147');
      expect(profiles[0]).toMatchObject({ id: '145246939508809147', displayName: 'My NickName', country: 'US' });
      expect((await app!.agent.get('/me')).body.user).toEqual({ id: '145246939508809147' });
    } finally {
      await numeric.close();
    }
  });

  it('gives the documented token set: bearer, 25 hours, the granted scope', async () => {
    const { refreshTokens, strategy } = await startApp(emulator, { scope: ['user:info', 'organizer:view'] });
    await signIn(app!, 'toornament');
    const refreshed = await strategy().refresh(refreshTokens[0]!);
    expect(refreshed).toMatchObject({ tokenType: 'bearer', expiresIn: 90000, scope: 'user:info organizer:view' });
    const app2 = await strategy().clientCredentials();
    expect(app2).toMatchObject({ tokenType: 'bearer', expiresIn: 90000, raw: { scope: null } });
    expect(app2.scope).toBeUndefined();
    expect(app2.refreshToken).toBeUndefined();
  });

  it('a 429 on the profile is a ProviderError whose message says when to retry', async () => {
    await startApp(emulator);
    emulator.fault('me', toornamentRateLimit(30));
    const error = await callbackError(await signIn(app!, 'toornament'));
    expect(error).toMatchObject({
      name: 'ProviderError',
      upstreamStatus: 429,
      code: 'EHTTPSTATUS',
      message: expect.stringContaining('retry after 30 seconds'),
    });
  });

  it('token endpoint errors carry the message and the hint', async () => {
    const { strategy } = await startApp(emulator);
    const error = (await strategy()
      .refresh('no-such-refresh-token')
      .catch((e: unknown) => e)) as Error & { code: string; status: number };
    expect(error).toMatchObject({ name: 'TokenError', code: 'invalid_grant', upstreamStatus: 400 });
    expect(error.message).toContain('refresh token is invalid'); // league's fixed message
    expect(error.message).toContain('The refresh token is invalid'); // the hint
    expect(error.message).not.toContain('no-such-refresh-token');
  });

  it('a client-credentials token cannot read /me/info', async () => {
    const { strategy } = await startApp(emulator);
    const { accessToken } = await strategy().clientCredentials({ scope: 'user:info' });
    const error = await new Promise<unknown>((resolve) => strategy().userProfile(accessToken, (err) => resolve(err)));
    expect(error).toMatchObject({ name: 'ProviderError', upstreamStatus: 401 });
  });
});

describe('toornament: options', () => {
  const verify = async () => false;
  it('the apiKey must be a non-empty string', () => {
    const base = { clientID: 'id', clientSecret: 'secret', callbackURL: 'http://127.0.0.1/cb' };
    for (const apiKey of [undefined, '', '   ', 42]) {
      expect(() => new Strategy({ ...base, apiKey } as never, verify)).toThrow(/apiKey/);
    }
    // @ts-expect-error apiKey is required by the types too
    expect(() => new Strategy(base, verify)).toThrow(TypeError);
    expect(() => new Strategy({ ...base, apiKey: 'k' }, verify)).not.toThrow();
  });

  it('defaults: name toornament, scope user:info', () => {
    const strategy = new Strategy({ clientID: 'id', clientSecret: 'secret-value', callbackURL: 'http://127.0.0.1/cb', apiKey: 'api-key-value' }, verify);
    expect(strategy.name).toBe('toornament');
    expect(strategy.scope).toEqual(['user:info']);
  });
});
