import { providerErrorClass, tokenErrorClass } from '@maniapass/http';
import { InternalOAuthError, PassportTokenError } from './passport-oauth2';

// The strategies' errors: the HTTP layer's two classes made on passport-oauth2's, so that `instanceof`
// passport-oauth2's `TokenError` and `InternalOAuthError` holds for every error a strategy throws. `instanceof`
// the HTTP layer's classes holds for them too, and these hold for the errors of nadeo-auth and
// passport-openplanet, which load no passport (see `tokenErrorClass`).

/** The token endpoint answered with an error; an instance of passport-oauth2's `TokenError`. */
export const TokenError = tokenErrorClass(PassportTokenError);
/** The token endpoint answered with an error; an instance of passport-oauth2's `TokenError`. */
export type TokenError = InstanceType<typeof TokenError>;

/** A call to a provider failed; an instance of passport-oauth2's `InternalOAuthError`. */
export const ProviderError = providerErrorClass(InternalOAuthError);
/** A call to a provider failed; an instance of passport-oauth2's `InternalOAuthError`. */
export type ProviderError = InstanceType<typeof ProviderError>;
