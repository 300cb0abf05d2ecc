import { createHash, randomBytes } from 'node:crypto';
import { CachedTokenSource, toTokenSet, type ProviderClient, type ProviderProfile, type TokenResponse, type TokenSet } from '@maniapass/http';
import {
  checkScopes,
  configureProvider,
  providerClient,
  scopeList,
  tokenRequestFor,
  type ConfiguredProvider,
  type GrantFields,
  type OAuthProviderDefinition,
  type ProviderHttpOptions,
  type ProviderOptions,
} from '@maniapass/providers';
import { readCallback, type CallbackQuery } from './callback';

/** The options of every provider's client. */
export interface ClientOptions extends ProviderOptions, ProviderHttpOptions {
  /** Required: the callback URL registered with the provider, sent as `redirect_uri`. */
  redirectURI: string;
  /** PKCE: refused with the reason for every provider here, none of which documents it. Default `false`. */
  pkce?: boolean;
}

/** What `createAuthorizationURL()` gives: where to send the browser, and what to keep until the callback. */
export interface AuthorizationRequest {
  /** The provider's consent page with `response_type`, `client_id`, `redirect_uri`, `scope` and `state`. */
  url: URL;
  /** Keep it (a cookie, the session) and give it to `validateCallback()`. */
  state: string;
  /** The scopes asked for: give them to `loadProfile()` (ManiaPlanet loads the e-mail with `email`). */
  scope: readonly string[];
  /** The PKCE code verifier, where the provider allows PKCE and it was asked for. */
  codeVerifier?: string;
}

const VERSION = '0.1.0';

/**
 * A plain OAuth client for one provider, built from its definition: the authorization URL with state, the callback
 * check, the code exchange, refresh, client credentials and the profile, each call on the HTTP layer (timeouts,
 * size limits, typed errors with every secret masked). No framework and no passport.
 */
export class OAuthClient<P extends ProviderProfile, T extends TokenResponse, S> {
  /** The provider's id: `trackmania`. */
  readonly provider: string;
  /** The consent page in use. */
  readonly authorizationURL: string;
  /** The token endpoint in use. */
  readonly tokenURL: string;
  /** The profile endpoint in use. */
  readonly userProfileURL: string;
  /** The scope asked for when `createAuthorizationURL()` is given none. */
  readonly scope: readonly string[];
  /** The callback URL sent as `redirect_uri`. */
  readonly redirectURI: string;
  private readonly config!: ConfiguredProvider<P, T, S>;
  private readonly http: ProviderClient;
  private appTokens?: CachedTokenSource<TokenSet<T>>;

