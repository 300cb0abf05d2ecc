import { DEFAULT_DEDICATED_ACCOUNT, DEFAULT_SERVICE_ACCOUNT, startNadeoEmulator, type NadeoEmulator } from '@maniapass/emulators';

let emulator: NadeoEmulator;

beforeAll(async () => {
  emulator = await startNadeoEmulator();
});
afterAll(() => emulator.close());
afterEach(() => emulator.clearFaults());

const UA = 'nadeo-emulator-test / tests@example.com';
const basic = (login: string, password: string) => `Basic ${Buffer.from(`${login}:${password}`).toString('base64')}`;
const claims = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;

async function getToken(body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${emulator.url}/v2/authentication/token/basic`, {
    method: 'POST',
    headers: {
      Authorization: basic(DEFAULT_SERVICE_ACCOUNT.login, DEFAULT_SERVICE_ACCOUNT.password),
      'Content-Type': 'application/json',
      'User-Agent': UA,
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as Record<string, string> };
}

describe('Nadeo emulator', () => {
  it('serves three hosts on distinct origins', () => {
    const { coreURL, liveURL, meetURL } = emulator.clientOptions();
    expect(new Set([new URL(coreURL).origin, new URL(liveURL).origin, new URL(meetURL).origin]).size).toBe(3);
  });

  it('issues signed access and refresh tokens with the documented claims', async () => {
    const before = Math.floor(Date.now() / 1000);
    const { status, json } = await getToken({ audience: 'NadeoLiveServices' });
    expect(status).toBe(200);
    const access = claims(json.accessToken!);
    expect(access).toMatchObject({
      iss: 'NadeoServices',
      aud: 'NadeoLiveServices',
      usg: 'Client',
      sub: DEFAULT_SERVICE_ACCOUNT.accountId,
      aun: DEFAULT_SERVICE_ACCOUNT.displayName,
      rtk: false,
    });
    expect(access.exp).toBeGreaterThanOrEqual(before + 3600);
    expect(access.rat).toBeGreaterThanOrEqual(before);
    for (const claim of ['jti', 'iat', 'sid', 'sat', 'pce', 'ubiservices_uid']) expect(access).toHaveProperty(claim);
    const refresh = claims(json.refreshToken!);
    expect(refresh).toMatchObject({ rtk: true, refresh_aud: 'NadeoLiveServices', sub: DEFAULT_SERVICE_ACCOUNT.accountId });
    expect(refresh.exp).toBeGreaterThanOrEqual(before + 86400);
    expect(emulator.signer.verify(json.accessToken!)).toEqual(access);
  });

  it('defaults to NadeoServices without a body and marks dedicated server tokens as Server', async () => {
    const { json } = await getToken(undefined, { Authorization: basic(DEFAULT_DEDICATED_ACCOUNT.login, DEFAULT_DEDICATED_ACCOUNT.password) });
    expect(claims(json.accessToken!)).toMatchObject({ aud: 'NadeoServices', usg: 'Server', sub: DEFAULT_DEDICATED_ACCOUNT.accountId });
  });

  it('refuses wrong credentials, a generic or missing User-Agent and an unknown audience', async () => {
    expect((await getToken({ audience: 'NadeoServices' }, { Authorization: basic(DEFAULT_SERVICE_ACCOUNT.login, 'wrong') })).status).toBe(401);
    expect((await getToken({ audience: 'NadeoServices' }, { 'User-Agent': 'node' })).status).toBe(403);
    expect((await getToken({ audience: 'NadeoServices' }, { 'User-Agent': '' })).status).toBe(403);
    expect((await getToken({ audience: 'OAuth2' })).status).toBe(400);
  });

  it('refreshes with the refresh token, and only after rat', async () => {
    const { json } = await getToken({ audience: 'NadeoServices' });
    const refresh = (token: string) =>
      fetch(`${emulator.url}/v2/authentication/token/refresh`, { method: 'POST', headers: { Authorization: `nadeo_v1 t=${token}`, 'User-Agent': UA } });
    const ok = await refresh(json.refreshToken!);
    expect(ok.status).toBe(200);
    const renewed = (await ok.json()) as Record<string, string>;
    expect(claims(renewed.accessToken!).aud).toBe('NadeoServices');
    expect((await refresh(json.accessToken!)).status).toBe(401); // an access token is not a refresh token
    const early = emulator.issueTokens({ refreshAfter: 600 });
    expect((await refresh(early.refreshToken)).status).toBe(401);
  });

  it('checks the audience and the expiry on each host, and answers 204 when there is no cup', async () => {
    const core = emulator.issueTokens({ audience: 'NadeoServices' });
    const live = emulator.issueTokens({ audience: 'NadeoLiveServices' });
    const expired = emulator.issueTokens({ audience: 'NadeoLiveServices', accessLifetime: -1 });
    const { coreURL, liveURL, meetURL } = emulator.clientOptions();
    const call = (url: string, token: string) => fetch(url, { headers: { Authorization: `nadeo_v1 t=${token}` } });
    const zones = await call(`${coreURL}/accounts/zones/?accountIdList=${DEFAULT_SERVICE_ACCOUNT.accountId}`, core.accessToken);
    expect(await zones.json()).toEqual([{ accountId: DEFAULT_SERVICE_ACCOUNT.accountId, timestamp: expect.any(String), zoneId: expect.any(String) }]);
    expect((await call(`${coreURL}/accounts/zones/?accountIdList=x`, live.accessToken)).status).toBe(401);
    // Removed by Nadeo on 2023-09-19: display names come from the public API.
    expect((await call(`${coreURL}/accounts/displayNames/?accountIdList=${DEFAULT_SERVICE_ACCOUNT.accountId}`, core.accessToken)).status).toBe(404);
    expect((await call(`${liveURL}/api/token/map/olsKnq_qAghcVAnEkoeUnVHFZei`, live.accessToken)).status).toBe(200);
    expect((await call(`${liveURL}/api/token/map/olsKnq_qAghcVAnEkoeUnVHFZei`, core.accessToken)).status).toBe(401);
    expect((await call(`${liveURL}/api/token/map/olsKnq_qAghcVAnEkoeUnVHFZei`, expired.accessToken)).status).toBe(401);
    expect((await call(`${meetURL}/api/cup-of-the-day/current`, live.accessToken)).status).toBe(200);
    const cup = emulator.cupOfTheDay;
    emulator.cupOfTheDay = null;
    try {
      expect((await call(`${meetURL}/api/cup-of-the-day/current`, live.accessToken)).status).toBe(204);
    } finally {
      emulator.cupOfTheDay = cup;
    }
  });

  it('fails on demand on the host that owns the endpoint, and counts token requests', async () => {
    emulator.clearRequests();
    emulator.fault('map', { type: 'status', status: 429, headers: { 'Retry-After': '3' } }, { times: 1 });
    const live = emulator.issueTokens({ audience: 'NadeoLiveServices' });
    const url = `${emulator.clientOptions().liveURL}/api/token/map/olsKnq_qAghcVAnEkoeUnVHFZei`;
    const first = await fetch(url, { headers: { Authorization: `nadeo_v1 t=${live.accessToken}` } });
    expect(first.status).toBe(429);
    expect(first.headers.get('retry-after')).toBe('3');
    expect((await fetch(url, { headers: { Authorization: `nadeo_v1 t=${live.accessToken}` } })).status).toBe(200);
    await getToken({ audience: 'NadeoServices' });
    expect(emulator.tokenRequests()).toEqual({ basic: 1, refresh: 0 });
    expect(emulator.lastRequest('token-basic')!.json).toEqual({ audience: 'NadeoServices' });
    expect(() => emulator.fault('nope', { type: 'hang' })).toThrow(/unknown Nadeo emulator endpoint/);
  });
});
