// The plain client in a bare node:http app (no framework, no passport), signing in through each emulator's consent
// page: sign-in, denial, a state that is not the sign-in's, a provider error, a timeout, refresh and client
// credentials; no error shows a secret in any encoding a provider may echo it in.
import type { Server } from 'node:http';
import { OAuthClient, type ClientOptions } from '@maniapass/client';
import type { EmulatedUser, OAuthEmulator } from '@maniapass/emulators';
import { TEST_PROVIDERS, consent, type TestProvider } from '../../../test-support/providers';
import { ECHO_ENCODINGS, leaks, shown } from '../../../test-support/secrets';
import { startApp, type AnyClient } from './node-app';

/** The whole browser round trip: /login → consent page (approve or deny) → /callback with the state cookie. */
async function signIn(appURL: string, decision: 'approve' | 'deny' = 'approve', cookieOverride?: string) {
  const login = await fetch(`${appURL}/login`, { redirect: 'manual' });
  const cookie = cookieOverride ?? login.headers.get('set-cookie')!.split(';')[0]!;
  const back = await consent(login.headers.get('location')!, decision);
  const callback = await fetch(back, { headers: { cookie } });
  return {
    status: callback.status,
    body: (await callback.json()) as { profile?: Record<string, unknown>; error?: { name: string; code?: string; message: string } },
  };
}

