// NextAuth 4 itself, signing in through each provider's emulator with @maniapass/authjs's NextAuth 4 providers
// (`TrackmaniaV4()`...): the built @maniapass/authjs, @maniapass/providers and @maniapass/http packed and installed
// with next-auth 4 from the registry into an empty project, where NextAuth 4's own request handler (`AuthHandler` of
// next-auth/core) serves behind node:http (test/next-auth-v4-app/server.cjs). A browser's part is played over HTTP
// with a cookie jar. next-auth 4 requires Next.js and React as peers, and its optional `@auth/core` peer (0.34.3)
// is not the one the Auth.js v5 tests run: it is installed here, with --legacy-peer-deps, never into the workspace.
// An npm install: in `npm run test:all` only.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { EmulatedUser, OAuthEmulator } from '@maniapass/emulators';
import { CookieJar } from '../../../test-support/cookie-jar';
import { TEST_PROVIDERS, consent, type TestProvider } from '../../../test-support/providers';
import { ECHO_ENCODINGS, leaks } from '../../../test-support/secrets';

const run = promisify(execFile);
const root = join(__dirname, '..', '..', '..');
const PACKED = ['authjs', 'providers', 'http'];
const FROM_REGISTRY = ['next-auth@4.24.15'];
/** What a NextAuth 4 app has installed beside it, for the peer-dependency check (a dry run: nothing is downloaded). */
const NEXT_APP = ['next-auth@4.24.15', 'next@15.5.29', 'react@19.1.1', 'react-dom@19.1.1'];
const INSTALL_TIMEOUT_MS = 120_000;
const START_TIMEOUT_MS = 30_000;

jest.setTimeout(60_000);

/** One NextAuth 4 app process: its URL and everything it printed. */
interface App {
  process: ChildProcess;
  url: string;
  log: string;
}

let work: string;
const tarballs: string[] = [];
let app: App;
let slowApp: App;
const emulators = new Map<string, OAuthEmulator<EmulatedUser>>();
/** Everything the apps answered, for the check that no secret is in it. */
const seen: string[] = [];

/** Does what a browser does with one request to the app, keeping the answer's cookies and text. */
async function request(target: App, jar: CookieJar, path: string, init: RequestInit = {}): Promise<{ res: Response; text: string }> {
  const res = await fetch(new URL(path, target.url), {
    ...init,
    redirect: 'manual',
    headers: { ...(init.headers as Record<string, string>), cookie: jar.header() },
  });
  jar.store(res);
  const text = await res.text();
  seen.push(`${res.status} ${JSON.stringify([...res.headers])}\n${text}`);
  return { res, text };
}

