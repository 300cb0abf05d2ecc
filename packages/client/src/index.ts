// A plain OAuth client per provider (no framework, no passport): authorization URL with state, callback check,
// code exchange, refresh, client credentials and the profile, built from @maniapass/providers' definitions.
export { OAuthClient } from './client';
export type { ClientOptions, AuthorizationRequest } from './client';
export { CallbackError } from './callback';
export type { CallbackErrorCode, CallbackQuery } from './callback';
export { trackmaniaClient, maniaplanetClient, trackmageClient, toornamentClient } from './providers';
export type {
  TrackmaniaClient,
  ManiaplanetClient,
  TrackmageClient,
  ToornamentClient,
  TrackmaniaClientOptions,
  ManiaplanetClientOptions,
  TrackmageClientOptions,
  ToornamentClientOptions,
} from './providers';
export { TokenError, ProviderError } from '@maniapass/http';
export type { TokenSet } from '@maniapass/http';
export type { TrackmaniaProfile, ManiaplanetProfile, TrackmageProfile, ToornamentProfile } from '@maniapass/providers';
