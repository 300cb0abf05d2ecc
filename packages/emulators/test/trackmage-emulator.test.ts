import { TRACKMAGE_SAMPLE_PASSWORD, startTrackmageEmulator, startTrackmaniaEmulator, trackmageSpec, type TrackmageEmulator } from '@maniapass/emulators';

let emulator: TrackmageEmulator;
const REDIRECT = 'http://127.0.0.1:9/callback';
const client = { clientId: '1_app-public-id', clientSecret: 'app-secret', redirectUris: [REDIRECT] };

beforeEach(async () => {
  emulator = await startTrackmageEmulator({ clients: [client] });
});
afterEach(() => emulator.close());

const jane = trackmageSpec.sampleUsers[0]!;
const other = trackmageSpec.sampleUsers[1]!;
const get = (path: string, headers: Record<string, string> = {}) => fetch(`${emulator.url}${path}`, { redirect: 'manual', headers });
const postForm = (path: string, form: Record<string, string>) =>
  fetch(`${emulator.url}${path}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form),
  });
const postJson = (path: string, body: unknown) =>
  fetch(`${emulator.url}${path}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'Content-Type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

async function approve(userId = jane.id): Promise<string> {
  const res = await postForm('/oauth/v2/auth', { client_id: client.clientId, redirect_uri: REDIRECT, state: 's1', decision: 'approve', user_id: userId });
  expect(res.status).toBe(302);
  return new URL(res.headers.get('location')!).searchParams.get('code')!;
}
const codeGrant = (code: string) => ({
  grant_type: 'authorization_code',
  code,
  redirect_uri: REDIRECT,
  client_id: client.clientId,
  client_secret: client.clientSecret,
});
const bearer = (userId = jane.id) => ({ Authorization: `Bearer ${emulator.issueAccessToken({ userId })}` });

describe('TrackMage emulator: tokens', () => {
  it('exchanges a code with a form POST to /oauth/v2/token; the answer has user_id, user_email and scope null', async () => {
    const res = await postForm('/oauth/v2/token', codeGrant(await approve()));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      access_token: expect.any(String),
      refresh_token: expect.any(String),
      expires_in: 3600,
      token_type: 'bearer',
      scope: null,
      user_id: jane.id,
      user_email: jane.email,
    });
  });

  it("runs the guide's JSON exchange at POST /oauth/v2/auth; a form POST there stays the consent decision", async () => {
    const res = await postJson('/oauth/v2/auth', codeGrant(await approve(other.id)));
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ user_id: other.id, user_email: other.email, scope: null });
    const reused = await postJson('/oauth/v2/auth', codeGrant('used-or-forged'));
    expect(reused.status).toBe(400);
    expect(await reused.json()).toMatchObject({ error: 'invalid_grant' });
    const broken = await postJson('/oauth/v2/auth', '{not json');
    expect(broken.status).toBe(400);
    expect(await broken.json()).toMatchObject({ error: 'invalid_request' });
  });

  it('accepts a JSON POST to /oauth/v2/token too', async () => {
    const res = await postJson('/oauth/v2/token', codeGrant(await approve()));
    expect(await res.json()).toMatchObject({ user_id: jane.id });
  });

  it('gives client-credentials tokens by GET with the query, as documented, and by POST; scope "user", owner id', async () => {
    const query = new URLSearchParams({ grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.clientSecret });
    for (const res of [await get(`/oauth/v2/token?${query}`, { Accept: 'application/json' }), await postForm('/oauth/v2/token', Object.fromEntries(query))]) {
      expect(res.status).toBe(200);
      const body = (await res.json()) as Record<string, string>;
      expect(body).toMatchObject({
        access_token: expect.any(String),
        expires_in: 3600,
        token_type: 'bearer',
        scope: 'user',
        user_id: jane.id,
        user_email: jane.email,
      });
      expect(body).not.toHaveProperty('refresh_token');
      // The API key's token acts as its owner.
      const me = await get(`/users/${jane.id}`, { Authorization: `Bearer ${body.access_token}`, Accept: 'application/json' });
      expect(me.status).toBe(200);
    }
  });

  it('answers bad client credentials as FOSOAuthServerBundle does: 400 invalid_client', async () => {
    const res = await postForm('/oauth/v2/token', { grant_type: 'client_credentials', client_id: client.clientId, client_secret: 'nope' });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: 'invalid_client', error_description: 'The client credentials are invalid' });
  });

  it("has the password grant TrackMage's own test helpers use: GET with the e-mail as username", async () => {
    const query = (password: string) =>
      new URLSearchParams({
        client_id: client.clientId,
        client_secret: client.clientSecret,
        grant_type: 'password',
        username: jane.email,
        password,
      }).toString();
    const res = await get(`/oauth/v2/token?${query(TRACKMAGE_SAMPLE_PASSWORD)}`, { Accept: 'application/json' });
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      token_type: 'bearer',
      user_id: jane.id,
      user_email: jane.email,
      access_token: expect.any(String),
      refresh_token: expect.any(String),
    });
    const profile = await get(`/users/${jane.id}`, { Accept: 'application/json', Authorization: `Bearer ${body.access_token as string}` });
    expect(profile.status).toBe(200);
    const wrong = await get(`/oauth/v2/token?${query('not-the-password')}`, { Accept: 'application/json' });
    expect(wrong.status).toBe(400);
    expect(await wrong.json()).toMatchObject({ error: 'invalid_grant' });
    const missing = await postForm('/oauth/v2/token', {
      client_id: client.clientId,
      client_secret: client.clientSecret,
      grant_type: 'password',
      username: jane.email,
    });
    expect(missing.status).toBe(400);
    expect(await missing.json()).toMatchObject({ error: 'invalid_request' });
  });

  it('a password set through PUT /users/{id} is the one the password grant takes', async () => {
    const put = await fetch(`${emulator.url}/users/${jane.id}`, {
      method: 'PUT',
      headers: { ...bearer(), 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ plainPassword: 'a-new-password-123' }),
    });
    expect(put.status).toBe(200);
    const grant = (password: string) =>
      postForm('/oauth/v2/token', { client_id: client.clientId, client_secret: client.clientSecret, grant_type: 'password', username: jane.email, password });
    expect((await grant(TRACKMAGE_SAMPLE_PASSWORD)).status).toBe(400);
    expect((await grant('a-new-password-123')).status).toBe(200);
  });

  it('rotates refresh tokens', async () => {
    const first = (await (await postForm('/oauth/v2/token', codeGrant(await approve()))).json()) as Record<string, string>;
    const refresh = { grant_type: 'refresh_token', refresh_token: first.refresh_token, client_id: client.clientId, client_secret: client.clientSecret };
    const second = await postForm('/oauth/v2/token', refresh);
    const rotated = (await second.json()) as Record<string, string>;
    expect(rotated).toMatchObject({ user_id: jane.id, refresh_token: expect.any(String) });
    expect(rotated.refresh_token).not.toBe(first.refresh_token);
    expect((await postForm('/oauth/v2/token', refresh)).status).toBe(400);
  });

  it('has no scopes: a scope on the authorize request is invalid_scope', async () => {
    const res = await get(`/oauth/v2/auth?response_type=code&client_id=${client.clientId}&redirect_uri=${encodeURIComponent(REDIRECT)}&scope=user`);
    expect(new URL(res.headers.get('location')!).searchParams.get('error')).toBe('invalid_scope');
  });
});

