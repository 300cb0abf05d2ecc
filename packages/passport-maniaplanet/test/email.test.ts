import { startManiaplanetEmulator, type ManiaplanetEmulator } from '@maniapass/emulators';
import { Strategy, type ManiaplanetProfile, type ManiaplanetScope } from 'passport-maniaplanet';
import { signIn, startTestApp, type TestApp } from '../../../test-support/harness';
import { startTcpProxy, type TcpProxy } from '../../http/test/tcp-proxy';

let emulator: ManiaplanetEmulator;
let bare: ManiaplanetEmulator;
let app: TestApp | undefined;

beforeAll(async () => {
  [emulator, bare] = await Promise.all([startManiaplanetEmulator(), startManiaplanetEmulator({ emailFormat: 'bare' })]);
});
afterAll(() => Promise.all([emulator.close(), bare.close()]));
afterEach(async () => {
  emulator.clearFaults();
  await app?.close();
  app = undefined;
});

/** Signs in through a real Express app and returns the profile verify received (or the callback's error). */
async function login(options: { on?: ManiaplanetEmulator; scope?: ManiaplanetScope[]; perRequestScope?: string[]; timeout?: number } = {}) {
  const target = options.on ?? emulator;
  const profiles: ManiaplanetProfile[] = [];
  app = await startTestApp({
    authOptions: options.perRequestScope ? { scope: options.perRequestScope } : {},
    strategy: (url) =>
      new Strategy(
        { ...target.strategyOptions(), callbackURL: `${url}/auth/maniaplanet/callback`, scope: options.scope, timeout: options.timeout },
        async (_a, _r, profile) => {
          profiles.push(profile);
          return { id: profile.id };
        },
      ),
  });
  const before = target.requestsTo('email').length;
  const result = await signIn(app, 'maniaplanet');
  return {
    result,
    profile: profiles[0],
    error: result.callback!.body.error as { name: string; code: string; status?: number; message: string } | undefined,
    emailCalls: target.requestsTo('email').slice(before),
  };
}

