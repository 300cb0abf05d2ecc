import { randomBytes, createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { IncomingHttpHeaders } from 'node:http';
import { resolve as resolveURL } from 'node:url';
import type { Request } from 'express';
import {
  CachedTokenSource,
  PROVIDER_FAILURE_STATUS,
  ProviderClient,
  basicCredentialForms,
  endpointURLOption,
  redactError,
  stripQuery,
  toTokenSet,
  type ApiRequest,
  type FetchFunction,
  type HttpResponse,
  type ProviderProfile,
  type TokenResponse,
  type TokenSet,
} from '@maniapass/http';
import { authorizeLocation } from './authorize';
import { ProviderError, TokenError } from './errors';
import { assertKnownScopes, parseScope } from './scopes';
import { AuthorizationError, InternalOAuthError, OAuth2Strategy, type StateStore } from './passport-oauth2';
import { adaptVerify, type VerifyFunction, type VerifyFunctionWithRequest } from './verify';

/**
 * The options every strategy of the collection takes. `passReqToCallback` is added by the constructor's
 * signatures, so that TypeScript matches it to the verify function's form.
 */
export interface ProviderStrategyOptions {
  /** Required. */
  clientID: string;
  /** Required. Sent in the token request body only; never in a message. */
  clientSecret: string;
  /** Required. Absolute, or relative to the request's own URL. */
  callbackURL: string;
  /** Space- or comma-separated string, or array. Checked against the provider's documented scopes. */
  scope?: string | readonly string[];
  /**
   * CSRF protection through a session-bound `state`. Default `true`. While it is on, `authenticate()` refuses a
   * string `state` (it would be sent instead of the checked one): give application state as an object with
   * `store: true`, or turn `state` off and check your string yourself.
   */
  state?: boolean;
  /** A passport-oauth2 state store, or `true` for its session store with application state. */
  store?: StateStore | boolean;
  /** Passed to passport-oauth2 (`true` = S256). Needs `state`. Off unless the provider documents PKCE. */
  pkce?: boolean | 'S256' | 'plain';
  /** Milliseconds for each outbound request (token, profile, refresh, client credentials). Default 10000. */
  timeout?: number;
  /**
   * Milliseconds for all the provider calls of one sign-in together (the code exchange and every profile call),
   * counted from the callback's arrival. Past it the login fails with a `ProviderError` whose `code` is
   * `ETIMEDOUT`. Default 30000.
   */
  loginTimeout?: number;
  /** `User-Agent` of every outbound request. Default: the package's name and version. */
  userAgent?: string;
  authorizationURL?: string;
  tokenURL?: string;
  userProfileURL?: string;
  /** A `fetch` used for every outbound request instead of `node:http(s)` (proxies, recording). */
  fetch?: FetchFunction;
  /** As in passport-oauth2: a boolean, `() => boolean`, or `(accessToken, done)` calling `done(err, skip)`. */
  skipUserProfile?: boolean | (() => boolean) | ((accessToken: string, done: (err: unknown, skip?: boolean) => void) => void);
  /** Headers added to every outbound request. */
  customHeaders?: Record<string, string>;
  /** Session key of the state store. Default `oauth2:<provider name>`. */
  sessionKey?: string;
  /** The strategy's name for `passport.authenticate()`. Default: the provider's name. */
  name?: string;
  /** Trust `X-Forwarded-*` when building a relative callback URL. */
  proxy?: boolean;
  /** Only `' '`: every provider here wants space-separated scopes. Any other value throws a `TypeError`. */
  scopeSeparator?: ' ';
  /**
   * Open the connection to the token host (DNS, TCP, TLS; no request) when the authorize redirect goes out, so that
   * the callback, seconds later, finds it ready. Default `true`. Nothing is opened with `fetch`.
   */
  preconnect?: boolean;
}

/** What a provider package declares about its provider. */
export interface ProviderDefinition {
  /** Lower-case provider name: the strategy's default name and the profile's `provider`. */
  name: string;
  /** Folder of the provider package (for its name and version in the default `User-Agent`). */
  packageDir: string;
  authorizationURL: string;
  tokenURL: string;
  userProfileURL: string;
  /** The documented scopes; `null` when the provider has none. */
  scopes: readonly string[] | null;
  /** Scope used when the options give none. */
  defaultScope?: readonly string[];
  /** Names of provider options whose values are secret (an API key): masked in every error message, like the client secret. */
  secretOptions?: readonly string[];
}

/** What `loadProfile` knows of the login in progress. */
export interface LoginContext<T extends TokenResponse = TokenResponse> {
  /** The token endpoint's full answer (provider-specific fields such as TrackMage's `user_id`). */
  tokenResponse: T;
  /** The scopes requested for this login (per-request `scope`, else the constructor's). */
  scope: readonly string[];
}

/** One sign-in's callback leg: what its code exchange and profile load share, and nothing outlives the request. */
interface LoginState<T extends TokenResponse> {
  scope: readonly string[];
  /** The per-login strategy object the callback runs on. */
  attempt: ProviderStrategy<ProviderProfile, T>;
  tokenResponse?: T;
}

// Where a login's state hangs: on the object its callback runs on (passport's per-request object, or one made for
// the login; see beginLogin) and on its own node-oauth object, so that concurrent logins never share it and
// nothing is kept once a login ends.
const LOGIN = Symbol('login in progress');
// An own property of the strategy itself only: the objects passport makes from it per request inherit it.
const SHARED = Symbol('the strategy itself');

/** Default of `loginTimeout`: the most one sign-in's provider calls may take together. */
export const DEFAULT_LOGIN_TIMEOUT = 30_000;

// Errors a grant failed with, already typed and masked (among them what a `parseErrorResponse` override returned):
// `_createOAuthError` hands them to passport unchanged.
const GRANT_ERRORS = new WeakSet<object>();

/** A grant's form fields: an array is sent as a repeated field. */
type FormFields = NonNullable<ApiRequest['form']>;

// RFC 6749 §4.1.2.1: the only error codes kept from an authorization response whose state is not verified.
const AUTHORIZATION_ERROR_CODES = ['invalid_request', 'unauthorized_client', 'access_denied', 'unsupported_response_type', 'invalid_scope', 'server_error', 'temporarily_unavailable'];

function readPackage(dir: string): { name: string; version: string } {
  try {
    const { name, version } = JSON.parse(readFileSync(`${dir}/package.json`, 'utf8')) as { name: string; version: string };
    return { name, version };
  } catch {
    return { name: 'maniapass', version: '0.0.0' };
  }
}

/**
 * The request's own URL, by passport-oauth2's rules (`utils.originalURL`), from any framework's request:
 * passport-oauth2 reads `req.connection`, which Node's and Express's requests have and Fastify's does not.
 */
function originalURL(req: Request, trustProxy: boolean | undefined): string {
  const r = req as unknown as {
    app?: { get?(setting: string): unknown };
    headers: IncomingHttpHeaders;
    socket?: { encrypted?: boolean };
    connection?: { encrypted?: boolean };
    url?: string;
  };
  const proxy = Boolean(trustProxy) || Boolean(r.app?.get?.('trust proxy'));
  const proto = String(r.headers['x-forwarded-proto'] ?? '').toLowerCase().split(/\s*,\s*/)[0];
  const tls = Boolean((r.socket ?? r.connection)?.encrypted) || (proxy && proto === 'https');
  const host = (proxy && r.headers['x-forwarded-host']) || r.headers.host;
  return `${tls ? 'https' : 'http'}://${String(host)}${r.url ?? ''}`;
}

function booleanOption(provider: string, key: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw new TypeError(`${provider} strategy: ${key} must be true or false, got ${String(value)}`);
  return value;
}

/** Whether two endpoint URLs are on one host (one connection serves both). */
function sameOrigin(a: string, b: string): boolean {
  try {
    return new URL(a).origin === new URL(b).origin;
  } catch {
    return false;
  }
}

function requireString(options: Record<string, unknown>, key: string, provider: string): string {
  const value = options[key];
  if (typeof value !== 'string' || value.trim() === '') {
    throw new TypeError(`${provider} strategy requires the ${key} option (a non-empty string)`);
  }
  return value;
}

function milliseconds(provider: string, key: string, value: unknown, fallback: number): number {
  const ms = value ?? fallback;
  if (typeof ms !== 'number' || !Number.isFinite(ms) || ms <= 0) {
    throw new TypeError(`${provider} strategy: ${key} must be a positive number of milliseconds, got ${String(value)}`);
  }
  return ms;
}

/** The passport-oauth2 options the collection reads differently, refused with the reason (see the README). */
function refuseUnsupportedOptions(provider: string, options: Record<string, unknown>): void {
  const separator = options.scopeSeparator;
  if (separator !== undefined && separator !== ' ') {
    throw new TypeError(
      `${provider} strategy: scopeSeparator ${JSON.stringify(separator)} is not supported: ${provider} takes space-separated scopes ` +
        '(RFC 6749, section 3.3) and the strategy checks and joins them itself. Leave scopeSeparator out and give scope as an array or a space-separated string.',
    );
  }
  const pkce = options.pkce;
  if (pkce !== undefined && pkce !== true && pkce !== false && pkce !== 'S256' && pkce !== 'plain') {
    throw new TypeError(`${provider} strategy: pkce must be true, false, 'S256' or 'plain' (the methods passport-oauth2 implements), got ${JSON.stringify(pkce)}`);
  }
}

/**
 * A `tokenParams()` value as node-oauth's `querystring.stringify` sends it, so that a passport-oauth2 subclass
 * sends the same body here: numbers and booleans as text, arrays as repeated fields (an empty one not at all),
 * anything else as an empty value.
 */
function tokenParamField(value: unknown): string | string[] | undefined {
  if (Array.isArray(value)) return value.length ? value.map(primitiveText) : undefined;
  return primitiveText(value);
}

function primitiveText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'bigint') return String(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return '';
}

