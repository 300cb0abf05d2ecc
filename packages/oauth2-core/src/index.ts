// The passport side of the collection: the passport-oauth2 base strategy on the HTTP layer. Everything of the
// HTTP layer is re-exported, so that a provider package imports from here alone.
export * from '@maniapass/http';
export { ProviderError, TokenError } from './errors';
export { ProviderStrategy } from './strategy';
export type { ProviderStrategyOptions, ProviderDefinition, LoginContext } from './strategy';
export { parseScope, assertKnownScopes } from './scopes';
export { adaptVerify } from './verify';
export type { VerifyDone, VerifyResult, VerifyFunction, VerifyFunctionWithRequest, StrategyConstructor } from './verify';
export { AuthorizationError, InternalOAuthError, OAuth2Strategy } from './passport-oauth2';
export type { StateStore, OAuth2StrategyInstance, OAuth2StrategyOptions } from './passport-oauth2';
