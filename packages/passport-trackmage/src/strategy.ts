import { ProviderStrategy, type ProviderStrategyOptions, type StrategyConstructor } from '@maniapass/oauth2-core';
import {
  trackmage,
  TRACKMAGE_AUTHORIZATION_PATH,
  TRACKMAGE_AUTHORIZATION_URL,
  TRACKMAGE_BASE_URL,
  TRACKMAGE_CODE_EXCHANGES,
  TRACKMAGE_SCOPES,
  TRACKMAGE_STAGING_BASE_URL,
  TRACKMAGE_TOKEN_PATH,
  TRACKMAGE_TOKEN_URL,
  TRACKMAGE_USER_PROFILE_PATH,
  TRACKMAGE_USER_PROFILE_URL,
  type TrackmageCodeExchange,
  type TrackmageProfile,
  type TrackmageScope,
  type TrackmageSettings,
  type TrackmageTokenResponse,
} from '@maniapass/providers';

/** TrackMage's API host. */
export const BASE_URL = TRACKMAGE_BASE_URL;
/** The host of the HTTP examples in TrackMage's guide (a release-candidate environment; not stated to be a sandbox). */
export const STAGING_BASE_URL = TRACKMAGE_STAGING_BASE_URL;
/** The consent page, on the base URL. */
export const AUTHORIZATION_PATH = TRACKMAGE_AUTHORIZATION_PATH;
/** Every grant, on the base URL. */
export const TOKEN_PATH = TRACKMAGE_TOKEN_PATH;
/** A template: `{id}` becomes the token response's `user_id`. TrackMage has no `/me` endpoint. */
export const USER_PROFILE_PATH = TRACKMAGE_USER_PROFILE_PATH;
/** The default authorization URL. */
export const AUTHORIZATION_URL = TRACKMAGE_AUTHORIZATION_URL;
/** The default token URL. */
export const TOKEN_URL = TRACKMAGE_TOKEN_URL;
/** The default profile URL template. */
export const USER_PROFILE_URL = TRACKMAGE_USER_PROFILE_URL;
/** TrackMage documents no scopes: any `scope` option is refused. */
export const SCOPES = TRACKMAGE_SCOPES;
/** The two ways of exchanging a code (see `codeExchange`). */
export const CODE_EXCHANGES = TRACKMAGE_CODE_EXCHANGES;

export type { TrackmageScope, TrackmageCodeExchange, TrackmageTokenResponse };

/** The options of the TrackMage strategy: every strategy's options (`@maniapass/oauth2-core`), no scopes, and `baseURL`, `codeExchange`, `photoBaseURL`. */
export interface TrackmageStrategyOptions extends ProviderStrategyOptions {
  /** TrackMage has no scopes; giving one throws. */
  scope?: never;
  /**
   * The API host, for the default `authorizationURL`, `tokenURL` and `userProfileURL`. Default
   * `https://api.trackmage.com`; the guide's examples also use `https://api.rc.trackmage.com`.
   */
  baseURL?: string;
  /**
   * A template with `{id}`, replaced by the URL-encoded `user_id` of the token response.
   * Default `{baseURL}/users/{id}`.
   */
  userProfileURL?: string;
  /**
   * How the authorization code is exchanged:
   * - `'form'` (default): a form POST to `tokenURL` (`/oauth/v2/token`), as TrackMage's OpenAPI and OAuth server say;
   * - `'documented-json'`: a JSON POST to `authorizationURL` (`/oauth/v2/auth`), exactly as TrackMage's guide shows.
   * Refresh and client credentials always use `tokenURL`.
   */
  codeExchange?: TrackmageCodeExchange;
  /** What a relative `photo.filePath` is resolved against for `profile.photos`. Default: `baseURL`. */
  photoBaseURL?: string;
}

/** Sign in with a TrackMage account (api.trackmage.com); named `trackmage`. */
class TrackmageStrategy extends ProviderStrategy<TrackmageProfile, TrackmageTokenResponse, TrackmageSettings> {
  /** The API host the default endpoints were built from. */
  readonly baseURL: string;
  /** How the authorization code is exchanged. */
  readonly codeExchange: TrackmageCodeExchange;
  /** What a relative `photo.filePath` is resolved against. */
  readonly photoBaseURL: string;

  constructor(options: TrackmageStrategyOptions & { passReqToCallback?: boolean }, verify: (...args: never[]) => unknown) {
    super(trackmage, options, verify as never, `${__dirname}/..`);
    this.baseURL = this.settings.baseURL;
    this.codeExchange = this.settings.codeExchange;
    this.photoBaseURL = this.settings.photoBaseURL;
  }
}

/**
 * Passport strategy for TrackMage (api.trackmage.com).
 *
 * ```ts
 * passport.use(new Strategy({ clientID, clientSecret, callbackURL }, async (accessToken, refreshToken, profile) => user));
 * ```
 */
export const Strategy: StrategyConstructor<TrackmageStrategy, TrackmageStrategyOptions, TrackmageProfile, TrackmageTokenResponse> = TrackmageStrategy;
export type Strategy = TrackmageStrategy;
export { TrackmageStrategy };