// An absolute URL, as passport-oauth2 tells one (`url.parse(callbackURL).protocol`): a scheme before a colon.
const HAS_SCHEME = /^[a-z][a-z0-9+.-]*:/i;

/** The parts of passport-oauth2's node-oauth object the core touches. */
interface NodeOAuth2 {
  _authorizeUrl: string;
  _accessTokenUrl: string;
  _clientId: string;
  getOAuthAccessToken(code: string, params: Record<string, unknown>, callback: (err: unknown, accessToken?: string, refreshToken?: string, params?: TokenResponse) => void): void;
  [LOGIN]?: LoginState<TokenResponse>;
}

/** passport-oauth2's "protected" fields the core reads. */
interface OAuth2Internals {
  _oauth2: NodeOAuth2;
  _stateStore: StateStore;
  _callbackURL?: string;
  _trustProxy?: boolean;
  _scope?: string | string[];
  _scopeSeparator: string;
  _pkceMethod?: string;
  _verify: (...args: unknown[]) => void;
  _passReqToCallback?: boolean;
  _loadUserProfile(accessToken: string, done: (err: unknown, profile?: unknown) => void): void;
  [LOGIN]?: LoginState<TokenResponse>;
}

function internals(strategy: object): OAuth2Internals {
  return strategy as OAuth2Internals;
}

