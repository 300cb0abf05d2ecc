// What several processes share through one store: each token validated once, refusals and the hold-off after
// Openplanet failed; a store that is down or slow fails open within storeTimeout. Strategies on one store stand for
// processes (each has its own memory); the Redis suite runs them on a real redis-server.
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { startOpenplanetEmulator, type OpenplanetEmulator } from '@maniapass/emulators';
import { CHANNELS, MemoryStore, type SharedStore, type StoreFailure } from '@maniapass/http';
import { RedisStore } from '@maniapass/redis-store';
import { OpenplanetUnavailableError, Strategy, type OpenplanetStrategyOptions } from 'passport-openplanet';
import { startApiApp } from './app';
import { describeRedis, redisClientForSuite } from '../../../test-support/services';

let emulator: OpenplanetEmulator;
beforeAll(async () => {
  emulator = await startOpenplanetEmulator();
});
afterAll(() => emulator.close());
afterEach(() => {
  emulator.clearFaults();
  emulator.requests.length = 0;
});

const verify = async () => ({});
const processes = (n: number, store: SharedStore, options: Partial<OpenplanetStrategyOptions> = {}) =>
  Array.from({ length: n }, () => new Strategy({ ...emulator.strategyOptions(), store, ...options }, verify));
const validations = () => emulator.requestsTo('validate').length;

function sharedStateContract(makeStore: () => SharedStore) {
  it('validates each token once across processes, at once or one after the other', async () => {
    const store = makeStore();
    const [a, b, c] = processes(3, store);
    const token = emulator.issuePluginToken();
    emulator.fault('validate', { type: 'delay', ms: 150 }, { times: 1 });
    const answers = await Promise.all([a!, b!, c!, a!, b!, c!].map((s) => s.check(token)));
    expect(answers.every((o) => 'profile' in o && o.profile.id === emulator.users[0]!.accountId)).toBe(true);
    expect(validations()).toBe(1);
    for (const s of processes(2, store)) expect(await s.check(token)).toHaveProperty('profile');
    expect(validations()).toBe(1);
  });

  it('shares refusals and the hold-off after Openplanet failed', async () => {
    const store = makeStore();
    const [a, b] = processes(2, store, { holdOff: 30 });
    expect(await a!.check('x-never-issued')).toHaveProperty('failure.reason', 'refused');
    expect(await b!.check('x-never-issued')).toHaveProperty('failure.reason', 'refused');
    expect(validations()).toBe(1);
    emulator.fault('validate', { type: 'status', status: 503 }, { times: 1 });
    await expect(a!.check(emulator.issuePluginToken())).rejects.toMatchObject({ upstreamStatus: 503 });
    const held = await b!.check(emulator.issuePluginToken()).catch((e: unknown) => e);
    expect(held).toBeInstanceOf(OpenplanetUnavailableError);
    expect(held).toMatchObject({ reason: 'holding_off', status: 500 });
    expect(validations()).toBe(2);
  });

  it('does not share tokens between plugins (secrets) on one store', async () => {
    const store = makeStore();
    const [a] = processes(1, store);
    const token = emulator.issuePluginToken();
    await a!.check(token);
    const other = new Strategy({ ...emulator.strategyOptions(), secret: 'another-plugin-secret', store }, verify);
    expect(await other.check(token)).toHaveProperty('failure.reason', 'refused');
  });
}

