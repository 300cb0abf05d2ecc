// Auth.js v5 (@auth/core, so next-auth 5, @auth/express, @auth/sveltekit) providers for Trackmania, ManiaPlanet,
// TrackMage and Toornament, built from @maniapass/providers' definitions. No passport.
export { Trackmania, ManiaPlanet, TrackMage, Toornament } from './providers';
export type { TrackmaniaOptions, ManiaPlanetOptions, TrackMageOptions, ToornamentOptions } from './providers';
export { authjsProvider, authjsUser } from './provider';
export type { AuthjsProviderOptions, AuthjsUser } from './provider';
export { conformTokenAnswer } from './token-answer';
export type { TrackmaniaProfile, ManiaplanetProfile, TrackmageProfile, ToornamentProfile } from '@maniapass/providers';
