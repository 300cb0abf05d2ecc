// The code of a sign-in and of the grants, loaded by the strategy with the first `authenticate()`, `refresh()` or
// `clientCredentials()`: a strategy's cold require (part of every server's start) compiles the strategy class and
// its option checks, not the legs. The build gives legs.ts a file of its own (scripts/bundle.mjs: a sibling loaded
// with `require` is not bundled in); what it shares with the strategy's file holds no class or state.
export { authorizeLeg } from './authorize';
export { callbackLeg } from './callback';
export { clientCredentialsGrant, refreshGrant, requestToken } from './grants';
