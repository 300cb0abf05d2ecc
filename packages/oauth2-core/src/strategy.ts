import type { Request } from 'express';
import {
  CachedTokenSource,
  ProviderClient,
  redactError,
  redactWhole,
  toTokenSet,
  type ApiRequest,
  type ProviderProfile,
  type TokenResponse,
  type TokenSet,
} from '@maniapass/http';
import { ProviderError, TokenError } from './errors';
import { callbackParams, type FlowStrategy, type SignInSettings } from './flow';
import type { FormFields } from './grants';
import type * as Legs from './legs';
import { checkOptions, type ProviderStrategyOptions } from './options';
import { InternalOAuthError, OAuth2Strategy, type StateStore } from './passport-oauth2';
import { sameOrigin } from './preconnect';
import { checkScopes, readProfile, scopeList, tokenRequestFor, type OAuthProviderDefinition } from '@maniapass/providers';
import { SignIn } from './sign-in';
import { checkVerifyForm, type VerifyFunction, type VerifyFunctionWithRequest } from './verify';

export { DEFAULT_LOGIN_TIMEOUT } from './options';
export type { ProviderStrategyOptions } from './options';

let legs: typeof Legs | undefined;

/** The sign-in legs and the grants (legs.ts), loaded with the first call that needs them. */
function loadLegs(): typeof Legs {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use, on purpose (see legs.ts)
  return (legs ??= require('./legs') as typeof Legs);
}

/** What `loadProfile` knows of the login in progress. */
export interface LoginContext<T extends TokenResponse = TokenResponse> {
  /** The token endpoint's full answer (provider-specific fields such as TrackMage's `user_id`). */
  tokenResponse: T;
  /** The scopes requested for this login (per-request `scope`, else the constructor's). */
  scope: readonly string[];
}

/**
 * The strategy of a provider definition (`@maniapass/providers`): passport-oauth2's `OAuth2Strategy` (its hooks,
 * state stores and PKCE) with option checks at construction, state on by default, one sign-in flow on the
 * collection's HTTP layer (timeouts, typed and masked errors, a deadline per sign-in), passport-oauth2's verify
 * rule plus Promises, and token helpers. Everything provider-specific (endpoints, scopes, settings, headers, token
 * request, profile) comes from the definition: a provider package only names the class and adds its API calls.
 *
 * ```ts
 * class TrackmaniaStrategy extends ProviderStrategy<TrackmaniaProfile, TrackmaniaTokenResponse> {
 *   constructor(options: TrackmaniaStrategyOptions, verify: VerifyFunction<TrackmaniaProfile>) {
 *     super(trackmania, options, verify, `${__dirname}/..`);
 *   }
 * }
 * ```
 *
 * `authenticate()` dispatches a request to one of two legs: the authorize redirect (`authorize.ts`) or the
 * callback (`callback.ts`), each one async block that ends in one outcome handed to passport (`sign-in.ts`). The
 * legs and the grants load with the first call that needs them (`legs.ts`).
 */
export class ProviderStrategy<P extends ProviderProfile = ProviderProfile, T extends TokenResponse = TokenResponse, S = unknown> extends OAuth2Strategy {
  /** The provider's authorization endpoint, as used. */
  readonly authorizationURL: string;
  /** The provider's token endpoint, as used. */
  readonly tokenURL: string;
  /** The provider's profile endpoint, as used. */
  readonly userProfileURL: string;
  /** The scopes requested when `authenticate()` is not given any. */
  readonly scope: readonly string[];
  /** Milliseconds one sign-in's callback may take, its verify function included. */
  readonly loginTimeout: number;
  /** The provider's definition. */
  protected readonly provider: OAuthProviderDefinition<P, T, S>;
  /** The provider's own settings (a base URL, an API key), as its definition resolved them from the options. */
  protected readonly settings: S;
  /** Every outbound call of this strategy goes through this client. */
  protected readonly client: ProviderClient;
  // Not `#private` fields: passport runs each request on `Object.create(strategy)`, which has no such fields.
  private readonly clientID!: string;
  private readonly clientSecret!: string;
  private readonly signInSettings: SignInSettings;