type StateVerified = (err: unknown, ok?: unknown, state?: unknown) => void;

/**
 * The base of every strategy in the collection: passport-oauth2 with option checks at construction, state on by
 * default, one outbound HTTP path with timeouts and typed errors, passport-oauth2's verify forms plus Promises,
 * and token helpers. A provider package supplies a `ProviderDefinition` and `loadProfile`.
 */
export abstract class ProviderStrategy<P extends ProviderProfile = ProviderProfile, T extends TokenResponse = TokenResponse> extends OAuth2Strategy {
  readonly authorizationURL: string;
  readonly tokenURL: string;
  readonly userProfileURL: string;
  /** The scopes requested when `authenticate()` is not given any. */
  readonly scope: readonly string[];
  /** Milliseconds all the provider calls of one sign-in may take together. */
  readonly loginTimeout: number;
  protected readonly provider: ProviderDefinition;
  /** Every outbound call of this strategy goes through this client (during a sign-in, one bound by `loginTimeout`). */
  protected readonly client: ProviderClient;
  // Not `#private` fields: passport runs each request on `Object.create(strategy)`, which has no such fields.
  private readonly clientID!: string;
  private readonly clientSecret!: string;
  private readonly sessionKey: string;
  /** Whether the state store checks `state` (on unless `state: false` without a `store`). */
  private readonly checksState: boolean;
  private readonly preconnects: boolean;
  private readonly profileOnTokenHost: boolean;

