// The two subjects every compatibility row runs against, for one provider: the collection's strategy, and a plain
// `new OAuth2Strategy(...)` of passport-oauth2 1.8 pointed at the same emulator (the reference behaviour).
import type { EmulatedUser, OAuthEmulator } from '@maniapass/emulators';
import type { ProviderId } from '@maniapass/providers';
import OAuth2Strategy from 'passport-oauth2';
import type * as trackmania from 'passport-trackmania';
import type { Strategy as PassportStrategy } from 'passport';
import { authorize, pathOf, startTestApp, type AuthorizeOptions, type TestApp, type TestAppOptions } from '../harness';
import { TEST_PROVIDERS, passportPackage } from '../providers';

export type AnyEmulator = OAuthEmulator<EmulatedUser>;
export type Options = Record<string, unknown>;
type AnyFunction = (...args: never[]) => unknown;
type AnyConstructor = new (options: never, verify: never) => PassportStrategy & { name: string };

/** What the rows need to know of a provider. */
export interface CompatProvider {
  name: ProviderId;
  start(): Promise<AnyEmulator>;
  Strategy: AnyConstructor;
  /** The package's exports (error classes...). */
  exports: typeof trackmania;
  /** Emulator endpoint of the (first) profile call. */
  profileEndpoint: string;
  /** Two documented scopes to ask for per request; absent when the provider has no scopes. */
  perRequestScope?: string[];
  /** The scope the profile call needs (what the strategy asks for by default). */
  profileScope?: string[];
}

/** What the rows ask for per request, by provider (the rest comes from the registry). */
const SCOPES: Record<ProviderId, Pick<CompatProvider, 'perRequestScope'>> = {
  trackmania: { perRequestScope: ['clubs', 'read_favorite'] },
  maniaplanet: { perRequestScope: ['basic', 'email'] },
  trackmage: {},
  toornament: { perRequestScope: ['user:info', 'organizer:view'] },
};

export const PROVIDERS: CompatProvider[] = TEST_PROVIDERS.map((p) => {
  const exports = passportPackage(p.id) as typeof trackmania;
  return {
    name: p.id,
    start: p.startEmulator,
    Strategy: exports.Strategy as unknown as AnyConstructor,
    exports,
    profileEndpoint: p.profileEndpoint,
    ...SCOPES[p.id],
    ...(p.definition.defaultScope.length ? { profileScope: [...p.definition.defaultScope] } : {}),
  };
});

/** The user every row's verify function signs in. */
export const USER = { id: 'compat-user' };

/** What the callback route ended in. */
export type Outcome =
  | { kind: 'success'; user: unknown }
  | { kind: 'failure'; messages: string[] }
  | { kind: 'error'; status: number; error: { name: string; message: string; status?: number; upstreamStatus?: number; code?: string; uri?: string } }
  | { kind: 'response'; status: number; body: unknown; location?: string };

export interface StartInit {
  options?: Options;
  verify?: AnyFunction;
  /** Methods of a subclass (`authorizationParams`, `tokenParams`, `parseErrorResponse`, ...), as a passport-oauth2 user writes one. */
  overrides?: Record<string, AnyFunction>;
  app?: Omit<TestAppOptions, 'strategy' | 'express4' | 'onError'>;
}

export interface Session {
  app: TestApp;
  strategy: PassportStrategy & { name: string };
  /** Every error the app's error handler saw, as thrown. */
  errors: unknown[];
  /** Start route and emulator (which approves at once): the authorize URL and the callback path it sends back to. */
  begin(opts?: AuthorizeOptions): Promise<{ status: number; authorizeURL?: URL; callbackPath?: string; body: unknown; location?: string }>;
  /** The callback route, read as an outcome (following a redirect to `/me` or `/failed`). */
  finish(callbackPath: string, headers?: Record<string, string>): Promise<Outcome>;
  /** `begin` then `finish`. */
  signIn(opts?: AuthorizeOptions): Promise<Outcome>;
}

export interface Subject {
  /** `passport-oauth2` or the package's name. */
  label: string;
  isPlain: boolean;
  provider: CompatProvider;
  emulator: AnyEmulator;
  /** The endpoints both subjects use, as the collection's strategy resolves them for this emulator. */
  endpoints: { authorizationURL: string; tokenURL: string; userProfileURL: string };
  /** `new Strategy(options, verify)` (or of a subclass with `overrides`), without starting an app. */
  create(options?: Options, verify?: AnyFunction, overrides?: Record<string, AnyFunction>): PassportStrategy & { name: string };
  start(init?: StartInit): Promise<Session>;
  /** Whether a value is the profile this subject hands verify: the provider's for the collection, `{}` from passport-oauth2's default `userProfile`. */
  isProfile(value: unknown): boolean;
}

const defaultVerify = (_at: string, _rt: string | undefined, _profile: unknown, done: (err: unknown, user?: object) => void) => done(null, USER);

function subclass(Base: AnyConstructor, overrides: Record<string, AnyFunction> | undefined): AnyConstructor {
  if (!overrides) return Base;
  const Sub = class extends (Base as unknown as new (...args: unknown[]) => object) {};
  Object.assign(Sub.prototype, overrides);
  return Sub as unknown as AnyConstructor;
}

