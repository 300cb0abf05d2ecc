// The passport side of the collection: the strategy of a provider definition, on the HTTP layer. What a strategy's
// users meet of the HTTP layer (its token helpers and diagnostics) is re-exported by name; the rest stays in
// @maniapass/http (a re-export of all of it would cost every strategy's cold require a getter per name).
export { ProviderError, TokenError } from './errors';
export { ProviderStrategy, DEFAULT_LOGIN_TIMEOUT } from './strategy';
export type { ProviderStrategyOptions, LoginContext } from './strategy';
export { scopeList as parseScope, checkScopes as assertKnownScopes } from '@maniapass/providers';
export type { OAuthProviderDefinition } from '@maniapass/providers';
export { CachedTokenSource, toTokenSet, CHANNELS } from '@maniapass/http';
export type {
  ApiRequest,
  CachedTokenSourceOptions,
  FetchFunction,
  ProviderProfile,
  RequestStart,
  RequestEnd,
  RequestError,
  SignInStart,
  SignInEnd,
  TokenResponse,
  TokenSet,
} from '@maniapass/http';
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
