import { ProviderError, TokenError } from '@maniapass/http';
import { InternalOAuthError, PassportTokenError } from './passport-oauth2';

// The HTTP layer's error classes have passport-oauth2's constructors and fields but cannot extend its classes
// (it has no passport dependency). Re-parenting their prototypes here, once, when the passport side of the
// collection loads, makes `err instanceof require('passport-oauth2').TokenError` (and `InternalOAuthError`)
// hold for every error the collection throws, with one class per error for nadeo-auth and the strategies alike.
Object.setPrototypeOf(TokenError.prototype, PassportTokenError.prototype);
Object.setPrototypeOf(ProviderError.prototype, InternalOAuthError.prototype);

export { ProviderError, TokenError };
