import { createManiaplanetSpec, startManiaplanetEmulator, type ManiaplanetEmulator } from '@maniapass/emulators';

let emulator: ManiaplanetEmulator;
const REDIRECT = 'http://127.0.0.1:9/callback';
const client = { clientId: 'app', clientSecret: 'app-secret', redirectUris: [REDIRECT] };
const JSON_ACCEPT = { Accept: 'application/json' };

beforeEach(async () => {
  emulator = await startManiaplanetEmulator({ clients: [client] });
});
afterEach(() => emulator.close());

const get = (path: string, headers: Record<string, string> = {}) => fetch(`${emulator.url}${path}`, { redirect: 'manual', headers });
const post = (path: string, form: Record<string, string>) =>
  fetch(`${emulator.url}${path}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form),
  });
const bearer = (scope: string[], userId = 'someplayer') => ({ ...JSON_ACCEPT, Authorization: `Bearer ${emulator.issueAccessToken({ userId, scope })}` });

async function signInTokens(scope: string): Promise<{ access_token: string; refresh_token: string }> {
  const approved = await post('/login/oauth2/authorize', {
    client_id: 'app',
    redirect_uri: REDIRECT,
    scope,
    state: 's',
    decision: 'approve',
    user_id: 'speedrunner',
  });
  const code = new URL(approved.headers.get('location')!).searchParams.get('code')!;
  const res = await post('/login/oauth2/access_token', {
    grant_type: 'authorization_code',
    code,
    redirect_uri: REDIRECT,
    client_id: 'app',
    client_secret: 'app-secret',
  });
  expect(res.status).toBe(200);
  return (await res.json()) as { access_token: string; refresh_token: string };
}

describe('ManiaPlanet emulator', () => {
  it('shows the consent page on /login/oauth2/authorize with the requested scopes', async () => {
    const res = await get(`/login/oauth2/authorize?response_type=code&client_id=app&redirect_uri=${encodeURIComponent(REDIRECT)}&scope=basic%20email&state=x`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('<code>basic</code>');
    expect(html).toContain('<code>email</code>');
    expect(html).toContain('someplayer (World|Europe|France)');
  });

  it('redirects an undocumented scope back as invalid_scope', async () => {
    const res = await get(
      `/login/oauth2/authorize?response_type=code&client_id=app&redirect_uri=${encodeURIComponent(REDIRECT)}&scope=basic%20profile&state=x`,
    );
    expect(Object.fromEntries(new URL(res.headers.get('location')!).searchParams)).toMatchObject({ error: 'invalid_scope', state: 'x' });
  });

  it('issues Bearer tokens with a refresh token from the code, and the profile of the approving user', async () => {
    const tokens = await signInTokens('basic');
    expect(tokens).toMatchObject({ token_type: 'Bearer', expires_in: 3600, access_token: expect.any(String), refresh_token: expect.any(String) });
    const me = await get('/webservices/me', { ...JSON_ACCEPT, Authorization: `Bearer ${tokens.access_token}` });
    expect(me.headers.get('content-type')).toBe('application/json');
    expect(await me.json()).toEqual({ login: 'speedrunner', nickname: '$o$0afSpeed$z Runner', path: 'World|North America|Canada|Quebec' });
  });

  it('answers token errors as league/oauth2-server does: {error, message, hint}', async () => {
    const res = await post('/login/oauth2/access_token', {
      grant_type: 'authorization_code',
      code: 'nope',
      redirect_uri: REDIRECT,
      client_id: 'app',
      client_secret: 'app-secret',
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as Record<string, string>;
    expect(Object.keys(body).sort()).toEqual(['error', 'hint', 'message']);
    expect(body).toMatchObject({ error: 'invalid_grant', hint: 'The authorization code is invalid or expired' });
    expect(body.message).toMatch(/^The provided authorization grant/);
    const client = await post('/login/oauth2/access_token', { grant_type: 'client_credentials', client_id: 'app', client_secret: 'wrong' });
    expect(client.status).toBe(401);
    expect(await client.json()).toMatchObject({ error: 'invalid_client', message: 'Client authentication failed' });
  });

  it('answers XML to a client that does not ask for JSON', async () => {
    const { Accept: _drop, ...noAccept } = bearer(['basic']);
    for (const headers of [noAccept, { ...noAccept, Accept: 'application/xml' }]) {
      const res = await get('/webservices/me', headers);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/xml/);
      expect(await res.text()).toContain('<login>someplayer</login>');
    }
  });

  it('needs the scope of each /webservices/me route: 403 {error, message, hint} without it', async () => {
    const res = await get('/webservices/me/email', bearer(['basic']));
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ error: 'forbidden', message: 'Forbidden', hint: 'Missing scope email' });
    expect((await get('/webservices/me', bearer(['email']))).status).toBe(403);
    for (const [path, scope] of [
      ['/webservices/me/maps', 'maps'],
      ['/webservices/me/dedicated', 'dedicated'],
      ['/webservices/me/titles/created', 'titles'],
    ] as const) {
      expect((await get(path, bearer(['basic']))).status).toBe(403);
      expect((await get(path, bearer([scope]))).status).toBe(200);
    }
  });

  it('refuses a missing, forged or application token on /webservices/me with 401', async () => {
    expect((await get('/webservices/me', JSON_ACCEPT)).status).toBe(401);
    expect((await get('/webservices/me', { ...JSON_ACCEPT, Authorization: 'Bearer forged' })).status).toBe(401);
    const app = emulator.issueAccessToken({ scope: ['basic'] });
    const res = await get('/webservices/me', { ...JSON_ACCEPT, Authorization: `Bearer ${app}` });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: 'access_denied' });
  });

  it('answers the e-mail as a JSON string by default, a bare string when asked, and an empty body without one', async () => {
    const res = await get('/webservices/me/email', bearer(['email']));
    expect(await res.text()).toBe('"someplayer@example.com"');
    expect(await (await get('/webservices/me/email', bearer(['email'], 'noemail'))).text()).toBe('');
    const bare = await startManiaplanetEmulator({ emailFormat: 'bare' });
    try {
      const token = bare.issueAccessToken({ userId: 'someplayer', scope: ['email'] });
      const body = await (await fetch(`${bare.url}/webservices/me/email`, { headers: { ...JSON_ACCEPT, Authorization: `Bearer ${token}` } })).text();
      expect(body).toBe('someplayer@example.com');
    } finally {
      await bare.close();
    }
    expect(() => createManiaplanetSpec({ emailFormat: 'xml' as never })).toThrow(TypeError);
  });

  it('lists the maps and dedicated servers of the user in the documented shapes', async () => {
    const maps = (await (await get('/webservices/me/maps', bearer(['maps']))).json()) as Array<Record<string, unknown>>;
    expect(Object.keys(maps[0]!).sort()).toEqual(['author_login', 'download_url', 'name', 'private', 'thumbnail_url', 'uid']);
    const dedicated = (await (await get('/webservices/me/dedicated', bearer(['dedicated']))).json()) as Array<Record<string, unknown>>;
    expect(dedicated[0]).toMatchObject({ login: 'someplayer_server', last_used_date: { offset: expect.any(Number), timestamp: expect.any(Number) } });
    expect(await (await get('/webservices/me/maps', bearer(['maps'], 'speedrunner'))).json()).toEqual([]);
  });

  it('rotates refresh tokens and points a strategy at itself with baseURL', async () => {
    const tokens = await signInTokens('basic email');
    const refreshed = await post('/login/oauth2/access_token', {
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token,
      client_id: 'app',
      client_secret: 'app-secret',
      scope: 'basic email',
    });
    expect(refreshed.status).toBe(200);
    const again = await post('/login/oauth2/access_token', {
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token,
      client_id: 'app',
      client_secret: 'app-secret',
    });
    expect(again.status).toBe(400);
    expect(emulator.strategyOptions()).toEqual({ clientID: 'app', clientSecret: 'app-secret', baseURL: emulator.url });
  });

  it('fails on purpose: e-mail endpoint faults use the API error shape', async () => {
    emulator.fault('email', { type: 'status', status: 500 }, { times: 1 });
    const res = await get('/webservices/me/email', bearer(['email']));
    expect(res.status).toBe(500);
    expect(await res.json()).toMatchObject({ error: 'server_error', message: 'Emulated HTTP 500' });
    expect((await get('/webservices/me/email', bearer(['email']))).status).toBe(200);
  });
});