describe('TrackMage emulator: GET /users/{id}', () => {
  it('answers the User-Get shape with Accept: application/json', async () => {
    const res = await get(`/users/${jane.id}`, { ...bearer(), Accept: 'application/json' });
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await res.json()).toEqual({
      id: jane.id,
      email: jane.email,
      firstName: 'Jane',
      lastName: 'Doe',
      emailVerified: true,
      passwordSet: true,
      trialRedeemed: false,
      timezone: 'Europe/Kyiv',
      photo: null,
      teams: jane.teams,
    });
  });

  it('answers JSON-LD otherwise', async () => {
    for (const accept of [undefined, 'application/ld+json', '*/*']) {
      const res = await get(`/users/${other.id}`, { ...bearer(other.id), ...(accept ? { Accept: accept } : {}) });
      expect(res.headers.get('content-type')).toMatch(/^application\/ld\+json/);
      const body = (await res.json()) as { photo: unknown };
      expect(body).toMatchObject({ '@context': '/contexts/User', '@id': `/users/${other.id}`, '@type': 'User', id: other.id, email: other.email });
      expect(body.photo).toMatchObject({ '@type': 'Media', filePath: other.photo!.filePath });
    }
  });

  it("refuses another user's record with a hydra 403, and an unknown id with a hydra 404", async () => {
    const forbidden = await get(`/users/${other.id}`, { ...bearer(jane.id), Accept: 'application/json' });
    expect(forbidden.status).toBe(403);
    expect(await forbidden.json()).toEqual({
      '@context': '/contexts/Error',
      '@type': 'hydra:Error',
      'hydra:title': 'An error occurred',
      'hydra:description': 'Access Denied.',
    });
    const missing = await get('/users/no-such-user', { ...bearer(), Accept: 'application/json' });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ 'hydra:description': 'Not Found' });
  });

  it("answers auth failures with Lexik JWT's {code, message}", async () => {
    const none = await get(`/users/${jane.id}`, { Accept: 'application/json' });
    expect(none.status).toBe(401);
    expect(await none.json()).toEqual({ code: 401, message: 'JWT Token not found' });
    const expired = await get(`/users/${jane.id}`, { Authorization: `Bearer ${emulator.issueAccessToken({ userId: jane.id, lifetime: -10 })}` });
    expect(await expired.json()).toEqual({ code: 401, message: 'Expired JWT Token' });
    const forged = await get(`/users/${jane.id}`, { Authorization: 'Bearer not.a.jwt' });
    expect(await forged.json()).toEqual({ code: 401, message: 'Invalid JWT Token' });
  });

  it('answers a status fault in hydra form (402 = plan upgrade needed)', async () => {
    emulator.fault('user', { type: 'status', status: 402 }, { times: 1 });
    const res = await get(`/users/${jane.id}`, { ...bearer(), Accept: 'application/json' });
    expect(res.status).toBe(402);
    expect(await res.json()).toMatchObject({ '@type': 'hydra:Error', 'hydra:description': 'Emulated HTTP 402' });
  });

  it('strategyOptions() points a strategy at the emulator through baseURL', () => {
    expect(emulator.strategyOptions()).toEqual({ clientID: client.clientId, clientSecret: client.clientSecret, baseURL: emulator.url });
  });
});

describe('the password grant elsewhere', () => {
  it('is unsupported_grant_type where the provider does not document it (Trackmania)', async () => {
    const trackmania = await startTrackmaniaEmulator();
    try {
      const { clientId, clientSecret } = trackmania.clients[0]!;
      const res = await fetch(`${trackmania.url}/api/access_token`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'password', username: 'x', password: 'y', client_id: clientId, client_secret: clientSecret }),
      });
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ error: 'unsupported_grant_type' });
    } finally {
      await trackmania.close();
    }
  });
});