describe('e-mail', () => {
  it('is fetched when the constructor scope includes email, with the same token and headers as the profile call', async () => {
    const { profile, emailCalls, result } = await login({ scope: ['basic', 'email'] });
    expect(result.callback!.headers.location).toBe('/me');
    expect(new URL(result.authorizeURL!).searchParams.get('scope')).toBe('basic email');
    expect(profile?.emails).toEqual([{ value: 'someplayer@example.com' }]);
    expect(emailCalls).toHaveLength(1);
    const [call] = emailCalls;
    expect(call!.path).toBe('/webservices/me/email');
    expect(call!.headers.accept).toBe('application/json');
    expect(call!.headers.authorization).toBe(emulator.lastRequest('me')!.headers.authorization);
  });

  it('is fetched when only the per-request scope includes email', async () => {
    const { profile, emailCalls, result } = await login({ perRequestScope: ['basic', 'email'] });
    expect(new URL(result.authorizeURL!).searchParams.get('scope')).toBe('basic email');
    expect(emailCalls).toHaveLength(1);
    expect(profile?.emails).toEqual([{ value: 'someplayer@example.com' }]);
  });

  it('is not fetched without the email scope', async () => {
    const { profile, emailCalls, result } = await login();
    expect(result.callback!.headers.location).toBe('/me');
    expect(emailCalls).toHaveLength(0);
    expect(profile).toBeDefined();
    expect(profile).not.toHaveProperty('emails');
  });

  it('is not fetched when a per-request scope without email replaces a constructor scope with it', async () => {
    const { profile, emailCalls } = await login({ scope: ['basic', 'email'], perRequestScope: ['basic', 'maps'] });
    expect(emailCalls).toHaveLength(0);
    expect(profile).not.toHaveProperty('emails');
  });

  it('is read from a bare-string body as well as from a JSON string', async () => {
    const { profile, emailCalls } = await login({ on: bare, scope: ['basic', 'email'] });
    expect(emailCalls).toHaveLength(1);
    expect(emailCalls[0]!.endpoint).toBe('email');
    expect(profile?.emails).toEqual([{ value: 'someplayer@example.com' }]);
    const response = await fetch(`${bare.url}/webservices/me/email`, {
      headers: { Accept: 'application/json', Authorization: `Bearer ${bare.issueAccessToken({ userId: 'someplayer', scope: ['email'] })}` },
    });
    expect(await response.text()).toBe('someplayer@example.com');
  });

  it('an account without an address signs in without emails', async () => {
    const quiet = await startManiaplanetEmulator({ users: [{ id: 'noemail', nickname: 'Quiet$$One', path: 'World|Asia|Japan' }] });
    try {
      const { profile, emailCalls } = await login({ on: quiet, scope: ['basic', 'email'] });
      expect(emailCalls).toHaveLength(1);
      expect(profile).toMatchObject({ id: 'noemail', displayNamePlain: 'Quiet$One' });
      expect(profile).not.toHaveProperty('emails');
    } finally {
      await quiet.close();
    }
  });

  it.each([
    ['answers 5xx', { type: 'status', status: 503 }, { name: 'ProviderError', code: 'EHTTPSTATUS', upstreamStatus: 503 }],
    ['answers 403', { type: 'status', status: 403 }, { name: 'ProviderError', code: 'EHTTPSTATUS', upstreamStatus: 403 }],
    ['answers something that is not an address', { type: 'malformed' }, { name: 'ProviderError', code: 'EBADRESPONSE' }],
  ] as const)('a failed e-mail call fails the login with a typed error: the endpoint %s', async (_name, fault, expected) => {
    emulator.fault('email', fault);
    const { error, profile, result } = await login({ scope: ['basic', 'email'] });
    expect(profile).toBeUndefined();
    expect(error).toMatchObject(expected);
    expect(error!.message).toMatch(/^maniaplanet: GET http:\/\/127\.0\.0\.1:\d+\/webservices\/me\/email/);
    const output = JSON.stringify(result.callback!.body) + result.callback!.text;
    const tokens = emulator.requestsTo('email').map((r) => r.headers.authorization!.slice('Bearer '.length));
    for (const needle of [emulator.clients[0]!.clientSecret, new URL(result.emulatorRedirect!).searchParams.get('code')!, ...tokens]) {
      expect(output).not.toContain(needle);
    }
  });

  it('an e-mail endpoint that never answers fails within the timeout', async () => {
    emulator.fault('email', { type: 'hang' });
    const started = Date.now();
    const { error } = await login({ scope: ['basic', 'email'], timeout: 300 });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(error).toMatchObject({ name: 'ProviderError', code: 'ETIMEDOUT', message: expect.stringContaining('/webservices/me/email timed out after 300 ms') });
  });

  it('is asked for at once with the profile, not after it: it goes out while the profile has not answered', async () => {
    emulator.fault('me', { type: 'hang' });
    const { error, emailCalls } = await login({ scope: ['basic', 'email'], timeout: 400 });
    expect(emailCalls).toHaveLength(1);
    // The e-mail answered; the profile never did: the login fails with the profile's error.
    expect(error).toMatchObject({ name: 'ProviderError', code: 'ETIMEDOUT', message: expect.stringContaining('GET http') });
    expect(error!.message).toMatch(/\/webservices\/me timed out after 400 ms/);
  });

  it("a bad profile fails the login with the profile's error, though the e-mail answered", async () => {
    emulator.fault('me', { type: 'malformed' });
    const { error, emailCalls, profile } = await login({ scope: ['basic', 'email'] });
    expect(profile).toBeUndefined();
    expect(emailCalls).toHaveLength(1);
    expect(error).toMatchObject({ name: 'ProviderError', code: 'EBADRESPONSE' });
    expect(error!.message).toMatch(/\/webservices\/me: /);
  });

  // Either call's failure may come first; the other's rejection is handled (jest fails a test that leaves one unhandled).
  it("profile failing first, e-mail failing later: the profile's error, and the e-mail's failure is handled", async () => {
    emulator.fault('me', { type: 'malformed' });
    emulator.fault('email', { type: 'hang' });
    const { error } = await login({ scope: ['basic', 'email'], timeout: 300 });
    expect(error).toMatchObject({ name: 'ProviderError', code: 'EBADRESPONSE' });
    expect(error!.message).not.toContain('/email');
    // Past the e-mail call's timeout, so that its rejection happens within this test.
    await new Promise((resolve) => setTimeout(resolve, 500));
  });

  it("e-mail failing first, profile failing later: the profile's error", async () => {
    emulator.fault('email', { type: 'status', status: 503 });
    emulator.fault('me', { type: 'hang' });
    const { error, emailCalls } = await login({ scope: ['basic', 'email'], timeout: 300 });
    expect(emailCalls).toHaveLength(1);
    expect(error).toMatchObject({ name: 'ProviderError', code: 'ETIMEDOUT' });
    expect(error!.message).toMatch(/\/webservices\/me timed out/);
  });

  it("e-mail failing first, profile answering later: the e-mail's error", async () => {
    emulator.fault('email', { type: 'status', status: 503 });
    emulator.fault('me', { type: 'delay', ms: 150 });
    const { error, profile } = await login({ scope: ['basic', 'email'] });
    expect(profile).toBeUndefined();
    expect(error).toMatchObject({ name: 'ProviderError', code: 'EHTTPSTATUS', upstreamStatus: 503 });
    expect(error!.message).toContain('/webservices/me/email');
  });
});