  constructor(
    /** The provider this client signs in with. */
    readonly definition: OAuthProviderDefinition<P, T, S>,
    options: ClientOptions,
  ) {
    const label = `${definition.id} client`;
    const config = configureProvider(definition, options, label);
    if (typeof options.redirectURI !== 'string' || !/^https?:\/\//i.test(options.redirectURI))
      throw new TypeError(`${label} requires the redirectURI option (an absolute http(s) URL)`);
    if (options.pkce !== undefined && options.pkce !== false && !definition.pkce) {
      throw new TypeError(
        `${label}: pkce is not supported: ${definition.name} documents no PKCE (its clients are confidential and authenticate with the client secret)`,
      );
    }
    const http = providerClient(config, options, `@maniapass/client/${VERSION}`, label);
    this.provider = definition.id;
    // Non-enumerable, so that logging the client does not print the secret.
    Object.defineProperty(this, 'config', { value: config, enumerable: false });
    this.authorizationURL = config.endpoints.authorizationURL;
    this.tokenURL = config.endpoints.tokenURL;
    this.userProfileURL = config.endpoints.userProfileURL;
    this.scope = config.scope;
    this.redirectURI = options.redirectURI;
    this.http = http;
    Object.defineProperty(this, 'http', { enumerable: false });
  }

  /**
   * The consent page's URL with a fresh `state` (and a PKCE challenge where the provider allows it). `scope`
   * replaces the default scope for this sign-in; every scope is checked against the documented ones.
   */
  createAuthorizationURL(options: { scope?: string | readonly string[]; state?: string } = {}): AuthorizationRequest {
    const scope = options.scope === undefined ? this.scope : scopeList(options.scope);
    checkScopes(this.provider, scope, this.definition.scopes);
    const state = options.state ?? randomBytes(24).toString('base64url');
    if (typeof state !== 'string' || state.length < 16)
      throw new TypeError(`${this.provider} client: state must be a string of at least 16 characters (leave it out for a random one)`);
    const url = new URL(this.authorizationURL);
    url.searchParams.set('response_type', 'code');
    url.searchParams.set('client_id', this.config.clientID);
    url.searchParams.set('redirect_uri', this.redirectURI);
    if (scope.length) url.searchParams.set('scope', scope.join(' '));
    url.searchParams.set('state', state);
    const request: AuthorizationRequest = { url, state, scope };
    if (this.definition.pkce) {
      const verifier = randomBytes(32).toString('base64url');
      url.searchParams.set('code_challenge', createHash('sha256').update(verifier).digest('base64url'));
      url.searchParams.set('code_challenge_method', 'S256');
      request.codeVerifier = verifier;
    }
    return request;
  }

  /**
   * Reads the callback's query (a URL, its search string, `URLSearchParams` or a framework's parsed query) against
   * the state kept from `createAuthorizationURL()`: the authorization code, or a `CallbackError` (`access_denied`
   * for a denial, `state_mismatch`, `invalid_callback`, or the provider's error code).
   */
  validateCallback(
    query: CallbackQuery,
    expectedState: string,
  ): {
    /** The authorization code, for `exchangeCode()`. */
    code: string;
  } {
    return { code: readCallback(this.provider, query, expectedState) };
  }

  /** Exchanges an authorization code for tokens (`TokenError` with the provider's code and message on refusal). */
  exchangeCode(code: string, options: { codeVerifier?: string } = {}): Promise<TokenSet<T>> {
    if (typeof code !== 'string' || code === '') return Promise.reject(new TypeError(`${this.provider} client: exchangeCode() needs the authorization code`));
    const grant: GrantFields = { grant_type: 'authorization_code', code, redirect_uri: this.redirectURI };
    if (options.codeVerifier) grant.code_verifier = options.codeVerifier;
    return this.grant(grant, [code, options.codeVerifier]);
  }

  /** Exchanges a refresh token for a new token set (with the rotated refresh token where the provider rotates). */
  refresh(refreshToken: string, options: { scope?: string | readonly string[] } = {}): Promise<TokenSet<T>> {
    if (typeof refreshToken !== 'string' || refreshToken === '')
      return Promise.reject(new TypeError(`${this.provider} client: refresh() needs a refresh token`));
    return this.grant(this.withScope({ grant_type: 'refresh_token', refresh_token: refreshToken }, options.scope), [refreshToken]);
  }

  /** An application token with the client-credentials grant. */
  clientCredentials(options: { scope?: string | readonly string[] } = {}): Promise<TokenSet<T>> {
    return this.grant(this.withScope({ grant_type: 'client_credentials' }, options.scope), []);
  }

  /** A cached, single-flight source of client-credentials tokens (concurrent callers share one request). */
  clientCredentialsSource(options: { scope?: string | readonly string[]; marginSeconds?: number } = {}): CachedTokenSource<TokenSet<T>> {
    if (options.scope !== undefined) checkScopes(this.provider, scopeList(options.scope), this.definition.scopes);
    return new CachedTokenSource(() => this.clientCredentials({ scope: options.scope }), { marginSeconds: options.marginSeconds });
  }

  /**
   * The signed-in user's profile, loaded and parsed by the provider's definition. `scope`: what the sign-in asked
   * for (`AuthorizationRequest.scope`); default the client's scope.
   */
  loadProfile(tokens: TokenSet<T>, options: { scope?: readonly string[] } = {}): Promise<P> {
    if (!tokens || typeof tokens.accessToken !== 'string' || !tokens.accessToken)
      return Promise.reject(new TypeError(`${this.provider} client: loadProfile() needs the token set of exchangeCode()`));
    return this.definition.loadProfile(this.http, tokens.accessToken, {
      tokenResponse: tokens.raw,
      scope: options.scope ?? this.scope,
      endpoints: this.config.endpoints,
      settings: this.config.settings,
    });
  }

  private withScope(grant: GrantFields, scope: string | readonly string[] | undefined): GrantFields {
    if (scope === undefined) return grant;
    const list = scopeList(scope);
    checkScopes(this.provider, list, this.definition.scopes);
    if (list.length) grant.scope = list.join(' ');
    return grant;
  }

  private grant(grant: GrantFields, grantSecrets: ReadonlyArray<string | undefined>): Promise<TokenSet<T>> {
    const { clientID, clientSecret, endpoints, settings } = this.config;
    const request = tokenRequestFor(this.definition, grant, { clientID, clientSecret, endpoints, settings });
    return this.http.token(request, grantSecrets).then((raw) => toTokenSet(raw as T));
  }
}
