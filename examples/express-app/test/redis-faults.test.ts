// A real Redis that freezes (CLIENT PAUSE: it holds every command, as a stuck or swapping server does): the app
// answers within REDIS_TIMEOUT_MS, says so on /readyz and /metrics, and serves again once Redis is back. Then Redis
// goes away altogether: 503s at once, and one log line about it.
import { createClient } from 'redis';
import { startServer, type RunningApp } from '../src/main';
import { startRedisServer, type RedisServer, describeRedis } from '../../../test-support/services';
import { SESSION_SECRET } from './helpers';

describeRedis()('a Redis that freezes or goes away', () => {
  let redis: RedisServer;
  let running: RunningApp;
  let url: string;
  const errors: string[] = [];

  beforeAll(async () => {
    redis = await startRedisServer();
    const log = { log: () => undefined, warn: () => undefined, error: (line: string) => errors.push(line) };
    running = await startServer({ PORT: '0', HOST: '127.0.0.1', SESSION_SECRET, REDIS_URL: redis.url, REDIS_TIMEOUT_MS: '300' }, log);
    url = running.url.replace(/\/$/, '');
  }, 30_000);
  afterAll(async () => {
    await running?.close();
    await redis?.stop();
  });

  it('every request is answered within the deadline (a 503 with Retry-After), nobody is redirected, and it recovers', async () => {
    const pauser = createClient({ url: redis.url });
    await pauser.connect();
    try {
      await pauser.sendCommand(['CLIENT', 'PAUSE', '4000', 'ALL']);
      const started = Date.now();
      const start = await fetch(`${url}/auth/trackmania`, { redirect: 'manual' });
      expect(start.status).toBe(503);
      expect(start.headers.get('retry-after')).toBe('5');
      expect(start.headers.get('location')).toBeNull();
      // 300 ms per Redis call (the rate limit's, which lets the request through, then the session's): seconds only
      // on a machine far too busy.
      expect(Date.now() - started).toBeLessThan(3000);
      const ready = await fetch(`${url}/readyz`);
      expect(ready.status).toBe(503);
      expect(((await ready.json()) as { checks: { redis: string } }).checks.redis).toBe('Redis: PING did not answer within 300 ms');
      // One line per failure, each naming Redis: the rate limit let the request through (its script load may time
      // out too, a second line alike), the session could not be saved.
      expect(new Set(errors)).toEqual(
        new Set([
          'ERROR redis rate limit: StoreError: Redis: rate limit did not answer within 300 ms',
          'ERROR redis GET /auth/trackmania: SessionStoreError: session set did not answer within 300 ms',
        ]),
      );
      expect(await (await fetch(`${url}/metrics`)).text()).toMatch(
        /maniapass_store_errors_total\{component="example-app:sessions",operation="set",code="ETIMEDOUT",failed="closed"\} [1-9]/,
      );
    } finally {
      await pauser.sendCommand(['CLIENT', 'UNPAUSE']);
      await pauser.close();
    }
    const again = await fetch(`${url}/auth/trackmania`, { redirect: 'manual' });
    expect(again.status).toBe(302);
  }, 30_000);

  it('a Redis that goes away: requests answer 503 at once, and the log says so once, not once per reconnection', async () => {
    errors.length = 0;
    await redis.stop();
    for (let i = 0; i < 5; i++) {
      const started = Date.now();
      const res = await fetch(`${url}/auth/trackmania`, { redirect: 'manual' });
      expect(res.status).toBe(503);
      expect(Date.now() - started).toBeLessThan(3000);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(errors.filter((line) => line.startsWith('ERROR redis connection lost: '))).toHaveLength(1);
    for (const line of errors) expect(line).toMatch(/^ERROR redis /);
  }, 30_000);
});
