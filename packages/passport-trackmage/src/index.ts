import { withTokenResponse as coreWithTokenResponse, type WithTokenResponse } from '@maniapass/oauth2-core';
import type { TrackmageProfile, TrackmageTokenResponse } from '@maniapass/providers';

export { Strategy, TrackmageStrategy } from './strategy';
export {
  TRACKMAGE_BASE_URL as BASE_URL,
  TRACKMAGE_STAGING_BASE_URL as STAGING_BASE_URL,
  TRACKMAGE_AUTHORIZATION_PATH as AUTHORIZATION_PATH,
  TRACKMAGE_TOKEN_PATH as TOKEN_PATH,
  TRACKMAGE_USER_PROFILE_PATH as USER_PROFILE_PATH,
  TRACKMAGE_AUTHORIZATION_URL as AUTHORIZATION_URL,
  TRACKMAGE_TOKEN_URL as TOKEN_URL,
  TRACKMAGE_USER_PROFILE_URL as USER_PROFILE_URL,
  TRACKMAGE_SCOPES as SCOPES,
  TRACKMAGE_CODE_EXCHANGES as CODE_EXCHANGES,
} from '@maniapass/providers';
export type { TrackmageStrategyOptions, TrackmageScope, TrackmageCodeExchange, TrackmageTokenResponse } from './strategy';
export { parseTrackmageProfile as parseProfile } from '@maniapass/providers';
export type { TrackmageProfile, TrackmageUserJson, TrackmageParseProfileOptions as ParseProfileOptions } from '@maniapass/providers';
export { TokenError, ProviderError, AuthorizationError, InternalOAuthError, CachedTokenSource } from '@maniapass/oauth2-core';
export type { TokenSet, VerifyDone, VerifyResult } from '@maniapass/oauth2-core';

/**
 * `withTokenResponse(async (accessToken, refreshToken, params, profile) => user)`: an `async` verify without
 * `done` that also gets `params`, the token response (`req` first with `passReqToCallback: true`).
 */
export const withTokenResponse: WithTokenResponse<TrackmageProfile, TrackmageTokenResponse> = coreWithTokenResponse;
