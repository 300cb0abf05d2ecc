// One sign-in as passport drives it: the deadline that covers the verify function, the callback URL built on
// Express's own trust decision, and what each leg publishes on the diagnostics channels.
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import express from 'express';
import { startTrackmaniaEmulator, type TrackmaniaEmulator } from '@maniapass/emulators';
import { CHANNELS, type RequestEnd, type SignInEnd } from '@maniapass/oauth2-core';
import { Strategy } from 'passport-trackmania';

let emulator: TrackmaniaEmulator;
beforeAll(async () => {
  emulator = await startTrackmaniaEmulator({ autoApprove: true });
});
afterAll(() => emulator.close());

const CALLBACK = 'http://127.0.0.1:1/auth/trackmania/callback';

type Action = [string, ...unknown[]];

/** Runs `authenticate()` on a per-request object, as passport does; every action it calls is recorded. */
function run(strategy: object, req: Record<string, unknown>, options: Record<string, unknown> = {}): { actions: Action[]; first: Promise<Action> } {
  const actions: Action[] = [];
  let first!: (a: Action) => void;
  const perRequest = Object.create(strategy) as { authenticate(req: unknown, options: unknown): void };
  const record =
    (kind: string) =>
    (...args: unknown[]) => {
      actions.push([kind, ...args]);
      if (actions.length === 1) first(actions[0]!);
    };
  Object.assign(perRequest, { redirect: record('redirect'), success: record('success'), fail: record('fail'), error: record('error'), pass: record('pass') });
  const promise = new Promise<Action>((resolve) => (first = resolve));
  perRequest.authenticate({ query: {}, headers: { host: '127.0.0.1:1' }, url: '/auth/trackmania', ...req }, options);
  return { actions, first: promise };
}

/** A whole sign-in up to the callback's first action. */
async function signIn(strategy: object): Promise<{ actions: Action[]; first: Action }> {
  const session = {};
  const [, location] = await run(strategy, { session }).first;
  const res = await fetch(location as string, { redirect: 'manual' });
  const query = Object.fromEntries(new URL(res.headers.get('location')!).searchParams);
  const callback = run(strategy, { session, query, url: '/auth/trackmania/callback' });
  return { actions: callback.actions, first: await callback.first };
}

describe('loginTimeout covers the verify function', () => {
  const never = [
    [
      'a verify that declares done and never calls it',
      (_a: string, _r: string | undefined, _p: object, done: (err: unknown, user?: object) => void) => void done,
    ],
    ['a verify whose Promise never settles', () => new Promise(() => undefined)],
  ] as const;

  it.each(never)('%s fails the sign-in with a timeout error, and a later done is ignored', async (_name, verify) => {
    let lateDone: ((err: unknown, user?: object) => void) | undefined;
    const strategy = new Strategy({ ...emulator.strategyOptions(), callbackURL: CALLBACK, loginTimeout: 150 }, ((...args: unknown[]) => {
      lateDone = args.at(-1) as typeof lateDone;
      return (verify as (...a: unknown[]) => unknown)(...args);
    }) as never);
    const { actions, first } = await signIn(strategy);
    expect(first[0]).toBe('error');
    expect(first[1]).toMatchObject({
      name: 'ProviderError',
      code: 'ETIMEDOUT',
      message: expect.stringMatching(/loginTimeout of 150 ms \(waiting for the verify function, which must call done or return a Promise\)/),
    });
    lateDone!(null, { id: 'late' });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(actions).toHaveLength(1);
  });

  it('a verify that answers within the deadline is not cut short, and the timer does not outlive the sign-in', async () => {
    const strategy = new Strategy({ ...emulator.strategyOptions(), callbackURL: CALLBACK, loginTimeout: 60_000 }, async () => ({ id: 'u' }));
    const { first } = await signIn(strategy);
    expect(first).toEqual(['success', { id: 'u' }, {}]);
  });
});

