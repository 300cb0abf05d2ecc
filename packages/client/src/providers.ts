import {
  maniaplanet,
  toornament,
  trackmage,
  trackmania,
  type ManiaplanetProfile,
  type ManiaplanetProviderOptions,
  type ManiaplanetSettings,
  type ManiaplanetTokenResponse,
  type ToornamentProfile,
  type ToornamentProviderOptions,
  type ToornamentSettings,
  type ToornamentTokenResponse,
  type TrackmageProfile,
  type TrackmageProviderOptions,
  type TrackmageSettings,
  type TrackmageTokenResponse,
  type TrackmaniaProfile,
  type TrackmaniaProviderOptions,
  type TrackmaniaTokenResponse,
} from '@maniapass/providers';
import { OAuthClient, type ClientOptions } from './client';

/** A Trackmania client (api.trackmania.com). */
export type TrackmaniaClient = OAuthClient<TrackmaniaProfile, TrackmaniaTokenResponse, Record<string, never>>;
/** A ManiaPlanet client. */
export type ManiaplanetClient = OAuthClient<ManiaplanetProfile, ManiaplanetTokenResponse, ManiaplanetSettings>;
/** A TrackMage client. */
export type TrackmageClient = OAuthClient<TrackmageProfile, TrackmageTokenResponse, TrackmageSettings>;
/** A Toornament client. */
export type ToornamentClient = OAuthClient<ToornamentProfile, ToornamentTokenResponse, ToornamentSettings>;

/** Options of `trackmaniaClient()`: every client's options and Trackmania's own. */
export interface TrackmaniaClientOptions extends Omit<ClientOptions, 'scope'>, TrackmaniaProviderOptions {}

/** Options of `maniaplanetClient()`: every client's options and ManiaPlanet's own; with `email`, `loadProfile()` fetches the address too. */
export interface ManiaplanetClientOptions extends Omit<ClientOptions, 'scope'>, ManiaplanetProviderOptions {}

/** Options of `trackmageClient()`: every client's options and TrackMage's own. */
export interface TrackmageClientOptions extends Omit<ClientOptions, 'scope' | 'userProfileURL'>, TrackmageProviderOptions {}

/** Options of `toornamentClient()`: every client's options and Toornament's own (the required `apiKey`). */
export interface ToornamentClientOptions extends Omit<ClientOptions, 'scope'>, ToornamentProviderOptions {}

/** A plain OAuth client for Trackmania. */
export function trackmaniaClient(options: TrackmaniaClientOptions): TrackmaniaClient {
  return new OAuthClient(trackmania, options);
}

/** A plain OAuth client for ManiaPlanet. */
export function maniaplanetClient(options: ManiaplanetClientOptions): ManiaplanetClient {
  return new OAuthClient(maniaplanet, options);
}

/** A plain OAuth client for TrackMage. */
export function trackmageClient(options: TrackmageClientOptions): TrackmageClient {
  return new OAuthClient(trackmage, options);
}

/** A plain OAuth client for Toornament. */
export function toornamentClient(options: ToornamentClientOptions): ToornamentClient {
  return new OAuthClient(toornament, options);
}
