// The plain client in a bare node:http app (no framework, no passport), signing in through each emulator's consent
// page: sign-in, denial, a state that is not the sign-in's, a provider error, a timeout, refresh and client
// credentials; no error shows a secret in any encoding a provider may echo it in.
import http, { type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CallbackError, OAuthClient, type ClientOptions } from '@maniapass/client';
import type { EmulatedUser, OAuthEmulator } from '@maniapass/emulators';
import { TEST_PROVIDERS, consent, type TestProvider } from '../../../test-support/providers';
import { ECHO_ENCODINGS, leaks, shown } from '../../../test-support/secrets';

type AnyClient = OAuthClient<never, never, never>;

/** A bare node:http app: /login redirects with a state cookie, /callback signs in and answers the profile as JSON. */
async function startApp(makeClient: (redirectURI: string) => AnyClient, errors: unknown[]): Promise<{ url: string; server: Server }> {
  let client!: AnyClient;
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://app');
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
      res.end(JSON.stringify(body));
    };
    if (url.pathname === '/login') {
      const { url: location, state, scope } = client.createAuthorizationURL();
      res.writeHead(302, { Location: location.toString(), 'Set-Cookie': `oauth_state=${state}.${scope.join('+')}; HttpOnly; Path=/; SameSite=Lax` });
      return res.end();
    }
    if (url.pathname === '/callback') {
      const cookie = /(?:^|;\s*)oauth_state=([^;]*)/.exec(req.headers.cookie ?? '')?.[1] ?? '';
      const [state = '', scope = ''] = cookie.split('.');
      Promise.resolve()
        .then(() => client.validateCallback(url, state))
        .then(({ code }) => client.exchangeCode(code))
        .then((tokens) => client.loadProfile(tokens, { scope: scope ? scope.split('+') : [] }))
        .then(
          (profile) => send(200, { profile }),
          (err: Error & { code?: string }) => {
            errors.push(err);
            send(err instanceof CallbackError ? err.status : 502, { error: { name: err.name, code: err.code, message: err.message } });
          },
        );
      return;
    }
    send(404, {});
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  client = makeClient(`${url}/callback`);
  return { url, server };
}

/** The whole browser round trip: /login → consent page (approve or deny) → /callback with the state cookie. */
async function signIn(appURL: string, decision: 'approve' | 'deny' = 'approve', cookieOverride?: string) {
  const login = await fetch(`${appURL}/login`, { redirect: 'manual' });
  const cookie = cookieOverride ?? login.headers.get('set-cookie')!.split(';')[0]!;
  const back = await consent(login.headers.get('location')!, decision);
  const callback = await fetch(back, { headers: { cookie } });
  return { status: callback.status, body: (await callback.json()) as { profile?: Record<string, unknown>; error?: { name: string; code?: string; message: string } } };
}

describe.each(TEST_PROVIDERS.map((p): [string, TestProvider] => [p.id, p]))('@maniapass/client, %s, in a node:http app', (_id, provider) => {
  let emulator: OAuthEmulator<EmulatedUser>;
  let app: { url: string; server: Server } | undefined;
  const errors: unknown[] = [];
  const clientFor = (extra: Partial<ClientOptions> = {}) => (redirectURI: string) =>
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

describe('@maniapass/client: misconfiguration fails at construction', () => {
  const base = { clientID: 'id', clientSecret: 'secret', redirectURI: 'http://127.0.0.1/cb' };
  it.each(TEST_PROVIDERS.map((p): [string, TestProvider] => [p.id, p]))('%s: names the missing option, refuses PKCE and unknown scopes', (_id, provider) => {
    expect(() => new OAuthClient(provider.definition, { ...base, clientSecret: '' } as ClientOptions)).toThrow(/clientSecret/);
    expect(() => new OAuthClient(provider.definition, { ...base, apiKey: 'k', redirectURI: '/relative' } as ClientOptions)).toThrow(/redirectURI/);
    expect(() => new OAuthClient(provider.definition, { ...base, apiKey: 'k', pkce: true } as ClientOptions)).toThrow(/documents no PKCE/);
    expect(() => new OAuthClient(provider.definition, { ...base, apiKey: 'k', scope: 'not-a-scope' } as ClientOptions)).toThrow(/not-a-scope/);
  });
});
