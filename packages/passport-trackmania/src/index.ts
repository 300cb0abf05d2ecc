import { withTokenResponse as coreWithTokenResponse, type WithTokenResponse } from '@maniapass/oauth2-core';
import type { TrackmaniaProfile, TrackmaniaTokenResponse } from '@maniapass/providers';

export { Strategy, TrackmaniaStrategy } from './strategy';
export {
  TRACKMANIA_AUTHORIZATION_URL as AUTHORIZATION_URL,
  TRACKMANIA_TOKEN_URL as TOKEN_URL,
  TRACKMANIA_USER_PROFILE_URL as USER_PROFILE_URL,
  TRACKMANIA_DISPLAY_NAMES_PATH as DISPLAY_NAMES_PATH,
  TRACKMANIA_ACCOUNT_IDS_PATH as ACCOUNT_IDS_PATH,
  TRACKMANIA_ADMIN_CLUBS_PATH as ADMIN_CLUBS_PATH,
  TRACKMANIA_FAVORITE_MAPS_PATH as FAVORITE_MAPS_PATH,
  TRACKMANIA_MAP_RECORDS_PATH as MAP_RECORDS_PATH,
  TRACKMANIA_SCOPES as SCOPES,
} from '@maniapass/providers';
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
