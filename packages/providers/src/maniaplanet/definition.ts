import type { TokenResponse } from '@maniapass/http';
import { baseURLSetting, readProfile, type Endpoints, type OAuthProviderDefinition } from '../definition';
import type { ScopeOption } from '../scopes';
import { parseManiaplanetEmail, parseManiaplanetProfile, type ManiaplanetProfile } from './profile';

/** The Web Services host of the current documentation (it moved from `v4.live.maniaplanet.com` in 2018). */
export const MANIAPLANET_BASE_URL = 'https://prod.live.maniaplanet.com';
/** The consent page, on the base URL. */
export const MANIAPLANET_AUTHORIZATION_PATH = '/login/oauth2/authorize';
/** Every grant, on the base URL. */
export const MANIAPLANET_TOKEN_PATH = '/login/oauth2/access_token';
/** `GET /webservices/me` (scope `basic`): login, nickname, zone path. */
export const MANIAPLANET_USER_PROFILE_PATH = '/webservices/me';
/** Relative to the profile URL: `/webservices/me/email`. Needs the `email` scope. */
export const MANIAPLANET_EMAIL_SUBPATH = '/email';
/** Relative to the profile URL: the user's dedicated server accounts (scope `dedicated`). */
export const MANIAPLANET_DEDICATED_SUBPATH = '/dedicated';
/** Relative to the profile URL: the title packs the user created (scope `titles`). */
export const MANIAPLANET_TITLES_SUBPATH = '/titles/created';
/** Relative to the profile URL: the maps the user uploaded (scope `maps`). */
export const MANIAPLANET_MAPS_SUBPATH = '/maps';
/** The default authorization URL. */
export const MANIAPLANET_AUTHORIZATION_URL = `${MANIAPLANET_BASE_URL}${MANIAPLANET_AUTHORIZATION_PATH}`;
/** The default token URL. */
export const MANIAPLANET_TOKEN_URL = `${MANIAPLANET_BASE_URL}${MANIAPLANET_TOKEN_PATH}`;
/** The default profile URL. */
export const MANIAPLANET_USER_PROFILE_URL = `${MANIAPLANET_BASE_URL}${MANIAPLANET_USER_PROFILE_PATH}`;
/** The documented scopes. */
export const MANIAPLANET_SCOPES = ['basic', 'dedicated', 'titles', 'events', 'maps', 'email'] as const;

/** One of ManiaPlanet's documented scopes. */
export type ManiaplanetScope = (typeof MANIAPLANET_SCOPES)[number];

/** `basic` gives the login, nickname and zone path that make the profile. */
export const MANIAPLANET_DEFAULT_SCOPE: readonly ManiaplanetScope[] = ['basic'];

/** The token endpoint's answer: `{ token_type, expires_in, access_token, refresh_token }`. */
export type ManiaplanetTokenResponse = TokenResponse;

/** ManiaPlanet's own setting: the Web Services host the three endpoints are on. */
export interface ManiaplanetSettings {
  /** Without trailing slash. Default `https://prod.live.maniaplanet.com`. */
  baseURL: string;
}

/** ManiaPlanet's own options, the same in every adapter (a strategy, an Auth.js or better-auth provider, a client). */
export interface ManiaplanetProviderOptions {
  /**
   * Any of `basic`, `dedicated`, `titles`, `events`, `maps`, `email`. Default `basic`, which the profile needs. With
   * `email`, the e-mail address is loaded too (`profile.emails`).
   */
  scope?: ScopeOption<ManiaplanetScope>;
  /**
   * The Web Services host: `https://prod.live.maniaplanet.com` by default (`https://www.maniaplanet.com` and the
   * older `https://v4.live.maniaplanet.com` are seen too). Sets the authorization, token and profile URLs;
   * `authorizationURL`, `tokenURL` and `userProfileURL` still override each one.
   */
  baseURL?: string;
}

/** A route under the profile URL: `/webservices/me` + `subpath`, wherever the profile URL points. */
export function maniaplanetMeURL(userProfileURL: string, subpath: string): string {
  const url = new URL(userProfileURL);
  url.pathname = `${url.pathname.replace(/(?<!\/)\/+$/, '')}${subpath}`;
  return url.toString();
}

/**
 * ManiaPlanet Web Services (https://doc.maniaplanet.com/web-services/authentification): default scope `basic`;
 * with `email`, the address comes from a second call, made at once with the profile call.
 */
export const maniaplanet: OAuthProviderDefinition<ManiaplanetProfile, ManiaplanetTokenResponse, ManiaplanetSettings> = {
  id: 'maniaplanet',
  name: 'ManiaPlanet',
  documentation: 'https://doc.maniaplanet.com/web-services/authentification',
  scopes: MANIAPLANET_SCOPES,
  defaultScope: MANIAPLANET_DEFAULT_SCOPE,
  pkce: false,
  requiredOptions: [],
  secretOptions: [],
  tokenAnswer: { scope: 'absent', tokenType: 'Bearer' },
  settings: (options, label) => ({ baseURL: baseURLSetting(label, 'baseURL', options.baseURL) ?? MANIAPLANET_BASE_URL }),
  endpoints: ({ baseURL }): Endpoints => ({
    authorizationURL: `${baseURL}${MANIAPLANET_AUTHORIZATION_PATH}`,
    tokenURL: `${baseURL}${MANIAPLANET_TOKEN_PATH}`,
    userProfileURL: `${baseURL}${MANIAPLANET_USER_PROFILE_PATH}`,
  }),
  // With `email`, the profile and e-mail calls run at once: two connections are opened ahead.
  concurrentProfileCalls: (scope) => (scope.includes('email') ? 2 : 1),
  /**
   * The profile; with the `email` scope in this sign-in's scope, the e-mail too. The two calls need only the token,
   * so they go out at once (one round trip, not two). A bad profile fails the sign-in with the profile's error
   * whichever answer comes first; a failed e-mail call fails it too.
   */
  loadProfile(http, accessToken, { scope, endpoints }) {
    const profileCall = readProfile(http, endpoints.userProfileURL, accessToken, (raw) => parseManiaplanetProfile(raw));
    if (!scope.includes('email')) return profileCall;
    const emailCall = readProfile(http, maniaplanetMeURL(endpoints.userProfileURL, MANIAPLANET_EMAIL_SUBPATH), accessToken, parseManiaplanetEmail);
    // Read only after the profile (whose failure is the one reported): its rejection must not go unhandled meanwhile.
    emailCall.catch(() => undefined);
    return profileCall.then((profile) =>
      emailCall.then((email) => {
        if (email) profile.emails = [{ value: email }];
        return profile;
      }),
    );
  },
};
