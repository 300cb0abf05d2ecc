// Spacing and Retry-After hold-offs shared across clients (processes) through one store, and what a 429 with a
// zero or absurd Retry-After does. Clients on one store stand for processes: each keeps its own memory, and only
// the store joins them (the benchmark runs real processes).
import { DEFAULT_SERVICE_ACCOUNT, startNadeoEmulator, type NadeoEmulator } from '@maniapass/emulators';
import { CHANNELS, MemoryStore, StoreError, type SharedStore, type StoreFailure } from '@maniapass/http';
import { RedisStore } from '@maniapass/redis-store';
import fc from 'fast-check';
import {
  MAX_HOLD_OFF_SECONDS,
  MIN_HOLD_OFF_SECONDS,
  NADEO_CHANNELS,
  NadeoClient,
  TokenError,
  type NadeoClientOptions,
  type NadeoHoldOff,
  type NadeoTokenRequest,
} from 'nadeo-auth';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { createClient } from 'redis';
import { startRedisServer, type RedisServer, describeRedis } from '../../../test-support/services';
import { holdOffSeconds, parseRetryAfter } from '../src/limits';

const UA = 'nadeo-auth-tests / tests@example.com';
const MAP = 'olsKnq_qAghcVAnEkoeUnVHFZei';
let nadeo: NadeoEmulator;
beforeAll(async () => {
  nadeo = await startNadeoEmulator();
});
afterAll(() => nadeo.close());
afterEach(() => {
  nadeo.clearFaults();
  nadeo.clearRequests();
});

const mapURL = () => `${nadeo.clientOptions().liveURL}/api/token/map/${MAP}`;
const client = (extra: Partial<NadeoClientOptions> = {}) =>
  new NadeoClient({
    ...nadeo.clientOptions(),
    account: { login: DEFAULT_SERVICE_ACCOUNT.login, password: DEFAULT_SERVICE_ACCOUNT.password },
    userAgent: UA,
    minInterval: 0,
    ...extra,
  });
const settle = <T>(promise: Promise<T>) =>
  promise.then(
    () => undefined,
    (e: unknown) => e as Error,
  );
/** Messages published on `name` while `run` runs. */
async function published<M>(name: string, run: () => Promise<void>): Promise<M[]> {
  const seen: M[] = [];
  const listener = (message: unknown) => seen.push(message as M);
  subscribe(name, listener);
  try {
    await run();
  } finally {
    unsubscribe(name, listener);
  }
  return seen;
}

