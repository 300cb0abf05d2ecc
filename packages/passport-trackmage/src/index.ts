import { withTokenResponse as coreWithTokenResponse, type WithTokenResponse } from '@maniapass/oauth2-core';
import type { TrackmageProfile, TrackmageTokenResponse } from '@maniapass/providers';

export {
  Strategy,
  TrackmageStrategy,
  BASE_URL,
  STAGING_BASE_URL,
  AUTHORIZATION_PATH,
  TOKEN_PATH,
  USER_PROFILE_PATH,
  AUTHORIZATION_URL,
  TOKEN_URL,
  USER_PROFILE_URL,
  SCOPES,
  CODE_EXCHANGES,
} from './strategy';
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
