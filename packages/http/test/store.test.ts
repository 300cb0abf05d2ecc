import { MemoryStore, RedisStore, StoreError, withLock, type SharedStore } from '@maniapass/http';
import { createClient } from 'redis';
import { REDIS_SERVER, needsBinary, startRedisServer, type RedisServer } from '../../../test-support/services';

const describeRedis = needsBinary(REDIS_SERVER, 'redis-server', 'apt-get install -y redis-server') ? describe : describe.skip;

/** The behaviour every SharedStore keeps, run against each implementation. */
function storeContract(make: () => SharedStore): void {
  let store: SharedStore;
  let n = 0;
  const key = (name: string) => `${name}:${++n}:${process.pid}`;
  beforeEach(() => {
    store = make();
  });

  test('get, set, delete, and values expire', async () => {
    const k = key('v');
    expect(await store.get(k)).toBeUndefined();
    await store.set(k, 'one', 60_000);
    expect(await store.get(k)).toBe('one');
    await store.delete(k);
    expect(await store.get(k)).toBeUndefined();
    await store.set(k, 'short', 30);
    await new Promise((r) => setTimeout(r, 80));
    expect(await store.get(k)).toBeUndefined();
  });

  test('add claims a key once; delete with a value releases only that holder', async () => {
    const k = key('lock');
    expect(await store.add(k, 'a', 60_000)).toBe(true);
    expect(await store.add(k, 'b', 60_000)).toBe(false);
    await store.delete(k, 'b');
    expect(await store.get(k)).toBe('a');
    await store.delete(k, 'a');
    expect(await store.add(k, 'b', 60_000)).toBe(true);
  });

  test('increment counts within a window, then starts again', async () => {
    const k = key('count');
    expect(await store.increment(k, 60_000)).toBe(1);
    expect(await store.increment(k, 60_000)).toBe(2);
    expect(await store.increment(k, 60_000)).toBe(3);
    const short = key('window');
    expect(await store.increment(short, 30)).toBe(1);
    await new Promise((r) => setTimeout(r, 100));
    expect(await store.increment(short, 30)).toBe(1);
  });

  test('reserve hands out turns at least intervalMs apart, and none before notBefore', async () => {
    const k = key('spacing');
    const waits = await Promise.all(Array.from({ length: 5 }, () => store.reserve(k, 1000)));
    // Turns are 0, 1000, 2000, ... ms away, less the time that passed between the calls (bounded generously: a
    // loaded machine may take hundreds of milliseconds between two of them).
    const sorted = [...waits].sort((a, b) => a - b);
    expect(sorted[0]).toBe(0);
    for (let i = 1; i < sorted.length; i++) expect(sorted[i] - sorted[i - 1]).toBeGreaterThan(500);
    // An interval of 0 (a hold-off alone) is a valid reservation too.
    expect(await store.reserve(key('zero'), 0)).toBe(0);
    const held = key('holdoff');
    expect(await store.reserve(held, 10, Date.now() + 5000)).toBeGreaterThan(4000);
  });

  test('reserve with maxWaitMs leaves a turn further away unreserved', async () => {
    const k = key('bounded');
    expect(await store.reserve(k, 60_000)).toBe(0);
    // The next turn is a minute away: refused, and refusing it many times pushes nothing back.
    for (let i = 0; i < 5; i++) expect(await store.reserve(k, 60_000, 0, 1000)).toBeGreaterThan(1000);
    const wait = await store.reserve(k, 60_000);
    expect(wait).toBeGreaterThan(50_000);
    expect(wait).toBeLessThanOrEqual(60_000);
  });

  test('withLock runs one holder at a time', async () => {
    const k = key('mutex');
    let inside = 0;
    let most = 0;
    await Promise.all(
      Array.from({ length: 5 }, () =>
        withLock(
          store,
          k,
          async () => {
            most = Math.max(most, ++inside);
            await new Promise((r) => setTimeout(r, 5));
            inside--;
          },
          { pollMs: 2 },
        ),
      ),
    );
    expect(most).toBe(1);
    expect(await store.get(k)).toBeUndefined();
  });
}

describe('MemoryStore', () => {
  storeContract(() => new MemoryStore());

  test('keeps at most maxEntries keys, dropping the oldest', async () => {
    const store = new MemoryStore({ maxEntries: 2 });
    await store.set('a', '1', 60_000);
    await store.set('b', '2', 60_000);
    await store.set('c', '3', 60_000);
    expect(await store.get('a')).toBeUndefined();
    expect(await store.get('c')).toBe('3');
  });

  test('refuses a bad maxEntries at construction', () => {
    expect(() => new MemoryStore({ maxEntries: 0 })).toThrow(/maxEntries must be a positive integer/);
  });
});

describeRedis('RedisStore', () => {
  let server: RedisServer;
  let client: ReturnType<typeof createClient>;
  beforeAll(async () => {
    server = await startRedisServer();
    client = createClient({ url: server.url });
    await client.connect();
  });
  afterAll(async () => {
    await client?.quit().catch(() => undefined);
    await server?.stop();
  });

  storeContract(() => new RedisStore(client as never));

  test('an operation on a Redis that does not answer fails within its timeout, as a StoreError', async () => {
    // A client whose commands never settle stands for a frozen Redis: node-redis waits forever once a command is written.
    const frozen = {
      get: () => new Promise(() => undefined),
      set: () => new Promise(() => undefined),
      del: () => new Promise(() => undefined),
      eval: () => new Promise(() => undefined),
    };
    const store = new RedisStore(frozen, { timeout: 50 });
    const started = Date.now();
    const err = await store.get('x').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StoreError);
    expect((err as StoreError).code).toBe('ETIMEDOUT');
    expect((err as Error).message).toBe('Redis store: get did not answer within 50 ms');
    // The bound holds under load: far less than a frozen Redis would hold the caller.
    expect(Date.now() - started).toBeLessThan(5000);
  });

  test('a failing Redis is a StoreError with a one-line message', async () => {
    const failing = { get: () => Promise.reject(new Error('The client is closed\n    at stack')), set: jest.fn(), del: jest.fn(), eval: jest.fn() };
    const err = await new RedisStore(failing as never).get('x').catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'StoreError', code: 'ESTORE', message: 'Redis store: get failed: The client is closed' });
  });

  test('refuses what is not a client, and a bad timeout', () => {
    expect(() => new RedisStore({} as never)).toThrow(/needs a connected client/);
    expect(() => new RedisStore(client as never, { timeout: -1 })).toThrow(/timeout must be a positive number/);
  });
});