describe('a 429 with a zero or absurd Retry-After', () => {
  it('Retry-After: 0 on the login: waves of concurrent calls share one attempt, and the next wave waits the floor', async () => {
    nadeo.fault('token-basic', { type: 'status', status: 429, headers: { 'Retry-After': '0' } });
    const api = client({ maxRetries: 0 });
    for (let wave = 0; wave < 5; wave++) {
      const errors = await Promise.all(Array.from({ length: 50 }, () => settle(api.get(mapURL()))));
      for (const e of errors) expect((e as TokenError).upstreamStatus).toBe(429);
    }
    // Before: each wave logged in again at once (and with retries, 4 logins per call at once).
    expect(nadeo.tokenRequests().basic).toBe(1);
  });

  it('with retries, one call makes its logins a floor apart, doubling: 4 logins take at least 1 + 2 + 4 s', async () => {
    nadeo.fault('token-basic', { type: 'status', status: 429, headers: { 'Retry-After': '0' } });
    const api = client({ maxRetries: 2 });
    const started = Date.now();
    const errors = await Promise.all(Array.from({ length: 20 }, () => settle(api.get(mapURL()))));
    for (const e of errors) expect((e as TokenError).upstreamStatus).toBe(429);
    expect(nadeo.tokenRequests().basic).toBe(3);
    expect(Date.now() - started).toBeGreaterThanOrEqual((1 + 2) * 1000);
  });

  it('any Retry-After value: the hold-off is within [floor, ceiling] and grows with the streak (property)', () => {
    const header = fc.oneof(
      fc.constantFrom('0', '-1', '-0', 'NaN', 'Infinity', '1e308', '', ' ', 'soon', '0x10', 'Wed, 21 Oct 2015 07:28:00 GMT', 'Fri, 31 Dec 9999 23:59:59 GMT'),
      fc.integer({ min: -1e9, max: 1e12 }).map(String),
      fc.double({ noNaN: false }).map(String),
      fc.date({ noInvalidDate: true }).map((d) => d.toUTCString()),
      fc.string({ maxLength: 30 }),
    );
    fc.assert(
      fc.property(header, fc.integer({ min: 1, max: 1000 }), (value, streak) => {
        const seconds = holdOffSeconds(parseRetryAfter(value), streak);
        expect(Number.isFinite(seconds)).toBe(true);
        expect(seconds).toBeGreaterThanOrEqual(Math.min(MAX_HOLD_OFF_SECONDS, MIN_HOLD_OFF_SECONDS * 2 ** (streak - 1)));
        expect(seconds).toBeLessThanOrEqual(MAX_HOLD_OFF_SECONDS);
        expect(holdOffSeconds(parseRetryAfter(value), streak + 1)).toBeGreaterThanOrEqual(seconds);
      }),
      { numRuns: 500 },
    );
  });

  it('any Retry-After value on the login, end to end: one login, then no other until the hold-off is over (property)', async () => {
    const header = fc.oneof(
      fc.constantFrom('0', '-5', '1e308', 'NaN', '', 'garbage', 'Thu, 01 Jan 1970 00:00:00 GMT'),
      fc.integer({ min: 0, max: 1e9 }).map(String),
    );
    await fc.assert(
      fc.asyncProperty(header, async (value) => {
        nadeo.clearRequests();
        nadeo.fault('token-basic', { type: 'status', status: 429, headers: { 'Retry-After': value } });
        const api = client({ maxRetries: 0 });
        const holdOffs = await published<NadeoHoldOff>(NADEO_CHANNELS.holdOff, async () => {
          await Promise.all(Array.from({ length: 10 }, () => settle(api.get(mapURL()))));
          await Promise.all(Array.from({ length: 10 }, () => settle(api.get(mapURL()))));
        });
        expect(nadeo.tokenRequests().basic).toBe(1);
        expect(holdOffs).toHaveLength(1);
        expect(holdOffs[0]!.scope).toBe('token-core');
        expect(holdOffs[0]!.seconds).toBeGreaterThanOrEqual(MIN_HOLD_OFF_SECONDS);
        expect(holdOffs[0]!.seconds).toBeLessThanOrEqual(MAX_HOLD_OFF_SECONDS);
      }),
      { numRuns: 15 },
    );
  });
});

/** Each kind of shared store, as processes would use it. */
function sharedLimits(label: string, makeStore: () => SharedStore) {
  describe(`clients sharing a ${label}`, () => {
    it('keep one spacing between them: 2 clients x 6 calls at minInterval 150 ms take at least 11 intervals', async () => {
      const store = makeStore();
      const a = client({ shared: store, minInterval: 150 });
      const b = client({ shared: store, minInterval: 150 });
      await Promise.all([a.token('live'), b.token('live')]);
      const started = Date.now();
      await Promise.all([...Array.from({ length: 6 }, () => a.get(mapURL())), ...Array.from({ length: 6 }, () => b.get(mapURL()))]);
      // Alone, each would have taken 5 intervals; a busy machine only makes it longer.
      expect(Date.now() - started).toBeGreaterThanOrEqual(11 * 150 - 20);
      expect(nadeo.tokenRequests().basic).toBe(1); // and one token between them
    });

    it("share a token endpoint's hold-off: the other client is not let through before Retry-After", async () => {
      const store = makeStore();
      const a = client({ shared: store, maxRetries: 0 });
      const b = client({ shared: store, maxRetries: 0 });
      nadeo.fault('token-basic', { type: 'status', status: 429, headers: { 'Retry-After': '30' } });
      expect(((await settle(a.get(mapURL()))) as TokenError).upstreamStatus).toBe(429);
      const refused = (await settle(b.get(mapURL()))) as TokenError;
      expect(refused).toBeInstanceOf(TokenError);
      expect(refused.message).toMatch(/not asked again for (29|30) s/);
      expect(nadeo.tokenRequests().basic).toBe(1);
    });

    it("share the API's hold-off: after one client's 429, the other waits Retry-After too", async () => {
      const store = makeStore();
      const a = client({ shared: store });
      const b = client({ shared: store });
      await Promise.all([a.token('live'), b.token('live')]);
      nadeo.fault('map', { type: 'status', status: 429, headers: { 'Retry-After': '1' } }, { times: 1 });
      const started = Date.now();
      const first = a.get(mapURL());
      await new Promise((resolve) => setTimeout(resolve, 100));
      await b.get(mapURL());
      expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
      await first;
    });
  });
}

