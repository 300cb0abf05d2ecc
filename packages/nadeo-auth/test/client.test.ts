import { DEFAULT_CLIENT, DEFAULT_DEDICATED_ACCOUNT, DEFAULT_SERVICE_ACCOUNT, startNadeoEmulator, startTrackmaniaEmulator, type NadeoEmulator, type TrackmaniaEmulator } from '@maniapass/emulators';
import { MemoryTokenStore, NadeoClient, ParameterError, ProviderError, TokenError, UsageError, type NadeoClientOptions } from 'nadeo-auth';
import { inspect } from 'node:util';

let nadeo: NadeoEmulator;
let trackmania: TrackmaniaEmulator;

beforeAll(async () => {
  trackmania = await startTrackmaniaEmulator();
  nadeo = await startNadeoEmulator({ oauthURL: trackmania.url });
});
afterAll(async () => {
  await nadeo.close();
  await trackmania.close();
});
afterEach(() => {
  nadeo.clearFaults();
  nadeo.clearRequests();
  nadeo.accessTokenLifetime = 3600;
  nadeo.refreshAfter = 0;
  trackmania.clearFaults();
});

const UA = 'nadeo-auth-tests / tests@example.com';
const MAP = 'olsKnq_qAghcVAnEkoeUnVHFZei';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const sleepUntil = (ms: number) => sleep(Math.max(0, ms - Date.now()));
/** When the Live token was issued (its `iat`), in ms: timing tests count from there. */
const issuedAt = async (api: NadeoClient) => {
  const { accessToken } = await api.token('live');
  return (JSON.parse(Buffer.from(accessToken.split('.')[1]!, 'base64url').toString('utf8')) as { iat: number }).iat * 1000;
};

function client(extra: Partial<NadeoClientOptions> = {}): NadeoClient {
  return new NadeoClient({
    ...nadeo.clientOptions(),
    account: { login: DEFAULT_SERVICE_ACCOUNT.login, password: DEFAULT_SERVICE_ACCOUNT.password },
    oauth: { identifier: DEFAULT_CLIENT.clientId, secret: DEFAULT_CLIENT.clientSecret },
    userAgent: UA,
    minInterval: 0,
    ...extra,
  });
}
const mapURL = () => `${nadeo.clientOptions().liveURL}/api/token/map/${MAP}`;
const cupURL = () => `${nadeo.clientOptions().meetURL}/api/cup-of-the-day/current`;
const namesURL = () => `${nadeo.clientOptions().coreURL}/accounts/displayNames/`;

