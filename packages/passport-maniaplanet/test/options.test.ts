import { startManiaplanetEmulator, type ManiaplanetEmulator } from '@maniapass/emulators';
import { AUTHORIZATION_URL, BASE_URL, DEFAULT_SCOPE, SCOPES, Strategy, TOKEN_URL, USER_PROFILE_URL } from 'passport-maniaplanet';

const base = { clientID: 'id', clientSecret: 'secret', callbackURL: 'https://app.example/cb' };
const verify = async () => false as const;

describe('endpoints', () => {
  it('default to prod.live.maniaplanet.com', () => {
    const s = new Strategy(base, verify);
    expect(BASE_URL).toBe('https://prod.live.maniaplanet.com');
    expect([s.baseURL, s.authorizationURL, s.tokenURL, s.userProfileURL, s.emailURL]).toEqual([
      'https://prod.live.maniaplanet.com',
      'https://prod.live.maniaplanet.com/login/oauth2/authorize',
      'https://prod.live.maniaplanet.com/login/oauth2/access_token',
      'https://prod.live.maniaplanet.com/webservices/me',
      'https://prod.live.maniaplanet.com/webservices/me/email',
    ]);
    expect([AUTHORIZATION_URL, TOKEN_URL, USER_PROFILE_URL]).toEqual([s.authorizationURL, s.tokenURL, s.userProfileURL]);
  });

  it('baseURL sets all of them; trailing slashes are dropped; a path prefix is kept', () => {
    const s = new Strategy({ ...base, baseURL: 'https://www.maniaplanet.com/' }, verify);
    expect([s.baseURL, s.authorizationURL, s.tokenURL, s.userProfileURL, s.emailURL]).toEqual([
      'https://www.maniaplanet.com',
      'https://www.maniaplanet.com/login/oauth2/authorize',
      'https://www.maniaplanet.com/login/oauth2/access_token',
      'https://www.maniaplanet.com/webservices/me',
      'https://www.maniaplanet.com/webservices/me/email',
    ]);
    expect(new Strategy({ ...base, baseURL: 'http://127.0.0.1:8080/mp//' }, verify).tokenURL).toBe('http://127.0.0.1:8080/mp/login/oauth2/access_token');
  });

  it('explicit URLs override baseURL, and the e-mail URL follows the profile URL', () => {
    const s = new Strategy(
      { ...base, baseURL: 'https://v4.live.maniaplanet.com', tokenURL: 'https://proxy.example/token', userProfileURL: 'https://proxy.example/ws/me/' },
      verify,
    );
    expect(s.authorizationURL).toBe('https://v4.live.maniaplanet.com/login/oauth2/authorize');
    expect(s.tokenURL).toBe('https://proxy.example/token');
    expect(s.emailURL).toBe('https://proxy.example/ws/me/email');
  });

  it.each([['prod.live.maniaplanet.com'], ['ftp://prod.live.maniaplanet.com'], ['https://x.example/?a=1'], ['https://x.example/#f'], [''], [42], [null]])(
    'a baseURL of %p throws a TypeError naming baseURL',
    (baseURL) => {
      expect(() => new Strategy({ ...base, baseURL: baseURL as never }, verify)).toThrow(TypeError);
      expect(() => new Strategy({ ...base, baseURL: baseURL as never }, verify)).toThrow(/baseURL/);
    },
  );

  it('a missing options object is still the core TypeError', () => {
    expect(() => new Strategy(undefined as never, verify)).toThrow('maniaplanet strategy requires an options object');
  });
});

describe('scopes', () => {
  it('are the six documented ones; basic is the default', () => {
    expect([...SCOPES]).toEqual(['basic', 'dedicated', 'titles', 'events', 'maps', 'email']);
    expect(DEFAULT_SCOPE).toEqual(['basic']);
    expect(new Strategy(base, verify).scope).toEqual(['basic']);
    expect(new Strategy({ ...base, scope: 'basic email' }, verify).scope).toEqual(['basic', 'email']);
    expect(new Strategy({ ...base, scope: [] }, verify).scope).toEqual([]);
  });

  it('an unknown one names itself and the valid ones', () => {
    expect(() => new Strategy({ ...base, scope: ['basic', 'profile'] as never }, verify)).toThrow(
      'Unknown maniaplanet scope "profile". Valid scopes: basic, dedicated, titles, events, maps, email',
    );
  });
});

describe('token requests', () => {
  let emulator: ManiaplanetEmulator;
  beforeAll(async () => {
    emulator = await startManiaplanetEmulator();
  });
  afterAll(() => emulator.close());

  it('refresh() and clientCredentials() send the scope as the documentation lists it, with Accept: application/json', async () => {
    const s = new Strategy({ ...emulator.strategyOptions(), callbackURL: 'http://127.0.0.1:1/cb' }, verify);
    const app = await s.clientCredentials({ scope: ['basic', 'maps'] });
    expect(app).toMatchObject({ accessToken: expect.any(String), tokenType: 'Bearer', expiresIn: 3600 });
    expect(app.refreshToken).toBeUndefined();
    const call = emulator.lastRequest('token')!;
    expect(call.path).toBe('/login/oauth2/access_token');
    expect(call.headers.accept).toBe('application/json');
    expect(call.form).toEqual({
      grant_type: 'client_credentials',
      scope: 'basic maps',
      client_id: 'emulator-client-id',
      client_secret: 'emulator-client-secret',
    });
    await expect(s.clientCredentials({ scope: 'admin' })).rejects.toThrow('Unknown maniaplanet scope "admin"');
  });

  it('a refused refresh token is a TokenError with the {error, message, hint} text', async () => {
    const s = new Strategy({ ...emulator.strategyOptions(), callbackURL: 'http://127.0.0.1:1/cb' }, verify);
    const error = (await s.refresh('not-a-refresh-token', { scope: 'basic' }).catch((e: unknown) => e)) as Error & { code: string; status: number };
    expect(error).toMatchObject({ name: 'TokenError', code: 'invalid_grant', upstreamStatus: 400 });
    expect(error.message).toMatch(/^maniaplanet: The provided authorization grant .* — The refresh token is invalid$/);
    expect(emulator.lastRequest('token')!.form).toMatchObject({ grant_type: 'refresh_token', refresh_token: 'not-a-refresh-token', scope: 'basic' });
  });

  it('the profile endpoint refuses an application token', async () => {
    const s = new Strategy({ ...emulator.strategyOptions(), callbackURL: 'http://127.0.0.1:1/cb' }, verify);
    const { accessToken } = await s.clientCredentials();
    const error = await new Promise<unknown>((resolve) => s.userProfile(accessToken, (err) => resolve(err)));
    expect(error).toMatchObject({ name: 'ProviderError', upstreamStatus: 401, url: `${emulator.url}/webservices/me` });
    expect((error as Error).message).not.toContain(accessToken);
  });
});
