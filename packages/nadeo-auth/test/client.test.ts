import {
  DEFAULT_CLIENT,
  DEFAULT_DEDICATED_ACCOUNT,
  DEFAULT_SERVICE_ACCOUNT,
  startNadeoEmulator,
  startTrackmaniaEmulator,
  type NadeoEmulator,
  type TrackmaniaEmulator,
} from '@maniapass/emulators';
import fc from 'fast-check';
import {
  AudienceError,
  MemoryTokenStore,
  NadeoClient,
  ParameterError,
  ProviderError,
  QueueError,
  TokenError,
  UsageError,
  type NadeoClientOptions,
  type StoredToken,
} from 'nadeo-auth';
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
const claimsOf = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
/** The error a promise rejects with (or a test failure when it resolves). */
const rejection = async (promise: Promise<unknown>): Promise<Error> => {
  const outcome = await promise.then(
    () => undefined,
    (e: unknown) => e as Error,
  );
  if (!outcome) throw new Error('expected a rejection');
  return outcome;
};
/** A token-basic answer as Nadeo's: a pair signed by the emulator, with the access token's claims changed. */
const tokenAnswer = (change: (claims: Record<string, unknown>) => void, audience = 'NadeoLiveServices') => {
  const pair = nadeo.issueTokens({ audience });
  const claims = claimsOf(pair.accessToken);
  change(claims);
  return JSON.stringify({ accessToken: nadeo.signer.sign(claims), refreshToken: pair.refreshToken });
};
/** A store that keeps nothing and locks nothing: only the client's own single flight stands between callers. */
class ForgetfulStore extends MemoryTokenStore {
  override async get(): Promise<StoredToken | undefined> {
    return undefined;
  }
  override async withLock<T>(_key: string, fn: () => Promise<T>): Promise<T> {
    return fn();
  }
}
/** A store that answers `planted` for every key until the client stores a token of its own. */
class PlantedStore extends MemoryTokenStore {
  constructor(private readonly planted: (key: string) => StoredToken | undefined) {
    super();
  }
  override async get(key: string): Promise<StoredToken | undefined> {
    return (await super.get(key)) ?? this.planted(key);
  }
}
const mapURL = () => `${nadeo.clientOptions().liveURL}/api/token/map/${MAP}`;
const cupURL = () => `${nadeo.clientOptions().meetURL}/api/cup-of-the-day/current`;
const zonesURL = () => `${nadeo.clientOptions().coreURL}/zones/`;

