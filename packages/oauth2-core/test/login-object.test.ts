// Logins at once, each with scopes of its own: each profile load must see its own login's scope (the one its access
// token was granted) and its own token answer, whether passport runs each request on `Object.create(strategy)` or
// several logins run on the strategy itself or on one object; and no login leaves anything on the strategy.
import { startTrackmaniaEmulator, type TrackmaniaEmulator } from '@maniapass/emulators';
import { type LoginContext } from '@maniapass/oauth2-core';
import { decodeJwtPayload } from '@maniapass/http';
import { Strategy, type TrackmaniaProfile, type TrackmaniaTokenResponse } from 'passport-trackmania';

let emulator: TrackmaniaEmulator;
beforeAll(async () => {
  emulator = await startTrackmaniaEmulator({ autoApprove: true });
});
afterAll(() => emulator.close());

/** Its profile tells what the login's context holds: the scope (as `id`) and the token answer's access token. */
class ContextProbe extends Strategy {
  protected override loadProfile(_accessToken: string, context: LoginContext<TrackmaniaTokenResponse>): Promise<TrackmaniaProfile> {
    return Promise.resolve({ provider: 'trackmania', id: context.scope.join(' '), displayName: context.tokenResponse.access_token } as TrackmaniaProfile);
  }
}

const SCOPES = [['clubs'], ['read_favorite'], ['write_favorite'], ['clubs', 'read_favorite'], ['read_favorite', 'write_favorite'], ['clubs', 'write_favorite']];

type Result = { accessToken: string; profile: TrackmaniaProfile } | { error: unknown } | { failed: unknown };

const CALLBACK = 'http://127.0.0.1:1/auth/trackmania/callback';

function probe(): InstanceType<typeof ContextProbe> {
  return new ContextProbe(
    { ...emulator.strategyOptions(), callbackURL: CALLBACK },
    (accessToken: string, _refreshToken: string | undefined, profile: TrackmaniaProfile) => Promise.resolve({ accessToken, profile }),
  );
}

/** passport's actions, set on `target`, reporting to the returned promise (one login at a time per target). */
function actions(target: object): { redirected: Promise<string>; ended: Promise<Result> } {
  let redirected!: (url: string) => void;
  let ended!: (r: Result) => void;
  const out = { redirected: new Promise<string>((r) => (redirected = r)), ended: new Promise<Result>((r) => (ended = r)) };
  Object.assign(target, {
    redirect: (url: string) => redirected(url),
    success: (user: { accessToken: string; profile: TrackmaniaProfile }) => ended(user),
    fail: (failed: unknown) => ended({ failed }),
    error: (error: unknown) => ended({ error }),
  });
  return out;
}

/** The authorize leg on `on`, the emulator's approval, then the callback query. */
async function authorize(
  on: { authenticate(req: never, options: Record<string, unknown>): void },
  session: Record<string, unknown>,
  scope: string[],
): Promise<Record<string, string>> {
  const { redirected } = actions(on);
  on.authenticate({ query: {}, session, headers: {} } as never, { scope });
  const res = await fetch(await redirected, { redirect: 'manual' });
  const location = new URL(res.headers.get('location')!);
  return Object.fromEntries(location.searchParams);
}

function expectOwnLogin(result: Result): void {
  expect(result).toHaveProperty('profile');
  const { accessToken, profile } = result as { accessToken: string; profile: TrackmaniaProfile };
  // The context is this login's: the scope its access token was granted, and its own token answer.
  expect(profile.id).toBe((decodeJwtPayload(accessToken) as { scopes: string[] }).scopes.join(' '));
  expect(profile.displayName).toBe(accessToken);
}

it('runs a login on the object passport made for the request, and leaves nothing on the strategy', async () => {
  const strategy = probe();
  const keys = Reflect.ownKeys(strategy);
  const results = await Promise.all(
    SCOPES.map(async (scope) => {
      const session = {};
      const query = await authorize(Object.create(strategy), session, scope);
      const perRequest = Object.create(strategy) as InstanceType<typeof ContextProbe>;
      const { ended } = actions(perRequest);
      perRequest.authenticate({ query, session, headers: {} } as never, {});
      return ended;
    }),
  );
  results.forEach(expectOwnLogin);
  expect(new Set(results.map((r) => (r as { accessToken: string }).accessToken)).size).toBe(6);
  expect(Reflect.ownKeys(strategy)).toEqual(keys);
});

it.each([
  ['on the strategy itself', (strategy: object) => strategy],
  ['on one object made from the strategy', (strategy: object) => Object.create(strategy) as object],
])('gives each of several logins at once an object of its own when they run %s', async (_how, target) => {
  const strategy = probe();
  const keys = Reflect.ownKeys(strategy);
  const on = target(strategy) as InstanceType<typeof ContextProbe>;
  const sessions = Array.from({ length: 6 }, () => ({}));
  const queries: Array<Record<string, string>> = [];
  for (const [i, session] of sessions.entries()) queries.push(await authorize(on, session, SCOPES[i]!));
  // Every callback starts before any ends; the actions are shared, so the results are gathered in one list.
  const results: Result[] = [];
  const all = new Promise<void>((resolve) => {
    const add = (r: Result) => {
      results.push(r);
      if (results.length === sessions.length) resolve();
    };
    Object.assign(on, {
      success: (user: { accessToken: string; profile: TrackmaniaProfile }) => add(user),
      fail: (failed: unknown) => add({ failed }),
      error: (error: unknown) => add({ error }),
    });
  });
  sessions.forEach((session, i) => on.authenticate({ query: queries[i], session, headers: {} } as never, {}));
  await all;
  results.forEach(expectOwnLogin);
  expect(new Set(results.map((r) => (r as { accessToken: string }).accessToken)).size).toBe(6);
  // The actions set above are the only keys added (on the strategy itself); no login left anything.
  expect(
    Reflect.ownKeys(strategy)
      .filter((k) => !keys.includes(k))
      .sort(),
  ).toEqual(on === strategy ? ['error', 'fail', 'redirect', 'success'] : []);
});