/** NextAuth 4's sign-in button: the CSRF token, then POST /api/auth/signin/<id>; the provider's authorization URL. */
async function startSignIn(target: App, jar: CookieJar, id: string): Promise<URL> {
  const { text } = await request(target, jar, '/api/auth/csrf');
  const { csrfToken } = JSON.parse(text) as { csrfToken: string };
  const { res } = await request(target, jar, `/api/auth/signin/${id}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ csrfToken, callbackUrl: `${target.url}/me` }).toString(),
  });
  expect(res.status).toBe(302);
  return new URL(res.headers.get('location')!);
}

/** A sign-in through the consent page with the given decision: where NextAuth sends the browser after the callback. */
async function signIn(target: App, jar: CookieJar, id: string, decision: 'approve' | 'deny' = 'approve', alter?: (back: URL) => void): Promise<string> {
  const back = new URL(await consent(String(await startSignIn(target, jar, id)), decision));
  expect(back.pathname).toBe(`/api/auth/callback/${id}`);
  alter?.(back);
  const { res } = await request(target, jar, back.pathname + back.search);
  expect(res.status).toBe(302);
  return res.headers.get('location')!;
}

/** The session NextAuth reads from its cookie (`null` when signed out). */
async function session(target: App, jar: CookieJar): Promise<{ user: Record<string, unknown> } | null> {
  const { text } = await request(target, jar, '/api/auth/session');
  const answer = JSON.parse(text) as { user?: Record<string, unknown> };
  return answer.user ? (answer as { user: Record<string, unknown> }) : null;
}

/** Starts server.cjs in the project with these providers' options; resolves once it listens. */
async function startApp(providers: Record<string, unknown>): Promise<App> {
  const child = spawn(process.execPath, ['server.cjs'], {
    cwd: work,
    env: { PATH: process.env.PATH, AUTH_PROVIDERS: JSON.stringify(providers) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const started: App = { process: child, url: '', log: '' };
  child.stdout!.on('data', (chunk: Buffer) => (started.log += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (started.log += chunk.toString()));
  const since = Date.now();
  for (;;) {
    const listening = /listening (\S+)/.exec(started.log);
    if (listening) return { ...started, url: listening[1]! };
    if (child.exitCode !== null || Date.now() - since > START_TIMEOUT_MS) throw new Error(`the NextAuth 4 app did not start:\n${started.log}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** What the app's NextAuth logger received (`debug: true`: every debug line too), and each provider's last account. */
async function logged(target: App): Promise<{ lines: string; accounts: Record<string, Record<string, unknown>> }> {
  const answer = (await (await fetch(new URL('/logged', target.url))).json()) as { logged: string[]; accounts: Record<string, Record<string, unknown>> };
  return { lines: answer.logged.join('\n'), accounts: answer.accounts };
}

beforeAll(
  async () => {
    for (const dir of PACKED)
      if (!existsSync(join(root, 'packages', dir, 'dist', 'index.js'))) throw new Error(`packages/${dir} is not built: run npm run build`);
    work = mkdtempSync(join(tmpdir(), 'maniapass-next-auth-v4-'));
    writeFileSync(join(work, 'package.json'), JSON.stringify({ name: 'next-auth-v4-app', private: true }));
    for (const dir of PACKED) {
      const { stdout } = await run('npm', ['pack', '--silent', '--pack-destination', work, join(root, 'packages', dir)], { encoding: 'utf8' });
      tarballs.push(join(work, stdout.trim().split('\n').pop()!));
    }
    await run('npm', ['install', '--legacy-peer-deps', '--no-audit', '--no-fund', ...tarballs, ...FROM_REGISTRY], {
      cwd: work,
      encoding: 'utf8',
      timeout: INSTALL_TIMEOUT_MS,
    }).catch((e: { stdout?: string; stderr?: string; killed?: boolean; message: string }) => {
      throw new Error(
        `npm install in ${work} ${e.killed ? `did not finish within ${INSTALL_TIMEOUT_MS / 1000} s` : 'failed'}: ${e.message}\n${e.stdout ?? ''}${e.stderr ?? ''}`,
      );
    });
    copyFileSync(join(__dirname, 'next-auth-v4-app', 'server.cjs'), join(work, 'server.cjs'));

    const options: Record<string, Record<string, unknown>> = {};
    for (const provider of TEST_PROVIDERS) {
      const emulator = await provider.startEmulator();
      emulators.set(provider.id, emulator);
      const { clientID, clientSecret, ...rest } = emulator.strategyOptions();
      options[provider.id] = { clientId: clientID, clientSecret, ...rest };
    }
    const slow = Object.fromEntries(Object.entries(options).map(([id, o]) => [id, { ...o, timeout: 300 }]));
    [app, slowApp] = await Promise.all([startApp(options), startApp(slow)]);
  },
  INSTALL_TIMEOUT_MS + START_TIMEOUT_MS + 30_000,
);

afterAll(async () => {
  app?.process.kill();
  slowApp?.process.kill();
  await Promise.all([...emulators.values()].map((emulator) => emulator.close()));
  if (work) rmSync(work, { recursive: true, force: true });
});

describe.each(TEST_PROVIDERS.map((p): [string, TestProvider] => [p.id, p]))('NextAuth 4.24.15 (AuthHandler), %s', (id, provider) => {
  const emulator = () => emulators.get(id)!;
  afterEach(() => emulator().clearFaults());

  it('signs in through the consent page: state checked, secret in the body, the session holds the mapped user', async () => {
    const jar = new CookieJar();
    const authorize = await startSignIn(app, jar, id);
    expect(authorize.searchParams.get('state')).toEqual(expect.any(String));
    expect(authorize.searchParams.has('code_challenge')).toBe(false);
    expect(authorize.searchParams.get('scope')).not.toMatch(/openid/);
    const back = new URL(await consent(String(authorize)));
    const { res } = await request(app, jar, back.pathname + back.search);
    expect({ status: res.status, location: res.headers.get('location') }).toEqual({ status: 302, location: `${app.url}/me` });
    const { clientId, clientSecret } = emulator().clients[0]!;
    const token = emulator().lastRequest('token')!;
    expect(token.form).toMatchObject({
      grant_type: 'authorization_code',
      code: back.searchParams.get('code'),
      redirect_uri: `${app.url}/api/auth/callback/${id}`,
      client_id: clientId,
      client_secret: clientSecret,
    });
    expect(token.headers.authorization).toBeUndefined();
    const apiKey = emulator().strategyOptions().apiKey;
    if (apiKey) expect(token.headers['x-api-key']).toBe(apiKey);
    expect(emulator().lastRequest(provider.profileEndpoint)!.headers['user-agent']).toMatch(/^@maniapass\/authjs\//);
    expect((await session(app, jar))?.user).toMatchObject({ name: provider.expectedProfile.displayName });
    // The account an adapter would store: the standard token fields, no `null`, no provider field (TrackMage's user_id).
    const account = (await logged(app)).accounts[id]!;
    expect(account).toMatchObject({ provider: id, type: 'oauth', providerAccountId: provider.expectedProfile.id, access_token: expect.any(String) });
    expect(account.token_type).toMatch(/^bearer$/i);
    expect(
      Object.keys(account).filter(
        (key) => !['provider', 'type', 'providerAccountId', 'access_token', 'token_type', 'expires_at', 'refresh_token', 'scope'].includes(key),
      ),
    ).toEqual([]);
    expect(Object.values(account)).not.toContain(null);
  });

  it('a denial on the consent page ends on the error page, with no session', async () => {
    const jar = new CookieJar();
    expect(await signIn(app, jar, id, 'deny')).toMatch(/\/api\/auth\/(error|signin)\?error=/);
    expect(await session(app, jar)).toBeNull();
  });

  it('a provider error at the token endpoint fails the sign-in cleanly, with no session', async () => {
    emulator().fault('token', { type: 'status', status: 503 });
    const jar = new CookieJar();
    expect(await signIn(app, jar, id)).toMatch(/\/api\/auth\/(error|signin)\?error=/);
    expect(emulator().lastRequest('token')!.form).toMatchObject({ grant_type: 'authorization_code' });
    expect(await session(app, jar)).toBeNull();
  });

  it('a callback whose state is not the sign-in’s is refused before any token request', async () => {
    const jar = new CookieJar();
    const before = emulator().requestsTo('token').length;
    expect(await signIn(app, jar, id, 'approve', (back) => back.searchParams.set('state', 'x'.repeat(43)))).toMatch(/error=/);
    expect(emulator().requestsTo('token')).toHaveLength(before);
    expect(await session(app, jar)).toBeNull();
  });

  it('a profile call that never answers fails within the timeout, with no session', async () => {
    emulator().fault(provider.profileEndpoint, { type: 'hang' });
    const jar = new CookieJar();
    const started = Date.now();
    expect(await signIn(slowApp, jar, id)).toMatch(/error=/);
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(await session(slowApp, jar)).toBeNull();
  });

  it('a token endpoint that echoes the request, in every encoding, leaves no secret in what the browser gets', async () => {
    const options = emulator().strategyOptions();
    const secrets = [options.clientSecret, ...(options.apiKey ? [options.apiKey] : [])];
    for (const encode of Object.values(ECHO_ENCODINGS)) {
      emulator().fault('token', { type: 'echo', status: 400, encode }, { times: 1 });
      const jar = new CookieJar();
      const location = await signIn(app, jar, id);
      expect(location).toMatch(/error=/);
      const { text } = await request(app, jar, new URL(location, app.url).pathname + new URL(location, app.url).search);
      expect(leaks(`${location} ${text}`, secrets, [options.clientID])).toEqual([]);
    }
  });
});

describe('installing @maniapass/authjs into a NextAuth 4 app', () => {
  it('resolves beside next-auth 4, Next.js and React without --legacy-peer-deps (no ERESOLVE over @auth/core)', async () => {
    // next-auth 4 declares an optional @auth/core 0.34.3 peer: a required @auth/core peer here would conflict with it.
    const project = mkdtempSync(join(work, 'next-app-'));
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'next-app', private: true }));
    const { stdout } = await run('npm', ['install', '--dry-run', '--no-audit', '--no-fund', ...tarballs, ...NEXT_APP], {
      cwd: project,
      encoding: 'utf8',
      timeout: INSTALL_TIMEOUT_MS,
    });
    expect(stdout).toMatch(/add @maniapass\/authjs 0\.1\.0/);
    expect(stdout).not.toMatch(/add @auth\/core/);
  });
});

