import type { TokenResponse } from '@maniapass/http';
import { readProfile, type OAuthProviderDefinition } from '../definition';
import type { ScopeOption } from '../scopes';
import { parseToornamentProfile, type ToornamentProfile } from './profile';

// Two hosts: the consent page lives on account.toornament.com, the token endpoint and the API on api.toornament.com.
/** Toornament's consent page. */
export const TOORNAMENT_AUTHORIZATION_URL = 'https://account.toornament.com/oauth2/authorize';
/** Every grant. */
export const TOORNAMENT_TOKEN_URL = 'https://api.toornament.com/oauth/v2/token';
/** Marked "Legacy" by Toornament ("Access will soon be deprecated"). Needs the `user:info` scope. */
export const TOORNAMENT_USER_PROFILE_URL = 'https://api.toornament.com/account/v2/me/info';
/** The header that carries the API key on every call. */
export const TOORNAMENT_API_KEY_HEADER = 'X-Api-Key';
/** The documented scopes. */
export const TOORNAMENT_SCOPES = [
  'user:info',
  'participant:manage_registrations',
  'participant:manage_participations',
  'organizer:view',
  'organizer:admin',
  'organizer:result',
  'organizer:participant',
  'organizer:registration',
  'organizer:permission',
  'organizer:delete',
  'organizer:file',
  'platform:admin',
  'platform:user',
  'platform:team',
] as const;

/** One of Toornament's documented scopes. */
export type ToornamentScope = (typeof TOORNAMENT_SCOPES)[number];

/** `user:info`, which the profile call needs: keep it in any list you pass. */
export const TOORNAMENT_DEFAULT_SCOPE: readonly ToornamentScope[] = ['user:info'];

/** The token endpoint's answer: `{ access_token, expires_in: 90000, token_type: "bearer", scope, refresh_token? }`. */
export interface ToornamentTokenResponse extends TokenResponse {
  /** Granted scopes, space separated, or null. */
  scope?: string | null;
}

/** Toornament's own options, the same in every adapter (a strategy, an Auth.js or better-auth provider, a client). */
export interface ToornamentProviderOptions {
  /** Required. The application's API key, sent as `X-Api-Key` on every call (token, profile, refresh, client credentials). */
  apiKey: string;
  /** Default `user:info`, which the profile call needs: keep it in any list you pass. */
  scope?: ScopeOption<ToornamentScope>;
}

/** Toornament's own setting, resolved from its options. */
export interface ToornamentSettings {
  /** The application's API key, sent as `X-Api-Key` on every call. Secret: masked in every error. */
  apiKey: string;
}

/**
 * Toornament (account.toornament.com / api.toornament.com, https://developer.toornament.com): an API key as
 * `X-Api-Key` on every call besides the bearer token, default scope `user:info`, `scope: null` in token answers,
 * 18-digit user ids kept exact.
 */
export const toornament: OAuthProviderDefinition<ToornamentProfile, ToornamentTokenResponse, ToornamentSettings> = {
  id: 'toornament',
  name: 'Toornament',
  documentation: 'https://developer.toornament.com/v2/overview/authorization',
  scopes: TOORNAMENT_SCOPES,
  defaultScope: TOORNAMENT_DEFAULT_SCOPE,
  pkce: false,
  requiredOptions: ['apiKey'],
  secretOptions: ['apiKey'],
  tokenAnswer: { scope: 'null', tokenType: 'bearer' },
  settings(options, label) {
    const apiKey = options.apiKey;
    if (typeof apiKey !== 'string' || apiKey.trim() === '') throw new TypeError(`${label} requires the apiKey option (a non-empty string)`);
    return { apiKey };
  },
  endpoints: () => ({ authorizationURL: TOORNAMENT_AUTHORIZATION_URL, tokenURL: TOORNAMENT_TOKEN_URL, userProfileURL: TOORNAMENT_USER_PROFILE_URL }),
  headers: ({ apiKey }) => ({ [TOORNAMENT_API_KEY_HEADER]: apiKey }),
  loadProfile: (http, accessToken, context) => readProfile(http, context.endpoints.userProfileURL, accessToken, parseToornamentProfile),
};