  constructor(definition: ProviderDefinition, options: ProviderStrategyOptions & { passReqToCallback?: boolean }, verify: VerifyFunction<P, T> | VerifyFunctionWithRequest<P, T>) {
    const name = definition.name;
    if (options === null || typeof options !== 'object') throw new TypeError(`${name} strategy requires an options object`);
    if (typeof verify !== 'function') throw new TypeError(`${name} strategy requires a verify function`);
    const opts = options as unknown as Record<string, unknown>;
    const clientID = requireString(opts, 'clientID', name);
    const clientSecret = requireString(opts, 'clientSecret', name);
    const callbackURL = requireString(opts, 'callbackURL', name);
    const timeout = milliseconds(name, 'timeout', options.timeout, 10_000);
    const loginTimeout = milliseconds(name, 'loginTimeout', options.loginTimeout, DEFAULT_LOGIN_TIMEOUT);
    refuseUnsupportedOptions(name, opts);
    if (options.fetch !== undefined && typeof options.fetch !== 'function') throw new TypeError(`${name} strategy: fetch must be a function`);
    const scope = options.scope === undefined ? [...(definition.defaultScope ?? [])] : parseScope(options.scope);
    assertKnownScopes(name, scope, definition.scopes);
    const authorizationURL = endpointURLOption(name, 'authorizationURL', options.authorizationURL, definition.authorizationURL);
    const tokenURL = endpointURLOption(name, 'tokenURL', options.tokenURL, definition.tokenURL);
    const userProfileURL = endpointURLOption(name, 'userProfileURL', options.userProfileURL, definition.userProfileURL);
    const sessionKey = options.sessionKey ?? `oauth2:${name}`;
    const state = options.state ?? true;
    const pkg = readPackage(definition.packageDir);
    // Truthy, as passport-oauth2 reads it.
    const passReqToCallback = Boolean(options.passReqToCallback);
    const adapted = adaptVerify(verify as (...args: never[]) => unknown, passReqToCallback, { doneTimeout: loginTimeout });

    super(
      {
        clientID,
        clientSecret,
        callbackURL,
        authorizationURL,
        tokenURL,
        scope: scope.length ? scope : undefined,
        state,
        store: options.store,
        pkce: options.pkce as boolean | undefined,
        sessionKey,
        skipUserProfile: options.skipUserProfile,
        customHeaders: options.customHeaders,
        proxy: options.proxy,
        // The adapter takes the request first and calls the user's form itself.
        passReqToCallback: true,
      },
      adapted,
    );

    this.name = options.name ?? name;
    this.provider = definition;
    this.scope = scope;
    this.loginTimeout = loginTimeout;
    this.checksState = Boolean(options.store) || Boolean(state);
    this.authorizationURL = authorizationURL;
    this.tokenURL = tokenURL;
    this.userProfileURL = userProfileURL;
    // Non-enumerable, so that logging the strategy does not print the secret.
    Object.defineProperty(this, 'clientID', { value: clientID, enumerable: false });
    Object.defineProperty(this, 'clientSecret', { value: clientSecret, enumerable: false });
    this.sessionKey = sessionKey;
    Object.defineProperty(this, SHARED, { value: true });
    this.client = new ProviderClient({
      provider: name,
      timeout,
      userAgent: options.userAgent ?? `${pkg.name}/${pkg.version} (Node.js ${process.version})`,
      headers: options.customHeaders,
      fetch: options.fetch,
      // The secret as sent in a body, and as an echoed Basic header would carry it with the client id.
      secrets: [
        clientSecret,
        ...basicCredentialForms(clientID, clientSecret),
        ...(definition.secretOptions ?? []).map((key) => opts[key]).filter((v): v is string => typeof v === 'string'),
      ],
    });
    this.preconnects = booleanOption(name, 'preconnect', options.preconnect, true);
    this.profileOnTokenHost = sameOrigin(tokenURL, userProfileURL);

    // The code exchange goes through the collection's HTTP path instead of node-oauth's (which has no timeout).
    // The callback calls it on the login's own node-oauth object (see `beginLogin`), which knows the login.
    const strategy = this;
    internals(this)._oauth2.getOAuthAccessToken = function getOAuthAccessToken(this: NodeOAuth2, code, params, callback) {
      const login = this[LOGIN] as LoginState<T> | undefined;
      (login?.attempt ?? strategy).exchangeCode(code, params).then(
        (response) => {
          if (login) login.tokenResponse = response;
          callback(null, response.access_token, response.refresh_token, response);
        },
        (err: unknown) => callback(err),
      );
    };
  }

  /** Loads and parses the signed-in user's profile. */
  protected abstract loadProfile(accessToken: string, context: LoginContext<T>): Promise<P>;

  /**
   * The HTTP request for a grant (`authorization_code`, `refresh_token`, `client_credentials`). Default: a form
   * POST to `tokenURL` with the client credentials in the body. Override for a provider that wants otherwise.
   * A field given as an array (from a `tokenParams()` override) is sent repeated.
   */
  protected tokenRequest(grant: FormFields): ApiRequest {
    // Object.assign, not `{ ...grant, client_id }`: V8 (Node 20) makes properties added after a spread cost microseconds.
    return { method: 'POST', url: this.tokenURL, form: Object.assign({}, grant, { client_id: this.clientID, client_secret: this.clientSecret }) };
  }

  /**
   * GETs a profile body with the access token and parses it with a provider's pure parser. A body the parser
   * refuses becomes a `ProviderError` (`EBADRESPONSE`) naming the provider, like any other bad answer.
   */
  protected fetchProfile<R>(url: string, accessToken: string, parse: (raw: string) => R): Promise<R> {
    // Not an async function: every sign-in's path, and each await is a turn of the microtask queue.
    return this.client.read({ url, accessToken }, (raw, status) => {
      try {
        return parse(raw);
      } catch (err) {
        const name = this.provider.name;
        throw new ProviderError(`${name}: GET ${stripQuery(url)}: ${(err as Error).message}`, undefined, { provider: name, url, code: 'EBADRESPONSE', upstreamStatus: status });
      }
    });
  }