describe('the NextAuth 4 providers against next-auth 4.24.15’s own types', () => {
  // A NextAuth 4 app's options, type-checked where next-auth 4 is installed (its .d.ts import `next`, absent there:
  // skipLibCheck), under both module resolutions NextAuth 4 apps use.
  const OPTIONS_FILE = [
    "import type { AuthOptions } from 'next-auth';",
    "import { TrackmaniaV4, ManiaPlanetV4, TrackMageV4, ToornamentV4 } from '@maniapass/authjs';",
    'export const options: AuthOptions = {',
    "  providers: [TrackmaniaV4({ clientId: 'a', clientSecret: 'b' }), ManiaPlanetV4(), TrackMageV4(), ToornamentV4({ apiKey: 'k' })],",
    '};',
  ].join('\n');
  it.each([
    ['nodenext', ['--module', 'nodenext', '--moduleResolution', 'nodenext']],
    ['node (node10)', ['--module', 'commonjs', '--moduleResolution', 'node', '--ignoreDeprecations', '6.0']],
  ])('are a next-auth 4 `Provider` under moduleResolution %s', async (_name, resolution) => {
    writeFileSync(join(work, 'options.ts'), OPTIONS_FILE);
    const tsc = join(root, 'node_modules', '.bin', 'tsc');
    const checked = await run(tsc, ['--noEmit', '--strict', '--skipLibCheck', '--target', 'es2022', ...resolution, 'options.ts'], {
      cwd: work,
      encoding: 'utf8',
    }).catch((e: { stdout?: string }) => ({ stdout: e.stdout ?? String(e) }));
    expect(checked.stdout).toBe('');
  });
});

describe('after every sign-in', () => {
  it('leaves no client secret or API key in any answer of the apps or line of their logs, debug lines included', async () => {
    const secrets = [...emulators.values()].flatMap((emulator) => {
      const { clientSecret, apiKey } = emulator.strategyOptions();
      return apiKey ? [clientSecret, apiKey] : [clientSecret];
    });
    const publicValues = [...emulators.values()].map((emulator) => emulator.strategyOptions().clientID);
    const logs = [(await logged(app)).lines, (await logged(slowApp)).lines, app.log, slowApp.log].join('\n');
    // NextAuth logged each failed callback above with its error, and (debug) each provider it sent a browser to.
    expect(logs).toMatch(/OAUTH_CALLBACK_ERROR/);
    expect(logs).toMatch(/GET_AUTHORIZATION_URL/);
    expect(seen.length).toBeGreaterThan(TEST_PROVIDERS.length * 20);
    expect(leaks([...seen, logs].join('\n'), secrets, publicValues)).toEqual([]);
  });
});
