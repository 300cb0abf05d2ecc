// The differential model: plain passport-oauth2 1.8 and a strategy of the collection, driven through the same
// generated sequence of sign-in legs, each observed as passport sees it (the actions called on its per-request
// object and their arguments), as the provider sees it (the authorize redirect, the token request) and as the
// session holds it. The generators and the comparison live here; test/differential.compat.test.ts runs them.
import { parse as parseQuery } from 'node:querystring';
import fc from 'fast-check';
import OAuth2Strategy from 'passport-oauth2';
import type { AnyEmulator, CompatProvider } from './subjects';

type Done = (err?: unknown, user?: unknown, info?: unknown) => void;
type Strategy = Record<string, unknown> & { authenticate(req: unknown, options?: unknown): void; name: string };

/** What a verify function does once called. */
export type VerifyBehaviour =
  | 'done-user'
  | 'done-user-later'
  | 'done-false'
  | 'done-error'
  | 'throw'
  | 'done-then-throw'
  | 'resolve-user'
  | 'resolve-false'
  | 'resolve-undefined'
  | 'reject'
  | 'return-user'
  | 'never';

const CALLS_DONE: ReadonlySet<VerifyBehaviour> = new Set(['done-user', 'done-user-later', 'done-false', 'done-error', 'done-then-throw']);

/** A query the browser brings back to the callback: built from what the provider sent, or made up. */
export type CallbackQuery =
  | { kind: 'provider' }
  | { kind: 'empty-code' }
  | { kind: 'repeated-code' }
  | { kind: 'wrong-state' }
  | { kind: 'no-state' }
  | { kind: 'repeated-state' }
  | { kind: 'error'; error: string; withState: boolean; description?: string }
  | { kind: 'empty-error' }
  | { kind: 'none' };

export interface StartOptions {
  scope?: string | string[] | null;
  state?: string | { returnTo: string };
  callbackURL?: string;
  extra?: string;
}

export interface Leg {
  start: StartOptions;
  /** Absent: the leg is abandoned after the redirect. */
  callback?: { query: CallbackQuery; sameCallbackURL: boolean };
}

export interface Scenario {
  strategy: {
    state: boolean;
    store: boolean;
    pkce: false | true | 'S256' | 'plain';
    passReqToCallback: boolean;
    relativeCallbackURL: boolean;
    authorizationParamsOverride: boolean;
    /** A test stub of `_oauth2.getOAuthAccessToken` answering node-oauth's `{ statusCode, data }` error. */
    stubbedTokenError: boolean;
  };
  verify: { length: number; behaviour: VerifyBehaviour };
  /** The app's custom callback throws when passport hands it a user. */
  appThrowsOnSuccess: boolean;
  legs: Leg[];
}

/** The scenarios of one provider. */
export function scenarios(provider: CompatProvider): fc.Arbitrary<Scenario> {
  const scopes = provider.perRequestScope;
  const scope: fc.Arbitrary<StartOptions['scope']> = scopes
    ? fc.constantFrom<StartOptions['scope']>(undefined, '', null, [...scopes], scopes.join(' '), [], [scopes[0]!])
    : fc.constantFrom<StartOptions['scope']>(undefined, '', null, []);
  const start: fc.Arbitrary<StartOptions> = fc.record(
    {
      scope,
      state: fc.constantFrom<StartOptions['state']>(undefined, { returnTo: '/after' }),
      callbackURL: fc.constantFrom(undefined, '/auth/other/callback'),
      extra: fc.constantFrom(undefined, 'x', ''),
    },
    { requiredKeys: [] },
  );
  const query: fc.Arbitrary<CallbackQuery> = fc.oneof(
    { weight: 6, arbitrary: fc.constant<CallbackQuery>({ kind: 'provider' }) },
    fc.constantFrom<CallbackQuery>(
      { kind: 'empty-code' },
      { kind: 'repeated-code' },
      { kind: 'wrong-state' },
      { kind: 'no-state' },
      { kind: 'repeated-state' },
    ),
    fc.constantFrom<CallbackQuery>({ kind: 'empty-error' }, { kind: 'none' }),
    fc.record({
      kind: fc.constant<'error'>('error'),
      error: fc.constantFrom('access_denied', 'server_error', 'x'),
      withState: fc.boolean(),
      description: fc.constantFrom(undefined, 'denied by user'),
    }),
  );
  const leg: fc.Arbitrary<Leg> = fc.record({ start, callback: fc.option(fc.record({ query, sameCallbackURL: fc.boolean() }), { nil: undefined, freq: 3 }) });
  return fc
    .record({
      strategy: fc.record({
        state: fc.boolean(),
        store: fc.boolean(),
        pkce: fc.constantFrom<Scenario['strategy']['pkce']>(false, false, true, 'S256', 'plain'),
        passReqToCallback: fc.boolean(),
        relativeCallbackURL: fc.boolean(),
        authorizationParamsOverride: fc.boolean(),
        stubbedTokenError: fc.constantFrom(false, false, false, true),
      }),
      verify: fc.record({
        length: fc.integer({ min: 0, max: 7 }),
        behaviour: fc.constantFrom<VerifyBehaviour>(
          'done-user',
          'done-user',
          'done-user-later',
          'done-false',
          'done-error',
          'throw',
          'done-then-throw',
          'resolve-user',
          'resolve-false',
          'resolve-undefined',
          'reject',
          'return-user',
          'never',
        ),
      }),
      appThrowsOnSuccess: fc.boolean(),
      legs: fc.array(leg, { minLength: 1, maxLength: 3 }),
    })
    .map((s) => (s.strategy.pkce && !s.strategy.state && !s.strategy.store ? { ...s, strategy: { ...s.strategy, pkce: false as const } } : s));
}

