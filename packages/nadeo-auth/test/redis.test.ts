import { DEFAULT_SERVICE_ACCOUNT, startNadeoEmulator, type NadeoEmulator } from '@maniapass/emulators';
import { NadeoClient, RedisTokenStore, type RedisClientLike, type StoredToken } from 'nadeo-auth';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createClient } from 'redis';
import { startRedisServer, type RedisServer, describeRedis } from '../../../test-support/services';

const MAP = 'olsKnq_qAghcVAnEkoeUnVHFZei';
const UA = 'nadeo-auth-tests / tests@example.com';

interface Child {
  ready: Promise<void>;
  go(): void;
  done: Promise<{ code: number | null; stdout: string; stderr: string }>;
}

/** Starts a fixture process that prints "ready" once set up and proceeds when told to go. */
function startChild(env: Record<string, string>): Child {
  const child = spawn(process.execPath, ['-r', join(__dirname, '../../../test-support/register-sources.cjs'), join(__dirname, 'fixtures/redis-child.ts')], {
    env: { ...process.env, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  child.stdout!.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    if (stdout.startsWith('ready\n')) markReady();
  });
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 25_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      markReady();
      resolve({ code, stdout: stdout.replace(/^ready\n/, ''), stderr });
    });
  });
  return { ready, go: () => child.stdin!.end('go\n'), done };
}

describeRedis()('Redis token store', () => {
  let server: RedisServer | undefined;
  let redis: ReturnType<typeof createClient>;
  let nadeo: NadeoEmulator;
  let prefix = 0;
  const nextPrefix = () => `test${++prefix}:`;

  beforeAll(async () => {
    server = await startRedisServer();
    redis = createClient({ url: server!.url });
    await redis.connect();
    nadeo = await startNadeoEmulator();
  });
  afterAll(async () => {
    await redis?.quit();
    await nadeo?.close();
    await server?.stop();
  });
  afterEach(() => {
    nadeo.clearFaults();
    nadeo.clearRequests();
  });

  it('keeps tokens as JSON with a TTL, and deletes them', async () => {
    const store = new RedisTokenStore(redis, { keyPrefix: nextPrefix() });
    const token: StoredToken = { audience: 'NadeoServices', accessToken: 'a.b.c', refreshToken: 'd.e.f', expiration: 1, refreshExpiration: 2 };
    await store.set('k', token, 0.2);
    expect(await store.get('k')).toEqual(token);
    expect(Number(await redis.pTTL(`test${prefix}:k`))).toBeGreaterThan(0);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await store.get('k')).toBeUndefined();
    await store.set('k', token, 60);
    await store.delete('k');
    expect(await store.get('k')).toBeUndefined();
  });

  it('lets one lock holder in at a time, and frees a lock whose holder died', async () => {
    const keyPrefix = nextPrefix();
    const store = new RedisTokenStore(redis, { keyPrefix, lockTTL: 300, pollInterval: 10 });
    let inside = 0;
    let most = 0;
    await Promise.all(
      Array.from({ length: 5 }, () =>
        store.withLock('k', async () => {
          inside += 1;
          most = Math.max(most, inside);
          await new Promise((resolve) => setTimeout(resolve, 20));
          inside -= 1;
        }),
      ),
    );
    expect(most).toBe(1);
    expect(await redis.get(`${keyPrefix}lock:k`)).toBeNull();
    // A holder that never released: the lock expires after lockTTL.
    await redis.set(`${keyPrefix}lock:k`, 'dead-holder', { PX: 300 });
    const started = Date.now();
    expect(await store.withLock('k', async () => 'got it')).toBe('got it');
    expect(Date.now() - started).toBeGreaterThanOrEqual(200);
    const impatient = new RedisTokenStore(redis, { keyPrefix, lockTTL: 10_000, lockWait: 100 });
    await redis.set(`${keyPrefix}lock:k`, 'dead-holder', { PX: 10_000 });
    await expect(impatient.withLock('k', async () => 'never')).rejects.toThrow(/timed out after 100 ms waiting for the Redis lock/);
  });

  it('clients with their own Redis connections share one token', async () => {
    const keyPrefix = nextPrefix();
    const other = createClient({ url: server!.url });
    await other.connect();
    try {
      const make = (connection: RedisClientLike) =>
        new NadeoClient({
          ...nadeo.clientOptions(),
          account: { login: DEFAULT_SERVICE_ACCOUNT.login, password: DEFAULT_SERVICE_ACCOUNT.password },
          userAgent: UA,
          minInterval: 0,
          store: new RedisTokenStore(connection, { keyPrefix }),
        });
      nadeo.fault('token-basic', { type: 'delay', ms: 200 }, { times: 1 });
      const [a, b] = [make(redis), make(other)];
      await Promise.all([a.get(`${nadeo.clientOptions().liveURL}/api/token/map/${MAP}`), b.get(`${nadeo.clientOptions().liveURL}/api/token/map/${MAP}`)]);
      expect(nadeo.tokenRequests().basic).toBe(1);
      const stored = [...(await redis.keys(`${keyPrefix}*`))];
      expect(stored).toHaveLength(1);
      expect(stored[0]).toMatch(new RegExp(`^${keyPrefix}token:NadeoLiveServices:[0-9a-f]{32}$`));
      expect(String(await redis.get(stored[0]!))).not.toContain(DEFAULT_SERVICE_ACCOUNT.password);
    } finally {
      await other.quit();
    }
  });

  it('two processes share one token through Redis: one token request at the emulator', async () => {
    const keyPrefix = nextPrefix();
    // A slow token endpoint makes the second process arrive while the first one holds the lock.
    nadeo.fault('token-basic', { type: 'delay', ms: 300 }, { times: 1 });
    const { coreURL, liveURL, meetURL } = nadeo.clientOptions();
    const env = {
      REDIS_URL: server!.url,
      NADEO_CORE_URL: coreURL,
      NADEO_LIVE_URL: liveURL,
      NADEO_MEET_URL: meetURL,
      NADEO_LOGIN: DEFAULT_SERVICE_ACCOUNT.login,
      NADEO_PASSWORD: DEFAULT_SERVICE_ACCOUNT.password,
      KEY_PREFIX: keyPrefix,
      MAP_UID: MAP,
    };
    const children = [startChild(env), startChild(env)];
    await Promise.all(children.map((c) => c.ready));
    for (const child of children) child.go();
    const results = await Promise.all(children.map((c) => c.done));
    for (const result of results) {
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(JSON.parse(result.stdout)).toEqual({ map: expect.objectContaining({ uid: MAP }) });
    }
    expect(nadeo.tokenRequests()).toEqual({ basic: 1, refresh: 0 });
    const [first, second] = nadeo.requestsTo('map').map((r) => r.headers.authorization);
    expect(first).toMatch(/^nadeo_v1 t=/);
    expect(second).toBe(first);
  }, 30_000);
});