describe('NadeoClient: tokens by host', () => {
  it('gets nothing until used, then one token per audience, sent as nadeo_v1 on Core, Live and Meet', async () => {
    const api = client();
    expect(nadeo.tokenRequests().basic).toBe(0);
    const zones = await api.get(zonesURL());
    expect(zones).toContainEqual(expect.objectContaining({ name: 'World', zoneId: expect.any(String) }));
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

  it('fails on 429 when the wait is too long or the retries are used up; a long Retry-After holds every request off', async () => {
    const api = client({ maxRetryAfter: 5, maxRetries: 2 });
    nadeo.fault('map', { type: 'status', status: 429, headers: { 'Retry-After': '120' } }, { times: 1 });
    const started = Date.now();
    const tooLong = (await api.get(mapURL()).catch((e: unknown) => e)) as ProviderError;
    expect(tooLong.upstreamStatus).toBe(429);
    expect(tooLong.message).toContain('Retry-After: 120');
    expect(Date.now() - started).toBeLessThan(1000);
    // Nadeo said two minutes: the next request is not sent (its turn is past maxQueueWait).
    const held = (await api.get(mapURL()).catch((e: unknown) => e)) as QueueError;
    expect(held.code).toBe('EQUEUEWAIT');
    expect(nadeo.requestsTo('map')).toHaveLength(1);
    // Retry-After: 0 still waits the floor (1 s) before the one retry, then gives up.
    const other = client({ maxRetries: 1 });
    nadeo.fault('map', { type: 'status', status: 429, headers: { 'Retry-After': '0' } }, { times: 5 });
    const exhausted = (await other.get(mapURL()).catch((e: unknown) => e)) as ProviderError;
    expect(exhausted.upstreamStatus).toBe(429);
    expect(nadeo.requestsTo('map')).toHaveLength(1 + 2);
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
    for (const secret of [token.accessToken, token.refreshToken!, DEFAULT_SERVICE_ACCOUNT.password, DEFAULT_CLIENT.clientSecret, 'query-value'])
      expect(shown).not.toContain(secret);
    const notFound = (await api.get(`${nadeo.clientOptions().liveURL}/api/token/map/nope`).catch((e: unknown) => e)) as ProviderError;
    // An unknown map is Live's 500 NotFoundHttpException, as documented.
    expect(notFound.upstreamStatus).toBe(500);
    expect(notFound.message).toContain('Nadeo Live Services Internal Log');
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

describe('NadeoClient: renewal storms', () => {
  it('while the API answers 401, one renewal: then 401s fail at once, without logging in again, for renewCooldown', async () => {
    nadeo.refreshAfter = 600; // a refresh is not allowed yet: every renewal is a login with the password
    const api = client();
    nadeo.fault('map', { type: 'status', status: 401 });
    const errors: ProviderError[] = [];
    for (let i = 0; i < 11; i++) errors.push((await rejection(api.get(mapURL()))) as ProviderError);
    expect(errors.every((e) => e instanceof ProviderError && e.upstreamStatus === 401)).toBe(true);
    expect(nadeo.tokenRequests()).toEqual({ basic: 2, refresh: 0 }); // the first token, and one renewal
    expect(nadeo.requestsTo('map')).toHaveLength(12); // the first call retried once, the others did not
    expect(errors[0]!.message).not.toContain('renewCooldown');
    for (const e of errors.slice(1)) expect(e.message).toContain('a renewed token was refused too less than 60 s ago, see renewCooldown');
  });

  it('50 calls while the API answers 401, all at once or a few at a time: one renewal', async () => {
    nadeo.refreshAfter = 600;
    const api = client();
    nadeo.fault('map', { type: 'status', status: 401 });
    const all = await Promise.allSettled(Array.from({ length: 50 }, () => api.get(mapURL())));
    expect(all.every((o) => o.status === 'rejected' && (o.reason as ProviderError).upstreamStatus === 401)).toBe(true);
    expect(nadeo.tokenRequests()).toEqual({ basic: 2, refresh: 0 });
    // Two workers, 25 calls each: every call starts with the token the previous one was given.
    const pooled = client({ minInterval: 20 });
    nadeo.clearRequests();
    const worker = async () => {
      for (let i = 0; i < 25; i++) await rejection(pooled.get(mapURL()));
    };
    await Promise.all([worker(), worker()]);
    expect(nadeo.tokenRequests()).toEqual({ basic: 2, refresh: 0 });
  });

  it('renews again once the cool-down is over', async () => {
    nadeo.refreshAfter = 600;
    const api = client({ renewCooldown: 0.5 });
    nadeo.fault('map', { type: 'status', status: 401 });
    await rejection(api.get(mapURL()));
    await rejection(api.get(mapURL()));
    expect(nadeo.tokenRequests().basic).toBe(2);
    await sleep(600);
    nadeo.fault('map', { type: 'status', status: 401 }, { times: 1 });
    expect(await api.get(mapURL())).toMatchObject({ uid: MAP });
    expect(nadeo.tokenRequests().basic).toBe(3);
  });

  it('a renewed token the API accepts may be renewed on a later 401 (the cool-down follows a refused renewal only)', async () => {
    const api = client();
    await api.get(mapURL());
    for (let i = 0; i < 3; i++) {
      nadeo.fault('map', { type: 'status', status: 401 }, { times: 1 });
      expect(await api.get(mapURL())).toMatchObject({ uid: MAP });
    }
    expect(nadeo.tokenRequests()).toEqual({ basic: 1, refresh: 3 });
  });

  it('renews one token at a time per account and audience, even with a store that neither keeps nor locks', async () => {
    const api = client({ store: new ForgetfulStore() });
    await api.get(mapURL());
    nadeo.clearRequests();
    nadeo.fault('map', { type: 'status', status: 401 }, { times: 1 });
    nadeo.fault('token-basic', { type: 'delay', ms: 300 });
    // One call renews after its 401; while that login is under way, 20 callers need a token too.
    const refused = api.get(mapURL());
    await sleep(100);
    const others = Array.from({ length: 20 }, () => api.token('live'));
    const tokens = await Promise.all(others);
    expect(await refused).toMatchObject({ uid: MAP });
    expect(new Set(tokens.map((t) => t.accessToken)).size).toBe(1);
    expect(nadeo.tokenRequests()).toEqual({ basic: 1, refresh: 0 });
  });
});

describe('NadeoClient: a token endpoint answering 429', () => {
  it('is not asked again before its Retry-After: calls fail at once with a TokenError (429)', async () => {
    const api = client({ maxRetryAfter: 1 });
    nadeo.fault('token-basic', { type: 'status', status: 429, headers: { 'Retry-After': '2' } });
    const first = (await rejection(api.get(mapURL()))) as TokenError;
    expect(first).toBeInstanceOf(TokenError);
    expect(first.upstreamStatus).toBe(429);
    const started = Date.now();
    const later = (await Promise.all(Array.from({ length: 10 }, () => rejection(api.get(mapURL()))))) as TokenError[];
    expect(Date.now() - started).toBeLessThan(1000);
    for (const e of later) {
      expect(e).toBeInstanceOf(TokenError);
      expect(e.upstreamStatus).toBe(429);
      expect(e.message).toMatch(/answered 429 Too Many Requests: not asked again for [12] s \(Retry-After\)/);
    }
    expect(nadeo.tokenRequests().basic).toBe(1);
    nadeo.clearFaults();
    await sleep(2100 - (Date.now() - started));
    expect(await api.get(mapURL())).toMatchObject({ uid: MAP });
    expect(nadeo.tokenRequests().basic).toBe(2);
    expect(nadeo.requestsTo('map')).toHaveLength(1);
  });

  it('with a short Retry-After, the one login waits and every concurrent caller gets its token', async () => {
    const api = client();
    nadeo.fault('token-basic', { type: 'status', status: 429, headers: { 'Retry-After': '1' } }, { times: 1 });
    const started = Date.now();
    const results = await Promise.all(Array.from({ length: 20 }, () => api.get<{ uid: string }>(mapURL())));
    expect(results.every((r) => r.uid === MAP)).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(990);
    expect(nadeo.tokenRequests().basic).toBe(2);
  });

  it('without Retry-After, waits a second; and gives up after maxRetries', async () => {
    const api = client({ maxRetries: 1 });
    nadeo.fault('token-basic', { type: 'status', status: 429 });
    const started = Date.now();
    const err = (await rejection(api.get(mapURL()))) as TokenError;
    expect(err.upstreamStatus).toBe(429);
    // The hold-off counts from the first 429, which came after `started`: a busy machine only makes this longer.
    // (A timer that fires early on a busy event loop is waited out: the retry is sent, not refused unsent.)
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(nadeo.tokenRequests().basic).toBe(2); // the first try and one retry
  });

  it('a refresh answered 429 is not followed by a login, and the valid token keeps serving', async () => {
    nadeo.accessTokenLifetime = 3;
    const api = client({ refreshMargin: 300, maxRetryAfter: 5 }); // refreshed 0.6 s before expiry
    await api.get(mapURL());
    const issued = await issuedAt(api);
    nadeo.fault('token-refresh', { type: 'status', status: 429, headers: { 'Retry-After': '30' } });
    await sleepUntil(issued + 2500);
    expect(await api.get(mapURL())).toMatchObject({ uid: MAP }); // due for refresh: refused, the token is still valid
    expect(await api.get(mapURL())).toMatchObject({ uid: MAP }); // the endpoint is not asked again
    expect(nadeo.tokenRequests()).toEqual({ basic: 1, refresh: 1 });
    await sleepUntil(issued + 3100);
    // Expired, and the wait (30 s) is longer than maxRetryAfter: it fails, sending nothing.
    const err = (await rejection(api.get(mapURL()))) as TokenError;
    expect(err.upstreamStatus).toBe(429);
    expect(nadeo.tokenRequests()).toEqual({ basic: 1, refresh: 1 });
    expect(nadeo.requestsTo('map')).toHaveLength(3);
  });

  it('api.trackmania.com answering 429 to client credentials is not asked again before its Retry-After', async () => {
    const api = client({ maxRetryAfter: 1 });
    trackmania.fault('token', { type: 'status', status: 429, headers: { 'Retry-After': '5' } });
    const before = trackmania.requestsTo('token').length;
    const url = `${trackmania.url}/api/display-names`;
    for (let i = 0; i < 5; i++) expect(((await rejection(api.get(url))) as TokenError).upstreamStatus).toBe(429);
    expect(trackmania.requestsTo('token').length - before).toBe(1);
    // Core has its own rate limit: its tokens still come.
    expect(await api.get(mapURL())).toMatchObject({ uid: MAP });
  });
});

describe('NadeoClient: a bounded queue', () => {
  it('past maxQueue waiting requests, one more fails at once with a QueueError and is not sent', async () => {
    const api = client({ minInterval: 100, maxQueue: 3 });
    await api.token('live');
    const outcomes = await Promise.allSettled(Array.from({ length: 6 }, () => api.get(mapURL())));
    const refused = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected').map((o) => o.reason as QueueError);
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(4); // one at once, three in the queue
    expect(refused).toHaveLength(2);
    for (const e of refused) {
      expect(e).toBeInstanceOf(QueueError);
      expect(e.code).toBe('EQUEUEFULL');
      expect(e.message).toBe(`nadeo: GET ${mapURL()} was not sent: 3 requests already wait for their turn (maxQueue 3)`);
    }
    expect(nadeo.requestsTo('map')).toHaveLength(4);
  });

  it('a request whose turn is further than maxQueueWait fails at once', async () => {
    const api = client({ minInterval: 400, maxQueueWait: 600 });
    await api.token('live');
    const outcomes = await Promise.allSettled(Array.from({ length: 4 }, () => api.get(mapURL(), { query: { q: 'hidden' } })));
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'rejected']);
    const err = (outcomes[2] as PromiseRejectedResult).reason as QueueError;
    expect(err.code).toBe('EQUEUEWAIT');
    expect(err.message).toMatch(new RegExp(`^nadeo: GET ${mapURL()} was not sent: its turn is \\d+ ms away \\(maxQueueWait 600 ms\\)$`));
    expect(nadeo.requestsTo('map')).toHaveLength(2);
  });

  it('a Retry-After longer than maxQueueWait fails the waiting requests at once', async () => {
    const api = client({ maxQueueWait: 500 });
    await api.get(mapURL());
    nadeo.fault('map', { type: 'status', status: 429, headers: { 'Retry-After': '2' } }, { times: 1 });
    const started = Date.now();
    const err = (await rejection(api.get(mapURL()))) as QueueError;
    expect(err.code).toBe('EQUEUEWAIT');
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('checks its limits', () => {
    for (const name of ['renewCooldown', 'maxQueue', 'maxQueueWait'] as const) {
      expect(() => client({ [name]: -1 })).toThrow(new ParameterError(`${name} must be a number of at least 0`));
      expect(() => client({ [name]: Number.NaN })).toThrow(ParameterError);
    }
  });
});

describe('NadeoClient: tokens are checked before they are sent', () => {
  it('a token whose aud claim is another audience is refused with an AudienceError, and sent nowhere', async () => {
    const api = client();
    nadeo.fault('token-basic', { type: 'status', status: 200, body: tokenAnswer((c) => (c.aud = 'NadeoServices')) }, { times: 1 });
    const err = await rejection(api.get(mapURL()));
    expect(err).toBeInstanceOf(AudienceError);
    expect(err.message).toBe(
      `nadeo: the token endpoint of ${nadeo.clientOptions().coreURL} answered a token for the audience "NadeoServices" when NadeoLiveServices was asked for: it is not used`,
    );
    expect(nadeo.requestsTo('map')).toHaveLength(0);
    expect(await api.get(mapURL())).toMatchObject({ uid: MAP }); // not kept: the next call gets a proper one
  });

  it('a kept token of another audience (a shared store) is not sent: a proper one is got', async () => {
    const core = nadeo.issueTokens({ audience: 'NadeoServices' });
    const planted: StoredToken = {
      audience: 'NadeoLiveServices',
      accessToken: core.accessToken,
      refreshToken: core.refreshToken,
      expiration: Math.floor(Date.now() / 1000) + 3600,
    };
    const api = client({ store: new PlantedStore(() => planted) });
    expect(await api.get(mapURL())).toMatchObject({ uid: MAP });
    const sent = nadeo.lastRequest('map')!.headers.authorization!.slice('nadeo_v1 t='.length);
    expect(claimsOf(sent).aud).toBe('NadeoLiveServices');
    expect(nadeo.tokenRequests()).toEqual({ basic: 1, refresh: 0 }); // its refresh token was not used either
  });

  it('api.trackmania.com never gets a token of a Nadeo audience', async () => {
    const api = client();
    const core = nadeo.issueTokens({ audience: 'NadeoServices' });
    trackmania.fault(
      'token',
      { type: 'status', status: 200, body: JSON.stringify({ token_type: 'bearer', expires_in: 3600, access_token: core.accessToken }) },
      { times: 1 },
    );
    const before = trackmania.requestsTo('display-names').length;
    expect(await rejection(api.get(`${trackmania.url}/api/display-names`))).toBeInstanceOf(AudienceError);
    expect(trackmania.requestsTo('display-names').length).toBe(before);
  });

  it('any aud claim: a host only ever receives a token whose aud is its audience, else an AudienceError (property)', async () => {
    const aud = fc.oneof(
      fc.constantFrom('NadeoServices', 'NadeoLiveServices', 'nadeoliveservices', 'OAuth2', 'live', '', '__proto__', 'constructor'),
      fc.string(),
      fc.array(fc.constantFrom('NadeoServices', 'NadeoLiveServices', 'x')),
      fc.jsonValue(),
    );
    await fc.assert(
      fc.asyncProperty(aud, async (claim) => {
        nadeo.clearRequests();
        nadeo.fault('token-basic', { type: 'status', status: 200, body: tokenAnswer((c) => (c.aud = claim)) }, { times: 1 });
        const outcome = await client()
          .get(mapURL())
          .then(
            () => undefined,
            (e: unknown) => e as Error,
          );
        const fits = claim === 'NadeoLiveServices' || (Array.isArray(claim) && claim.includes('NadeoLiveServices'));
        if (fits) expect(outcome).toBeUndefined();
        else expect(outcome).toBeInstanceOf(AudienceError);
        for (const r of nadeo.requestsTo('map')) {
          const sent = claimsOf(r.headers.authorization!.slice('nadeo_v1 t='.length)).aud;
          expect(sent === 'NadeoLiveServices' || (Array.isArray(sent) && sent.includes('NadeoLiveServices'))).toBe(true);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('an access token with a character not allowed in a header: a ProviderError without the token, nothing sent', async () => {
    const api = client();
    const refreshToken = nadeo.issueTokens({ audience: 'NadeoLiveServices' }).refreshToken;
    const accessToken = 'header.injection\r\nX-Evil: yes.token-value';
    nadeo.fault('token-basic', { type: 'status', status: 200, body: JSON.stringify({ accessToken, refreshToken }) }, { times: 1 });
    const err = (await rejection(api.get(mapURL()))) as ProviderError;
    expect(err).toBeInstanceOf(ProviderError);
    expect(err.code).toBe('EBADRESPONSE');
    expect(err.message).toBe(`nadeo: the token endpoint of ${nadeo.clientOptions().coreURL} answered a token with a character not allowed in an HTTP header`);
    expect(`${err.message} ${inspect(err)} ${JSON.stringify(err)}`).not.toContain('token-value');
    expect(nadeo.requestsTo('map')).toHaveLength(0);
  });

  it('any access token string: sent only when it is visible ASCII, otherwise an error of the collection (property)', async () => {
    const refreshToken = nadeo.issueTokens({ audience: 'NadeoLiveServices' }).refreshToken;
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string({ minLength: 1 }),
          fc.string({ unit: 'binary', minLength: 1, maxLength: 40 }),
          fc.constantFrom('a b', 'a\tb', 'a\nb', 'é', '\u0000'),
        ),
        async (accessToken) => {
          nadeo.clearRequests();
          nadeo.fault('token-basic', { type: 'status', status: 200, body: JSON.stringify({ accessToken, refreshToken }) }, { times: 1 });
          const outcome = await client()
            .token('live')
            .then(
              (t) => t,
              (e: unknown) => e as Error,
            );
          if (/^[\x21-\x7e]+$/.test(accessToken)) {
            expect(outcome).toMatchObject({ accessToken });
          } else {
            expect(outcome).toBeInstanceOf(ProviderError);
            expect((outcome as ProviderError).code).toBe('EBADRESPONSE');
          }
        },
      ),
      { numRuns: 100 },
    );
  });

  it('a kept token with a character not allowed in a header is not sent: a new one is got', async () => {
    const planted: StoredToken = {
      audience: 'NadeoLiveServices',
      accessToken: 'bad\ntoken',
      refreshToken: 'bad\nrefresh',
      expiration: Math.floor(Date.now() / 1000) + 3600,
    };
    const api = client({ store: new PlantedStore(() => planted) });
    expect(await api.get(mapURL())).toMatchObject({ uid: MAP });
    expect(nadeo.tokenRequests()).toEqual({ basic: 1, refresh: 0 });
  });

  it('a header of the caller with a character not allowed: a UsageError naming it, without its value, before any request', async () => {
    const api = client();
    const err = await rejection(api.get(mapURL(), { headers: { 'X-Trace': 'secret-value\r\nX-Evil: 1' } }));
    expect(err).toBeInstanceOf(UsageError);
    expect(err.message).toBe('the X-Trace header has a character not allowed in an HTTP header');
    expect(await rejection(api.get(mapURL(), { headers: { 'Bad Name': 'x' } }))).toBeInstanceOf(UsageError);
    expect(nadeo.tokenRequests().basic).toBe(0);
    expect(() => client({ userAgent: 'my-app\r\nX-Evil: 1' })).toThrow(ParameterError);
  });
});