  /**
   * @param definition - the provider.
   * @param options - the strategy's options, checked here: a mistake throws a `TypeError` naming the option.
   * @param verify - passport-oauth2's verify function, or one returning a Promise.
   * @param packageDir - the folder of the package whose name and version make the default `User-Agent`.
   */
  constructor(
    definition: OAuthProviderDefinition<P, T, S>,
    options: ProviderStrategyOptions & { passReqToCallback?: boolean },
    verify: VerifyFunction<P, T> | VerifyFunctionWithRequest<P, T>,
    packageDir = `${__dirname}/..`,
  ) {
    const checked = checkOptions(definition, options, verify, packageDir);
    checkVerifyForm(verify as (...args: never[]) => unknown, checked.passReqToCallback);
    super(
      {
        clientID: checked.clientID,
        clientSecret: checked.clientSecret,
        callbackURL: checked.callbackURL,
        authorizationURL: checked.authorizationURL,
        tokenURL: checked.tokenURL,
        scope: checked.scope.length ? [...checked.scope] : undefined,
        state: checked.state,
        store: options.store,
        pkce: options.pkce as boolean | undefined,
        sessionKey: checked.sessionKey,
        skipUserProfile: options.skipUserProfile,
        customHeaders: checked.headers,
        proxy: options.proxy,
        passReqToCallback: checked.passReqToCallback,
      },
      verify as (...args: never[]) => void,
    );
    this.name = checked.name;
    this.provider = definition;
    this.settings = checked.settings;
    this.scope = checked.scope;
    this.loginTimeout = checked.loginTimeout;
    this.authorizationURL = checked.authorizationURL;
    this.tokenURL = checked.tokenURL;
    this.userProfileURL = checked.userProfileURL;
    // Non-enumerable, so that logging the strategy does not print the secret.
    Object.defineProperty(this, 'clientID', { value: checked.clientID, enumerable: false });
    Object.defineProperty(this, 'clientSecret', { value: checked.clientSecret, enumerable: false });
    this.client = new ProviderClient({
      provider: definition.id,
      timeout: checked.timeout,
      userAgent: checked.userAgent,
      headers: checked.headers,
      fetch: options.fetch,
      secrets: checked.secrets,
      errors: { TokenError, ProviderError },
    });
    this.signInSettings = {
      provider: definition.id,
      secrets: checked.secrets.filter((v): v is string => typeof v === 'string'),
      scopes: definition.scopes,
      scope: checked.scope,
      callbackURL: checked.callbackURL,
      authorizationURL: checked.authorizationURL,
      tokenURL: checked.tokenURL,
      userProfileURL: checked.userProfileURL,
      clientID: checked.clientID,
      sessionKey: checked.sessionKey,
      checksState: checked.checksState,
      pkceMethod: options.pkce === true ? 'S256' : options.pkce || undefined,
      proxy: Boolean(options.proxy),
      preconnect: checked.preconnect,
      profileOnTokenHost: sameOrigin(checked.tokenURL, checked.userProfileURL),
      loginTimeout: checked.loginTimeout,
      skipUserProfile: options.skipUserProfile,
      verify: verify as (...args: never[]) => unknown,
      passReqToCallback: checked.passReqToCallback,
      nodeTokenCall: (this as unknown as FlowStrategy)._oauth2.getOAuthAccessToken,
      defaultUserProfile: baseUserProfile(),
    };
  }

  /**
   * passport's entry point: a request with a `code` or an `error` (a truthy one, as passport-oauth2 reads them) is
   * the callback, any other the authorize redirect. Each leg ends in one outcome handed to passport; the callback's
   * has a deadline (`loginTimeout`) that covers the verify function too.
   */
  override authenticate(req: Request, options: Record<string, unknown> = {}): void {
    const sent = callbackParams(req);
    const isCallback = Boolean(sent.code || sent.error);
    const signIn = new SignIn(this, this.signInSettings.provider, isCallback ? 'callback' : 'authorize');
    const strategy = this as unknown as FlowStrategy;
    if (isCallback) signIn.deadline(this.signInSettings.loginTimeout);
    const { authorizeLeg, callbackLeg } = loadLegs();
    const leg = isCallback
      ? callbackLeg(strategy, this.signInSettings, signIn, req, options, sent)
      : authorizeLeg(strategy, this.signInSettings, signIn, req, options);
    leg.catch((err: unknown) => signIn.error(err));
  }

  /**
   * Loads and parses the signed-in user's profile. Default: the definition's `loadProfile` on this strategy's
   * client (bound by `loginTimeout` during a sign-in). Override to load more, or otherwise.
   */
  protected loadProfile(accessToken: string, context: LoginContext<T>): Promise<P> {
    return this.provider.loadProfile(this.client, accessToken, {
      tokenResponse: context.tokenResponse,
      scope: context.scope,
      endpoints: this,
      settings: this.settings,
    });
  }

  /**
   * The HTTP request for a grant (`authorization_code`, `refresh_token`, `client_credentials`). Default: the
   * definition's where the provider deviates, else a form POST to `tokenURL` with the client credentials in the
   * body. Override for a provider that wants otherwise. A field given as an array (from a `tokenParams()`
   * override) is sent repeated.
   */
  protected tokenRequest(grant: FormFields): ApiRequest {
    return tokenRequestFor(this.provider, grant, { clientID: this.clientID, clientSecret: this.clientSecret, endpoints: this, settings: this.settings });
  }

  /**
   * GETs a profile body with the access token and parses it with a provider's pure parser. A body the parser
   * refuses becomes a `ProviderError` (`EBADRESPONSE`) naming the provider, like any other bad answer.
   */
  protected fetchProfile<R>(url: string, accessToken: string, parse: (raw: string) => R): Promise<R> {
    return readProfile(this.client, url, accessToken, parse);
  }

