import type { TokenResponse } from '@maniapass/http';
import { baseURLSetting, readProfile, type Endpoints, type OAuthProviderDefinition } from '../definition';
import { parseTrackmageProfile, type TrackmageProfile } from './profile';

/** TrackMage's API host. */
export const TRACKMAGE_BASE_URL = 'https://api.trackmage.com';
/** The host of the HTTP examples in TrackMage's guide (a release-candidate environment; not stated to be a sandbox). */
export const TRACKMAGE_STAGING_BASE_URL = 'https://api.rc.trackmage.com';
/** The consent page, on the base URL (and, in the guide, the JSON code exchange). */
export const TRACKMAGE_AUTHORIZATION_PATH = '/oauth/v2/auth';
/** Every grant, on the base URL. */
export const TRACKMAGE_TOKEN_PATH = '/oauth/v2/token';
/** A template: `{id}` becomes the token response's `user_id`. TrackMage has no `/me` endpoint. */
export const TRACKMAGE_USER_PROFILE_PATH = '/users/{id}';
/** The default authorization URL. */
export const TRACKMAGE_AUTHORIZATION_URL = `${TRACKMAGE_BASE_URL}${TRACKMAGE_AUTHORIZATION_PATH}`;
/** The default token URL. */
export const TRACKMAGE_TOKEN_URL = `${TRACKMAGE_BASE_URL}${TRACKMAGE_TOKEN_PATH}`;
/** The default profile URL template. */
export const TRACKMAGE_USER_PROFILE_URL = `${TRACKMAGE_BASE_URL}${TRACKMAGE_USER_PROFILE_PATH}`;
/** TrackMage documents no scopes: any scope is refused. */
export const TRACKMAGE_SCOPES = [] as const;
/** The two ways of exchanging a code: see `TrackmageSettings.codeExchange`. */
export const TRACKMAGE_CODE_EXCHANGES = ['form', 'documented-json'] as const;

/** `never`: TrackMage has no scopes. */
export type TrackmageScope = (typeof TRACKMAGE_SCOPES)[number];
/** One of `TRACKMAGE_CODE_EXCHANGES`. */
export type TrackmageCodeExchange = (typeof TRACKMAGE_CODE_EXCHANGES)[number];

/**
 * The token endpoint's answer. The authorization-code answer has `scope: null`, a `refresh_token`, and the user's
 * `user_id` and `user_email`; the client-credentials one has `scope: "user"` and the API key owner's id and e-mail.
 */
export interface TrackmageTokenResponse extends TokenResponse {
  /** `bearer` */
  token_type?: string;
  /** `null` in the code answer, `"user"` in the client-credentials one. */
  scope?: string | null;
  /** The user's id (a UUID): the profile is `GET /users/{user_id}`. */
  user_id?: string;
  /** The user's e-mail address. */
  user_email?: string;
}

/** TrackMage's own options, the same in every adapter (a strategy, an Auth.js or better-auth provider, a client). */
export interface TrackmageProviderOptions {
  /** TrackMage has no scopes; giving one throws. */
  scope?: never;
  /**
   * The API host, for the default `authorizationURL`, `tokenURL` and `userProfileURL`. Default
   * `https://api.trackmage.com`; the guide's examples also use `https://api.rc.trackmage.com`.
   */
  baseURL?: string;
  /**
   * How the authorization code is exchanged:
   * - `'form'` (default): a form POST to `tokenURL` (`/oauth/v2/token`), as TrackMage's OpenAPI and OAuth server say;
   * - `'documented-json'`: a JSON POST to `authorizationURL` (`/oauth/v2/auth`), exactly as TrackMage's guide shows.
   * Refresh and client credentials always use `tokenURL`.
   */
  codeExchange?: TrackmageCodeExchange;
  /** What a relative `photo.filePath` is resolved against for `profile.photos`. Default: `baseURL`. */
  photoBaseURL?: string;
  /** A template with `{id}`, replaced by the URL-encoded `user_id` of the token response. Default `{baseURL}/users/{id}`. */
  userProfileURL?: string;
}

