import { startTrackmaniaEmulator, type TrackmaniaEmulator, JwtSigner } from '@maniapass/emulators';

let emulator: TrackmaniaEmulator;
const REDIRECT = 'http://127.0.0.1:9/callback';
const client = { clientId: 'app', clientSecret: 'app-secret', redirectUris: [REDIRECT] };

beforeEach(async () => {
  emulator = await startTrackmaniaEmulator({ clients: [client] });
});
afterEach(() => emulator.close());

const get = (path: string, headers: Record<string, string> = {}) => fetch(`${emulator.url}${path}`, { redirect: 'manual', headers });
const post = (path: string, form: Record<string, string>, headers: Record<string, string> = {}) =>
  fetch(`${emulator.url}${path}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(form),
  });

async function approve(scope = ''): Promise<string> {
  const res = await post('/oauth/authorize', {
    client_id: 'app',
    redirect_uri: REDIRECT,
    scope,
    state: 's1',
    decision: 'approve',
    user_id: emulator.users[1]!.id,
  });
  const location = new URL(res.headers.get('location')!);
  expect(location.searchParams.get('state')).toBe('s1');
  return location.searchParams.get('code')!;
}
const exchange = (code: string, extra: Record<string, string> = {}) =>
  post('/api/access_token', { grant_type: 'authorization_code', code, redirect_uri: REDIRECT, client_id: 'app', client_secret: 'app-secret', ...extra });

describe('authorize endpoint', () => {
  it('shows a consent page naming the client and scopes, with approve and deny', async () => {
    const res = await get(`/oauth/authorize?response_type=code&client_id=app&redirect_uri=${encodeURIComponent(REDIRECT)}&scope=clubs&state=xyz`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('<strong>app</strong>');
    expect(html).toContain('<code>clubs</code>');
    expect(html).toContain('id="approve"');
    expect(html).toContain('id="deny"');
    expect(html).toContain('name="state" value="xyz"');
  });

  it('refuses an unknown client or an unregistered redirect_uri without redirecting', async () => {
    for (const query of [
      'client_id=nope&redirect_uri=' + encodeURIComponent(REDIRECT),
      'client_id=app&redirect_uri=' + encodeURIComponent('https://evil.example/cb'),
    ]) {
      const res = await get(`/oauth/authorize?response_type=code&${query}`);
      expect(res.status).toBe(400);
      expect(res.headers.get('location')).toBeNull();
    }
  });

  it('redirects invalid_scope and access_denied back with the state', async () => {
    const bad = await get(`/oauth/authorize?response_type=code&client_id=app&redirect_uri=${encodeURIComponent(REDIRECT)}&scope=admin&state=z`);
    expect(Object.fromEntries(new URL(bad.headers.get('location')!).searchParams)).toMatchObject({ error: 'invalid_scope', state: 'z' });
    const denied = await post('/oauth/authorize', { client_id: 'app', redirect_uri: REDIRECT, state: 'q', decision: 'deny' });
    expect(Object.fromEntries(new URL(denied.headers.get('location')!).searchParams)).toEqual({
      error: 'access_denied',
      error_description: 'The resource owner denied the request.',
      state: 'q',
    });
  });

  it('auto-approves as the first user, or as a new user each time', async () => {
    emulator.autoApprove = true;
    const res = await get(`/oauth/authorize?response_type=code&client_id=app&redirect_uri=${encodeURIComponent(REDIRECT)}`);
    expect(res.status).toBe(302);
    expect(new URL(res.headers.get('location')!).searchParams.get('code')).toEqual(expect.any(String));
    emulator.autoApprove = 'unique-user';
    const before = emulator.users.length;
    await get(`/oauth/authorize?response_type=code&client_id=app&redirect_uri=${encodeURIComponent(REDIRECT)}`);
    await get(`/oauth/authorize?response_type=code&client_id=app&redirect_uri=${encodeURIComponent(REDIRECT)}`);
    expect(emulator.users.length).toBe(before + 2);
  });

  it('a deny fault denies even in auto-approve mode, once', async () => {
    emulator.autoApprove = true;
    emulator.fault('authorize', { type: 'deny' }, { times: 1 });
    const url = `/oauth/authorize?response_type=code&client_id=app&redirect_uri=${encodeURIComponent(REDIRECT)}`;
    expect(new URL((await get(url)).headers.get('location')!).searchParams.get('error')).toBe('access_denied');
    expect(new URL((await get(url)).headers.get('location')!).searchParams.get('code')).toEqual(expect.any(String));
  });
});

describe('token endpoint', () => {
  it('exchanges a code once, for a JWT access token with exp and a refresh token', async () => {
    const code = await approve('clubs');
    const res = await exchange(code);
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, string | number>;
    expect(body).toMatchObject({ token_type: 'bearer', expires_in: 3600, access_token: expect.stringMatching(/^ey/), refresh_token: expect.any(String) });
    const claims = JSON.parse(Buffer.from(String(body.access_token).split('.')[1]!, 'base64url').toString());
    expect(claims).toMatchObject({ sub: emulator.users[1]!.id, aud: 'app', scopes: ['clubs'], exp: expect.any(Number) });
    const again = await exchange(code);
    expect(again.status).toBe(400);
    expect(await again.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('binds a code to its redirect_uri and client, and checks the secret', async () => {
    expect(await (await exchange(await approve(), { redirect_uri: 'http://127.0.0.1:9/other' })).json()).toMatchObject({ error: 'invalid_grant' });
    const wrongSecret = await exchange(await approve(), { client_secret: 'nope' });
    expect(wrongSecret.status).toBe(401);
    expect(await wrongSecret.json()).toMatchObject({ error: 'invalid_client' });
  });

  it('accepts HTTP Basic client authentication', async () => {
    const res = await post(
      '/api/access_token',
      { grant_type: 'client_credentials' },
      { Authorization: `Basic ${Buffer.from('app:app-secret').toString('base64')}` },
    );
    expect(res.status).toBe(200);
    expect(await res.json()).not.toHaveProperty('refresh_token');
  });

  it('codes expire', async () => {
    await emulator.close();
    emulator = await startTrackmaniaEmulator({ clients: [client], codeLifetime: 0 });
    expect(await (await exchange(await approve())).json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('rotates refresh tokens', async () => {
    const first = (await (await exchange(await approve())).json()) as { refresh_token: string };
    const refresh = (form: Record<string, string>) =>
      post('/api/access_token', { grant_type: 'refresh_token', client_id: 'app', client_secret: 'app-secret', ...form });
    const second = (await (await refresh({ refresh_token: first.refresh_token })).json()) as { refresh_token: string };
    expect(second.refresh_token).not.toBe(first.refresh_token);
    expect((await refresh({ refresh_token: first.refresh_token })).status).toBe(400);
    expect((await refresh({ refresh_token: second.refresh_token })).status).toBe(200);
  });

  it('refuses an unknown grant type', async () => {
    expect(await (await post('/api/access_token', { grant_type: 'password', client_id: 'app', client_secret: 'app-secret' })).json()).toMatchObject({
      error: 'unsupported_grant_type',
    });
  });
});

describe('API endpoints', () => {
  it('/api/user answers for a user token only', async () => {
    const user = emulator.issueAccessToken({ clientId: 'app', userId: emulator.users[0]!.id });
    const res = await get('/api/user', { Authorization: `Bearer ${user}` });
    expect(await res.json()).toEqual({ accountId: emulator.users[0]!.id, displayName: emulator.users[0]!.displayName });
    expect((await get('/api/user', { Authorization: `Bearer ${emulator.issueAccessToken({ clientId: 'app' })}` })).status).toBe(401);
    expect((await get('/api/user')).status).toBe(401);
    expect((await get('/api/user', { Authorization: `Bearer ${new JwtSigner().sign({ iss: 'trackmania', sub: 'x', exp: 9e9 })}` })).status).toBe(401);
    expect((await get('/api/user', { Authorization: `Bearer ${emulator.issueAccessToken({ userId: emulator.users[0]!.id, lifetime: -1 })}` })).status).toBe(
      401,
    );
  });

  it('/api/display-names takes at most 50 ids', async () => {
    const token = emulator.issueAccessToken({ clientId: 'app' });
    const ids = emulator.users.map((u) => `accountId[]=${u.id}`).join('&');
    expect(await (await get(`/api/display-names?${ids}`, { Authorization: `Bearer ${token}` })).json()).toEqual(
      Object.fromEntries(emulator.users.map((u) => [u.id, u.displayName])),
    );
    const tooMany = Array.from({ length: 51 }, (_, i) => `accountId[]=${i}`).join('&');
    expect((await get(`/api/display-names?${tooMany}`, { Authorization: `Bearer ${token}` })).status).toBe(400);
  });
});

describe('faults', () => {
  it('status with the provider error shape, malformed, delay, times', async () => {
    emulator.fault('token', { type: 'status', status: 503 }, { times: 1 });
    const failed = await post('/api/access_token', {});
    expect(failed.status).toBe(503);
    expect(await failed.json()).toMatchObject({ error: 'server_error' });
    expect((await post('/api/access_token', {})).status).toBe(400); // the fault was used up: no grant_type

    emulator.fault('user', { type: 'malformed' });
    expect(await (await get('/api/user')).text()).toContain('not json');
    emulator.clearFaults();

    emulator.fault('*', { type: 'delay', ms: 100 });
    const started = Date.now();
    expect((await get('/api/user')).status).toBe(401);
    expect(Date.now() - started).toBeGreaterThanOrEqual(90);
  });

  it('reset closes the connection; hang holds it until close()', async () => {
    emulator.fault('user', { type: 'reset' });
    await expect(get('/api/user')).rejects.toThrow();
    emulator.fault('user', { type: 'hang' });
    const hung = get('/api/user').then(
      () => 'answered',
      () => 'closed',
    );
    const result = await Promise.race([hung, new Promise((r) => setTimeout(() => r('still waiting'), 200))]);
    expect(result).toBe('still waiting');
    await emulator.close();
    expect(await hung).toBe('closed');
    emulator = await startTrackmaniaEmulator({ clients: [client] });
  });

  it('records requests with parsed bodies', async () => {
    await post('/api/access_token', { grant_type: 'client_credentials', client_id: 'app', client_secret: 'app-secret' });
    expect(emulator.lastRequest('token')).toMatchObject({ method: 'POST', path: '/api/access_token', form: { grant_type: 'client_credentials' } });
    expect(emulator.requestsTo('token')).toHaveLength(1);
  });
});