/** The user every verify function signs in, and the errors the verify functions and the app throw. */
export const USER = { id: 'differential-user' };
export const VERIFY_ERROR = new Error('the verify function failed');
export const APP_ERROR = new Error('the app callback failed');

/** One passport action, its arguments reduced to what is compared. */
export type Action = [kind: string, ...details: unknown[]];

/** What one leg gave, from each side. */
export interface LegOutcome {
  actions: Action[];
  /** The authorize redirect's query (random values named), when the leg redirected to the provider. */
  authorize?: Record<string, unknown>;
  /** The token request the provider received in this leg (random values named). */
  tokenRequest?: Record<string, unknown>;
  /** The verify function's calls: the shape of its arguments and its `this`. */
  verifyCalls: Array<{ args: string[]; self: string }>;
  /** `done` threw back into the verify function (the app's callback, called from a later turn). */
  doneThrew: boolean;
  /** The session after the leg (random values named). */
  session: unknown;
  /** No action came, and none can come: the verify function neither called `done` nor was listened to. */
  hung: boolean;
}

const SESSION_KEY = 'oauth2:differential';
const CALLBACK_PATH = '/auth/differential/callback';

/** One subject's strategy for a scenario: a subclass, as a passport-oauth2 user writes one, where the scenario overrides a hook. */
export function buildStrategy(
  isPlain: boolean,
  provider: CompatProvider,
  emulator: AnyEmulator,
  scenario: Scenario,
  appURL: string,
  observe: Observer,
): Strategy {
  const s = scenario.strategy;
  const emulatorOptions = emulator.strategyOptions();
  const options: Record<string, unknown> = {
    callbackURL: s.relativeCallbackURL ? CALLBACK_PATH : `${appURL}${CALLBACK_PATH}`,
    sessionKey: SESSION_KEY,
    state: s.state,
    passReqToCallback: s.passReqToCallback,
  };
  if (s.store) options.store = true;
  if (s.pkce) options.pkce = s.pkce;
  const verify = makeVerify(scenario.verify, s.passReqToCallback, observe);
  let Base: new (options: unknown, verify: unknown) => Strategy;
  let allOptions: Record<string, unknown>;
  if (isPlain) {
    Base = OAuth2Strategy as unknown as typeof Base;
    const probe = new (provider.Strategy as unknown as typeof Base)(
      { ...emulatorOptions, callbackURL: 'http://127.0.0.1/cb' },
      async () => false,
    ) as unknown as Record<string, string>;
    allOptions = {
      authorizationURL: probe.authorizationURL,
      tokenURL: probe.tokenURL,
      clientID: emulatorOptions.clientID,
      clientSecret: emulatorOptions.clientSecret,
      ...options,
    };
    // What the collection asks for when the options give no scope, so that both ask for the same.
    if (provider.profileScope) allOptions.scope = provider.profileScope;
  } else {
    Base = provider.Strategy as unknown as typeof Base;
    allOptions = { ...emulatorOptions, ...options };
    // A verify function that never calls done: the collection ends the sign-in at its deadline, here a short one.
    // (Plain passport-oauth2 never answers such a sign-in, so whenever this deadline strikes the outcome is one the
    // comparison allows.)
    if (!CALLS_DONE.has(scenario.verify.behaviour)) allOptions.loginTimeout = 400;
  }
  const Sub = class extends Base {};
  if (s.authorizationParamsOverride) {
    (Sub.prototype as unknown as Record<string, unknown>).authorizationParams = function authorizationParams(opts: { extra?: string }) {
      return opts.extra === undefined ? {} : { extra: opts.extra };
    };
  }
  const strategy = new Sub(allOptions, verify);
  strategy.name = 'differential';
  if (s.stubbedTokenError) {
    // A common pattern in strategy test suites: node-oauth's error shape, `{ statusCode, data }`.
    (strategy._oauth2 as Record<string, unknown>).getOAuthAccessToken = (_code: string, _params: unknown, cb: (err: unknown) => void) =>
      setImmediate(() => cb({ statusCode: 400, data: JSON.stringify({ error: 'invalid_grant', error_description: 'stubbed refusal' }) }));
  }
  return strategy;
}

