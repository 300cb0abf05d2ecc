// better-auth generic OAuth plugin configurations for Trackmania, ManiaPlanet, TrackMage and Toornament, built from
// @maniapass/providers' definitions, in the form of better-auth's provider helpers. No passport.
export { trackmania, maniaplanet, trackmage, toornament } from './providers';
export type { TrackmaniaOptions, ManiaplanetOptions, TrackmageOptions, ToornamentOptions } from './providers';
export { betterAuthConfig, betterAuthUser } from './config';
export type { BetterAuthProviderOptions, GenericOAuthConfig, OAuth2Tokens, OAuth2UserInfo } from './config';
