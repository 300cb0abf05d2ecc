export { Strategy, OpenplanetStrategy, VALIDATE_URL, LEGACY_VALIDATE_URL, DEFAULT_MAX_TOKEN_AGE, MAX_TOKEN_LENGTH } from './strategy';
export type { OpenplanetStrategyOptions, OpenplanetStrategyConstructor, OpenplanetFailure, OpenplanetVerify, OpenplanetVerifyWithRequest, VerifyDone, VerifyResult } from './strategy';
export { parseValidation } from './profile';
export type { OpenplanetProfile, OpenplanetValidation, OpenplanetValidationJson } from './profile';
export { ProviderError, PROVIDER_FAILURE_STATUS } from '@maniapass/http';
