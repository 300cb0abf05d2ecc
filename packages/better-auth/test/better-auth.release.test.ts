// better-auth itself, signing in through each provider's emulator: the built @maniapass/better-auth,
// @maniapass/providers and @maniapass/http packed and installed with better-auth and better-sqlite3 from the registry
// into an empty project, where better-auth's own Node handler (`toNodeHandler`) serves on a SQLite file database
// migrated with better-auth's migration API (test/better-auth-app/server.mjs). A browser's part is played over HTTP
// with a cookie jar. better-auth's peer dependencies do not resolve beside this repository's test toolchain, so it is
// installed here, with --legacy-peer-deps, and never into the workspace. Slow (an npm install that compiles
// better-sqlite3): in `npm run test:all` only.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { EmulatedUser, OAuthEmulator } from '@maniapass/emulators';
import { TEST_PROVIDERS, consent, type TestProvider } from '../../../test-support/providers';
import { leaks } from '../../../test-support/secrets';
import { CookieJar } from '../../../test-support/cookie-jar';

const run = promisify(execFile);
const root = join(__dirname, '..', '..', '..');
const PACKED = ['better-auth', 'providers', 'http'];
const FROM_REGISTRY = ['better-auth@1.7.29', 'better-sqlite3@12.11.1'];
const INSTALL_TIMEOUT_MS = 150_000;
const START_TIMEOUT_MS = 30_000;

/**
 * The e-mail of each emulator's first user as better-auth stores it (README: the provider's address, verified as the
 * provider says, else `<id>@<provider>.invalid`, unverified): only TrackMage gives one with the default scope.
 */
const STORED_EMAIL: Record<string, { email: string; emailVerified: boolean }> = {
  trackmania: { email: '5b4d42f4-c2de-407d-b367-cbff3fe817bc@trackmania.invalid', emailVerified: false },
  maniaplanet: { email: 'someplayer@maniaplanet.invalid', emailVerified: false },
  trackmage: { email: 'test@example.com', emailVerified: true },
  toornament: { email: '145246939508809147@toornament.invalid', emailVerified: false },
};

jest.setTimeout(200_000);

let work: string;
let server: ChildProcess | undefined;
let serverLog = '';
let baseURL: string;
const emulators = new Map<string, OAuthEmulator<EmulatedUser>>();
/** Everything the app answered or logged, for the check that no secret is in it. */
const seen: string[] = [];

/** Does what a browser does with one request to the app, keeping the answer's cookies and text. */
async function request(jar: CookieJar, path: string, init: RequestInit = {}): Promise<{ res: Response; text: string }> {
  const res = await fetch(new URL(path, baseURL), {
    ...init,
    redirect: 'manual',
    headers: { ...(init.headers as Record<string, string>), cookie: jar.header(), origin: baseURL },
  });
  jar.store(res);
  const text = await res.text();
  seen.push(`${res.status} ${JSON.stringify([...res.headers])}\n${text}`);
  return { res, text };
}

/** Starts a sign-in with better-auth's client call (`signIn.social`): the provider's authorization URL. */
async function startSignIn(jar: CookieJar, provider: string): Promise<string> {
  const { res, text } = await request(jar, '/api/auth/sign-in/social', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ provider, callbackURL: '/dashboard', errorCallbackURL: '/signin-failed' }),
  });
  expect({ status: res.status, text }).toEqual({ status: 200, text: expect.stringContaining('"url"') });
  return (JSON.parse(text) as { url: string }).url;
}

/** The provider's redirect back, followed into the app: where better-auth then sends the browser. */
async function callback(jar: CookieJar, location: string): Promise<URL> {
  const { res } = await request(jar, location);
  expect(res.status).toBe(302);
  return new URL(res.headers.get('location')!, baseURL);
}

/** The session better-auth reads from its database for this browser (`null` when signed out). */
async function session(jar: CookieJar): Promise<{ user: Record<string, unknown> } | null> {
  const { text } = await request(jar, '/api/auth/get-session');
  return JSON.parse(text) as { user: Record<string, unknown> } | null;
}

