import { baseURLOption, type ApiRequest, type ProviderClient, type ProviderProfile, type TokenResponse } from '@maniapass/http';

/** A grant's form fields (`grant_type`, `code`, `refresh_token`...): an array is sent as a repeated field. */
export type GrantFields = NonNullable<ApiRequest['form']>;

/** The three endpoints of an OAuth provider. */
export interface Endpoints {
  /** Where the browser is sent to sign in and consent. */
  authorizationURL: string;
  /** Where codes, refresh tokens and client credentials are exchanged for tokens. */
  tokenURL: string;
  /** The signed-in user's profile (TrackMage's is a template with `{id}`). */
  userProfileURL: string;
}

/**
 * The minimal HTTP interface a profile loader needs, of the `@maniapass/http` `ProviderClient`: `read()` (a GET with
 * the bearer token, timeouts, size limits, typed and masked errors) and `providerError()` (an error of the client's
 * own classes, for a failure the loader finds itself). Any `ProviderClient` is one.
 */
export type ProfileHttp = Pick<ProviderClient, 'read' | 'providerError'>;

/** What a profile loader knows of the sign-in it loads the profile for. */
export interface ProfileContext<T extends TokenResponse, S> {
  /** The token endpoint's full answer (TrackMage's `user_id` is read from it). */
  tokenResponse: T;
  /** The scopes this sign-in asked for (ManiaPlanet loads the e-mail with `email`). */
  scope: readonly string[];
  /** The endpoints in use, overrides included. */
  endpoints: Endpoints;
  /** The provider's own settings, as `settings()` resolved them. */
  settings: S;
}

/** What a token-request hook is given besides the grant. */
export interface TokenRequestContext<S> {
  /** The application's client id. */
  clientID: string;
  /** The application's client secret. */
  clientSecret: string;
  /** The endpoints in use, overrides included. */
  endpoints: Endpoints;
  /** The provider's own settings, as `settings()` resolved them. */
  settings: S;
}

/** How a provider's token endpoint answers where standard OAuth clients (oauth4webapi) expect otherwise. */
export interface TokenAnswerQuirks {
  /** `scope` of the answer: `'absent'` (Trackmania), `'null'` (TrackMage's and Toornament's code answers) or `'string'`. */
  scope: 'absent' | 'null' | 'string';
  /** `token_type` as the provider writes it: `'bearer'`, lower case, where RFC 6749 examples write `Bearer`. */
  tokenType: 'bearer' | 'Bearer';
  /** Provider fields of the code answer a profile loader needs (TrackMage: `user_id`, `user_email`). */
  extraFields?: readonly string[];
}

/**
 * One OAuth provider, declared once, free of any framework: its endpoints, scopes, the quirks of its token
 * endpoint, its profile's parser and loader. The Passport strategies, the Auth.js and better-auth providers and
 * the plain client are each built from these.
 *
 * @typeParam P - the normalized profile (passport's convention, typed).
 * @typeParam T - the token endpoint's answer.
 * @typeParam S - the provider's own settings (a base URL, an API key), resolved from user options.
 */
export interface OAuthProviderDefinition<P extends ProviderProfile = ProviderProfile, T extends TokenResponse = TokenResponse, S = unknown> {
  /** Lower-case id: `trackmania`. The Passport strategy's name, the Auth.js provider id, the profile's `provider`. */
  id: P['provider'];
  /** The provider's name as people write it: `Trackmania`. */
  name: string;
  /** The provider's own documentation. */
  documentation: string;
  /** The documented scopes; `null` when the provider has none (every scope is then refused). */
  scopes: readonly string[] | null;
  /** What is asked for when the user gives no scope: what the profile call needs. */
  defaultScope: readonly string[];
  /** Whether the provider documents PKCE. None here does: their clients are confidential. */
  pkce: boolean;
  /** Names of user options the provider requires besides the client id and secret (Toornament's `apiKey`). */
  requiredOptions: readonly string[];
  /** Names of user options whose values are secret: masked in every error, like the client secret. */
  secretOptions: readonly string[];
  /** How its token endpoint answers. */
  tokenAnswer: TokenAnswerQuirks;
  /**
   * Checks the provider's own options (a base URL, an API key) and resolves their defaults. Throws a `TypeError`
   * naming the bad option, prefixed with `label` (`trackmage strategy`).
   */
  settings(options: Record<string, unknown>, label: string): S;
  /** The default endpoints for these settings (a base URL moves all three). */
  endpoints(settings: S): Endpoints;
  /** Headers every call to the provider carries (Toornament's `X-Api-Key`). */
  headers?(settings: S): Record<string, string>;
  /**
   * The token request for a grant where the provider wants other than the standard form POST to `tokenURL` with
   * the client credentials in the body; `undefined` for the standard one.
   */
  tokenRequest?(grant: GrantFields, context: TokenRequestContext<S>): ApiRequest | undefined;
  /** How many profile calls `loadProfile` makes at once for this scope (connections opened ahead). Default 1. */
  concurrentProfileCalls?(scope: readonly string[]): number;
  /** Loads and parses the signed-in user's profile through `http`. */
  loadProfile(http: ProfileHttp, accessToken: string, context: ProfileContext<T, S>): Promise<P>;
}

/** The standard token request: a form POST to `tokenURL` with the client credentials in the body (RFC 6749 §2.3.1). */
export function formTokenRequest(grant: GrantFields, context: TokenRequestContext<unknown>): ApiRequest {
  return {
    method: 'POST',
    url: context.endpoints.tokenURL,
    form: Object.assign({}, grant, { client_id: context.clientID, client_secret: context.clientSecret }),
  };
}

/** The request a definition makes of a grant: its own where it deviates, else the standard form POST. */
export function tokenRequestFor<S>(
  definition: OAuthProviderDefinition<ProviderProfile, TokenResponse, S>,
  grant: GrantFields,
  context: TokenRequestContext<S>,
): ApiRequest {
  return definition.tokenRequest?.(grant, context) ?? formTokenRequest(grant, context);
}

/**
 * GETs a profile body with the access token and parses it with a provider's pure parser. A body the parser refuses
 * becomes a `ProviderError` (`EBADRESPONSE`, of the client's error classes) naming the provider and the URL
 * without its query.
 */
export function readProfile<R>(http: ProfileHttp, url: string, accessToken: string, parse: (raw: string) => R): Promise<R> {
  return http.read({ url, accessToken }, parse);
}

/**
 * A base URL option (a provider with several hosts): an absolute http(s) URL without query or fragment, returned
 * without trailing slashes; `undefined` when not given. A bad one throws a `TypeError` prefixed with `label`.
 */
export function baseURLSetting(label: string, key: string, value: unknown): string | undefined {
  try {
    return baseURLOption(label, key, value);
  } catch {
    throw new TypeError(`${label}: ${key} must be an absolute http(s) URL without query, got ${JSON.stringify(value)}`);
  }
}