  /** The client credentials, for `tokenRequest` overrides. */
  protected get credentials(): { clientID: string; clientSecret: string } {
    return { clientID: this.clientID, clientSecret: this.clientSecret };
  }

  override authenticate(req: Request, options: Record<string, unknown> = {}): void {
    const query = (req.query ?? {}) as Record<string, unknown>;
    const body = (req.body ?? {}) as Record<string, unknown>;
    const error = query.error ?? body.error;
    const code = query.code ?? body.code;
    const isCallback = error !== undefined || code !== undefined;

    // The constructor's scope was checked there; a per-request one is checked here.
    let scope: readonly string[] = this.scope;
    if (options.scope !== undefined) {
      try {
        scope = parseScope(options.scope as string | string[]);
        assertKnownScopes(this.provider.name, scope, this.provider.scopes);
      } catch (err) {
        return this.error(err as Error);
      }
    }
    const session = (req as unknown as { session?: Record<string, unknown> }).session;

    // A relative callbackURL resolved here, from any framework's request (passport-oauth2 reads `req.connection`,
    // which Fastify's has not).
    const callbackURL = this.callbackURLFor(req, options);
    if (callbackURL !== undefined && callbackURL !== options.callbackURL && callbackURL !== internals(this)._callbackURL) options = Object.assign({}, options, { callbackURL });

    if (!isCallback) {
      if (typeof options.state === 'string' && options.state !== '' && this.checksState) {
        // passport-oauth2 would send the string instead of the state it checks, and every callback would fail.
        return this.error(
          new TypeError(
            `${this.provider.name}: authenticate() got a string state, but this strategy checks state itself (state is on by default), ` +
              'so the callback would be refused. Give application state as an object with the store: true option ' +
              "(authenticate({ state: { returnTo: '/x' } }), read back as req.authInfo.state), " +
              'or set state: false on the strategy and check your string yourself.',
          ),
        );
      }
      // Remember a per-request scope so that the callback knows what this login asked for.
      if (options.scope !== undefined && session) {
        session[this.sessionKey] = { ...(session[this.sessionKey] as object | undefined), scope: scope.join(' ') };
      }
      this.openConnections(scope);
      // The parsed list, so that `'a,b'` reaches the provider space-separated as the specification wants.
      return this.redirectToProvider(req, options, callbackURL, options.scope === undefined ? internals(this)._scope : scope);
    }

    const stash = session?.[this.sessionKey] as { scope?: string } | undefined;
    if (options.scope === undefined && typeof stash?.scope === 'string') scope = parseScope(stash.scope);
    if (stash && 'scope' in stash) delete stash.scope;

    // Anything here came from the browser: only plain strings are accepted.
    const state = query.state ?? body.state;
    if (state !== undefined && typeof state !== 'string') return this.fail({ message: 'Malformed authorization response' }, 400);
    if (error !== undefined) return this.authorizationError(req, callbackURL, error, state, query.error_description ?? body.error_description, query.error_uri ?? body.error_uri);
    if (typeof code !== 'string' || code === '') return this.fail({ message: 'Malformed authorization response' }, 400);

    this.openConnections(scope, true);
    return this.beginLogin(scope).completeLogin(req, options, callbackURL, code, state);
  }

  /**
   * The callback, as passport-oauth2 1.8's `authenticate()` handles one with a code: the state store's `verify`,
   * `tokenParams()`, the code exchange through `_oauth2.getOAuthAccessToken`, `_loadUserProfile`, the verify
   * function by its declared length, then `success`, `fail` or `error` with the same arguments. Runs on the
   * login's own object (see `beginLogin`).
   */
  private completeLogin(req: Request, options: Record<string, unknown>, callbackURL: string | undefined, code: string, state: string | undefined): void {
    this.verifyState(req, callbackURL, state, (err, ok, stateInfo) => {
      if (err) return this.error(err);
      if (!ok) return this.fail(stateInfo, 403);
      const params = this.tokenParams(options) as Record<string, unknown>;
      params.grant_type = 'authorization_code';
      if (callbackURL) params.redirect_uri = callbackURL;
      // PKCE: the store answers with the code verifier.
      if (typeof ok === 'string') params.code_verifier = ok;
      internals(this)._oauth2.getOAuthAccessToken(code, params, (tokenErr, accessToken, refreshToken, tokenResponse) => {
        if (tokenErr) return this.error(this._createOAuthError('Failed to obtain access token', tokenErr));
        if (!accessToken) return this.error(new Error('Failed to obtain access token'));
        // Guarded, unlike passport-oauth2: a skipUserProfile or userProfile that throws fails this login, where it
        // would otherwise be lost in the token answer's promise and leave the request unanswered.
        try {
          this.loadProfileThenVerify(req, accessToken, refreshToken, tokenResponse, stateInfo);
        } catch (ex) {
          this.error(ex);
        }
      });
    });
  }

