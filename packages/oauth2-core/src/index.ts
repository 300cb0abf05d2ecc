export { ProviderStrategy, DEFAULT_LOGIN_TIMEOUT } from './strategy';
export type { ProviderStrategyOptions, ProviderDefinition, LoginContext } from './strategy';
export { ProviderClient } from './client';
export { baseURLOption, endpointURLOption } from './urls';
export type { ApiRequest, FormFields, JsonResponse, TextResponse, ProviderClientOptions } from './client';
export { TokenError, ProviderError, redact, stripQuery } from './errors';
export type { ProviderErrorCode } from './errors';
export { sendRequest, TransportError } from './http';
export type { FetchFunction, HttpRequest, HttpResponse, HttpOptions } from './http';
export { describeErrorBody } from './provider-errors';
export { decodeJwtPayload } from './jwt';
export type { JwtClaims } from './jwt';
export { parseScope, assertKnownScopes } from './scopes';
export { toTokenSet, CachedTokenSource } from './tokens';
export type { TokenResponse, TokenSet } from './tokens';
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
export { stringField, objectBody } from './profile';
export type { ProviderProfile } from './profile';
export { AuthorizationError, InternalOAuthError, OAuth2Strategy } from './passport-oauth2';
export type { StateStore, OAuth2StrategyInstance, OAuth2StrategyOptions } from './passport-oauth2';
