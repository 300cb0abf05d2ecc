// What the framework tests share: the four emulators, the sample user each sign-in must bring into the app, the
// two journeys every framework passes (approve on the consent page; deny there), and apps in their own process.
import { spawn } from 'node:child_process';
import type { EmulatedUser, OAuthEmulator } from '@maniapass/emulators';
import type { ProviderId } from '@maniapass/providers';
import request from 'supertest';
import { signIn, type TestApp } from '../harness';
import { PROVIDER_IDS, TEST_PROVIDERS } from '../providers';

/** Every provider of the registry. */
export const PROVIDERS = PROVIDER_IDS;
export type ProviderName = ProviderId;

/** The emulator's first sample user as the app must see it, written out (in the test registry) rather than read from the emulator. */
export const SAMPLE_USERS = Object.fromEntries(TEST_PROVIDERS.map((p) => [p.id, { provider: p.id, ...p.expectedProfile }])) as Record<
  ProviderName,
  { provider: ProviderName; id: string; displayName: string }
>;

export interface Emulators {
  byName: Record<ProviderName, OAuthEmulator<EmulatedUser>>;
  /** `emulator.strategyOptions()` of each: client credentials and endpoint URLs (and Toornament's API key). */
  strategyOptions(): Record<ProviderName, Record<string, string>>;
  close(): Promise<void>;
}

export async function startEmulators(): Promise<Emulators> {
  const list = await Promise.all(TEST_PROVIDERS.map((p) => p.startEmulator()));
  const byName = Object.fromEntries(PROVIDERS.map((name, i) => [name, list[i]])) as unknown as Record<ProviderName, OAuthEmulator<EmulatedUser>>;
  return {
    byName,
    strategyOptions: () =>
      Object.fromEntries(PROVIDERS.map((name) => [name, byName[name].strategyOptions()])) as unknown as Record<ProviderName, Record<string, string>>,
    close: async () => {
      await Promise.all(list.map((emulator) => emulator.close()));
    },
  };
}

export interface AppProcess<I> {
  url: string;
  /** What the app printed once listening (its URL and the framework version it runs). */
  info: I & { url: string };
  /** A new browser: an agent with its own cookie jar, hence its own session. */
  visitor(): TestApp;
  close(): Promise<void>;
}

/**
 * Starts an app in its own `node` process (`args` after the node binary) with `options` as JSON in the
 * environment variable `APP_OPTIONS`, plus `env`. The app prints one JSON line with its `url` once listening and exits on
 * SIGTERM; `close()` sends it and waits for the exit.
 */
export function startAppProcess<I = Record<string, unknown>>(args: string[], options: unknown, env: Record<string, string> = {}): Promise<AppProcess<I>> {
  const child = spawn(process.execPath, args, { env: { ...process.env, ...env, APP_OPTIONS: JSON.stringify(options) }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error('did not start within 30 s')), 30_000);
    const fail = (err: Error) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`${err.message}\n${stderr}${output}`));
    };
    const early = (code: number | null) => fail(new Error(`exited with ${code} before listening`));
    child.once('exit', early);
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const line = output.split('\n').find((l) => l.startsWith('{'));
      if (!line) return;
      clearTimeout(timer);
      child.off('exit', early);
      const info = JSON.parse(line) as I & { url: string };
      resolve({
        url: info.url,
        info,
        visitor: () => ({ url: info.url, agent: request.agent(info.url), close: async () => undefined }),
        close: async () => {
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
          await exited;
        },
      });
    });
  });
}

/**
 * A whole sign-in through the emulator's consent page: checks the authorize redirect carries the app's own
 * callback URL, lands on /me, and returns the user /me shows.
 */
export async function signInThroughConsent(app: TestApp, provider: ProviderName): Promise<unknown> {
  const result = await signIn(app, provider, { decision: 'approve' });
  expect(result.start.status).toBe(302);
  expect(new URL(result.authorizeURL!).searchParams.get('redirect_uri')).toBe(`${app.url}/auth/${provider}/callback`);
  expect(result.callback?.status).toBe(302);
  expect(result.callback?.headers.location).toBe('/me');
  const me = await app.agent.get('/me');
  expect(me.status).toBe(200);
  return (me.body as { user: unknown }).user;
}

/** Denies on the consent page: the callback redirects to /failed with the strategy's fixed message, and nobody is signed in. */
export async function expectDenyFails(app: TestApp, provider: ProviderName): Promise<void> {
  const result = await signIn(app, provider, { decision: 'deny' });
  expect(new URL(result.emulatorRedirect!).searchParams.get('error')).toBe('access_denied');
  expect(result.callback?.status).toBe(302);
  expect(result.callback?.headers.location).toBe('/failed');
  expect((await app.agent.get('/failed')).body).toEqual({ messages: [`Access denied at ${provider}`] });
  expect((await app.agent.get('/me')).body).toEqual({ user: null });
}
