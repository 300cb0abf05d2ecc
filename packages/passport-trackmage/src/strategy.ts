import {
  ProviderError,
  ProviderStrategy,
  baseURLOption,
  type ApiRequest,
  type LoginContext,
  type ProviderStrategyOptions,
  type StrategyConstructor,
  type TokenResponse,
} from '@maniapass/oauth2-core';
import { parseProfile, type TrackmageProfile } from './profile';

/** TrackMage's API host: the default `baseURL`. */
export const BASE_URL = 'https://api.trackmage.com';
/** The host of the HTTP examples in TrackMage's guide (a release-candidate environment; not stated to be a sandbox). */
export const STAGING_BASE_URL = 'https://api.rc.trackmage.com';
/** The authorization endpoint's path on `baseURL`. */
export const AUTHORIZATION_PATH = '/oauth/v2/auth';
/** The token endpoint's path on `baseURL`. */
export const TOKEN_PATH = '/oauth/v2/token';
/** A template: `{id}` becomes the token response's `user_id`. TrackMage has no `/me` endpoint. */
export const USER_PROFILE_PATH = '/users/{id}';
/** TrackMage's authorization endpoint. */
export const AUTHORIZATION_URL = `${BASE_URL}${AUTHORIZATION_PATH}`;
/** TrackMage's token endpoint. */
export const TOKEN_URL = `${BASE_URL}${TOKEN_PATH}`;
/** The user resource; `{id}` is the `user_id` of the token response. */
export const USER_PROFILE_URL = `${BASE_URL}${USER_PROFILE_PATH}`;
/** TrackMage documents no scopes: any `scope` option is refused. */
export const SCOPES = [] as const;
/** The accepted values of the `codeExchange` option. */
export const CODE_EXCHANGES = ['form', 'documented-json'] as const;

/** `never`: TrackMage has no scopes. */
export type TrackmageScope = (typeof SCOPES)[number];
/** How the authorization code is exchanged: see the `codeExchange` option. */
export type TrackmageCodeExchange = (typeof CODE_EXCHANGES)[number];

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

/**
 * The token endpoint's answer. The authorization-code answer has `scope: null`, a `refresh_token`, and the user's
 * `user_id` and `user_email`; the client-credentials one has `scope: "user"` and the API key owner's id and e-mail.
 */
export interface TrackmageTokenResponse extends TokenResponse {
  /** `bearer` */
  token_type?: string;
  scope?: string | null;
  /** The user's id (a UUID): the profile is `GET /users/{user_id}`. */
  user_id?: string;
  /** The user's e-mail address. */
  user_email?: string;
}

/** Sign in with a TrackMage account through api.trackmage.com; named `trackmage`. */
class TrackmageStrategy extends ProviderStrategy<TrackmageProfile, TrackmageTokenResponse> {
  /** The API host in use: the `baseURL` option, else `BASE_URL`. */
  readonly baseURL: string;
  /** How the authorization code is exchanged: the `codeExchange` option, else `form`. */
  readonly codeExchange: TrackmageCodeExchange;
  /** What a relative `photo.filePath` is resolved against. */
  readonly photoBaseURL: string;

  constructor(options: TrackmageStrategyOptions & { passReqToCallback?: boolean }, verify: (...args: never[]) => unknown) {
    // Checked here, before the core reads the options, so that a bad one is named.
    const opts = (options ?? {}) as TrackmageStrategyOptions;
    const baseURL = baseURLOption('trackmage', 'baseURL', opts.baseURL) ?? BASE_URL;
    const codeExchange = opts.codeExchange ?? 'form';
    if (!CODE_EXCHANGES.includes(codeExchange)) {
      throw new TypeError(`trackmage strategy: codeExchange must be one of ${CODE_EXCHANGES.map((c) => `'${c}'`).join(', ')}, got ${JSON.stringify(codeExchange)}`);
    }
    if (opts.userProfileURL !== undefined && (typeof opts.userProfileURL !== 'string' || !opts.userProfileURL.includes('{id}'))) {
      throw new TypeError('trackmage strategy: userProfileURL must be a URL template containing {id}, such as https://api.trackmage.com/users/{id}');
    }
    const photoBaseURL = baseURLOption('trackmage', 'photoBaseURL', opts.photoBaseURL) ?? baseURL;
    super(
      {
        name: 'trackmage',
        packageDir: `${__dirname}/..`,
        authorizationURL: `${baseURL}${AUTHORIZATION_PATH}`,
        tokenURL: `${baseURL}${TOKEN_PATH}`,
        userProfileURL: `${baseURL}${USER_PROFILE_PATH}`,
        scopes: null,
      },
      options,
      verify as never,
    );
    this.baseURL = baseURL;
    this.codeExchange = codeExchange;
    this.photoBaseURL = photoBaseURL;
  }

  /** The guide's JSON exchange at the authorize URL when asked for; every other request is the core's form POST. */
  protected override tokenRequest(grant: Record<string, string>): ApiRequest {
    if (this.codeExchange !== 'documented-json' || grant.grant_type !== 'authorization_code') return super.tokenRequest(grant);
    const { clientID, clientSecret } = this.credentials;
    const { grant_type, code, redirect_uri, ...rest } = grant;
    return { method: 'POST', url: this.authorizationURL, json: { grant_type, code, redirect_uri, ...rest, client_id: clientID, client_secret: clientSecret } };
  }

  // Not an async function: every sign-in's path, and an async function that returns a promise costs turns of the
  // microtask queue.
  protected override loadProfile(accessToken: string, context: LoginContext<TrackmageTokenResponse>): Promise<TrackmageProfile> {
    const userId = context.tokenResponse.user_id;
    if (typeof userId !== 'string' || userId === '') {
      return Promise.reject(
        new ProviderError('trackmage: the token response has no user_id, so the profile cannot be loaded', undefined, {
          provider: 'trackmage',
          url: this.codeExchange === 'documented-json' ? this.authorizationURL : this.tokenURL,
          code: 'EBADRESPONSE',
        }),
      );
    }
    const url = this.userProfileURL.split('{id}').join(encodeURIComponent(userId));
    // The client sends `Accept: application/json`: without it the API answers JSON-LD.
    return this.fetchProfile(url, accessToken, (raw) => parseProfile(raw, { tokenResponse: context.tokenResponse, photoBaseURL: this.photoBaseURL }));
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
