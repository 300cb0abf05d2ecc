// The HTTP layer: every outbound call of the collection (timeouts, size limits, masking, typed errors), JWT
// decoding, token sets and cached token sources. No runtime dependency: nadeo-auth and passport-openplanet use it
// alone, the passport-oauth2 strategies through @maniapass/oauth2-core.
export { ProviderClient } from './client';
export type { ApiRequest, JsonResponse, TextResponse, ProviderClientOptions } from './client';
export { TokenError, ProviderError, TransportError, PROVIDER_FAILURE_STATUS, redactError, stripQuery, tokenErrorClass, providerErrorClass } from './errors';
export { redact, redactWhole } from './masking';
export { basicCredentialForms, secretForms, MAX_MASKED_LENGTH } from './secret-forms';
export type { ProviderErrorCode, ProviderErrorDetails, TokenErrorDetails, TransportErrorCode, ErrorBase, ErrorClasses } from './errors';
export { sendRequest } from './send';
export { preconnect, watchDeadline, unwatchDeadline } from './networking';
export { KEEP_ALIVE_MS, MAX_PRECONNECTED } from './connection-limits';
export type { Watched as WatchedDeadline } from './deadlines';
export type { FetchFunction, FetchResponse, HttpRequest, HttpResponse, HttpOptions } from './transports';
export type { FormFields } from './form';
export { describeErrorBody } from './provider-errors';
export { decodeJwtPayload } from './jwt';
export type { JwtClaims } from './jwt';
export { toTokenSet, CachedTokenSource } from './tokens';
export type { CachedTokenSourceOptions, TokenResponse, TokenSet } from './tokens';
export { baseURLOption, endpointURLOption } from './urls';
export { stringField, objectBody, parseJsonBody, objectsWith } from './profile';
export type { ProviderProfile } from './profile';
export { MemoryStore, StoreError, boundedStoreCall, withLock } from './store';
export type { RedisClientLike, SharedStore, StoreErrorCode, MemoryStoreOptions, LockOptions } from './store';
export { CHANNELS, diagnosticsChannel, publish } from './diagnostics';
export type { RequestStart, RequestEnd, RequestError, SignInStart, SignInEnd, StoreFailure } from './diagnostics';