/** TrackMage's own settings, resolved from its options. */
export interface TrackmageSettings {
  /** The API host, without trailing slash. Default `https://api.trackmage.com`. */
  baseURL: string;
  /** How the authorization code is exchanged (see `TrackmageProviderOptions`). */
  codeExchange: TrackmageCodeExchange;
  /** What a relative `photo.filePath` is resolved against for `profile.photos`. Default: `baseURL`. */
  photoBaseURL: string;
}

/**
 * TrackMage (api.trackmage.com): no scopes; the code answer carries the user's `user_id` and `scope: null`; the
 * profile is `GET /users/{user_id}`; optionally the guide's JSON code exchange at the authorization URL.
 */
export const trackmage: OAuthProviderDefinition<TrackmageProfile, TrackmageTokenResponse, TrackmageSettings> = {
  id: 'trackmage',
  name: 'TrackMage',
  documentation: 'https://docs.trackmage.com/',
  scopes: null,
  defaultScope: [],
  pkce: false,
  requiredOptions: [],
  secretOptions: [],
  tokenAnswer: { scope: 'null', tokenType: 'bearer', extraFields: ['user_id', 'user_email'] },
  settings(options, label) {
    const baseURL = baseURLSetting(label, 'baseURL', options.baseURL) ?? TRACKMAGE_BASE_URL;
    const codeExchange = (options.codeExchange ?? 'form') as TrackmageCodeExchange;
    if (!TRACKMAGE_CODE_EXCHANGES.includes(codeExchange)) {
      throw new TypeError(
        `${label}: codeExchange must be one of ${TRACKMAGE_CODE_EXCHANGES.map((c) => `'${c}'`).join(', ')}, got ${JSON.stringify(codeExchange)}`,
      );
    }
    if (options.userProfileURL !== undefined && (typeof options.userProfileURL !== 'string' || !options.userProfileURL.includes('{id}'))) {
      throw new TypeError(`${label}: userProfileURL must be a URL template containing {id}, such as https://api.trackmage.com/users/{id}`);
    }
    const photoBaseURL = baseURLSetting(label, 'photoBaseURL', options.photoBaseURL) ?? baseURL;
    return { baseURL, codeExchange, photoBaseURL };
  },
  endpoints: ({ baseURL }): Endpoints => ({
    authorizationURL: `${baseURL}${TRACKMAGE_AUTHORIZATION_PATH}`,
    tokenURL: `${baseURL}${TRACKMAGE_TOKEN_PATH}`,
    userProfileURL: `${baseURL}${TRACKMAGE_USER_PROFILE_PATH}`,
  }),
  /** The guide's JSON exchange at the authorization URL when asked for; every other request is the standard form POST. */
  tokenRequest(grant, { clientID, clientSecret, endpoints, settings }) {
    if (settings.codeExchange !== 'documented-json' || grant.grant_type !== 'authorization_code') return undefined;
    const { grant_type, code, redirect_uri, ...rest } = grant;
    return {
      method: 'POST',
      url: endpoints.authorizationURL,
      json: { grant_type, code, redirect_uri, ...rest, client_id: clientID, client_secret: clientSecret },
    };
  },
  // Not an async function: every sign-in's path, and an async function that returns a promise costs turns of the
  // microtask queue.
  loadProfile(http, accessToken, { tokenResponse, endpoints, settings }) {
    const userId = tokenResponse.user_id;
    if (typeof userId !== 'string' || userId === '') {
      return Promise.reject(
        http.providerError('trackmage: the token response has no user_id, so the profile cannot be loaded', {
          url: settings.codeExchange === 'documented-json' ? endpoints.authorizationURL : endpoints.tokenURL,
          code: 'EBADRESPONSE',
        }),
      );
    }
    const url = endpoints.userProfileURL.split('{id}').join(encodeURIComponent(userId));
    // The client sends `Accept: application/json`: without it the API answers JSON-LD.
    return readProfile(http, url, accessToken, (raw) => parseTrackmageProfile(raw, { tokenResponse, photoBaseURL: settings.photoBaseURL }));
  },
};