/** Fails, saying so, when the registry npm uses cannot be reached: better-auth is installed from it. */
async function registryReachable(): Promise<void> {
  const { stdout } = await run('npm', ['config', 'get', 'registry'], { encoding: 'utf8' });
  const registry = stdout.trim();
  const answer = await fetch(new URL('better-auth', registry.endsWith('/') ? registry : `${registry}/`), { signal: AbortSignal.timeout(20_000) }).catch(
    (e: unknown) => e,
  );
  if (!(answer instanceof Response) || !answer.ok) {
    throw new Error(
      `the npm registry (${registry}) cannot be reached, and this test installs better-auth from it: ${answer instanceof Response ? `HTTP ${answer.status}` : `${String(answer)} (${String((answer as Error).cause ?? 'no cause given')})`}`,
    );
  }
}

beforeAll(
  async () => {
    for (const dir of PACKED)
      if (!existsSync(join(root, 'packages', dir, 'dist', 'index.js'))) throw new Error(`packages/${dir} is not built: run npm run build`);
    await registryReachable();
    work = mkdtempSync(join(tmpdir(), 'maniapass-better-auth-'));
    writeFileSync(join(work, 'package.json'), JSON.stringify({ name: 'better-auth-app', private: true, type: 'module' }));
    const tarballs: string[] = [];
    for (const dir of PACKED) {
      const { stdout } = await run('npm', ['pack', '--silent', '--pack-destination', work, join(root, 'packages', dir)], { encoding: 'utf8' });
      tarballs.push(join(work, stdout.trim().split('\n').pop()!));
    }
    const install = await run('npm', ['install', '--legacy-peer-deps', '--no-audit', '--no-fund', ...tarballs, ...FROM_REGISTRY], {
      cwd: work,
      encoding: 'utf8',
      timeout: INSTALL_TIMEOUT_MS,
      // better-sqlite3 is compiled here (its prebuilt binaries are not fetched): both of its sources at once.
      env: { ...process.env, JOBS: 'max' },
    }).catch((e: { stdout?: string; stderr?: string; killed?: boolean; message: string }) => {
      throw new Error(
        `npm install in ${work} ${e.killed ? `did not finish within ${INSTALL_TIMEOUT_MS / 1000} s` : 'failed'}: ${e.message}\n${e.stdout ?? ''}${e.stderr ?? ''}`,
      );
    });
    expect(install.stdout).toMatch(/added \d+ packages/);
    copyFileSync(join(__dirname, 'better-auth-app', 'server.mjs'), join(work, 'server.mjs'));

    const options: Record<string, unknown> = {};
    for (const provider of TEST_PROVIDERS) {
      const emulator = await provider.startEmulator();
      emulators.set(provider.id, emulator);
      const { clientID, clientSecret, ...rest } = emulator.strategyOptions();
      options[provider.id] = { clientId: clientID, clientSecret, ...rest };
    }
    server = spawn(process.execPath, ['server.mjs'], {
      cwd: work,
      env: { PATH: process.env.PATH, AUTH_DATABASE: join(work, 'auth.db'), AUTH_PROVIDERS: JSON.stringify(options) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    server.stdout!.on('data', (chunk: Buffer) => (serverLog += chunk.toString()));
    server.stderr!.on('data', (chunk: Buffer) => (serverLog += chunk.toString()));
    const started = Date.now();
    for (;;) {
      const listening = /listening (\S+)/.exec(serverLog);
      if (listening) {
        baseURL = listening[1]!;
        break;
      }
      if (server.exitCode !== null || Date.now() - started > START_TIMEOUT_MS) throw new Error(`the better-auth app did not start:\n${serverLog}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  },
  INSTALL_TIMEOUT_MS + START_TIMEOUT_MS + 30_000,
);

afterAll(async () => {
  server?.kill();
  await Promise.all([...emulators.values()].map((emulator) => emulator.close()));
  if (work) rmSync(work, { recursive: true, force: true });
});

describe.each(TEST_PROVIDERS.map((p): [string, TestProvider] => [p.id, p]))('better-auth 1.7.29 with SQLite, %s', (id, provider) => {
  afterEach(() => emulators.get(id)!.clearFaults());

  it('signs in through the consent page: the session user and account are the mapped profile', async () => {
    const jar = new CookieJar();
    const back = await consent(await startSignIn(jar, id));
    expect(new URL(back).pathname).toBe(`/api/auth/callback/${id}`);
    const landed = await callback(jar, back);
    expect(landed.pathname).toBe('/dashboard');
    // better-auth's own user id; the provider's id is the account's.
    const current = await session(jar);
    expect(current?.user).toMatchObject({ id: expect.any(String), name: provider.expectedProfile.displayName, ...STORED_EMAIL[id] });
    const { text } = await request(jar, '/api/auth/list-accounts');
    expect(JSON.parse(text)).toEqual([expect.objectContaining({ providerId: id, accountId: provider.expectedProfile.id, userId: current!.user.id })]);
  });

  it('a denial on the consent page ends at the error callback, with no session', async () => {
    const jar = new CookieJar();
    const back = await consent(await startSignIn(jar, id), 'deny');
    expect(new URL(back).searchParams.get('error')).toBe('access_denied');
    const landed = await callback(jar, back);
    expect({ path: landed.pathname, error: landed.searchParams.get('error') }).toEqual({ path: '/signin-failed', error: 'access_denied' });
    expect(await session(jar)).toBeNull();
  });

  it('a token endpoint error ends at the error callback, with no session', async () => {
    const jar = new CookieJar();
    const back = await consent(await startSignIn(jar, id));
    emulators.get(id)!.fault('token', { type: 'status', status: 503 });
    const landed = await callback(jar, back);
    expect(emulators.get(id)!.lastRequest('token')!.form).toMatchObject({ grant_type: 'authorization_code', code: new URL(back).searchParams.get('code') });
    expect({ path: landed.pathname, error: landed.searchParams.get('error') }).toEqual({ path: '/signin-failed', error: 'invalid_code' });
    expect(await session(jar)).toBeNull();
  });
});

describe('after every sign-in', () => {
  it('stored one user per provider in the SQLite file, each with its account', async () => {
    const query =
      "const db = new (require('better-sqlite3'))(process.argv[1], { readonly: true });" +
      "console.log(JSON.stringify(db.prepare('SELECT (SELECT count(*) FROM user) AS users, (SELECT group_concat(providerId) FROM (SELECT providerId FROM account ORDER BY providerId)) AS providers').get()))";
    const { stdout } = await run(process.execPath, ['-e', query, join(work, 'auth.db')], { cwd: work, encoding: 'utf8' });
    expect(JSON.parse(stdout)).toEqual({
      users: TEST_PROVIDERS.length,
      providers: TEST_PROVIDERS.map((p) => p.id)
        .sort()
        .join(','),
    });
  });

  it('leaves no client secret or API key in any answer of the app or line of its log', () => {
    const secrets = [...emulators.values()].flatMap((emulator) => {
      const { clientSecret, apiKey } = emulator.strategyOptions();
      return apiKey ? [clientSecret, apiKey] : [clientSecret];
    });
    const publicValues = [...emulators.values()].map((emulator) => emulator.strategyOptions().clientID);
    // better-auth logs each failed exchange above with its error: the check covers those lines.
    expect(serverLog.match(/Failed to validate authorization code TokenError/g)).toHaveLength(TEST_PROVIDERS.length);
    expect(seen.length).toBeGreaterThan(TEST_PROVIDERS.length * 8);
    expect(leaks([...seen, serverLog].join('\n'), secrets, publicValues)).toEqual([]);
  });
});