describe('NadeoClient: tokens by host', () => {
  it('gets nothing until used, then one token per audience, sent as nadeo_v1 on Core, Live and Meet', async () => {
    const api = client();
    expect(nadeo.tokenRequests().basic).toBe(0);
    const names = await api.get(namesURL(), { query: { accountIdList: DEFAULT_SERVICE_ACCOUNT.accountId } });
    expect(names).toEqual([{ accountId: DEFAULT_SERVICE_ACCOUNT.accountId, displayName: 'EmulatorService', timestamp: expect.any(String) }]);
    expect(await api.get(mapURL())).toMatchObject({ uid: MAP });
    expect(await api.get(cupURL())).toMatchObject({ id: 1234 });
    const basics = nadeo.requestsTo('token-basic').map((r) => r.json);
    expect(basics).toEqual([{ audience: 'NadeoServices' }, { audience: 'NadeoLiveServices' }]);
    const live = nadeo.lastRequest('map')!;
    expect(live.headers.authorization).toMatch(/^nadeo_v1 t=[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(live.headers['user-agent']).toBe(UA);
    expect(nadeo.lastRequest('cup-of-the-day')!.headers.authorization).toBe(live.headers.authorization);
  });

  it('answers null for 204', async () => {
    const cup = nadeo.cupOfTheDay;
    nadeo.cupOfTheDay = null;
    try {
      expect(await client().get(cupURL())).toBeNull();
    } finally {
      nadeo.cupOfTheDay = cup;
    }
  });

  it('sends OAuth2 tokens to api.trackmania.com as Bearer', async () => {
    const api = client();
    const names = await api.get(`${trackmania.url}/api/display-names`, { query: { 'accountId[]': ['5b4d42f4-c2de-407d-b367-cbff3fe817bc'] } });
    expect(names).toEqual({ '5b4d42f4-c2de-407d-b367-cbff3fe817bc': 'tooInfinite' });
    expect(trackmania.lastRequest('display-names')!.headers.authorization).toMatch(/^Bearer [\w-]+\.[\w-]+\.[\w-]+$/);
    expect(trackmania.lastRequest('token')!.form!.grant_type).toBe('client_credentials');
    expect(nadeo.tokenRequests().basic).toBe(0);
  });

  it('refuses other hosts, and hosts it has no credentials for, before any request', async () => {
    await expect(client().get('https://example.com/api/x')).rejects.toThrow(UsageError);
    await expect(client().get('https://example.com/api/x')).rejects.toThrow(/not a Nadeo host/);
    await expect(client({ oauth: undefined }).get(`${trackmania.url}/api/display-names`)).rejects.toThrow(/need the oauth option/);
    await expect(client({ account: undefined }).get(mapURL())).rejects.toThrow(/need the account option/);
    expect(nadeo.tokenRequests().basic).toBe(0);
  });

  it('checks its options: userAgent and credentials are required', () => {
    expect(() => new NadeoClient({ ...nadeo.clientOptions(), account: { login: 'a', password: 'b' }, userAgent: '' })).toThrow(ParameterError);
    expect(() => new NadeoClient({ ...nadeo.clientOptions(), userAgent: UA })).toThrow(/account .* or an oauth app/);
    expect(() => new NadeoClient({ account: { login: 'a', password: '' }, userAgent: UA })).toThrow(ParameterError);
  });

  it('token() gives the kept token for any audience alias', async () => {
    const api = client();
    const token = await api.token('club');
    expect(token.audience).toBe('NadeoLiveServices');
    expect(await api.token('live')).toBe(token);
    expect(nadeo.tokenRequests().basic).toBe(1);
  });

  it('sends post, put and delete with a JSON body and the token', async () => {
    const api = client();
    const err = (await api.post(mapURL(), { hello: 'world' }).catch((e: unknown) => e)) as ProviderError;
    expect(err.upstreamStatus).toBe(404); // the emulator has no POST route here: what matters is what was sent
    const sent = nadeo.live.requests.at(-1)!;
    expect(sent.method).toBe('POST');
    expect(sent.json).toEqual({ hello: 'world' });
    expect(sent.headers.authorization).toMatch(/^nadeo_v1 t=/);
    await api.put(mapURL(), [1]).catch(() => undefined);
    expect(nadeo.live.requests.at(-1)!.method).toBe('PUT');
    await api.delete(mapURL()).catch(() => undefined);
    expect(nadeo.live.requests.at(-1)!.method).toBe('DELETE');
    expect(nadeo.live.requests.at(-1)!.body).toBe('');
  });
});

describe('NadeoClient: concurrency', () => {
  it('1000 concurrent calls make one token request', async () => {
    const api = client();
    const results = await Promise.all(Array.from({ length: 1000 }, () => api.get<{ uid: string }>(mapURL())));
    expect(results.every((r) => r.uid === MAP)).toBe(true);
    expect(nadeo.tokenRequests()).toEqual({ basic: 1, refresh: 0 });
    expect(nadeo.requestsTo('map')).toHaveLength(1000);
  });

  it('concurrent calls answered 401 together cause one refresh', async () => {
    const api = client();
    await api.get(mapURL());
    nadeo.fault('map', { type: 'status', status: 401 }, { times: 50 });
    const results = await Promise.all(Array.from({ length: 50 }, () => api.get<{ uid: string }>(mapURL())));
    expect(results.every((r) => r.uid === MAP)).toBe(true);
    expect(nadeo.tokenRequests()).toEqual({ basic: 1, refresh: 1 });
  });

  it('keeps the tokens of different accounts apart in a shared store', async () => {
    const store = new MemoryTokenStore();
    const service = client({ store });
    const dedicated = client({ store, account: { login: DEFAULT_DEDICATED_ACCOUNT.login, password: DEFAULT_DEDICATED_ACCOUNT.password, kind: 'dedicated' } });
    const [a, b] = await Promise.all([service.token('core'), dedicated.token('core')]);
    expect(a.accessToken).not.toBe(b.accessToken);
    const sub = (jwt: string) => (JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString('utf8')) as { sub: string }).sub;
    expect(sub(a.accessToken)).toBe(DEFAULT_SERVICE_ACCOUNT.accountId);
    expect(sub(b.accessToken)).toBe(DEFAULT_DEDICATED_ACCOUNT.accountId);
    expect(nadeo.tokenRequests().basic).toBe(2);
  });

  it('clients sharing a store share one token', async () => {
    const store = new MemoryTokenStore();
    const [a, b] = [client({ store }), client({ store })];
    await Promise.all([a.get(mapURL()), b.get(mapURL()), a.get(cupURL()), b.get(cupURL())]);
    expect(nadeo.tokenRequests().basic).toBe(1);
  });
});

describe('NadeoClient: expiry and refresh', () => {
  it('refreshes shortly before expiry, without a 401', async () => {
    nadeo.accessTokenLifetime = 3;
    const api = client({ refreshMargin: 300 }); // capped at a fifth of the token's life: 0.6 s
    await api.get(mapURL());
    const issued = await issuedAt(api);
    await sleepUntil(issued + 1000);
    await api.get(mapURL()); // at 1.0 s of 3: still the first token
    expect(nadeo.tokenRequests()).toEqual({ basic: 1, refresh: 0 });
    await sleepUntil(issued + 2500);
    await api.get(mapURL()); // at 2.5 s: past exp - 0.6, before exp
    expect(nadeo.tokenRequests()).toEqual({ basic: 1, refresh: 1 });
    expect(nadeo.requestsTo('map')).toHaveLength(3); // no request was answered 401 and retried
  });

  it('never refreshes before the rat claim', async () => {
    nadeo.accessTokenLifetime = 3;
    nadeo.refreshAfter = 3; // rat = exp
    const api = client({ refreshMargin: 300 }); // capped at 0.6 s
    await api.get(mapURL());
    const issued = await issuedAt(api);
    await sleepUntil(issued + 2550);
    await api.get(mapURL()); // past exp - margin but before rat: the token is still valid and is kept
    expect(nadeo.tokenRequests()).toEqual({ basic: 1, refresh: 0 });
    await sleepUntil(issued + 3100);
    await api.get(mapURL()); // past rat (= exp): refreshed
    expect(nadeo.tokenRequests()).toEqual({ basic: 1, refresh: 1 });
  });

  it('on a 401 refreshes once and retries', async () => {
    const api = client();
    await api.get(mapURL());
    nadeo.fault('map', { type: 'status', status: 401 }, { times: 1 });
    expect(await api.get(mapURL())).toMatchObject({ uid: MAP });
    expect(nadeo.tokenRequests()).toEqual({ basic: 1, refresh: 1 });
    const [, rejected, retried] = nadeo.requestsTo('map').map((r) => r.headers.authorization);
    expect(retried).not.toBe(rejected);
  });

  it('a second 401 fails with the status and the URL without its query', async () => {
    const api = client();
    nadeo.fault('map', { type: 'status', status: 401 }, { times: 2 });
    const err = (await api.get(mapURL(), { query: { hint: 'q' } }).catch((e: unknown) => e)) as ProviderError;
    expect(err).toBeInstanceOf(ProviderError);
    expect(err.upstreamStatus).toBe(401);
    expect(err.url).toBe(mapURL());
    expect(nadeo.requestsTo('map')).toHaveLength(2);
  });

  it('a 401 before rat gets a new token with the credentials instead of refreshing', async () => {
    nadeo.refreshAfter = 600;
    const api = client();
    await api.get(mapURL());
    nadeo.fault('map', { type: 'status', status: 401 }, { times: 1 });
    expect(await api.get(mapURL())).toMatchObject({ uid: MAP });
    expect(nadeo.tokenRequests()).toEqual({ basic: 2, refresh: 0 });
  });

  it('a refused refresh falls back to the credentials', async () => {
    const api = client();
    await api.get(mapURL());
    nadeo.fault('map', { type: 'status', status: 401 }, { times: 1 });
    nadeo.fault('token-refresh', { type: 'status', status: 401 }, { times: 1 });
    expect(await api.get(mapURL())).toMatchObject({ uid: MAP });
    expect(nadeo.tokenRequests()).toEqual({ basic: 2, refresh: 1 });
  });

  it('an expired token is replaced before use', async () => {
    nadeo.accessTokenLifetime = 1;
    const api = client();
    await api.get(mapURL());
    await sleepUntil((await issuedAt(api)) + 1100);
    await api.get(mapURL());
    expect(nadeo.tokenRequests()).toEqual({ basic: 1, refresh: 1 });
    expect(nadeo.requestsTo('map')).toHaveLength(2);
  });
});

describe('NadeoClient: politeness and errors', () => {
  it('spaces requests by minInterval, 500 ms by default', async () => {
    const api = client({ minInterval: 150 });
    await api.get(mapURL()); // token and first slot
    let started = Date.now();
    await Promise.all([api.get(mapURL()), api.get(mapURL()), api.get(mapURL())]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(2 * 150 - 5);
    const polite = client({ minInterval: undefined });
    await polite.get(mapURL());
    started = Date.now();
    await polite.get(mapURL());
    expect(Date.now() - started).toBeGreaterThanOrEqual(495);
  });

  it('waits on 429 as Retry-After says, then succeeds', async () => {
    const api = client();
    await api.get(mapURL());
    nadeo.fault('map', { type: 'status', status: 429, headers: { 'Retry-After': '1' } }, { times: 1 });
    const started = Date.now();
    expect(await api.get(mapURL())).toMatchObject({ uid: MAP });
    expect(Date.now() - started).toBeGreaterThanOrEqual(995);
    expect(nadeo.requestsTo('map')).toHaveLength(3);
  });

  it('fails on 429 when the wait is too long or the retries are used up', async () => {
    const api = client({ maxRetryAfter: 5, maxRetries: 2 });
    nadeo.fault('map', { type: 'status', status: 429, headers: { 'Retry-After': '120' } }, { times: 1 });
    const started = Date.now();
    const tooLong = (await api.get(mapURL()).catch((e: unknown) => e)) as ProviderError;
    expect(tooLong.upstreamStatus).toBe(429);
    expect(tooLong.message).toContain('Retry-After: 120');
    expect(Date.now() - started).toBeLessThan(1000);
    nadeo.fault('map', { type: 'status', status: 429, headers: { 'Retry-After': '0' } }, { times: 5 });
    const exhausted = (await api.get(mapURL()).catch((e: unknown) => e)) as ProviderError;
    expect(exhausted.upstreamStatus).toBe(429);
    expect(nadeo.requestsTo('map')).toHaveLength(1 + 3);
  });

  it('HTTP errors carry the status and the URL without query, never a credential or token', async () => {
    const api = client();
    const token = await api.token('live');
    nadeo.fault('map', { type: 'status', status: 503, body: JSON.stringify({ code: 'down', message: `maintenance for ${token.accessToken}` }) }, { times: 1 });
    const err = (await api.get(mapURL(), { query: { secretish: 'query-value' } }).catch((e: unknown) => e)) as ProviderError;
    expect(err).toBeInstanceOf(ProviderError);
    expect(err.upstreamStatus).toBe(503);
    expect(err.url).toBe(mapURL());
    expect(err.message).toBe(`nadeo: GET ${mapURL()} answered HTTP 503: maintenance for [redacted]`);
    const shown = `${err.message} ${inspect(err)} ${JSON.stringify(err)}`;
    for (const secret of [token.accessToken, token.refreshToken!, DEFAULT_SERVICE_ACCOUNT.password, DEFAULT_CLIENT.clientSecret, 'query-value']) expect(shown).not.toContain(secret);
    const notFound = (await api.get(`${nadeo.clientOptions().liveURL}/api/token/map/nope`).catch((e: unknown) => e)) as ProviderError;
    expect(notFound.upstreamStatus).toBe(404);
    expect(notFound.message).toContain('Map not found');
  });

  it('wrong credentials: a TokenError on first use, and no API request', async () => {
    const api = client({ account: { login: DEFAULT_SERVICE_ACCOUNT.login, password: 'wrong-Xq7vK2pZ9' } });
    const err = (await api.get(mapURL()).catch((e: unknown) => e)) as TokenError;
    expect(err).toBeInstanceOf(TokenError);
    expect(err.upstreamStatus).toBe(401);
    expect(err.message).toMatch(/check the login and password/);
    expect(err.message).not.toContain('wrong-Xq7vK2pZ9');
    expect(nadeo.requestsTo('map')).toHaveLength(0);
    expect(inspect(api)).not.toContain('wrong-Xq7vK2pZ9');
  });

  it('sends every request, token requests included, through an injected fetch', async () => {
    const seen: string[] = [];
    const api = client({
      fetch: (url, init) => {
        seen.push(`${init.method} ${new URL(url).pathname}`);
        return fetch(url, init);
      },
    });
    expect(await api.get(mapURL())).toMatchObject({ uid: MAP });
    expect(seen).toEqual(['POST /v2/authentication/token/basic', `GET /api/token/map/${MAP}`]);
  });

  it('a hung API call times out with the limit', async () => {
    const api = client({ timeout: 300 });
    await api.get(mapURL());
    nadeo.fault('map', { type: 'hang' }, { times: 1 });
    const err = (await api.get(mapURL()).catch((e: unknown) => e)) as ProviderError;
    expect(err.code).toBe('ETIMEDOUT');
    expect(err.message).toContain('300 ms');
  });
});