  /** The rest of passport-oauth2's callback: `_loadUserProfile`, then the verify function by its declared length. */
  private loadProfileThenVerify(req: Request, accessToken: string, refreshToken: string | undefined, tokenResponse: unknown, stateInfo: unknown): void {
    internals(this)._loadUserProfile(accessToken, (profileErr, profile) => {
      if (profileErr) return this.error(profileErr);
      const verified = (verifyErr: unknown, user?: unknown, info?: Record<string, unknown>) => {
        if (verifyErr) return this.error(verifyErr);
        if (!user) return this.fail(info);
        info = info || {};
        if (stateInfo) info.state = stateInfo;
        this.success(user, info);
      };
      // Called as a method of the login's object, as passport-oauth2 calls it.
      const self = internals(this);
      try {
        if (self._passReqToCallback) {
          if (self._verify.length === 6) self._verify(req, accessToken, refreshToken, tokenResponse, profile, verified);
          else self._verify(req, accessToken, refreshToken, profile, verified);
        } else if (self._verify.length === 5) {
          self._verify(accessToken, refreshToken, tokenResponse, profile, verified);
        } else {
          self._verify(accessToken, refreshToken, profile, verified);
        }
      } catch (ex) {
        this.error(ex);
      }
    });
  }

  /**
   * The authorize redirect, as passport-oauth2 1.8's `authenticate()` makes it when the request has no code: the
   * same `authorizationParams()`, PKCE, state store calls (by the store's declared length) and location, with
   * the endpoint's URL parsed once instead of on every redirect (see `authorizeLocation`).
   */
  private redirectToProvider(req: Request, options: Record<string, unknown>, callbackURL: string | undefined, scope: unknown): void {
    const { _oauth2: oauth2, _stateStore: store, _scopeSeparator: separator, _pkceMethod: pkce } = internals(this);
    const params = this.authorizationParams(options) as Record<string, unknown>;
    params.response_type = 'code';
    if (callbackURL) params.redirect_uri = callbackURL;
    if (scope) params.scope = Array.isArray(scope) ? scope.join(separator) : scope;
    let verifier: string | undefined;
    if (pkce) {
      // 'S256' or 'plain': the constructor refuses any other method.
      verifier = randomBytes(32).toString('base64url');
      params.code_challenge = pkce === 'plain' ? verifier : createHash('sha256').update(verifier).digest('base64url');
      params.code_challenge_method = pkce;
    }
    const redirect = () => this.redirect(authorizeLocation(oauth2._authorizeUrl, oauth2._clientId, params));
    const state = options.state;
    if (state && typeof state === 'string') {
      params.state = state;
      return redirect();
    }
    const stored = (err: unknown, handle?: unknown) => {
      if (err) return this.error(err);
      if (handle) params.state = handle;
      redirect();
    };
    const meta = { authorizationURL: oauth2._authorizeUrl, tokenURL: oauth2._accessTokenUrl, clientID: oauth2._clientId, callbackURL };
    try {
      const arity = store.store.length;
      if (arity === 5) store.store(req, verifier, state, meta, stored);
      else if (arity === 4) store.store(req, state, meta, stored);
      else if (arity === 3) store.store(req, meta, stored);
      else store.store(req, stored);
    } catch (err) {
      this.error(err);
    }
  }

  override userProfile(accessToken: string, done: (err?: unknown, profile?: P) => void): void {
    const login = internals(this)[LOGIN] as LoginState<T> | undefined;
    const context: LoginContext<T> = {
      tokenResponse: login?.tokenResponse ?? ({ access_token: accessToken } as T),
      scope: login?.scope ?? this.scope,
    };
    let loading: Promise<P>;
    try {
      loading = this.loadProfile(accessToken, context);
    } catch (err) {
      // A subclass's loadProfile that throws instead of rejecting.
      return done(err);
    }
    loading.then(
      (profile) => done(null, profile),
      (err: unknown) => done(err),
    );
  }

  /**
   * passport-oauth2 hook: the error of a failed token request. The default is the collection's `TokenError`
   * (the provider's code, message and status as `upstreamStatus`). An override gets the body, with every secret
   * masked, and the status, as in passport-oauth2; what it returns is masked again, and if it returns nothing
   * or throws, the failure is a `ProviderError`.
   */
  override parseErrorResponse(body: string, status: number): Error | null {
    return this.client.tokenError(body, status);
  }

