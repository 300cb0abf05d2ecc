import { withTokenResponse as coreWithTokenResponse, type WithTokenResponse } from '@maniapass/oauth2-core';
import type { ManiaplanetProfile, ManiaplanetTokenResponse } from '@maniapass/providers';

export {
  Strategy,
  ManiaplanetStrategy,
  BASE_URL,
  AUTHORIZATION_PATH,
  TOKEN_PATH,
  USER_PROFILE_PATH,
  AUTHORIZATION_URL,
  TOKEN_URL,
  USER_PROFILE_URL,
  SCOPES,
  DEFAULT_SCOPE,
} from './strategy';
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
