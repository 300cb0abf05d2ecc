export { Strategy, OpenplanetStrategy, VALIDATE_URL, LEGACY_VALIDATE_URL, DEFAULT_MAX_TOKEN_AGE, MAX_TOKEN_LENGTH, VALIDATION_CHANNEL } from './strategy';
export type {
  OpenplanetStrategyOptions,
  OpenplanetStrategyConstructor,
  OpenplanetFailure,
  OpenplanetVerify,
  OpenplanetVerifyWithRequest,
  ValidationEnd,
  VerifyDone,
  VerifyResult,
} from './strategy';
export { OpenplanetUnavailableError } from './errors';
export { parseValidation, MAX_ACCOUNT_ID, MAX_DISPLAY_NAME, MAX_REFUSAL_TEXT } from './profile';
export type { OpenplanetProfile, OpenplanetValidation, OpenplanetValidationJson } from './profile';
export { ProviderError, PROVIDER_FAILURE_STATUS } from '@maniapass/http';
export { PluginSessions, SessionError } from './sessions';
export type { PluginSession, PluginSessionsOptions, IssuedSession, SessionFailureReason, SessionPlayer } from './sessions';
export type { SessionKey, SessionAlgorithm } from './session-keys';
export { SessionStrategy, PluginSessionStrategy } from './session-strategy';
export type { SessionStrategyOptions, SessionStrategyConstructor, SessionVerify, SessionVerifyWithRequest } from './session-strategy';
