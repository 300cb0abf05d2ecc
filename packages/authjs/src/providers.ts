import {
  maniaplanet,
  toornament,
  trackmage,
  trackmania,
  type ManiaplanetProfile,
  type ManiaplanetScope,
  type ToornamentProfile,
  type ToornamentScope,
  type TrackmageCodeExchange,
  type TrackmageProfile,
  type TrackmaniaProfile,
  type TrackmaniaScope,
} from '@maniapass/providers';
import type { OAuthConfig } from '@auth/core/providers' with { 'resolution-mode': 'import' };
import { authjsProvider, type AuthjsProviderOptions } from './provider';

/** Options of `Trackmania()`. */
export interface TrackmaniaOptions extends AuthjsProviderOptions {
  /** Any of `clubs`, `read_favorite`, `write_favorite`; none is needed to sign in. */
  scope?: TrackmaniaScope | string | readonly TrackmaniaScope[];
}

/** Options of `ManiaPlanet()`. */
export interface ManiaPlanetOptions extends AuthjsProviderOptions {
  /** Default `basic`; with `email`, the profile's e-mail is loaded too and becomes the user's `email`. */
  scope?: ManiaplanetScope | string | readonly ManiaplanetScope[];
  /** The Web Services host. Default `https://prod.live.maniaplanet.com`. */
  baseURL?: string;
}

/** Options of `TrackMage()`. */
export interface TrackMageOptions extends AuthjsProviderOptions {
  /** TrackMage has no scopes; giving one throws. */
  scope?: never;
  /** The API host. Default `https://api.trackmage.com`. */
  baseURL?: string;
  /** `'form'` (default) or `'documented-json'` (the guide's JSON exchange at `/oauth/v2/auth`). */
  codeExchange?: TrackmageCodeExchange;
  /** What a relative photo path is resolved against. Default: `baseURL`. */
  photoBaseURL?: string;
}

/** Options of `Toornament()`. */
export interface ToornamentOptions extends AuthjsProviderOptions {
  /** Required (or `AUTH_TOORNAMENT_API_KEY`): the API key, sent as `X-Api-Key` on every call. */
  apiKey?: string;
  /** Default `user:info`, which the profile call needs: keep it in any list you pass. */
  scope?: ToornamentScope | string | readonly ToornamentScope[];
}

/** Trackmania (api.trackmania.com) for Auth.js v5: `providers: [Trackmania({ clientId, clientSecret })]`. */
export function Trackmania(options: TrackmaniaOptions = {}): OAuthConfig<TrackmaniaProfile> {
  return authjsProvider(trackmania, options);
}

/** ManiaPlanet for Auth.js v5. */
export function ManiaPlanet(options: ManiaPlanetOptions = {}): OAuthConfig<ManiaplanetProfile> {
  return authjsProvider(maniaplanet, options);
}

/** TrackMage for Auth.js v5. */
export function TrackMage(options: TrackMageOptions = {}): OAuthConfig<TrackmageProfile> {
  return authjsProvider(trackmage, options);
}

/** Toornament for Auth.js v5; the API key from `apiKey` or `AUTH_TOORNAMENT_API_KEY`. */
export function Toornament(options: ToornamentOptions = {}): OAuthConfig<ToornamentProfile> {
  const withKey: ToornamentOptions = { ...options, apiKey: options.apiKey ?? process.env.AUTH_TOORNAMENT_API_KEY };
  return authjsProvider(toornament, withKey);
}
