import {
  maniaplanet,
  toornament,
  trackmage,
  trackmania,
  type ManiaplanetProfile,
  type ManiaplanetScope,
  type ManiaplanetSettings,
  type ManiaplanetTokenResponse,
  type ToornamentProfile,
  type ToornamentScope,
  type ToornamentSettings,
  type ToornamentTokenResponse,
  type TrackmageCodeExchange,
  type TrackmageProfile,
  type TrackmageSettings,
  type TrackmageTokenResponse,
  type TrackmaniaProfile,
  type TrackmaniaScope,
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

/** Options of `trackmaniaClient()`. */
export interface TrackmaniaClientOptions extends ClientOptions {
  /** Any of `clubs`, `read_favorite`, `write_favorite`; none is needed to sign in. */
  scope?: TrackmaniaScope | string | readonly TrackmaniaScope[];
}

/** Options of `maniaplanetClient()`. */
export interface ManiaplanetClientOptions extends ClientOptions {
  /** Default `basic`, which the profile needs; with `email`, `loadProfile()` fetches the address too. */
  scope?: ManiaplanetScope | string | readonly ManiaplanetScope[];
  /** The Web Services host the three endpoints are on. Default `https://prod.live.maniaplanet.com`. */
  baseURL?: string;
}

/** Options of `trackmageClient()`. */
export interface TrackmageClientOptions extends ClientOptions {
  /** TrackMage has no scopes; giving one throws. */
  scope?: never;
  /** The API host. Default `https://api.trackmage.com`. */
  baseURL?: string;
  /** `'form'` (default, `/oauth/v2/token`) or `'documented-json'` (the guide's JSON POST to `/oauth/v2/auth`). */
  codeExchange?: TrackmageCodeExchange;
  /** What a relative photo path is resolved against. Default: `baseURL`. */
  photoBaseURL?: string;
}

/** Options of `toornamentClient()`. */
export interface ToornamentClientOptions extends ClientOptions {
  /** Required: the application's API key, sent as `X-Api-Key` on every call. */
  apiKey: string;
  /** Default `user:info`, which the profile call needs: keep it in any list you pass. */
  scope?: ToornamentScope | string | readonly ToornamentScope[];
}

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
