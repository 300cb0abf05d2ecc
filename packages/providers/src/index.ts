// Each OAuth provider of the collection declared once, free of any framework: endpoints, scopes, the quirks of its
// token endpoint, its profile's parser and loader. The Passport strategies, the Auth.js and better-auth providers
// and the plain client are built from these definitions; only `@maniapass/http` is needed.
export { formTokenRequest, tokenRequestFor, readProfile, baseURLSetting } from './definition';
export type { OAuthProviderDefinition, Endpoints, GrantFields, ProfileContext, ProfileHttp, TokenAnswerQuirks, TokenRequestContext } from './definition';
export { configureProvider, providerClient } from './configure';
export type { ConfiguredProvider, ProviderOptions, ProviderHttpOptions } from './configure';
export { scopeList, checkScopes } from './scopes';
export { authorizationErrorShown } from './authorization-error';
export type { AuthorizationErrorShown } from './authorization-error';
export type { ScopeOption } from './scopes';
export { parseFormatting, formattingToPlain, formattingToHtml, escapeHtml } from './formatting';
export type { FormattingStyle, FormattedSegment } from './formatting';
export { PROVIDERS, isProviderId, providerById } from './registry';
export type { ProviderId } from './registry';

export {
  trackmania,
  TRACKMANIA_AUTHORIZATION_URL,
  TRACKMANIA_TOKEN_URL,
  TRACKMANIA_USER_PROFILE_URL,
  TRACKMANIA_DISPLAY_NAMES_PATH,
  TRACKMANIA_ACCOUNT_IDS_PATH,
  TRACKMANIA_ADMIN_CLUBS_PATH,
  TRACKMANIA_FAVORITE_MAPS_PATH,
  TRACKMANIA_MAP_RECORDS_PATH,
  TRACKMANIA_SCOPES,
} from './trackmania/definition';
export type { TrackmaniaScope, TrackmaniaTokenResponse, TrackmaniaProviderOptions } from './trackmania/definition';
export { parseTrackmaniaProfile } from './trackmania/profile';
export type { TrackmaniaProfile, TrackmaniaUserJson } from './trackmania/profile';
export { parseLookup, parseAdminClubs, parseFavoriteMaps, parseMapRecords } from './trackmania/api';
export type { TrackmaniaClub, TrackmaniaFavoriteMap, TrackmaniaMapRecord } from './trackmania/api';

export {
  maniaplanet,
  maniaplanetMeURL,
  MANIAPLANET_BASE_URL,
  MANIAPLANET_AUTHORIZATION_PATH,
  MANIAPLANET_TOKEN_PATH,
  MANIAPLANET_USER_PROFILE_PATH,
  MANIAPLANET_EMAIL_SUBPATH,
  MANIAPLANET_DEDICATED_SUBPATH,
  MANIAPLANET_TITLES_SUBPATH,
  MANIAPLANET_MAPS_SUBPATH,
  MANIAPLANET_AUTHORIZATION_URL,
  MANIAPLANET_TOKEN_URL,
  MANIAPLANET_USER_PROFILE_URL,
  MANIAPLANET_SCOPES,
  MANIAPLANET_DEFAULT_SCOPE,
} from './maniaplanet/definition';
export type { ManiaplanetScope, ManiaplanetTokenResponse, ManiaplanetSettings, ManiaplanetProviderOptions } from './maniaplanet/definition';
export { parseManiaplanetProfile, parseManiaplanetEmail, stripFormatting } from './maniaplanet/profile';
export type { ManiaplanetProfile, ManiaplanetUserJson } from './maniaplanet/profile';
export { parseDedicatedAccounts, parseTitles, parseMaps } from './maniaplanet/api';
export type { ManiaplanetDedicatedAccount, ManiaplanetTitle, ManiaplanetMap } from './maniaplanet/api';

export {
  trackmage,
  TRACKMAGE_BASE_URL,
  TRACKMAGE_STAGING_BASE_URL,
  TRACKMAGE_AUTHORIZATION_PATH,
  TRACKMAGE_TOKEN_PATH,
  TRACKMAGE_USER_PROFILE_PATH,
  TRACKMAGE_AUTHORIZATION_URL,
  TRACKMAGE_TOKEN_URL,
  TRACKMAGE_USER_PROFILE_URL,
  TRACKMAGE_SCOPES,
  TRACKMAGE_CODE_EXCHANGES,
} from './trackmage/definition';
export type { TrackmageScope, TrackmageCodeExchange, TrackmageTokenResponse, TrackmageSettings, TrackmageProviderOptions } from './trackmage/definition';
export { parseTrackmageProfile } from './trackmage/profile';
export type { TrackmageProfile, TrackmageUserJson, TrackmageParseProfileOptions } from './trackmage/profile';

export {
  toornament,
  TOORNAMENT_AUTHORIZATION_URL,
  TOORNAMENT_TOKEN_URL,
  TOORNAMENT_USER_PROFILE_URL,
  TOORNAMENT_API_KEY_HEADER,
  TOORNAMENT_SCOPES,
  TOORNAMENT_DEFAULT_SCOPE,
} from './toornament/definition';
export type { ToornamentScope, ToornamentTokenResponse, ToornamentSettings, ToornamentProviderOptions } from './toornament/definition';
export { parseToornamentProfile } from './toornament/profile';
export type { ToornamentProfile, ToornamentUserJson } from './toornament/profile';
