// The load run shared by the load test and its leak control.
import { join } from 'node:path';
import { PROVIDERS, type AnyEmulator } from './providers';
import { addUser, csrfOf, pool, sessionUserOf, signIn } from './driver';
import { startChildApp, type ChildApp } from './child';

export const SIGN_INS = 1000;
export const CONCURRENCY = 50;
export const WARM_UP = 500;
/**
 * Heap growth allowed per login once the app is warm and its idle connections are closed. Measured here without
 * a leak: -60 to +220 bytes per login (noise of a few hundred kB over the run); keeping each login's token
 * response and profile adds about 1 KB per login, which the leak control shows this bound catches.
 */
export const MAX_GROWTH_PER_LOGIN = 400;

export interface LoadRig {
  /** The example app, in its own process. */
  app: ChildApp;
  emulators: AnyEmulator[];
  close(): Promise<void>;
}

/** Starts every provider's emulator and the example app (in its own process) signing in with all of them. */
export async function startLoadRig(env: Record<string, string> = {}): Promise<LoadRig> {
  const emulators = await Promise.all(PROVIDERS.map((p) => p.startEmulator()));
  const app = await startChildApp(
    join(__dirname, 'example-app-process.ts'),
    { ...env, RELIABILITY_APP: JSON.stringify({ providers: PROVIDERS.map((p, i) => ({ name: p.name, options: emulators[i]!.strategyOptions() })) }) },
    // Without the optimizing and baseline compilers, and without bytecode flushing: the machine code V8 keeps
    // adding as traffic goes on (measured in heap snapshots: code, deopt data, relocation info), and the start-up
    // code it drops later, would otherwise look like a slow per-login leak, or hide one.
    { nodeFlags: ['--no-opt', '--no-sparkplug', '--no-flush-bytecode'] },
  );
  return {
    app,
    emulators,
    close: async () => {
      await app.stop();
      await Promise.all(emulators.map((e) => e.close()));
    },
  };
}

/** One sign-in as a new user of provider `i % n`, checked end to end, then signed out. A problem, or undefined. */
export async function signInChecked(rig: LoadRig, i: number): Promise<string | undefined> {
  const index = i % PROVIDERS.length;
  const provider = PROVIDERS[index]!;
  const user = addUser(rig.emulators[index]!);
  const outcome = await signIn(rig.app.url, provider.name, user.id);
  if (outcome.kind !== 'success') return `${provider.name} sign-in ${i}: ${outcome.kind} ${outcome.status} ${outcome.bodies.join(' | ').slice(0, 300)}`;
  const expected = { provider: provider.name, id: provider.profileId(user) };
  if (outcome.user?.provider !== expected.provider || outcome.user.id !== expected.id) {
    return `${provider.name} sign-in ${i}: session holds ${JSON.stringify(outcome.user)}, expected ${JSON.stringify(expected)}`;
  }
  // The session belongs to this agent: a second look shows the same user; then it signs out.
  const again = await outcome.agent.get('/profile');
  const shown = sessionUserOf(again.text ?? '', undefined);
  if (shown?.id !== expected.id || shown.provider !== expected.provider) return `${provider.name} sign-in ${i}: second look shows ${JSON.stringify(shown)}`;
  const csrf = csrfOf(again.text ?? '');
  if (!csrf) return `${provider.name} sign-in ${i}: the profile page has no sign-out form`;
  const logout = await outcome.agent.post('/logout').type('form').send({ _csrf: csrf });
  if (logout.status !== 302) return `${provider.name} sign-in ${i}: logout answered ${logout.status}`;
  const after = await outcome.agent.get('/profile');
  if (after.status !== 302) return `${provider.name} sign-in ${i}: still signed in after logout (${after.status})`;
  return undefined;
}

export interface LoadResult {
  problems: string[];
  elapsedMs: number;
  heapBefore: number;
  heapAfter: number;
  growthPerLogin: number;
  unhandled: number;
  /** Sessions left in the app's store once every sign-in signed out (the example app only). */
  sessionsLeft?: number;
}

/** Warm-up, heap baseline, `SIGN_INS` sign-ins at `CONCURRENCY`, heap again. */
export async function runLoad(rig: LoadRig): Promise<LoadResult> {
  const warm = await pool(WARM_UP, CONCURRENCY, (i) => signInChecked(rig, i));
  const before = await rig.app.heap();
  if (!before.gc) throw new Error('the app process has no gc()');
  const started = Date.now();
  const results = await pool(SIGN_INS, CONCURRENCY, (i) => signInChecked(rig, WARM_UP + i));
  const elapsedMs = Date.now() - started;
  const after = await rig.app.heap();
  return {
    problems: [...warm, ...results].filter((p): p is string => p !== undefined),
    elapsedMs,
    heapBefore: before.heapUsed,
    heapAfter: after.heapUsed,
    growthPerLogin: (after.heapUsed - before.heapUsed) / SIGN_INS,
    unhandled: after.unhandled,
    sessionsLeft: after.sessions,
  };
}
