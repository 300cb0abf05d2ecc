import { withTokenResponse as coreWithTokenResponse, type WithTokenResponse } from '@maniapass/oauth2-core';
import type { ManiaplanetProfile, ManiaplanetTokenResponse } from '@maniapass/providers';

export { Strategy, ManiaplanetStrategy } from './strategy';
export {
  MANIAPLANET_BASE_URL as BASE_URL,
  MANIAPLANET_AUTHORIZATION_PATH as AUTHORIZATION_PATH,
  MANIAPLANET_TOKEN_PATH as TOKEN_PATH,
  MANIAPLANET_USER_PROFILE_PATH as USER_PROFILE_PATH,
  MANIAPLANET_AUTHORIZATION_URL as AUTHORIZATION_URL,
  MANIAPLANET_TOKEN_URL as TOKEN_URL,
  MANIAPLANET_USER_PROFILE_URL as USER_PROFILE_URL,
  MANIAPLANET_SCOPES as SCOPES,
  MANIAPLANET_DEFAULT_SCOPE as DEFAULT_SCOPE,
} from '@maniapass/providers';
export type { ManiaplanetStrategyOptions, ManiaplanetScope, ManiaplanetTokenResponse } from './strategy';
export {
  parseManiaplanetProfile as parseProfile,
  parseManiaplanetEmail as parseEmail,
  stripFormatting,
  parseDedicatedAccounts,
  parseTitles,
  parseMaps,
} from '@maniapass/providers';
export type { ManiaplanetProfile, ManiaplanetUserJson, ManiaplanetDedicatedAccount, ManiaplanetTitle, ManiaplanetMap } from '@maniapass/providers';
export { TokenError, ProviderError, AuthorizationError, InternalOAuthError, CachedTokenSource } from '@maniapass/oauth2-core';
export type { TokenSet, VerifyDone, VerifyResult } from '@maniapass/oauth2-core';

/**
 * `withTokenResponse(async (accessToken, refreshToken, params, profile) => user)`: an `async` verify without
 * `done` that also gets `params`, the token response (`req` first with `passReqToCallback: true`).
 */
export const withTokenResponse: WithTokenResponse<ManiaplanetProfile, ManiaplanetTokenResponse> = coreWithTokenResponse;
