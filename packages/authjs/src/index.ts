// Auth.js v5 (@auth/core, so next-auth 5, @auth/express, @auth/sveltekit) providers for Trackmania, ManiaPlanet,
// TrackMage and Toornament, and the same for NextAuth 4 (`TrackmaniaV4()`...), built from @maniapass/providers'
// definitions. No passport.
export { Trackmania, ManiaPlanet, TrackMage, Toornament } from './providers';
export type { TrackmaniaOptions, ManiaPlanetOptions, TrackMageOptions, ToornamentOptions } from './providers';
export { authjsProvider, authjsUser } from './provider';
export type { AuthjsProviderOptions, AuthjsUser } from './provider';
export { TrackmaniaV4, ManiaPlanetV4, TrackMageV4, ToornamentV4, nextAuthV4Provider } from './next-auth-v4';
export type { NextAuthV4Provider, NextAuthV4Tokens } from './next-auth-v4';
export { conformTokenAnswer } from './token-answer';
export type { TrackmaniaProfile, ManiaplanetProfile, TrackmageProfile, ToornamentProfile } from '@maniapass/providers';
