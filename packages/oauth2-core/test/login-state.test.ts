// A login keeps its state on its own per-request object: whatever way it ends (profile skipped, profile call
// failed, verify refused or threw, success), nothing of it, least of all a token, stays on the strategy.
import { startTrackmaniaEmulator, type TrackmaniaEmulator } from '@maniapass/emulators';
import { Strategy } from 'passport-trackmania';
import { signIn, startTestApp, type TestApp } from '../../../test-support/harness';

let emulator: TrackmaniaEmulator;
let app: TestApp | undefined;
beforeAll(async () => {
  emulator = await startTrackmaniaEmulator({ autoApprove: true });
});
afterAll(() => emulator.close());
afterEach(async () => {
  emulator.clearFaults();
  await app?.close();
  app = undefined;
});

/** Every string reachable from `root` through own properties (symbol keys and non-enumerable ones too). */
function reachableStrings(root: object): Set<string> {
  const found = new Set<string>();
  const seen = new Set<object>();
  const visit = (value: unknown, depth: number): void => {
    if (typeof value === 'string') found.add(value);
    if (value === null || (typeof value !== 'object' && typeof value !== 'function') || seen.has(value) || depth > 8) return;
    seen.add(value);
    if (value instanceof Map)
      for (const [k, v] of value) {
        visit(k, depth + 1);
        visit(v, depth + 1);
      }
    if (value instanceof Set) for (const v of value) visit(v, depth + 1);
    for (const key of Reflect.ownKeys(value)) {
      const descriptor = Reflect.getOwnPropertyDescriptor(value, key);
      if (descriptor && 'value' in descriptor) visit(descriptor.value, depth + 1);
    }
  };
  visit(root, 0);
  return found;
}

/** The access tokens the strategy sent back to the emulator (profile calls). */
const bearerTokens = () => emulator.requests.map((r) => /^Bearer (\S+)/.exec(r.headers.authorization ?? '')?.[1]).filter((t): t is string => !!t);

type Case = [name: string, options: Record<string, unknown>, verify: () => Promise<object | false>, failing: string | undefined];
it.each<Case>([
  ['the profile is skipped', { skipUserProfile: true }, async () => ({ id: 'u' }), undefined],
  [
    'skipUserProfile fails',
    { skipUserProfile: (_at: string, done: (err: unknown) => void) => done(new Error('flags down')) },
    async () => ({ id: 'u' }),
    undefined,
  ],
  ['the profile call fails', {}, async () => ({ id: 'u' }), 'user'],
  ['verify refuses the user', { skipUserProfile: true }, async () => false, undefined],
  ['verify throws', { skipUserProfile: true }, async () => Promise.reject(new Error('db down')), undefined],
  ['the login succeeds', {}, async () => ({ id: 'u' }), undefined],
])('nothing of a login is left on the strategy when %s', async (_case, options, verify, failing) => {
  const tokens: string[] = [];
  const answered: string[] = [];
  // Sees every token answer, so that logins that never reach verify or a profile call are covered too.
  const recordingFetch = async (input: string, init: RequestInit) => {
    const res = await fetch(input, init);
    if (input.endsWith('/api/access_token')) answered.push(((await res.clone().json()) as { access_token: string }).access_token);
    return res;
  };
  let strategy: InstanceType<typeof Strategy> | undefined;
  app = await startTestApp({
    strategy: (url) => {
      strategy = new Strategy({ ...emulator.strategyOptions(), callbackURL: `${url}/auth/trackmania/callback`, fetch: recordingFetch, ...options }, ((
        at: string,
        _rt: string | undefined,
        _p: unknown,
      ) => {
        tokens.push(at);
        return verify();
      }) as never);
      return strategy;
    },
  });
  const before = Reflect.ownKeys(strategy!).length;
  if (failing) emulator.fault(failing, { type: 'status', status: 503 });
  for (let i = 0; i < 3; i++) {
    const { callback } = await signIn(app, 'trackmania');
    expect(callback!.status).toBeGreaterThanOrEqual(300);
  }
  // The access tokens handed out: the token endpoint's answers.
  const handedOut = [...new Set([...tokens, ...bearerTokens(), ...answered])];
  expect(handedOut.length).toBeGreaterThanOrEqual(3);
  const left = reachableStrings(strategy!);
  for (const token of handedOut) expect(left.has(token)).toBe(false);
  expect(Reflect.ownKeys(strategy!).length).toBe(before);
});

it('a skipUserProfile or userProfile that throws fails that login with its error, and the next login succeeds', async () => {
  let throwNext = true;
  const thrown = new Error('flag service is down');
  const throwingSkip = () => {
    if (throwNext) throw thrown;
    return false;
  };
  for (const options of [{ skipUserProfile: throwingSkip }, {}]) {
    throwNext = true;
    app = await startTestApp({
      strategy: (url) => {
        const strategy = new Strategy({ ...emulator.strategyOptions(), callbackURL: `${url}/auth/trackmania/callback`, ...options }, (async () => ({
          id: 'u',
        })) as never);
        if (!('skipUserProfile' in options)) {
          const original = strategy.userProfile.bind(strategy);
          strategy.userProfile = (accessToken, done) => {
            if (throwNext) throw thrown;
            return original(accessToken, done);
          };
        }
        return strategy;
      },
    });
    const failed = await signIn(app, 'trackmania');
    expect(failed.callback!.status).toBe(500);
    expect(failed.callback!.body).toMatchObject({ error: { message: 'flag service is down' } });
    throwNext = false;
    const next = await signIn(app, 'trackmania');
    expect(next.callback!.headers.location).toBe('/me');
    await app.close();
    app = undefined;
  }
});
