// With REDIS_URL, sessions live in Redis (connect-redis): a real redis-server, started here on a free port.
import { createClient } from 'redis';
import request from 'supertest';
import { signIn } from '../../../test-support/harness';
import { startServer, type RunningApp } from '../src/main';
import { REDIS_PREFIX } from '../src/session-store';
import type { SessionUser } from '../src/user';
import { startRedisServer, type RedisServer, describeRedis } from '../../../test-support/services';
import { SESSION_SECRET } from './helpers';

describeRedis()('sessions in Redis (REDIS_URL)', () => {
  let redis: RedisServer | undefined;
  let redisURL: string;
  let running: RunningApp | undefined;
  let app: { url: string; agent: ReturnType<typeof request.agent>; close(): Promise<void> };
  const output: string[] = [];
  /** Server-side error lines: none expected. */
  const errors: string[] = [];

  beforeAll(async () => {
    redis = await startRedisServer();
    redisURL = redis.url;
    // What `npm start` runs, with REDIS_URL in its environment.
    const log = { log: (line: string) => output.push(line), warn: (line: string) => output.push(line), error: (line: string) => errors.push(line) };
    running = await startServer({ PORT: '0', HOST: '127.0.0.1', SESSION_SECRET, REDIS_URL: redisURL }, log);
    const url = running.url.replace(/\/$/, '');
    app = { url, agent: request.agent(url), close: async () => {} };
  }, 20_000);

  afterAll(async () => {
    await running?.close();
    await redis?.stop();
  });

  it('says so at start, without the memory-store warning', () => {
    expect(output).toContain(`  ${'Sessions'.padEnd(12)} Redis`);
    expect(output.join('\n')).not.toContain('REDIS_URL is not set');
  });

  it('keeps a sign-in start in Redis for 10 minutes only', async () => {
    const start = await request(app.url).get('/auth/trackmania');
    expect(start.status).toBe(302);
    const cookie = (start.headers['set-cookie'] as unknown as string[]).find((c) => c.startsWith('maniapass.sid='))!;
    const sid = /^s:([^.]+)\./.exec(decodeURIComponent(cookie.split(';')[0]!.slice('maniapass.sid='.length)))![1]!;
    const client = createClient({ url: redisURL });
    await client.connect();
    try {
      const ttl = await client.ttl(`${REDIS_PREFIX}${sid}`);
      expect(ttl).toBeGreaterThan(9 * 60);
      expect(ttl).toBeLessThanOrEqual(10 * 60);
    } finally {
      await client.close();
    }
  });

  it('keeps the signed-in session in Redis under the session cookie id, and forgets it at logout', async () => {
    const { callback } = await signIn(app, 'trackmania');
    expect(callback!.headers.location).toBe('/profile');
    const cookie = (callback!.headers['set-cookie'] as unknown as string[]).find((c) => c.startsWith('maniapass.sid='))!;
    // express-session's cookie: `s:<id>.<signature>`, URL-encoded.
    const sid = /^s:([^.]+)\./.exec(decodeURIComponent(cookie.split(';')[0]!.slice('maniapass.sid='.length)))![1]!;

    const client = createClient({ url: redisURL });
    await client.connect();
    try {
      const stored = await client.get(`${REDIS_PREFIX}${sid}`);
      expect(stored).not.toBeNull();
      const session = JSON.parse(stored!) as { passport: { user: SessionUser }; cookie: { httpOnly: boolean; sameSite: string } };
      expect(session.passport.user.provider).toBe('trackmania');
      expect(session.passport.user.profile.displayName).toBe('tooInfinite');
      expect(session.cookie).toMatchObject({ httpOnly: true, sameSite: 'lax' });
      const ttl = await client.ttl(`${REDIS_PREFIX}${sid}`);
      expect(ttl).toBeGreaterThan(8 * 3600 - 60);
      expect(ttl).toBeLessThanOrEqual(8 * 3600);

      // The page is served from the session read back from Redis.
      const profile = await app.agent.get('/profile');
      expect(profile.status).toBe(200);
      expect(profile.text).toContain('<dt>displayName</dt><dd>tooInfinite</dd>');

      const csrf = /name="_csrf" value="([^"]+)"/.exec(profile.text)![1]!;
      await app.agent.post('/logout').type('form').send({ _csrf: csrf });
      expect(await client.get(`${REDIS_PREFIX}${sid}`)).toBeNull();
      expect(errors).toEqual([]);
    } finally {
      await client.close();
    }
  });
});