describe("a relative callbackURL follows Express's trust decision", () => {
  const forwarded = { host: 'app.internal:3000', 'x-forwarded-host': 'public.example, evil.example', 'x-forwarded-proto': 'https' };

  async function redirectURI(trustProxy: unknown, remoteAddress: string, proxy?: boolean): Promise<string | null> {
    const app = express();
    if (trustProxy !== undefined) app.set('trust proxy', trustProxy);
    const strategy = new Strategy({ ...emulator.strategyOptions(), callbackURL: '/auth/trackmania/callback', proxy }, async () => false);
    const [kind, location] = await run(strategy, { app, session: {}, headers: forwarded, socket: { remoteAddress, encrypted: false } }).first;
    expect(kind).toBe('redirect');
    return new URL(location as string).searchParams.get('redirect_uri');
  }

  it('ignores X-Forwarded-* from a peer Express does not trust', async () => {
    expect(await redirectURI(undefined, '203.0.113.9')).toBe('http://app.internal:3000/auth/trackmania/callback');
    expect(await redirectURI('loopback', '203.0.113.9')).toBe('http://app.internal:3000/auth/trackmania/callback');
  });

  it('reads them from a trusted peer, the first value of a list, as req.protocol and req.hostname do', async () => {
    expect(await redirectURI('loopback', '127.0.0.1')).toBe('https://public.example/auth/trackmania/callback');
    expect(await redirectURI(1, '203.0.113.9')).toBe('https://public.example/auth/trackmania/callback');
  });

  it("proxy: true trusts every peer, as passport-oauth2's option does", async () => {
    expect(await redirectURI(undefined, '203.0.113.9', true)).toBe('https://public.example/auth/trackmania/callback');
  });
});

describe('diagnostics channels', () => {
  it('publish each leg and each outbound call, without a secret', async () => {
    const messages: Array<[string, unknown]> = [];
    const names = [CHANNELS.signInStart, CHANNELS.signInEnd, CHANNELS.requestStart, CHANNELS.requestEnd, CHANNELS.requestError];
    const listeners = names.map((name) => [name, (message: unknown) => messages.push([name, message])] as const);
    for (const [name, listener] of listeners) subscribe(name, listener);
    let accessToken = '';
    try {
      const strategy = new Strategy({ ...emulator.strategyOptions(), callbackURL: CALLBACK }, async (at: string) => {
        accessToken = at;
        return { id: 'u' };
      });
      expect((await signIn(strategy)).first[0]).toBe('success');
    } finally {
      for (const [name, listener] of listeners) unsubscribe(name, listener);
    }
    const legs = messages.filter(([name]) => name === CHANNELS.signInEnd).map(([, m]) => m as SignInEnd);
    expect(legs).toEqual([
      { provider: 'trackmania', leg: 'authorize', outcome: 'redirect', durationMs: expect.any(Number) },
      { provider: 'trackmania', leg: 'callback', outcome: 'success', durationMs: expect.any(Number) },
    ]);
    const ends = messages.filter(([name]) => name === CHANNELS.requestEnd).map(([, m]) => m as RequestEnd);
    expect(ends).toEqual([
      { provider: 'trackmania', method: 'POST', url: emulator.strategyOptions().tokenURL, status: 200, durationMs: expect.any(Number) },
      { provider: 'trackmania', method: 'GET', url: emulator.strategyOptions().userProfileURL, status: 200, durationMs: expect.any(Number) },
    ]);
    expect(messages.filter(([name]) => name === CHANNELS.requestStart)).toHaveLength(2);
    const text = JSON.stringify(messages);
    for (const secret of [emulator.strategyOptions().clientSecret, accessToken]) expect(text).not.toContain(secret);
  });

  it('name an error leg by its code or class, never by provider text', async () => {
    const messages: SignInEnd[] = [];
    const listener = (message: unknown) => messages.push(message as SignInEnd);
    subscribe(CHANNELS.signInEnd, listener);
    try {
      const strategy = new Strategy({ ...emulator.strategyOptions(), callbackURL: CALLBACK }, async () => ({ id: 'u' }));
      emulator.fault('token', { type: 'status', status: 400 }, { times: 1 });
      expect((await signIn(strategy)).first[0]).toBe('error');
    } finally {
      unsubscribe(CHANNELS.signInEnd, listener);
    }
    expect(messages.at(-1)).toEqual({ provider: 'trackmania', leg: 'callback', outcome: 'error', durationMs: expect.any(Number), errorKind: 'TokenError' });
  });
});