/** What a subject's verify function and passport's actions report to the leg in progress. */
export interface Observer {
  verifyCalled(args: string[], self: string): void;
  verifyReturned(): void;
  doneThrew(): void;
  strategyOf(): object | undefined;
}

function makeVerify(spec: Scenario['verify'], passReq: boolean, observe: Observer): (...args: unknown[]) => unknown {
  const verify = function (this: unknown, ...args: unknown[]): unknown {
    const done = args.at(-1) as Done;
    const strategy = observe.strategyOf();
    const self =
      this !== undefined && this !== null && strategy !== undefined && (this === strategy || Object.prototype.isPrototypeOf.call(strategy, this))
        ? 'strategy'
        : String(this);
    observe.verifyCalled(args.map(shape(passReq)), self);
    const result = act(spec.behaviour, done, observe);
    observe.verifyReturned();
    return result;
  };
  Object.defineProperty(verify, 'length', { value: spec.length });
  return verify;
}

function act(behaviour: VerifyBehaviour, done: Done, observe: Observer): unknown {
  switch (behaviour) {
    case 'done-user':
      return void done(null, USER);
    case 'done-user-later':
      return void setImmediate(() => {
        try {
          done(null, USER);
        } catch {
          // passport-oauth2 has nothing around a `done` called from a later turn: what the app throws comes back here.
          observe.doneThrew();
        }
      });
    case 'done-false':
      return void done(null, false, { message: 'not allowed here' });
    case 'done-error':
      return void done(VERIFY_ERROR);
    case 'throw':
      throw VERIFY_ERROR;
    case 'done-then-throw':
      done(null, USER);
      throw VERIFY_ERROR;
    case 'resolve-user':
      return Promise.resolve(USER);
    case 'resolve-false':
      return Promise.resolve(false);
    case 'resolve-undefined':
      return Promise.resolve(undefined);
    case 'reject': {
      const rejected = Promise.reject(VERIFY_ERROR);
      // Plain passport-oauth2 never reads it: handled here, so that it is not an unhandled rejection.
      rejected.catch(() => undefined);
      return rejected;
    }
    case 'return-user':
      return USER;
    case 'never':
      return undefined;
  }
}

const shape =
  (passReq: boolean) =>
  (arg: unknown, i: number): string => {
    if (passReq && i === 0) return arg !== null && typeof arg === 'object' && 'query' in arg ? 'req' : `unexpected ${typeof arg}`;
    if (typeof arg === 'function') return 'done';
    if (typeof arg === 'string') return 'string';
    if (arg === undefined) return 'undefined';
    if (arg !== null && typeof arg === 'object' && typeof (arg as { access_token?: unknown }).access_token === 'string') return 'params';
    // plain passport-oauth2's default userProfile gives {}; the collection the provider's profile.
    if (arg !== null && typeof arg === 'object') return 'profile';
    return `unexpected ${JSON.stringify(arg)}`;
  };

/** An error, as compared: which of the known errors it is. */
export function errorKind(err: unknown): string {
  if (err === VERIFY_ERROR) return 'verify-error';
  if (err === APP_ERROR) return 'app-error';
  const e = err as { code?: unknown; name?: unknown };
  if (e?.code === 'ETIMEDOUT') return 'timeout';
  if (err instanceof OAuth2Strategy.TokenError) return `TokenError(${String(e.code)})`;
  if (err instanceof OAuth2Strategy.AuthorizationError) return `AuthorizationError`;
  if (err instanceof OAuth2Strategy.InternalOAuthError) return 'InternalOAuthError';
  return String(e?.name ?? typeof err);
}

/** The browser side of one subject: its session, the state the provider sent back, the app's address. */
export class Browser {
  readonly session: Record<string, unknown> = {};
  constructor(readonly appURL: string) {}

  /** A request as Express 5 makes one (query parsed as `querystring` does, repeated keys as arrays). */
  request(path: string): Record<string, unknown> {
    const [pathname, search = ''] = path.split('?');
    return {
      method: 'GET',
      url: path,
      path: pathname,
      headers: { host: new URL(this.appURL).host },
      query: { ...parseQuery(search) },
      session: this.session,
      socket: { encrypted: false, remoteAddress: '127.0.0.1' },
      connection: { encrypted: false, remoteAddress: '127.0.0.1' },
    };
  }
}

/**
 * Runs one leg on one subject: `strategy.authenticate()` on a per-request object, as passport does, until an
 * action ends it (plus a moment for what follows it), or until nothing more can come.
 */