describe('connections opened at the authorize redirect', () => {
  /** The app signs in with the Web Services host behind a TCP proxy that counts connections; `run` sees the proxy. */
  async function throughProxy(scope: ManiaplanetScope[] | undefined, run: (proxy: TcpProxy) => Promise<void>): Promise<void> {
    const proxy = await startTcpProxy(Number(new URL(emulator.url).port));
    try {
      app = await startTestApp({
        strategy: (url) =>
          new Strategy(
            {
              ...emulator.strategyOptions(),
              baseURL: proxy.url,
              authorizationURL: `${emulator.url}/login/oauth2/authorize`,
              callbackURL: `${url}/auth/maniaplanet/callback`,
              ...(scope ? { scope } : {}),
            },
            async (_a, _r, profile) => ({ id: profile.id, emails: profile.emails }),
          ),
      });
      await run(proxy);
    } finally {
      await proxy.close();
    }
  }

  it('with email, two: the token call uses one, then the profile and e-mail calls both, and the callback opens none', async () => {
    await throughProxy(['basic', 'email'], async (proxy) => {
      await app!.agent.get('/auth/maniaplanet');
      await proxy.opening(2);
      expect(proxy.used).toBe(0);
      const result = await signIn(app!, 'maniaplanet');
      expect(result.callback!.headers.location).toBe('/me');
      expect(proxy.opened).toBe(2);
      expect(proxy.used).toBe(2);
    });
  });

  it('without email, one', async () => {
    await throughProxy(undefined, async (proxy) => {
      const result = await signIn(app!, 'maniaplanet');
      expect(result.callback!.headers.location).toBe('/me');
      expect(proxy.opened).toBe(1);
    });
  });
});

describe('scope basic', () => {
  it('is what the profile needs: a login asking only for email is refused at /webservices/me with 403', async () => {
    const { error, result } = await login({ perRequestScope: ['email'] });
    expect(new URL(result.authorizeURL!).searchParams.get('scope')).toBe('email');
    expect(error).toMatchObject({ name: 'ProviderError', upstreamStatus: 403, code: 'EHTTPSTATUS', message: expect.stringContaining('GET') });
    expect(error!.message).toContain('/webservices/me');
  });
});