  /** The client credentials, for `tokenRequest` overrides. */
  protected get credentials(): {
    /** The client id. */
    clientID: string;
    /** The client secret. */
    clientSecret: string;
  } {
    return { clientID: this.clientID, clientSecret: this.clientSecret };
  }

  /**
   * How many calls `loadProfile` makes at once, without waiting for each other, for a login with this scope:
   * that many connections to the profile host are opened ahead (see `preconnect`). Default 1.
   */
  protected concurrentProfileCalls(scope: readonly string[]): number {
    return this.provider.concurrentProfileCalls?.(scope) ?? 1;
  }

  /**
   * passport-oauth2 hook: the signed-in user's profile. Default: the provider's `loadProfile` (during a sign-in, it
   * is told the token response and the login's scope). Override to load a profile of your own making.
   */
  override userProfile(accessToken: string, done: (err?: unknown, profile?: P) => void): void {
    Promise.resolve()
      .then(() => this.loadProfile(accessToken, { tokenResponse: { access_token: accessToken } as T, scope: this.scope }))
      .then((profile) => done(null, profile), done);
  }

  /** passport-oauth2 hook: extra parameters of the authorize redirect, from `authenticate()`'s options. Default: none. */
  override authorizationParams(_options: unknown): object {
    return {};
  }

  /** passport-oauth2 hook: extra fields of the code exchange, from `authenticate()`'s options. Default: none. */
  override tokenParams(_options: unknown): object {
    return {};
  }

  /**
   * passport-oauth2 hook: the error of a failed token request, from its body (every secret masked) and status.
   * Default: the collection's `TokenError` (the provider's code, message, and status as `upstreamStatus`). Override
   * to read a provider's own error format; what it returns is masked again, and nothing returned (or a throw) gives
   * a `ProviderError`.
   */
  override parseErrorResponse(body: string, status: number): Error | null {
    return this.client.tokenError(body, status);
  }

  /**
   * passport-oauth2 hook: the error of a failed code exchange made by a replaced `_oauth2.getOAuthAccessToken`
   * (node-oauth's `{ statusCode, data }`): `parseErrorResponse(data, statusCode)` as passport-oauth2 calls it, else
   * an `InternalOAuthError` with the cause; masked either way.
   */
  _createOAuthError(message: string, err: unknown): Error {
    const secrets = this.secrets();
    const { statusCode, data } = (err ?? {}) as { statusCode?: unknown; data?: unknown };
    let parsed: Error | null = null;
    if (statusCode && data) {
      try {
        parsed = this.parseErrorResponse(redactWhole(String(data), secrets), Number(statusCode));
      } catch {
        parsed = null;
      }
    }
    return redactError(parsed ?? new InternalOAuthError(message, err), secrets);
  }

  /** Exchanges a refresh token for a new token set (with the rotated refresh token where the provider rotates). */
  async refresh(refreshToken: string, options: { scope?: string | readonly string[] } = {}): Promise<TokenSet<T>> {
    const { refreshGrant, requestToken } = loadLegs();
    const grant = refreshGrant(this.provider.id, this.provider.scopes, refreshToken, options.scope);
    return toTokenSet((await requestToken(this.grantHooks(), grant, [refreshToken])) as T);
  }

  /** Requests an application token with the client-credentials grant. */
  async clientCredentials(options: { scope?: string | readonly string[] } = {}): Promise<TokenSet<T>> {
    const { clientCredentialsGrant, requestToken } = loadLegs();
    const grant = clientCredentialsGrant(this.provider.id, this.provider.scopes, options.scope);
    return toTokenSet((await requestToken(this.grantHooks(), grant, [])) as T);
  }

  /**
   * A cached, single-flight source of client-credentials tokens: concurrent `get()` calls share one request, and
   * the token is reused until `marginSeconds` (default 60) before it expires.
   */
  clientCredentialsSource(options: { scope?: string | readonly string[]; marginSeconds?: number } = {}): CachedTokenSource<TokenSet<T>> {
    if (options.scope !== undefined) checkScopes(this.provider.id, scopeList(options.scope), this.provider.scopes);
    return new CachedTokenSource(() => this.clientCredentials({ scope: options.scope }), { marginSeconds: options.marginSeconds });
  }

  /** This strategy as the grants see it (its client and the two hooks a subclass may override). */
  private grantHooks(): FlowStrategy {
    return this as unknown as FlowStrategy;
  }

  /** The values no error of this strategy may show: the client secret and secret provider options. */
  private secrets(): string[] {
    return [...(this.client.options.secrets ?? [])].filter((v): v is string => typeof v === 'string');
  }
}

export type { StateStore };

// Outside the class body: a class that names itself inside is bundled as `X = class _X`, and named `_X`.
function baseUserProfile(): unknown {
  return ProviderStrategy.prototype.userProfile;
}