describe.each(TEST_PROVIDERS.map((p): [string, TestProvider] => [p.id, p]))('@maniapass/client, %s, in a node:http app', (_id, provider) => {
  let emulator: OAuthEmulator<EmulatedUser>;
  let app: { url: string; server: Server } | undefined;
  const errors: unknown[] = [];
  const clientFor =
    (extra: Partial<ClientOptions> = {}) =>
    (redirectURI: string) =>
      new OAuthClient(provider.definition, { ...(emulator.strategyOptions() as unknown as ClientOptions), redirectURI, ...extra }) as AnyClient;
  const start = async (extra: Partial<ClientOptions> = {}) => {
    app = await startApp(clientFor(extra), errors);
    return app.url;
  };

  beforeAll(async () => {
    emulator = await provider.startEmulator();
  });
  afterAll(() => emulator.close());
  afterEach(async () => {
    emulator.clearFaults();
    errors.length = 0;
    app?.server.closeAllConnections();
    await new Promise((resolve) => app?.server.close(resolve));
    app = undefined;
  });

  it('signs in: state in the authorize URL, the documented token request, the typed profile', async () => {
    const url = await start();
    const { status, body } = await signIn(url);
    expect(status).toBe(200);
    expect(body.profile).toMatchObject({ provider: provider.id, ...provider.expectedProfile });
    const authorize = emulator.requests.filter((r) => r.endpoint === 'authorize' && r.method === 'GET').at(-1)!;
    expect(authorize.query.get('state')).toMatch(/^[A-Za-z0-9_-]{32}$/);
    const token = emulator.lastRequest('token')!;
    expect(token.form).toMatchObject({ grant_type: 'authorization_code', redirect_uri: `${url}/callback`, client_id: emulator.clients[0]!.clientId });
    expect(emulator.lastRequest(provider.profileEndpoint)!.headers['user-agent']).toMatch(/^@maniapass\/client\/\d/);
  });

  it('a denial on the consent page is a CallbackError access_denied (403)', async () => {
    const { status, body } = await signIn(await start(), 'deny');
    expect(status).toBe(403);
    expect(body.error).toMatchObject({ name: 'CallbackError', code: 'access_denied' });
  });

  it('a callback whose state is not the sign-in one is refused before any token request', async () => {
    const url = await start();
    const tokenCalls = emulator.requests.filter((r) => r.endpoint === 'token').length;
    const { status, body } = await signIn(url, 'approve', 'oauth_state=someone-elses-state-value.x');
    expect(status).toBe(403);
    expect(body.error).toMatchObject({ code: 'state_mismatch' });
    expect(emulator.requests.filter((r) => r.endpoint === 'token').length).toBe(tokenCalls);
  });

  it('a provider error at the token endpoint is a TokenError that keeps the provider status', async () => {
    emulator.fault('token', { type: 'status', status: 503 });
    const { status, body } = await signIn(await start());
    expect(status).toBe(502);
    expect(body.error).toMatchObject({ name: 'TokenError' });
    expect((errors[0] as { upstreamStatus?: number }).upstreamStatus).toBe(503);
  });

  it('a profile call that never answers fails within the timeout (ETIMEDOUT)', async () => {
    emulator.fault(provider.profileEndpoint, { type: 'hang' });
    const started = Date.now();
    const { status, body } = await signIn(await start({ timeout: 300 }));
    expect(status).toBe(502);
    expect(body.error).toMatchObject({ name: 'ProviderError', code: 'ETIMEDOUT' });
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it.each(Object.keys(ECHO_ENCODINGS))('a token endpoint that echoes the request (%s) shows no secret in the error', async (encoding) => {
    emulator.fault('token', { type: 'echo', status: 400, encode: ECHO_ENCODINGS[encoding] });
    const { status, body } = await signIn(await start());
    expect(status).toBe(502);
    const options = emulator.strategyOptions();
    const secrets = [options.clientSecret, ...(options.apiKey ? [options.apiKey] : [])];
    expect(leaks(JSON.stringify(body), secrets)).toEqual([]);
    expect(leaks(shown(errors[0]), secrets)).toEqual([]);
  });

  it('refreshes and gets client-credentials tokens through the same definition', async () => {
    const appToken = await clientFor()('http://127.0.0.1/callback').clientCredentials();
    expect(appToken.accessToken).toEqual(expect.any(String));
    const url = await start();
    const login = await fetch(`${url}/login`, { redirect: 'manual' });
    const back = new URL(await consent(login.headers.get('location')!));
    const code = back.searchParams.get('code')!;
    const signed = new OAuthClient(provider.definition, { ...(emulator.strategyOptions() as unknown as ClientOptions), redirectURI: `${url}/callback` });
    const tokens = await signed.exchangeCode(code);
    expect(tokens.refreshToken).toEqual(expect.any(String));
    const refreshed = await signed.refresh(tokens.refreshToken!);
    expect(refreshed.accessToken).toEqual(expect.any(String));
  });
});

describe('@maniapass/client: TrackMage’s documented JSON exchange', () => {
  it('posts the code as JSON to the authorization URL with codeExchange documented-json, and signs in', async () => {
    const provider = TEST_PROVIDERS.find((p) => p.id === 'trackmage')!;
    const emulator = await provider.startEmulator();
    const errors: unknown[] = [];
    const app = await startApp(
      (redirectURI) =>
        new OAuthClient(provider.definition, {
          ...(emulator.strategyOptions() as unknown as ClientOptions),
          redirectURI,
          codeExchange: 'documented-json',
        } as ClientOptions) as AnyClient,
      errors,
    );
    try {
      const { status, body } = await signIn(app.url);
      expect({ status, errors }).toEqual({ status: 200, errors: [] });
      expect(body.profile).toMatchObject(provider.expectedProfile);
      const exchange = emulator.requests.filter((r) => r.endpoint === 'authorize' && r.method === 'POST').at(-1)!;
      expect(exchange.headers['content-type']).toBe('application/json');
      expect(JSON.parse(exchange.body)).toMatchObject({ grant_type: 'authorization_code', client_id: emulator.clients[0]!.clientId });
    } finally {
      app.server.closeAllConnections();
      await new Promise((resolve) => app.server.close(resolve));
      await emulator.close();
    }
  });
});

describe('@maniapass/client: misconfiguration fails at construction', () => {
  const base = { clientID: 'id', clientSecret: 'secret', redirectURI: 'http://127.0.0.1/cb' };
  it.each(TEST_PROVIDERS.map((p): [string, TestProvider] => [p.id, p]))('%s: names the missing option, refuses PKCE and unknown scopes', (_id, provider) => {
    expect(() => new OAuthClient(provider.definition, { ...base, clientSecret: '' } as ClientOptions)).toThrow(/clientSecret/);
    expect(() => new OAuthClient(provider.definition, { ...base, apiKey: 'k', redirectURI: '/relative' } as ClientOptions)).toThrow(/redirectURI/);
    expect(() => new OAuthClient(provider.definition, { ...base, apiKey: 'k', pkce: true } as ClientOptions)).toThrow(/documents no PKCE/);
    expect(() => new OAuthClient(provider.definition, { ...base, apiKey: 'k', scope: 'not-a-scope' } as ClientOptions)).toThrow(/not-a-scope/);
  });
});