  /**
   * passport-oauth2 hook: wraps a failure of the code exchange. The collection's errors are already typed and
   * masked, so they pass through; anything else is wrapped with its cause kept, masked.
   */
  _createOAuthError(message: string, err: unknown): Error {
    if (err instanceof TokenError || err instanceof ProviderError || GRANT_ERRORS.has(err as object)) return err as Error;
    return redactError(new InternalOAuthError(message, err), this.secrets());
  }

  /** Exchanges a refresh token for a new token set (with the rotated refresh token where the provider rotates). */
  async refresh(refreshToken: string, options: { scope?: string | readonly string[] } = {}): Promise<TokenSet<T>> {
    if (typeof refreshToken !== 'string' || refreshToken === '') throw new TypeError(`${this.provider.name}: refresh() needs a refresh token`);
    const grant: Record<string, string> = { grant_type: 'refresh_token', refresh_token: refreshToken };
    this.addScope(grant, options.scope);
    return toTokenSet((await this.requestToken(grant, [refreshToken])) as T);
  }

  /** Requests an application token with the client-credentials grant. */
  async clientCredentials(options: { scope?: string | readonly string[] } = {}): Promise<TokenSet<T>> {
    const grant: Record<string, string> = { grant_type: 'client_credentials' };
    this.addScope(grant, options.scope);
    return toTokenSet((await this.requestToken(grant, [])) as T);
  }

  /**
   * A cached, single-flight source of client-credentials tokens: concurrent `get()` calls share one request, and
   * the token is reused until `marginSeconds` (default 60) before it expires.
   */
  clientCredentialsSource(options: { scope?: string | readonly string[]; marginSeconds?: number } = {}): CachedTokenSource<TokenSet<T>> {
    if (options.scope !== undefined) assertKnownScopes(this.provider.name, parseScope(options.scope), this.provider.scopes);
    return new CachedTokenSource(() => this.clientCredentials({ scope: options.scope }), { marginSeconds: options.marginSeconds });
  }

  /** Every grant goes through here, so that `parseErrorResponse` (and a subclass's override) sees every failure. */
  private requestToken(grant: FormFields, grantSecrets: ReadonlyArray<string | undefined>): Promise<TokenResponse> {
    return this.client.token(this.tokenRequest(grant), grantSecrets, (body, status) => {
      // What the hook makes of the answer is the failure as the strategy means it: passed through unwrapped.
      const err = this.parseErrorResponse(body, status);
      if (err !== null && typeof err === 'object') GRANT_ERRORS.add(err);
      return err;
    });
  }

  /** The values no error of this strategy may show: the client secret and secret provider options. */
  private secrets(): string[] {
    return [...(this.client.options.secrets ?? [])].filter((v): v is string => typeof v === 'string');
  }

  private addScope(grant: Record<string, string>, scope: string | readonly string[] | undefined): void {
    if (scope === undefined) return;
    const list = parseScope(scope);
    assertKnownScopes(this.provider.name, list, this.provider.scopes);
    if (list.length) grant.scope = list.join(' ');
  }

  /**
   * The object one callback runs on: it inherits everything from the strategy (and from the
   * request's passport actions), and carries the login's scope, deadline and token response, whatever a subclass
   * does with `tokenParams()`. It is dropped with the request, so no login leaves anything behind.
   *
   * passport (like @fastify/passport) already runs each request on an object of its own made with
   * `Object.create(strategy)`: the login goes on that one. A new one is made only when `authenticate()` was called
   * on the strategy itself or on an object that carries a login already. (Making a fresh object the prototype of
   * another on every login costs V8 far more than the rest of the bookkeeping.)
   */
  private beginLogin(scope: readonly string[]): this {
    const attempt = Object.hasOwn(this, LOGIN) || Object.hasOwn(this, SHARED) ? (Object.create(this) as this) : this;
    const oauth2 = Object.create(internals(this)._oauth2) as NodeOAuth2;
    const client = this.client.withDeadline(Date.now() + this.loginTimeout, (request) => this.loginTimeoutError(request));
    const login: LoginState<T> = { scope, attempt };
    oauth2[LOGIN] = login;
    const own = attempt as unknown as { _oauth2: NodeOAuth2; client: ProviderClient; [LOGIN]: LoginState<T> };
    own._oauth2 = oauth2;
    own.client = client;
    own[LOGIN] = login;
    return attempt;
  }

  private loginTimeoutError(request: ApiRequest): ProviderError {
    const name = this.provider.name;
    const method = request.method ?? (request.json !== undefined || request.form ? 'POST' : 'GET');
    return new ProviderError(`${name}: ${method} ${stripQuery(request.url)} did not answer before the sign-in's loginTimeout of ${this.loginTimeout} ms ran out`, undefined, {
      provider: name,
      url: request.url,
      code: 'ETIMEDOUT',
    });
  }