sharedLimits('MemoryStore', () => new MemoryStore());

describeRedis()('on Redis', () => {
  let redis: RedisServer;
  let connection: ReturnType<typeof createClient>;
  let n = 0;
  beforeAll(async () => {
    redis = await startRedisServer();
    connection = createClient({ url: redis.url });
    await connection.connect();
  });
  afterAll(async () => {
    await connection?.close();
    await redis?.stop();
  });

  // A prefix per test: one Redis, fresh limits each time.
  sharedLimits('RedisStore', () => new RedisStore(connection, { keyPrefix: `t${++n}:` }));

  it('a frozen Redis fails open within the store timeout: calls still succeed, and the failure is published', async () => {
    const store = new RedisStore(connection, { keyPrefix: `frozen${++n}:`, timeout: 200 });
    const api = client({ shared: store });
    const pauser = createClient({ url: redis.url });
    await pauser.connect();
    const failures = await published<StoreFailure>(CHANNELS.storeError, async () => {
      await pauser.sendCommand(['CLIENT', 'PAUSE', '4000', 'ALL']);
      const started = Date.now();
      expect(await api.get(mapURL())).toMatchObject({ uid: MAP });
      expect(await api.get(mapURL())).toMatchObject({ uid: MAP });
      // Four store calls at most, 200 ms each, then this process's own memory for a few seconds.
      expect(Date.now() - started).toBeLessThan(3000);
    });
    await pauser.sendCommand(['CLIENT', 'UNPAUSE']);
    await pauser.close();
    expect(failures.length).toBeGreaterThan(0);
    for (const f of failures) expect(f).toMatchObject({ code: 'ETIMEDOUT', failed: 'open' });
    expect(new Set(failures.map((f) => f.component))).toEqual(new Set(['nadeo-auth:limits', 'nadeo-auth:tokens']));
  });
});

describe('diagnostics', () => {
  it('token requests and hold-offs are published, with no credential or token', async () => {
    const api = client({ maxRetries: 0 });
    const requests = await published<NadeoTokenRequest>(NADEO_CHANNELS.tokenRequest, async () => {
      await api.get(mapURL());
      nadeo.fault('token-basic', { type: 'status', status: 429, headers: { 'Retry-After': '5' } });
      const other = client({ maxRetries: 0 });
      await settle(other.get(mapURL()));
    });
    expect(requests.map(({ durationMs: _d, ...rest }) => rest)).toEqual([
      { audience: 'NadeoLiveServices', grant: 'login', outcome: 'success', status: 200 },
      { audience: 'NadeoLiveServices', grant: 'login', outcome: 'rate_limited', status: 429 },
    ]);
    const text = JSON.stringify(requests);
    expect(text).not.toContain(DEFAULT_SERVICE_ACCOUNT.password);
    expect(text).not.toContain(DEFAULT_SERVICE_ACCOUNT.login);
  });

  it('a store that refuses every call fails open: requests go on, each failure is published once per retry period', async () => {
    const broken: SharedStore = new Proxy({} as SharedStore, {
      get: () => async () => {
        throw new StoreError('Redis store: get failed: down', 'ESTORE');
      },
    });
    const api = client({ shared: broken });
    const failures = await published<StoreFailure>(CHANNELS.storeError, async () => {
      for (let i = 0; i < 5; i++) expect(await api.get(mapURL())).toMatchObject({ uid: MAP });
    });
    // The limits skip a failed store for a few seconds: one failure for them, not one per call.
    expect(failures.filter((f) => f.component === 'nadeo-auth:limits')).toHaveLength(1);
  });
});
