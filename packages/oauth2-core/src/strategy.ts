import { readFileSync } from 'node:fs';
import type { Request } from 'express';
import {
  CachedTokenSource,
  ProviderClient,
  basicCredentialForms,
  endpointURLOption,
  redactError,
  stripQuery,
  toTokenSet,
  type ApiRequest,
  type FetchFunction,
  type ProviderProfile,
  type TokenResponse,
  type TokenSet,
} from '@maniapass/http';
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
  /** CSRF protection through a session-bound `state`. Default `true`. */
  state?: boolean;
  /** A passport-oauth2 state store, or `true` for its session store with application state. */
  store?: StateStore | boolean;
  /** Passed to passport-oauth2 (`true` = S256). Needs `state`. Off unless the provider documents PKCE. */
  pkce?: boolean | 'S256' | 'plain';
  /** Milliseconds for each outbound request (token, profile, refresh, client credentials). Default 10000. */
  timeout?: number;
  /** `User-Agent` of every outbound request. Default: the package's name and version. */
  userAgent?: string;
  authorizationURL?: string;
  tokenURL?: string;
  userProfileURL?: string;
  /** A `fetch` used for every outbound request instead of `node:http(s)` (proxies, recording). */
  fetch?: FetchFunction;
  skipUserProfile?: boolean | ((accessToken: string, done: (err: unknown, skip?: boolean) => void) => void);
  /** Headers added to every outbound request. */
  customHeaders?: Record<string, string>;
  /** Session key of the state store. Default `oauth2:<provider name>`. */
  sessionKey?: string;
  /** The strategy's name for `passport.authenticate()`. Default: the provider's name. */
  name?: string;
  /** Trust `X-Forwarded-*` when building a relative callback URL. */
  proxy?: boolean;
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

// Carries the login's scope from `authenticate` through passport-oauth2's `tokenParams` hook into the code
// exchange; a symbol key is never serialized into the token request.
const LOGIN_SCOPE = Symbol('login scope');

// Errors a grant failed with, already typed and masked (among them what a `parseErrorResponse` override returned):
// `_createOAuthError` hands them to passport unchanged.
const GRANT_ERRORS = new WeakSet<object>();

// How many code exchanges may wait for their profile load at once before the oldest are forgotten.
const MAX_PENDING_LOGINS = 10_000;