export async function runLeg(
  strategy: Strategy,
  req: Record<string, unknown>,
  options: Record<string, unknown>,
  scenario: Scenario,
  isPlain: boolean,
  probe: { verifyCalls: LegOutcome['verifyCalls']; returned: boolean; doneThrew: boolean },
  emulator: AnyEmulator,
): Promise<{ outcome: LegOutcome; location?: string }> {
  const actions: Action[] = [];
  let location: string | undefined;
  const tokenRequests = emulator.requestsTo('token').length;
  let authorize: Record<string, unknown> | undefined;
  const perRequest = Object.create(strategy) as Strategy;
  Object.assign(perRequest, {
    success(user: unknown, info: unknown) {
      actions.push(['success', user === USER ? 'user' : user, info]);
      if (scenario.appThrowsOnSuccess) throw APP_ERROR;
    },
    fail(challenge: unknown, status?: number) {
      actions.push(['fail', challenge, status]);
    },
    redirect(url: string, status?: number) {
      location = url;
      authorize = namedQuery(new URL(url).searchParams);
      actions.push(['redirect', `${new URL(url).origin}${new URL(url).pathname}`, status]);
    },
    pass() {
      actions.push(['pass']);
    },
    error(err: unknown) {
      actions.push(['error', errorKind(err)]);
    },
  });
  perRequest.authenticate(req, options);
  // Settled: an action came, then a moment for actions that follow it in the same turn or the next.
  const started = Date.now();
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 5));
    if (actions.length) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      break;
    }
    // Nothing can come any more from plain passport-oauth2: its verify function returned without `done`, and it
    // does not listen to what the function returns.
    if (isPlain && probe.returned && !CALLS_DONE.has(scenario.verify.behaviour)) break;
    if (Date.now() - started > 10_000) break;
  }
  const after = emulator.requestsTo('token');
  const token = after.length > tokenRequests ? after[after.length - 1] : undefined;
  const outcome: LegOutcome = {
    actions,
    authorize,
    tokenRequest: token ? namedFields(token.form ?? (token.json as Record<string, string>) ?? {}) : undefined,
    verifyCalls: probe.verifyCalls.splice(0),
    doneThrew: probe.doneThrew,
    session: namedSession(req.session),
    hung: actions.length === 0,
  };
  return { outcome, location };
}

const RANDOM_FIELDS: Record<string, string> = { state: '<state>', code_challenge: '<challenge>', code: '<code>', code_verifier: '<verifier>' };

function namedQuery(params: URLSearchParams): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of [...new Set(params.keys())].sort()) {
    const values = params.getAll(key).map((v) => (key in RANDOM_FIELDS ? RANDOM_FIELDS[key] : v));
    out[key] = values.length === 1 ? values[0] : values;
  }
  return out;
}

function namedFields(fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(fields).sort()) out[key] = key in RANDOM_FIELDS ? RANDOM_FIELDS[key] : fields[key];
  return out;
}

function namedSession(session: unknown): unknown {
  return JSON.parse(JSON.stringify(session ?? {}), (key, value: unknown) => {
    if (typeof value !== 'string') return value;
    if (key === 'state' || key === 'handle') return '<state>';
    if (key === 'code_verifier') return '<verifier>';
    return value;
  });
}

/** The callback path for a leg: what the provider sent back, or the made-up query the scenario asks for. */
export function callbackPath(query: CallbackQuery, fromProvider: URLSearchParams | undefined, path: string): string {
  const sent = fromProvider ?? new URLSearchParams();
  const code = sent.get('code') ?? 'made-up-code';
  const state = sent.get('state');
  const q = new URLSearchParams();
  switch (query.kind) {
    case 'provider':
      for (const [k, v] of sent) q.append(k, v);
      break;
    case 'empty-code':
      q.set('code', '');
      if (state !== null) q.set('state', state);
      break;
    case 'repeated-code':
      q.append('code', code);
      q.append('code', code);
      if (state !== null) q.set('state', state);
      break;
    case 'wrong-state':
      q.set('code', code);
      q.set('state', 'not-the-state');
      break;
    case 'no-state':
      q.set('code', code);
      break;
    case 'repeated-state':
      q.set('code', code);
      if (state !== null) q.append('state', state);
      q.append('state', 'other');
      break;
    case 'error':
      q.set('error', query.error);
      if (query.description !== undefined) q.set('error_description', query.description);
      if (query.withState && state !== null) q.set('state', state);
      break;
    case 'empty-error':
      q.set('error', '');
      break;
    case 'none':
      break;
  }
  const search = q.toString();
  return search ? `${path}?${search}` : path;
}

export { CALLBACK_PATH, CALLS_DONE, SESSION_KEY };
