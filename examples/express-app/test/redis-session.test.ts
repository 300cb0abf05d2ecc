// With REDIS_URL, sessions live in Redis (connect-redis): a real redis-server, started here on a free port.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { createClient } from 'redis';
import request from 'supertest';
import { signIn } from '../../../test-support/harness';
import { startServer, type RunningApp } from '../src/main';
import { REDIS_PREFIX } from '../src/session-store';
import type { SessionUser } from '../src/user';
import { SESSION_SECRET, findBinary, needsBinary } from './helpers';

const redisPath = findBinary(['/usr/bin/redis-server', '/usr/local/bin/redis-server']);
const hasRedis = needsBinary(redisPath, 'redis-server', 'apt-get install -y redis-server');
const describeRedis = hasRedis ? describe : describe.skip;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function startRedis(port: number): Promise<ChildProcess> {
  const child = spawn(redisPath ?? 'redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'pipe'] });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('redis-server did not start within 10 s')), 10_000);
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Ready to accept connections')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`redis-server exited with ${code}: ${output.slice(-500)}`));
    });
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
  return child;
}

describeRedis('sessions in Redis (REDIS_URL)', () => {
  let redis: ChildProcess | undefined;
  let redisURL: string;
  let running: RunningApp | undefined;
  let app: { url: string; agent: ReturnType<typeof request.agent>; close(): Promise<void> };
  const output: string[] = [];
  /** Server-side error lines: none expected. */
  const errors: string[] = [];

  beforeAll(async () => {
    const port = await freePort();
    redis = await startRedis(port);
    redisURL = `redis://127.0.0.1:${port}`;
    // What `npm start` runs, with REDIS_URL in its environment.
    const log = { log: (line: string) => output.push(line), warn: (line: string) => output.push(line), error: (line: string) => errors.push(line) };
    running = await startServer({ PORT: '0', HOST: '127.0.0.1', SESSION_SECRET, REDIS_URL: redisURL }, log);
    const url = running.url.replace(/\/$/, '');
    app = { url, agent: request.agent(url), close: async () => {} };
  }, 20_000);

  afterAll(async () => {
    await running?.close();
    if (redis && redis.exitCode === null) {
      const exited = new Promise((resolve) => redis!.once('exit', resolve));
      redis.kill('SIGTERM');
      await exited;
    }
  });

  it('says so at start, without the memory-store warning', () => {
    expect(output).toContain(`  ${'Sessions'.padEnd(12)} Redis`);
    expect(output.join('\n')).not.toContain('REDIS_URL is not set');
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
      expect(ttl).toBeGreaterThan(0);
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
