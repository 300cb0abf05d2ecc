import { DEFAULT_CLIENT, startToornamentEmulator, toornamentRateLimit, toornamentSpec, type ToornamentEmulator } from '@maniapass/emulators';

let emulator: ToornamentEmulator;
beforeAll(async () => {
  emulator = await startToornamentEmulator({ autoApprove: true });
});
afterAll(() => emulator.close());
afterEach(() => emulator.clearFaults());

const KEY = 'emulator-api-key';
const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();

async function post(path: string, fields: Record<string, string>, headers: Record<string, string> = {}, target = emulator) {
  const res = await fetch(`${target.url}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
    body: form(fields),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

async function meInfo(headers: Record<string, string>, query = '', target = emulator) {
  const res = await fetch(`${target.url}/account/v2/me/info${query}`, { headers });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

/** Signs in (auto-approve) and exchanges the code; returns the token response. */
async function userToken(scope = 'user:info', target = emulator) {
  const redirectUri = 'http://127.0.0.1:1/cb';
  const authorize = await fetch(
    `${target.url}/oauth2/authorize?${form({ response_type: 'code', client_id: DEFAULT_CLIENT.clientId, redirect_uri: redirectUri, scope, state: 's' })}`,
    { redirect: 'manual' },
  );
  const code = new URL(authorize.headers.get('location')!).searchParams.get('code')!;
  return post(
    '/oauth/v2/token',
    { grant_type: 'authorization_code', code, redirect_uri: redirectUri, client_id: DEFAULT_CLIENT.clientId, client_secret: DEFAULT_CLIENT.clientSecret },
    {},
    target,
  );
}

describe('Toornament emulator', () => {
  it('points a strategy at itself, API key included', () => {
    expect(emulator.strategyOptions()).toEqual({
      clientID: DEFAULT_CLIENT.clientId,
      clientSecret: DEFAULT_CLIENT.clientSecret,
      authorizationURL: `${emulator.url}/oauth2/authorize`,
      tokenURL: `${emulator.url}/oauth/v2/token`,
      userProfileURL: `${emulator.url}/account/v2/me/info`,
      apiKey: KEY,
    });
  });

  it('answers the documented token response: bearer, expires_in 90000, scope as granted', async () => {
    const user = await userToken('user:info organizer:view');
    expect(user.status).toBe(200);
    expect(user.json).toMatchObject({
      token_type: 'bearer',
      expires_in: 90000,
      scope: 'user:info organizer:view',
      access_token: expect.any(String),
      refresh_token: expect.any(String),
    });
    const app = await post('/oauth/v2/token', {
      grant_type: 'client_credentials',
      client_id: DEFAULT_CLIENT.clientId,
      client_secret: DEFAULT_CLIENT.clientSecret,
    });
    expect(app.json).toMatchObject({ token_type: 'bearer', expires_in: 90000, scope: null });
    expect(app.json).not.toHaveProperty('refresh_token');
  });

  it('token errors are league-style { error, message, hint }', async () => {
    const bad = await post('/oauth/v2/token', {
      grant_type: 'authorization_code',
      code: 'nope',
      redirect_uri: 'http://x/cb',
      client_id: DEFAULT_CLIENT.clientId,
      client_secret: DEFAULT_CLIENT.clientSecret,
    });
    expect(bad.status).toBe(400);
    expect(bad.json).toEqual({
      error: 'invalid_grant',
      message: expect.stringContaining('authorization grant'),
      hint: 'The authorization code is invalid or expired',
    });
    const client = await post('/oauth/v2/token', { grant_type: 'client_credentials', client_id: DEFAULT_CLIENT.clientId, client_secret: 'wrong' });
    expect(client).toEqual({ status: 401, json: { error: 'invalid_client', message: 'Client authentication failed' } });
  });

  it('serves /me/info with an 18-digit string id, and only with a valid API key', async () => {
    const { json } = await userToken();
    const bearer = { Authorization: `Bearer ${json.access_token as string}` };
    const ok = await meInfo({ ...bearer, 'X-Api-Key': KEY });
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.text)).toEqual({ id: '145246939508809147', name: 'My NickName', country: 'US' });
    const missing = await meInfo(bearer);
    expect(missing.status).toBe(401);
    expect(JSON.parse(missing.text)).toEqual({ errors: [{ message: expect.stringContaining('API key') }] });
    const wrong = await meInfo({ ...bearer, 'X-Api-Key': 'wrong' });
    expect(wrong.status).toBe(403);
    expect(JSON.parse(wrong.text)).toEqual({ errors: [{ message: 'Invalid API key' }] });
    // The development-only query parameter.
    expect((await meInfo(bearer, `?api_key=${KEY}`)).status).toBe(200);
  });

  it('refuses a token without user:info, a client token and no token on /me/info', async () => {
    const { json } = await userToken('organizer:view');
    const noScope = await meInfo({ Authorization: `Bearer ${json.access_token as string}`, 'X-Api-Key': KEY });
    expect(noScope.status).toBe(403);
    expect(noScope.text).toContain('user:info');
    const app = await post('/oauth/v2/token', {
      grant_type: 'client_credentials',
      client_id: DEFAULT_CLIENT.clientId,
      client_secret: DEFAULT_CLIENT.clientSecret,
      scope: 'user:info',
    });
    expect((await meInfo({ Authorization: `Bearer ${app.json.access_token as string}`, 'X-Api-Key': KEY })).status).toBe(401);
    expect((await meInfo({ 'X-Api-Key': KEY })).status).toBe(401);
  });

  it('accepts token requests without an API key by default, and refuses them when told to', async () => {
    const fields = { grant_type: 'client_credentials', client_id: DEFAULT_CLIENT.clientId, client_secret: DEFAULT_CLIENT.clientSecret };
    expect((await post('/oauth/v2/token', fields)).status).toBe(200);
    const strict = await startToornamentEmulator({ requireApiKeyForToken: true, apiKeys: ['k-one', 'k-two'] });
    try {
      expect(strict.strategyOptions().apiKey).toBe('k-one');
      expect(await post('/oauth/v2/token', fields, {}, strict)).toMatchObject({ status: 401, json: { errors: [{ message: expect.any(String) }] } });
      expect((await post('/oauth/v2/token', fields, { 'X-Api-Key': KEY }, strict)).status).toBe(403);
      expect((await post('/oauth/v2/token', fields, { 'X-Api-Key': 'k-two' }, strict)).status).toBe(200);
    } finally {
      await strict.close();
    }
  });

  it('can send the id as a bare JSON number', async () => {
    const numeric = await startToornamentEmulator({ numericIds: true, autoApprove: true });
    try {
      const { json } = await userToken('user:info', numeric);
      const res = await meInfo({ Authorization: `Bearer ${json.access_token as string}`, 'X-Api-Key': KEY }, '', numeric);
      expect(res.text).toBe('{"id":145246939508809147,"name":"My NickName","country":"US"}');
    } finally {
      await numeric.close();
    }
  });

  it('rate limits with 429, { retry_after } and a Retry-After header', async () => {
    emulator.fault('me', toornamentRateLimit(12), { times: 1 });
    const limited = await meInfo({ 'X-Api-Key': KEY });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('12');
    expect(JSON.parse(limited.text)).toEqual({ retry_after: 12 });
    emulator.fault('me', { type: 'status', status: 429 }, { times: 1 });
    expect(JSON.parse((await meInfo({ 'X-Api-Key': KEY })).text)).toEqual({ retry_after: 60 });
    emulator.fault('me', { type: 'status', status: 502 }, { times: 1 });
    expect(JSON.parse((await meInfo({ 'X-Api-Key': KEY })).text)).toEqual({ errors: [{ message: 'Emulated HTTP 502' }] });
  });

  it('documents the fourteen scopes and refuses others at the authorize step', async () => {
    expect(toornamentSpec.scopes).toHaveLength(14);
    const res = await fetch(
      `${emulator.url}/oauth2/authorize?${form({ response_type: 'code', client_id: DEFAULT_CLIENT.clientId, redirect_uri: 'http://127.0.0.1:1/cb', scope: 'user:info email' })}`,
      { redirect: 'manual' },
    );
    const location = new URL(res.headers.get('location')!);
    expect(location.searchParams.get('error')).toBe('invalid_scope');
  });

  it('makes unique users with 18-digit ids', () => {
    const user = toornamentSpec.makeUser(7);
    expect(user.id).toMatch(/^\d{18}$/);
    expect(user.id).not.toBe(toornamentSpec.makeUser(8).id);
  });
});
