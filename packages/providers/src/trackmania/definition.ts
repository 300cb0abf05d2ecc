import type { TokenResponse } from '@maniapass/http';
import { readProfile, type OAuthProviderDefinition } from '../definition';
import type { ScopeOption } from '../scopes';
import { parseTrackmaniaProfile, type TrackmaniaProfile } from './profile';

/** Trackmania's consent page. */
export const TRACKMANIA_AUTHORIZATION_URL = 'https://api.trackmania.com/oauth/authorize';
/** Every grant: authorization code, refresh token, client credentials. */
export const TRACKMANIA_TOKEN_URL = 'https://api.trackmania.com/api/access_token';
/** `GET /api/user`: the account id and display name. Needs no scope. */
export const TRACKMANIA_USER_PROFILE_URL = 'https://api.trackmania.com/api/user';
/** Account id → display name; takes client-credentials tokens. */
export const TRACKMANIA_DISPLAY_NAMES_PATH = '/api/display-names';
/** Display name → account id; takes client-credentials tokens. */
export const TRACKMANIA_ACCOUNT_IDS_PATH = '/api/display-names/account-ids';
/** The user's admin clubs (scope `clubs`). */
export const TRACKMANIA_ADMIN_CLUBS_PATH = '/api/user/clubs/admin';
/** The user's favorite maps (scope `read_favorite`); `/add` and `/remove` change them (scope `write_favorite`). */
export const TRACKMANIA_FAVORITE_MAPS_PATH = '/api/user/maps/favorite';
/** The user's records on given maps. */
export const TRACKMANIA_MAP_RECORDS_PATH = '/api/user/map-records';
/** The documented scopes; none is needed to sign in. */
export const TRACKMANIA_SCOPES = ['clubs', 'read_favorite', 'write_favorite'] as const;

/** One of Trackmania's documented scopes. */
export type TrackmaniaScope = (typeof TRACKMANIA_SCOPES)[number];

/** Trackmania's own options, the same in every adapter (a strategy, an Auth.js or better-auth provider, a client). */
export interface TrackmaniaProviderOptions {
  /** Any of `clubs`, `read_favorite`, `write_favorite`; none is needed to sign in. */
  scope?: ScopeOption<TrackmaniaScope>;
}

/** The token endpoint's answer: `{ token_type: "bearer", expires_in, access_token, refresh_token }`, no `scope`. */
export type TrackmaniaTokenResponse = TokenResponse;

/**
 * Trackmania's public OAuth API (api.trackmania.com, https://api.trackmania.com/doc): a confidential client, no
 * PKCE, an empty default scope, a token answer without `scope` and with `token_type: "bearer"`.
 */
export const trackmania: OAuthProviderDefinition<TrackmaniaProfile, TrackmaniaTokenResponse, Record<string, never>> = {
  id: 'trackmania',
  name: 'Trackmania',
  documentation: 'https://api.trackmania.com/doc',
  scopes: TRACKMANIA_SCOPES,
  defaultScope: [],
  pkce: false,
  requiredOptions: [],
  secretOptions: [],
  tokenAnswer: { scope: 'absent', tokenType: 'bearer' },
  settings: () => ({}),
  endpoints: () => ({ authorizationURL: TRACKMANIA_AUTHORIZATION_URL, tokenURL: TRACKMANIA_TOKEN_URL, userProfileURL: TRACKMANIA_USER_PROFILE_URL }),
  loadProfile: (http, accessToken, context) => readProfile(http, context.endpoints.userProfileURL, accessToken, parseTrackmaniaProfile),
};
