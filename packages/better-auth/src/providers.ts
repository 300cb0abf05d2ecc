import {
  maniaplanet as maniaplanetDefinition,
  toornament as toornamentDefinition,
  trackmage as trackmageDefinition,
  trackmania as trackmaniaDefinition,
  type ManiaplanetProviderOptions,
  type ManiaplanetScope,
  type ToornamentProviderOptions,
  type ToornamentScope,
  type TrackmageProviderOptions,
  type TrackmaniaProviderOptions,
  type TrackmaniaScope,
} from '@maniapass/providers';
import { betterAuthConfig, type BetterAuthProviderOptions, type GenericOAuthConfig } from './config';

/** Options of `trackmania()`: every configuration's options and Trackmania's own, its scopes as better-auth lists them. */
export interface TrackmaniaOptions extends BetterAuthProviderOptions, Omit<TrackmaniaProviderOptions, 'scope'> {
  /** Any of `clubs`, `read_favorite`, `write_favorite`; none is needed to sign in. */
  scopes?: TrackmaniaScope[];
}

/** Options of `maniaplanet()`: every configuration's options and ManiaPlanet's own; with `email`, the address becomes the user's e-mail. */
export interface ManiaplanetOptions extends BetterAuthProviderOptions, Omit<ManiaplanetProviderOptions, 'scope'> {
  /** Default `['basic']`, which the profile needs. */
  scopes?: ManiaplanetScope[];
}

/** Options of `trackmage()`: every configuration's options and TrackMage's own. */
export interface TrackmageOptions extends Omit<BetterAuthProviderOptions, 'userProfileURL'>, Omit<TrackmageProviderOptions, 'scope'> {
  /** TrackMage has no scopes. */
  scopes?: never;
}

/** Options of `toornament()`: every configuration's options and Toornament's own (the required `apiKey`). */
export interface ToornamentOptions extends BetterAuthProviderOptions, Omit<ToornamentProviderOptions, 'scope'> {
  /** Default `['user:info']`, which the profile call needs. */
  scopes?: ToornamentScope[];
}

/** Trackmania for better-auth's generic OAuth plugin: `genericOAuth({ config: [trackmania({ clientId, clientSecret })] })`. */
export function trackmania(options: TrackmaniaOptions): GenericOAuthConfig {
  return betterAuthConfig(trackmaniaDefinition, options);
}

/** ManiaPlanet for better-auth's generic OAuth plugin. */
export function maniaplanet(options: ManiaplanetOptions): GenericOAuthConfig {
  return betterAuthConfig(maniaplanetDefinition, options);
}

/** TrackMage for better-auth's generic OAuth plugin. */
export function trackmage(options: TrackmageOptions): GenericOAuthConfig {
  return betterAuthConfig(trackmageDefinition, options);
}

/** Toornament for better-auth's generic OAuth plugin. */
export function toornament(options: ToornamentOptions): GenericOAuthConfig {
  return betterAuthConfig(toornamentDefinition, options);
}
