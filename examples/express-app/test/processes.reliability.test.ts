// The app as an operator runs it: several processes on one Redis, the emulators started once (EMULATORS_URL), and
// SIGTERM while sign-ins are in flight. Each app is a real `node` process running src/main.ts.
import { spawn, type ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import { join } from 'node:path';
import type { EmulatedUser, OAuthEmulator } from '@maniapass/emulators';
import { startAllEmulators, type RunningEmulators } from '../src/emulators';
import { startRedisServer, type RedisServer, describeRedis } from '../../../test-support/services';
import { approve } from './helpers';

const register = join(__dirname, '../../../test-support/register-sources.cjs');
const main = join(__dirname, '../src/main.ts');
const SESSION_SECRET = 'processes-test-session-secret-0123456789abcdef';

jest.setTimeout(120_000);

interface AppProcess {
  url: string;
  child: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
}

async function startApp(env: Record<string, string>): Promise<AppProcess> {
  const child = spawn(process.execPath, ['-r', register, main], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', SESSION_SECRET, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the app did not start:\n${output}`)), 60_000);
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/\S+?)\/? /.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout!.on('data', read);
    child.stderr!.on('data', read);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`the app exited with ${code}:\n${output}`));
    });
  });
  return { url, child, output: () => output, exited };
}

/** Eight consecutive free ports are needed: a random first port, tried again elsewhere if one is taken. */
async function startEmulatorsSomewhere(): Promise<{ emulators: RunningEmulators; url: string }> {
  for (let attempt = 0; ; attempt++) {
    const url = `http://127.0.0.1:${20_000 + Math.floor(Math.random() * 30_000)}`;
    try {
      return { emulators: await startAllEmulators(url), url };
    } catch (err) {
      if (attempt >= 5) throw err;
    }
  }
}

/**
 * A GET to `url` with the `Host` another process was reached by: behind one proxy, every process sees the same
 * host, so the relative callback URL (and the redirect_uri the code is bound to) is the same on each.
 */