/** The collection's strategy and plain passport-oauth2, each against this provider's emulator. */
export function subjectsFor(provider: CompatProvider, emulator: AnyEmulator, express4: boolean, track: (close: () => Promise<void>) => void): Subject[] {
  const emulatorOptions = emulator.strategyOptions();
  const probe = new provider.Strategy(
    { ...emulatorOptions, callbackURL: 'http://127.0.0.1/cb' } as never,
    (async () => false) as never,
  ) as unknown as Subject['endpoints'];
  const endpoints = { authorizationURL: probe.authorizationURL, tokenURL: probe.tokenURL, userProfileURL: probe.userProfileURL };

  const collection = (options: Options, verify: AnyFunction, overrides?: Record<string, AnyFunction>) =>
    new (subclass(provider.Strategy, overrides))({ ...emulatorOptions, ...options } as never, verify as never);
  const plain = (options: Options, verify: AnyFunction, overrides?: Record<string, AnyFunction>) => {
    const strategy = new (subclass(OAuth2Strategy as unknown as AnyConstructor, overrides))(
      {
        authorizationURL: endpoints.authorizationURL,
        tokenURL: endpoints.tokenURL,
        clientID: emulatorOptions.clientID,
        clientSecret: emulatorOptions.clientSecret,
        ...options,
      } as never,
      verify as never,
    );
    strategy.name = provider.name;
    return strategy;
  };

  const make = (isPlain: boolean): Subject => {
    const build = isPlain ? plain : collection;
    const subject: Subject = {
      label: isPlain ? 'passport-oauth2' : `passport-${provider.name}`,
      isPlain,
      provider,
      emulator,
      endpoints,
      create: (options = {}, verify = defaultVerify, overrides) => build(options, verify, overrides),
      isProfile: (value) =>
        isPlain
          ? value !== null && typeof value === 'object' && Object.keys(value).length === 0
          : (value as { provider?: unknown; id?: unknown } | undefined)?.provider === provider.name && typeof (value as { id?: unknown }).id === 'string',
      async start(init = {}) {
        const errors: unknown[] = [];
        let strategy!: PassportStrategy & { name: string };
        const app = await startTestApp({
          ...init.app,
          express4,
          onError: (err) => errors.push(err),
          strategy: (url) => {
            strategy = build({ callbackURL: `${url}/auth/${provider.name}/callback`, ...init.options }, init.verify ?? defaultVerify, init.overrides);
            return strategy;
          },
        });
        track(() => app.close());
        const session: Session = {
          app,
          strategy,
          errors,
          async begin(opts = {}) {
            const { start, authorizeURL, emulatorRedirect } = await authorize(app, provider.name, opts);
            return {
              status: start.status,
              body: start.body,
              location: start.headers.location as string | undefined,
              authorizeURL: authorizeURL ? new URL(authorizeURL) : undefined,
              callbackPath: emulatorRedirect ? pathOf(emulatorRedirect) : undefined,
            };
          },
          async finish(callbackPath, headers = {}) {
            return outcomeOf(app, await app.agent.get(callbackPath).set(headers));
          },
          async signIn(opts = {}) {
            const begun = await session.begin(opts);
            if (!begun.callbackPath)
              throw new Error(`${subject.label}: the sign-in did not reach the callback (start answered ${begun.status} ${JSON.stringify(begun.body)})`);
            return session.finish(begun.callbackPath, opts.headers);
          },
        };
        return session;
      },
    };
    return subject;
  };
  return [make(true), make(false)];
}

/** What a callback response means for the harness app: `/me` is a success, `/failed` a failure, JSON an error. */
export async function outcomeOf(app: TestApp, res: { status: number; headers: Record<string, unknown>; body: unknown }): Promise<Outcome> {
  const location = res.headers.location as string | undefined;
  if (res.status === 302 && location === '/me') return { kind: 'success', user: (await app.agent.get('/me')).body.user };
  if (res.status === 302 && location === '/failed') return { kind: 'failure', messages: (await app.agent.get('/failed')).body.messages as string[] };
  const body = res.body as { error?: Extract<Outcome, { kind: 'error' }>['error'] };
  if (res.status >= 400 && body?.error) return { kind: 'error', status: res.status, error: body.error };
  return { kind: 'response', status: res.status, body: res.body, location };
}

/** Records each call of a verify function (or hook) with its arguments. */
export class Recorder {
  readonly calls: unknown[][] = [];
  record = (args: ArrayLike<unknown>): void => {
    this.calls.push(Array.from(args));
  };
  get last(): unknown[] {
    const call = this.calls.at(-1);
    if (!call) throw new Error('never called');
    return call;
  }
}

/**
 * The arguments of a verify call as names: `req`, `string` (a token), `undefined`, `params` (the token response),
 * `profile` (what this subject's userProfile gives), `done`.
 */
export function shapeOf(subject: Subject, args: unknown[]): string[] {
  return args.map((arg) => {
    if (typeof arg === 'function') return 'done';
    if (typeof arg === 'string') return 'string';
    if (arg === undefined) return 'undefined';
    if (arg !== null && typeof arg === 'object' && 'method' in arg && 'headers' in arg) return 'req';
    if (arg !== null && typeof arg === 'object' && typeof (arg as { access_token?: unknown }).access_token === 'string') return 'params';
    if (subject.isProfile(arg)) return 'profile';
    return `unexpected ${JSON.stringify(arg)}`;
  });
}

/** The refresh token slot: a string where the provider sends one. */
export const REFRESH = expect.stringMatching(/^(string|undefined)$/);
