import {
  maniaplanet as maniaplanetDefinition,
  toornament as toornamentDefinition,
  trackmage as trackmageDefinition,
  trackmania as trackmaniaDefinition,
  type ManiaplanetScope,
  type ToornamentScope,
  type TrackmageCodeExchange,
  type TrackmaniaScope,
} from '@maniapass/providers';
import { betterAuthConfig, type BetterAuthProviderOptions, type GenericOAuthConfig } from './config';

/** Options of `trackmania()`. */
export interface TrackmaniaOptions extends BetterAuthProviderOptions {
  /** Any of `clubs`, `read_favorite`, `write_favorite`; none is needed to sign in. */
  scopes?: TrackmaniaScope[];
}

/** Options of `maniaplanet()`. */
export interface ManiaplanetOptions extends BetterAuthProviderOptions {
  /** Default `['basic']`; with `email`, the address becomes the user's e-mail. */
  scopes?: ManiaplanetScope[];
  /** The Web Services host. Default `https://prod.live.maniaplanet.com`. */
  baseURL?: string;
}

/** Options of `trackmage()`. */
export interface TrackmageOptions extends BetterAuthProviderOptions {
  /** TrackMage has no scopes. */
  scopes?: never;
  /** The API host. Default `https://api.trackmage.com`. */
  baseURL?: string;
  /** `'form'` (default) or `'documented-json'`. */
  codeExchange?: TrackmageCodeExchange;
  /** What a relative photo path is resolved against. Default: `baseURL`. */
  photoBaseURL?: string;
}

/** Options of `toornament()`. */
export interface ToornamentOptions extends BetterAuthProviderOptions {
  /** Required: the API key, sent as `X-Api-Key` on every call. */
  apiKey: string;
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
