import { withTokenResponse as coreWithTokenResponse, type WithTokenResponse } from '@maniapass/oauth2-core';
import type { ToornamentProfile, ToornamentTokenResponse } from '@maniapass/providers';

export { Strategy, ToornamentStrategy } from './strategy';
export {
  TOORNAMENT_AUTHORIZATION_URL as AUTHORIZATION_URL,
  TOORNAMENT_TOKEN_URL as TOKEN_URL,
  TOORNAMENT_USER_PROFILE_URL as USER_PROFILE_URL,
  TOORNAMENT_API_KEY_HEADER as API_KEY_HEADER,
  TOORNAMENT_SCOPES as SCOPES,
} from '@maniapass/providers';
export type { ToornamentStrategyOptions, ToornamentScope, ToornamentTokenResponse } from './strategy';
export { parseToornamentProfile as parseProfile } from '@maniapass/providers';
export type { ToornamentProfile, ToornamentUserJson } from '@maniapass/providers';
export { TokenError, ProviderError, AuthorizationError, InternalOAuthError, CachedTokenSource } from '@maniapass/oauth2-core';
export type { TokenSet, VerifyDone, VerifyResult } from '@maniapass/oauth2-core';

/**
 * `withTokenResponse(async (accessToken, refreshToken, params, profile) => user)`: an `async` verify without
 * `done` that also gets `params`, the token response (`req` first with `passReqToCallback: true`).
 */
export const withTokenResponse: WithTokenResponse<ToornamentProfile, ToornamentTokenResponse> = coreWithTokenResponse;
