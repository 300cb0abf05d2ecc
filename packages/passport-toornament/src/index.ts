import { withTokenResponse as coreWithTokenResponse, type WithTokenResponse } from '@maniapass/oauth2-core';
import type { ToornamentProfile, ToornamentTokenResponse } from '@maniapass/providers';

export { Strategy, ToornamentStrategy, AUTHORIZATION_URL, TOKEN_URL, USER_PROFILE_URL, API_KEY_HEADER, SCOPES } from './strategy';
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
