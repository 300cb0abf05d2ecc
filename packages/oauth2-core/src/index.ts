// The passport side of the collection: the passport-oauth2 base strategy on the HTTP layer. Everything of the
// HTTP layer is re-exported, so that a provider package imports from here alone.
export * from '@maniapass/http';
export { ProviderError, TokenError } from './errors';
export { ProviderStrategy, DEFAULT_LOGIN_TIMEOUT } from './strategy';
export type { ProviderStrategyOptions, ProviderDefinition, LoginContext } from './strategy';
export { parseScope, assertKnownScopes } from './scopes';
export { adaptVerify, withTokenResponse } from './verify';
export type {
  VerifyDone,
  VerifyResult,
  VerifyFunction,
  VerifyFunctionWithRequest,
  AsyncVerify,
  AsyncVerifyWithRequest,
  CallbackVerify,
  CallbackVerifyWithParams,
  CallbackVerifyWithRequest,
  CallbackVerifyWithRequestAndParams,
  WithTokenResponse,
  StrategyConstructor,
} from './verify';
export { AuthorizationError, InternalOAuthError, OAuth2Strategy } from './passport-oauth2';
export type { StateStore, OAuth2StrategyInstance, OAuth2StrategyOptions, PassportOAuth2, OAuthErrorClass } from './passport-oauth2';