describe('validations shared through one store (MemoryStore)', () => {
  sharedStateContract(() => new MemoryStore());

  it('a process that claims a token just after another kept its answer uses that answer', async () => {
    const store = new MemoryStore();
    let letClaim: () => void = () => undefined;
    const claimGate = new Promise<void>((resolve) => (letClaim = resolve));
    // B's store: its claim goes through only once A has validated, kept and let go of the token.
    const late = {
      get: (key: string) => store.get(key),
      set: (key: string, value: string, ttl: number) => store.set(key, value, ttl),
      add: async (key: string, value: string, ttl: number) => (await claimGate, store.add(key, value, ttl)),
      delete: (key: string, ifValue?: string) => store.delete(key, ifValue),
    } as unknown as SharedStore;
    const [a] = processes(1, store);
    const [b] = processes(1, late);
    const token = emulator.issuePluginToken();
    const fromB = b!.check(token);
    expect(await a!.check(token)).toHaveProperty('profile');
    letClaim();
    expect(await fromB).toHaveProperty('profile.id', emulator.users[0]!.accountId);
    expect(validations()).toBe(1);
  });

  it('a store that fails or hangs fails open within storeTimeout: Openplanet is asked, the store failure is published', async () => {
    const failures: StoreFailure[] = [];
    const listener = (m: unknown) => failures.push(m as StoreFailure);
    subscribe(CHANNELS.storeError, listener);
    try {
      const never = () => new Promise<never>(() => undefined);
      const hung = { get: never, set: never, add: never, delete: never, increment: never, reserve: never } as SharedStore;
      const [a] = processes(1, hung, { storeTimeout: 50 });
      const started = Date.now();
      expect(await a!.check(emulator.issuePluginToken())).toHaveProperty('profile');
      expect(Date.now() - started).toBeLessThan(5000);
      expect(failures[0]).toEqual({ component: 'passport-openplanet:validations', operation: 'get', code: 'ETIMEDOUT', failed: 'open' });
      const broken = {
        get: () => Promise.reject(new Error('down')),
        set: () => Promise.reject(new Error('down')),
        add: () => Promise.reject(new Error('down')),
        delete: () => Promise.reject(new Error('down')),
      } as unknown as SharedStore;
      expect(await processes(1, broken)[0]!.check(emulator.issuePluginToken())).toHaveProperty('profile');
    } finally {
      unsubscribe(CHANNELS.storeError, listener);
    }
  });

  it('singleUse fails closed when the store cannot say whether the token was used', async () => {
    const broken = {
      get: async () => undefined,
      set: async () => undefined,
      add: () => Promise.reject(new Error('down')),
      delete: async () => undefined,
    } as unknown as SharedStore;
    const [a] = processes(1, broken, { singleUse: true, cache: false });
    await expect(a!.check(emulator.issuePluginToken())).rejects.toMatchObject({ name: 'StoreError' });
  });

  it('caps the validations in flight in a process: more fail at once, without a call', async () => {
    const [a] = processes(1, new MemoryStore(), { maxConcurrent: 3, holdOff: 0 });
    emulator.fault('validate', { type: 'delay', ms: 200 });
    const answers = await Promise.allSettled(Array.from({ length: 10 }, () => a!.check(emulator.issuePluginToken())));
    expect(answers.filter((x) => x.status === 'fulfilled')).toHaveLength(3);
    const refused = answers.filter((x): x is PromiseRejectedResult => x.status === 'rejected');
    expect(refused.map((x) => (x.reason as OpenplanetUnavailableError).reason)).toEqual(Array(7).fill('busy'));
    expect(validations()).toBe(3);
  });

  it('caps the validations in flight through passport too (each request runs on its own copy of the strategy)', async () => {
    const app = await startApiApp(new Strategy({ ...emulator.strategyOptions(), maxConcurrent: 3, holdOff: 0 }, async (profile) => ({ id: profile.id })));
    try {
      // Long enough that every request arrives while the first three are in flight, even on a busy machine.
      emulator.fault('validate', { type: 'delay', ms: 1500 });
      const answers = await Promise.all(Array.from({ length: 10 }, () => app.agent.post('/api/session').send({ token: emulator.issuePluginToken() })));
      expect(answers.map((a) => a.status).sort()).toEqual([...Array(3).fill(200), ...Array(7).fill(500)]);
      expect(answers.filter((a) => a.status === 500).map((a) => a.body.error.name)).toEqual(Array(7).fill('OpenplanetUnavailableError'));
      expect(validations()).toBe(3);
    } finally {
      await app.close();
    }
  });

  it('keeps only the fields of the profile, and bounds the memory cache by bytes', async () => {
    const store = new MemoryStore();
    const set = jest.spyOn(store, 'set');
    const [a] = processes(1, store);
    const pad = 'x'.repeat(500_000);
    emulator.fault(
      'validate',
      { type: 'status', status: 200, body: JSON.stringify({ account_id: 'abc-def', display_name: 'Name', token_time: Math.floor(Date.now() / 1000), pad }) },
      { times: 1 },
    );
    const first = await a!.check('any-token-1');
    expect(first).toHaveProperty('profile._json.pad', pad);
    const kept = set.mock.calls.map(([, value]) => value);
    expect(kept).toEqual([JSON.stringify({ player: { a: 'abc-def', n: 'Name', t: (first as { profile: { tokenTime: number } }).profile.tokenTime } })]);
    const again = await a!.check('any-token-1');
    expect(again).toHaveProperty('profile._json', { account_id: 'abc-def', display_name: 'Name', token_time: expect.any(Number) });
    // 2 KiB an entry at most: 64 KiB holds 32 entries, the oldest go first.
    const small = new Strategy({ ...emulator.strategyOptions(), cache: { maxBytes: 64 * 1024 } }, verify);
    const tokens = Array.from({ length: 40 }, () => emulator.issuePluginToken());
    for (const token of tokens) await small.check(token);
    emulator.requests.length = 0;
    await small.check(tokens[39]!);
    expect(validations()).toBe(0);
    await small.check(tokens[0]!);
    expect(validations()).toBe(1);
  });

  it('a hostile validation host: a 990 KB refusal is cut before it is masked; a huge account id is no answer', async () => {
    const [a] = processes(1, new MemoryStore(), { holdOff: 0 });
    const token = emulator.issuePluginToken();
    const details: string[] = [];
    const listener = (m: unknown) => details.push((m as { detail?: string }).detail ?? '');
    subscribe('passport-openplanet:validation:end', listener);
    try {
      const secret = emulator.plugins[0]!.secret;
      const huge = `${token}${encodeURIComponent(secret)}`.repeat(990_000 / (token.length + secret.length));
      emulator.fault('validate', { type: 'status', status: 200, body: JSON.stringify({ error: huge }) }, { times: 10 });
      const started = performance.now();
      const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => a!.check(`${token}-${i}`)));
      // Whole-body masking took about 600 ms a body on this kind of machine; cut first, it is the parse alone.
      expect(performance.now() - started).toBeLessThan(3000);
      expect(answers.every((o) => 'failure' in o && o.failure.reason === 'refused')).toBe(true);
      expect(details.every((d) => d.length <= 200 && !d.includes(secret) && !d.includes(token.slice(0, 8)))).toBe(true);
      emulator.fault(
        'validate',
        { type: 'status', status: 200, body: JSON.stringify({ account_id: 'a'.repeat(65), display_name: 'x', token_time: 1 }) },
        { times: 1 },
      );
      await expect(a!.check('any-token-2')).rejects.toMatchObject({ code: 'EBADRESPONSE' });
      emulator.fault(
        'validate',
        { type: 'status', status: 200, body: JSON.stringify({ account_id: 'abc', display_name: 'é'.repeat(1000), token_time: Math.floor(Date.now() / 1000) }) },
        { times: 1 },
      );
      expect(await a!.check('any-token-3')).toHaveProperty('profile.displayName', 'é'.repeat(128));
    } finally {
      unsubscribe('passport-openplanet:validation:end', listener);
    }
  });
});

describeRedis()('validations shared through Redis (RedisStore)', () => {
  const redis = redisClientForSuite();
  let prefix = 0;
  sharedStateContract(() => new RedisStore(redis() as never, { keyPrefix: `t${prefix++}:` }));
});