function getAs(url: string, host: string, cookie: string): Promise<{ status: number; location?: string; cookie?: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { host, cookie } }, (res) => {
      res.resume();
      res.on('end', () =>
        resolve({
          status: res.statusCode!,
          ...(res.headers.location ? { location: res.headers.location } : {}),
          ...(res.headers['set-cookie'] ? { cookie: res.headers['set-cookie'].find((c) => c.startsWith('maniapass.sid='))?.split(';')[0] } : {}),
        }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

const cookieOf = (res: Response) =>
  res.headers
    .getSetCookie()
    .find((c) => c.startsWith('maniapass.sid='))
    ?.split(';')[0];

/** A sign-in started on `startOn` (its cookie, approved at the emulator): the callback path to send anywhere. */
async function startSignIn(startOn: string): Promise<{ cookie: string; callback: string }> {
  const start = await fetch(`${startOn}/auth/trackmania`, { redirect: 'manual' });
  expect(start.status).toBe(302);
  return { cookie: cookieOf(start)!, callback: await approve(start.headers.get('location')!) };
}

describeRedis()('several processes on one Redis, the emulators once', () => {
  let redis: RedisServer;
  let emulators: RunningEmulators;
  let emulatorsURL: string;
  let a: AppProcess;
  let b: AppProcess;

  beforeAll(async () => {
    redis = await startRedisServer();
    ({ emulators, url: emulatorsURL } = await startEmulatorsSomewhere());
    const env = { REDIS_URL: redis.url, EMULATORS_URL: emulatorsURL, AUTH_RATE_LIMIT: '0', DEMO_RATE_LIMIT: '4' };
    [a, b] = await Promise.all([startApp(env), startApp(env)]);
  });
  afterAll(async () => {
    for (const app of [a, b]) if (app && app.child.exitCode === null) app.child.kill('SIGKILL');
    await emulators?.close();
    await redis?.stop();
  });

  it('a sign-in started on one process ends on the other, and either serves the signed-in session', async () => {
    for (const [first, second] of [
      [a, b],
      [b, a],
    ] as const) {
      const { cookie, callback } = await startSignIn(first.url);
      const done = await getAs(`${second.url}${callback}`, new URL(first.url).host, cookie);
      expect(done.status).toBe(302);
      expect(done.location).toBe('/profile');
      const signedIn = done.cookie!;
      for (const app of [a, b]) {
        const profile = await fetch(`${app.url}/profile`, { headers: { cookie: signedIn }, redirect: 'manual' });
        expect(profile.status).toBe(200);
        expect(await profile.text()).toContain('<dt>provider</dt><dd>trackmania</dd>');
      }
    }
  });

  it('a plugin session issued by one process is honoured by the other, its plugin token used once in all, and a logout holds on both', async () => {
    const { token } = (await (
      await fetch(`${emulatorsURL.replace(/:(\d+)$/, (_, port: string) => `:${Number(port) + 7}`)}/emulator/plugin-token`, { method: 'POST' })
    ).json()) as { token: string };
    const exchange = (on: AppProcess) =>
      fetch(`${on.url}/api/openplanet/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token }) });
    const issued = await exchange(a);
    expect(issued.status).toBe(200);
    const appToken = ((await issued.json()) as { token: string }).token;
    // The plugin token was validated by the one emulator both processes use, and is single use across both.
    expect((await exchange(b)).status).toBe(401);
    const me = (on: AppProcess) => fetch(`${on.url}/api/openplanet/me`, { headers: { authorization: `Bearer ${appToken}` } });
    expect((await me(b)).status).toBe(200);
    expect((await fetch(`${b.url}/api/openplanet/logout`, { method: 'POST', headers: { authorization: `Bearer ${appToken}` } })).status).toBe(204);
    expect((await me(a)).status).toBe(401);
  });

  it('the rate limits count across processes: DEMO_RATE_LIMIT=4 is 4 requests in all, not 4 per process', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await fetch(`${(i % 2 ? a : b).url}/demo`)).status);
    expect(statuses).toEqual([200, 200, 200, 200, 429, 429]);
  });

  it('both are ready (Redis and every provider reachable), and serve metrics', async () => {
    for (const app of [a, b]) {
      const ready = await fetch(`${app.url}/readyz`);
      expect(ready.status).toBe(200);
      expect(((await ready.json()) as { checks: Record<string, string> }).checks).toEqual({
        redis: 'ok',
        trackmania: 'ok',
        maniaplanet: 'ok',
        trackmage: 'ok',
        toornament: 'ok',
      });
      expect(await (await fetch(`${app.url}/metrics`)).text()).toContain('maniapass_store_errors_total');
    }
  });

  it('SIGTERM with 20 callbacks in flight: every one is answered, then the process exits 0 with no error line', async () => {
    const signIns = await Promise.all(Array.from({ length: 20 }, () => startSignIn(a.url)));
    const trackmania = emulators.providers.trackmania as unknown as OAuthEmulator<EmulatedUser>;
    // The token endpoint takes 4 s to answer: the signal comes once every callback waits there (the emulator records
    // a request when it arrives), however busy the machine.
    const before = trackmania.requestsTo('token').length;
    trackmania.fault('token', { type: 'delay', ms: 4000 });
    const callbacks = signIns.map(({ cookie, callback }) =>
      fetch(`${a.url}${callback}`, { headers: { cookie }, redirect: 'manual' }).then(
        (res) => res.status,
        (err: Error) => err.message,
      ),
    );
    const deadline = Date.now() + 30_000;
    while (trackmania.requestsTo('token').length - before < 20 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(trackmania.requestsTo('token').length - before).toBe(20);
    a.child.kill('SIGTERM');
    const statuses = await Promise.all(callbacks);
    trackmania.clearFaults();
    expect(statuses).toEqual(Array.from({ length: 20 }, () => 302));
    expect(await a.exited).toBe(0);
    expect(a.output()).toContain('SIGTERM: stopping');
    expect(a.output()).toContain('stopped');
    expect(a.output()).not.toMatch(/ERROR|client is closed|\n\s+at /);
    // The other process serves on.
    expect((await fetch(`${b.url}/`)).status).toBe(200);
  });
});