function readPackage(dir: string): { name: string; version: string } {
  try {
    const { name, version } = JSON.parse(readFileSync(`${dir}/package.json`, 'utf8')) as { name: string; version: string };
    return { name, version };
  } catch {
    return { name: 'maniapass', version: '0.0.0' };
  }
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

/**
 * The base of every strategy in the collection: passport-oauth2 with option checks at construction, state on by
 * default, one outbound HTTP path with timeouts and typed errors, Promise verify functions, and token helpers.
 * A provider package supplies a `ProviderDefinition` and `loadProfile`.
 */
export abstract class ProviderStrategy<P extends ProviderProfile = ProviderProfile, T extends TokenResponse = TokenResponse> extends OAuth2Strategy {
  readonly authorizationURL: string;
  readonly tokenURL: string;
  readonly userProfileURL: string;
  /** The scopes requested when `authenticate()` is not given any. */
  readonly scope: readonly string[];
  protected readonly provider: ProviderDefinition;
  /** Every outbound call of this strategy goes through this client. */
  protected readonly client: ProviderClient;
  // Not `#private` fields: passport runs each request on `Object.create(strategy)`, which has no such fields.
  private readonly clientID!: string;
  private readonly clientSecret!: string;
  private readonly sessionKey: string;
  private readonly pendingLogins = new Map<string, LoginContext<T>>();
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
    const timeout = options.timeout ?? 10_000;
    if (typeof timeout !== 'number' || !Number.isFinite(timeout) || timeout <= 0) {
      throw new TypeError(`${name} strategy: timeout must be a positive number of milliseconds, got ${String(options.timeout)}`);
    }
    if (options.fetch !== undefined && typeof options.fetch !== 'function') throw new TypeError(`${name} strategy: fetch must be a function`);
    const scope = options.scope === undefined ? [...(definition.defaultScope ?? [])] : parseScope(options.scope);
    assertKnownScopes(name, scope, definition.scopes);
    const authorizationURL = endpointURLOption(name, 'authorizationURL', options.authorizationURL, definition.authorizationURL);
    const tokenURL = endpointURLOption(name, 'tokenURL', options.tokenURL, definition.tokenURL);
    const userProfileURL = endpointURLOption(name, 'userProfileURL', options.userProfileURL, definition.userProfileURL);
    const sessionKey = options.sessionKey ?? `oauth2:${name}`;
    const pkg = readPackage(definition.packageDir);

    let pending: Map<string, LoginContext<T>> | undefined;
    super(
      {
        clientID,
        clientSecret,
        callbackURL,
        authorizationURL,
        tokenURL,
        scope: scope.length ? scope : undefined,
        state: options.state ?? true,
        store: options.store,
        pkce: options.pkce as boolean | undefined,
        sessionKey,
        skipUserProfile: options.skipUserProfile,
        customHeaders: options.customHeaders,
        proxy: options.proxy,
        // The adapter below takes the request first and picks the user's form itself.
        passReqToCallback: true,
      },
      adaptVerify(verify as (...args: unknown[]) => unknown, options.passReqToCallback === true, (accessToken) => pending?.delete(accessToken)),
    );
    pending = this.pendingLogins;

    this.name = options.name ?? name;
    this.provider = definition;
    this.scope = scope;
    this.authorizationURL = authorizationURL;
    this.tokenURL = tokenURL;
    this.userProfileURL = userProfileURL;
    // Non-enumerable, so that logging the strategy does not print the secret.
    Object.defineProperty(this, 'clientID', { value: clientID, enumerable: false });
    Object.defineProperty(this, 'clientSecret', { value: clientSecret, enumerable: false });
    this.sessionKey = sessionKey;
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
    const oauth2 = (this as unknown as { _oauth2: { getOAuthAccessToken: unknown } })._oauth2;
    oauth2.getOAuthAccessToken = (code: string, params: Record<string | symbol, unknown>, callback: (err: unknown, accessToken?: string, refreshToken?: string, params?: T) => void) => {
      this.exchangeCode(code, params).then(
        (response) => callback(null, response.access_token, response.refresh_token, response),
        (err: unknown) => callback(err),
      );
    };
  }

  /** Loads and parses the signed-in user's profile. */
  protected abstract loadProfile(accessToken: string, context: LoginContext<T>): Promise<P>;

  /**
   * The HTTP request for a grant (`authorization_code`, `refresh_token`, `client_credentials`). Default: a form
   * POST to `tokenURL` with the client credentials in the body. Override for a provider that wants otherwise.
   */
  protected tokenRequest(grant: Record<string, string>): ApiRequest {
    // Object.assign, not `{ ...grant, client_id }`: V8 (Node 20) makes properties added after a spread cost microseconds.
    return { method: 'POST', url: this.tokenURL, form: Object.assign({}, grant, { client_id: this.clientID, client_secret: this.clientSecret }) };
  }

  /**
   * GETs a profile body with the access token and parses it with a provider's pure parser. A body the parser
   * refuses becomes a `ProviderError` (`EBADRESPONSE`) naming the provider, like any other bad answer.
   */
  protected async fetchProfile<R>(url: string, accessToken: string, parse: (raw: string) => R): Promise<R> {
    const { raw, status } = await this.client.text({ url, accessToken });
    try {
      return parse(raw);
    } catch (err) {
      const name = this.provider.name;
      throw new ProviderError(`${name}: GET ${stripQuery(url)}: ${(err as Error).message}`, undefined, { provider: name, url, code: 'EBADRESPONSE', upstreamStatus: status });
    }
  }

  /** The client credentials, for `tokenRequest` overrides. */
  protected get credentials(): { clientID: string; clientSecret: string } {
    return { clientID: this.clientID, clientSecret: this.clientSecret };
  }

  override authenticate(req: Request, options: Record<string | symbol, unknown> = {}): void {
    const query = (req.query ?? {}) as Record<string, unknown>;
    const body = (req.body ?? {}) as Record<string, unknown>;
    const error = query.error ?? body.error;
    const code = query.code ?? body.code;
    const state = query.state ?? body.state;
    const isCallback = error !== undefined || code !== undefined;

    let scope: string[];
    try {
      scope = options.scope === undefined ? [...this.scope] : parseScope(options.scope as string | string[]);
      assertKnownScopes(this.provider.name, scope, this.provider.scopes);
    } catch (err) {
      return this.error(err as Error);
    }

    if (!isCallback) {
      // Remember a per-request scope so that the callback knows what this login asked for.
      const session = (req as unknown as { session?: Record<string, unknown> }).session;
      if (options.scope !== undefined && session) {
        session[this.sessionKey] = { ...(session[this.sessionKey] as object | undefined), scope: scope.join(' ') };
      }
      this.openConnections(scope);
      // The parsed list, so that `'a,b'` reaches the provider space-separated as the specification wants.
      return super.authenticate(req, options.scope === undefined ? options : Object.assign({}, options, { scope }));
    }

    // Anything here came from the browser: only plain strings are accepted.
    const description = query.error_description ?? body.error_description;
    if (error !== undefined) {
      if (typeof error !== 'string') return this.fail({ message: 'Malformed authorization response' }, 400);
      const text = typeof description === 'string' && description.trim() ? description.slice(0, 300) : undefined;
      if (error === 'access_denied') return this.fail({ message: text ?? `Access denied at ${this.provider.name}` });
      const uri = query.error_uri ?? body.error_uri;
      return this.error(new AuthorizationError(text ?? `${this.provider.name} authorization failed: ${error.slice(0, 100)}`, error.slice(0, 100), typeof uri === 'string' ? uri : undefined));
    }
    if (typeof code !== 'string' || code === '' || (state !== undefined && typeof state !== 'string')) {
      return this.fail({ message: 'Malformed authorization response' }, 400);
    }

    const session = (req as unknown as { session?: Record<string, unknown> }).session;
    const stash = session?.[this.sessionKey] as { scope?: string } | undefined;
    if (options.scope === undefined && typeof stash?.scope === 'string') scope = parseScope(stash.scope);
    if (stash && 'scope' in stash) delete stash.scope;
    this.openConnections(scope, true);
    // Object.assign, not a spread (see tokenRequest).
    return super.authenticate(req, Object.assign({}, options, { [LOGIN_SCOPE]: scope }));
  }

  override tokenParams(options: Record<string | symbol, unknown>): object {
    return { [LOGIN_SCOPE]: options[LOGIN_SCOPE] };
  }

  override userProfile(accessToken: string, done: (err?: unknown, profile?: P) => void): void {
    const context = this.pendingLogins.get(accessToken) ?? { tokenResponse: { access_token: accessToken } as T, scope: this.scope };
    this.pendingLogins.delete(accessToken);
    this.loadProfile(accessToken, context).then(
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
  private requestToken(grant: Record<string, string>, grantSecrets: ReadonlyArray<string | undefined>): Promise<TokenResponse> {
    return this.client.token(this.tokenRequest(grant), grantSecrets, (body, status) => this.parseErrorResponse(body, status)).catch((err: unknown) => {
      if (err !== null && typeof err === 'object') GRANT_ERRORS.add(err);
      throw err;
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

  private async exchangeCode(code: string, params: Record<string | symbol, unknown>): Promise<T> {
    const grant: Record<string, string> = { code };
    for (const [key, value] of Object.entries(params)) {
      if (typeof value === 'string') grant[key] = value;
    }
    const response = (await this.requestToken(grant, [code, grant.code_verifier])) as T;
    if (this.pendingLogins.size >= MAX_PENDING_LOGINS) {
      this.pendingLogins.delete(this.pendingLogins.keys().next().value as string);
    }
    const scope = (params[LOGIN_SCOPE] as string[] | undefined) ?? [...this.scope];
    this.pendingLogins.set(response.access_token, { tokenResponse: response, scope });
    return response;
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
