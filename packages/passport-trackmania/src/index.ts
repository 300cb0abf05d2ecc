import { withTokenResponse as coreWithTokenResponse, type WithTokenResponse } from '@maniapass/oauth2-core';
import type { TrackmaniaProfile, TrackmaniaTokenResponse } from '@maniapass/providers';

export {
  Strategy,
  TrackmaniaStrategy,
  AUTHORIZATION_URL,
  TOKEN_URL,
  USER_PROFILE_URL,
  DISPLAY_NAMES_PATH,
  ACCOUNT_IDS_PATH,
  ADMIN_CLUBS_PATH,
  FAVORITE_MAPS_PATH,
  MAP_RECORDS_PATH,
  SCOPES,
} from './strategy';
export type { TrackmaniaStrategyOptions, TrackmaniaScope, TrackmaniaTokenResponse } from './strategy';
export { parseTrackmaniaProfile as parseProfile, parseLookup, parseAdminClubs, parseFavoriteMaps, parseMapRecords } from '@maniapass/providers';
export type { TrackmaniaProfile, TrackmaniaUserJson, TrackmaniaClub, TrackmaniaFavoriteMap, TrackmaniaMapRecord } from '@maniapass/providers';
export { TokenError, ProviderError, AuthorizationError, InternalOAuthError, CachedTokenSource } from '@maniapass/oauth2-core';
export type { TokenSet, VerifyDone, VerifyResult } from '@maniapass/oauth2-core';

/**
 * `withTokenResponse(async (accessToken, refreshToken, params, profile) => user)`: an `async` verify without
 * `done` that also gets `params`, the token response (`req` first with `passReqToCallback: true`).
 */
export const withTokenResponse: WithTokenResponse<TrackmaniaProfile, TrackmaniaTokenResponse> = coreWithTokenResponse;
