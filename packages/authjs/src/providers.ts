import {
  maniaplanet,
  toornament,
  trackmage,
  trackmania,
  type ManiaplanetProfile,
  type ManiaplanetProviderOptions,
  type ToornamentProfile,
  type ToornamentProviderOptions,
  type TrackmageProfile,
  type TrackmageProviderOptions,
  type TrackmaniaProfile,
  type TrackmaniaProviderOptions,
} from '@maniapass/providers';
import type { OAuthConfig } from '@auth/core/providers' with { 'resolution-mode': 'import' };
import { authjsProvider, type AuthjsProviderOptions } from './provider';

/** Options of `Trackmania()`: every provider's options and Trackmania's own. */
export interface TrackmaniaOptions extends Omit<AuthjsProviderOptions, 'scope'>, TrackmaniaProviderOptions {}

/** Options of `ManiaPlanet()`: every provider's options and ManiaPlanet's own; with `email`, the address becomes the user's `email`. */
export interface ManiaPlanetOptions extends Omit<AuthjsProviderOptions, 'scope'>, ManiaplanetProviderOptions {}

/** Options of `TrackMage()`: every provider's options and TrackMage's own. */
export interface TrackMageOptions extends Omit<AuthjsProviderOptions, 'scope' | 'userProfileURL'>, TrackmageProviderOptions {}

/** Options of `Toornament()`: every provider's options and Toornament's own, `apiKey` from `AUTH_TOORNAMENT_API_KEY` when not given. */
export interface ToornamentOptions extends Omit<AuthjsProviderOptions, 'scope'>, Omit<ToornamentProviderOptions, 'apiKey'> {
  /** Required, here or as `AUTH_TOORNAMENT_API_KEY`: the API key, sent as `X-Api-Key` on every call. */
  apiKey?: string;
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
