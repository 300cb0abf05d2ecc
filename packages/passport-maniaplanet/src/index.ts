import { withTokenResponse as coreWithTokenResponse, type WithTokenResponse } from '@maniapass/oauth2-core';
import type { ManiaplanetProfile } from './profile';
import type { ManiaplanetTokenResponse } from './strategy';

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
export { parseProfile, parseEmail, stripFormatting } from './profile';
export type { ManiaplanetProfile, ManiaplanetUserJson } from './profile';
export { parseDedicatedAccounts, parseTitles, parseMaps } from './api';
export type { ManiaplanetDedicatedAccount, ManiaplanetTitle, ManiaplanetMap } from './api';
export { TokenError, ProviderError, AuthorizationError, InternalOAuthError, CachedTokenSource } from '@maniapass/oauth2-core';
export type { TokenSet, VerifyDone, VerifyResult } from '@maniapass/oauth2-core';

/**
 * `withTokenResponse(async (accessToken, refreshToken, params, profile) => user)`: an `async` verify without
 * `done` that also gets `params`, the token response (`req` first with `passReqToCallback: true`).
 */
export const withTokenResponse: WithTokenResponse<ManiaplanetProfile, ManiaplanetTokenResponse> = coreWithTokenResponse;