  /**
   * An error response on the callback. RFC 6749 error responses carry `state`: it is checked (and used up) as
   * on success, and the provider's text is kept only when it matches this login; otherwise the message is a
   * fixed one, so that nobody can put their text on the error with a crafted link. A visitor never gets the
   * provider's text: `access_denied` fails with a fixed message (what `failureMessage` shows); other errors keep
   * it, cut then masked, on the server-side `AuthorizationError`.
   */
  private authorizationError(req: Request, callbackURL: string | undefined, error: unknown, state: string | undefined, description: unknown, uri: unknown): void {
    if (typeof error !== 'string') return this.fail({ message: 'Malformed authorization response' }, 400);
    const name = this.provider.name;
    this.verifyState(req, callbackURL, state, (err, ok) => {
      if (err) return this.error(err);
      const trusted = Boolean(ok) && this.checksState;
      const text = trusted && typeof description === 'string' && description.trim() ? description.slice(0, 300) : undefined;
      const code = trusted ? error.slice(0, 100) : AUTHORIZATION_ERROR_CODES.includes(error) ? error : 'server_error';
      if (error === 'access_denied') return this.fail({ message: `Access denied at ${name}` });
      // One status for every provider failure (CONTRACT.md, Errors), where passport-oauth2 derives 502/503 from the code.
      const failure = new AuthorizationError(text ?? `${name} authorization failed: ${code}`, code, trusted && typeof uri === 'string' ? uri : undefined, PROVIDER_FAILURE_STATUS);
      return this.error(redactError(failure, this.secrets()));
    });
  }

  /** The state store's `verify`, called as passport-oauth2 calls it (with `meta` when it takes four arguments). */
  private verifyState(req: Request, callbackURL: string | undefined, state: string | undefined, verified: StateVerified): void {
    const { _stateStore: store, _oauth2: oauth2 } = internals(this);
    const meta = { authorizationURL: oauth2._authorizeUrl, tokenURL: oauth2._accessTokenUrl, clientID: oauth2._clientId, callbackURL };
    try {
      if (store.verify.length === 4) store.verify(req, state, meta, verified);
      else store.verify(req, state, verified);
    } catch (err) {
      this.error(err);
    }
  }

  /** The callback URL passport-oauth2 would use for this request (a relative one resolved against the request). */
  private callbackURLFor(req: Request, options: Record<string, unknown>): string | undefined {
    const callbackURL = (typeof options.callbackURL === 'string' && options.callbackURL) || internals(this)._callbackURL;
    if (!callbackURL || HAS_SCHEME.test(callbackURL)) return callbackURL;
    // node:url's resolve, as passport-oauth2's, so that the redirect_uri stays byte for byte what it was.
    return resolveURL(originalURL(req, internals(this)._trustProxy), callbackURL);
  }

  private exchangeCode(code: string, params: Record<string, unknown>): Promise<T> {
    try {
      const grant: FormFields = {};
      for (const [key, value] of Object.entries(params)) {
        const field = tokenParamField(value);
        if (field !== undefined) grant[key] = field;
      }
      grant.code = code;
      const verifier = typeof params.code_verifier === 'string' ? params.code_verifier : undefined;
      return this.requestToken(grant, [code, verifier]) as Promise<T>;
    } catch (err) {
      // tokenParams() or tokenRequest() overrides that throw fail the login like any other failure.
      return Promise.reject(err);
    }
  }

  /**
   * How many calls `loadProfile` makes at once, without waiting for each other, for a login with this scope:
   * that many connections to the profile host are opened ahead (see `preconnect`). Default 1.
   */
  protected concurrentProfileCalls(_scope: readonly string[]): number {
    return 1;
  }

  /**
   * The `preconnect` option: at the authorize redirect, opens the connections the callback's calls will need, so
   * that it finds them ready. As the callback starts, opens those still missing that the token request will not
   * open itself (a second one for a parallel profile call then opens while the token request runs). Connections
   * already idle count; see `preconnect` in the HTTP layer.
   */
  private openConnections(scope: readonly string[], atCallback = false): void {
    if (!this.preconnects) return;
    const profileCalls = this.concurrentProfileCalls(scope);
    if (this.profileOnTokenHost) {
      if (!atCallback || profileCalls > 1) this.client.preconnect(this.tokenURL, Math.max(1, profileCalls));
    } else {
      if (!atCallback) this.client.preconnect(this.tokenURL);
      this.client.preconnect(this.userProfileURL, profileCalls);
    }
  }
}
