import { ProviderStrategy, type ProviderStrategyOptions, type StrategyConstructor } from '@maniapass/oauth2-core';
import {
  toornament,
  TOORNAMENT_API_KEY_HEADER,
  TOORNAMENT_AUTHORIZATION_URL,
  TOORNAMENT_SCOPES,
  TOORNAMENT_TOKEN_URL,
  TOORNAMENT_USER_PROFILE_URL,
  type ToornamentProfile,
  type ToornamentScope,
  type ToornamentSettings,
  type ToornamentTokenResponse,
} from '@maniapass/providers';

/** Toornament's consent page (account.toornament.com). */
export const AUTHORIZATION_URL = TOORNAMENT_AUTHORIZATION_URL;
/** Every grant (api.toornament.com). */
export const TOKEN_URL = TOORNAMENT_TOKEN_URL;
/** Marked "Legacy" by Toornament ("Access will soon be deprecated"). Needs the `user:info` scope. */
export const USER_PROFILE_URL = TOORNAMENT_USER_PROFILE_URL;
/** The header that carries the API key on every call. */
export const API_KEY_HEADER = TOORNAMENT_API_KEY_HEADER;
/** The documented scopes. */
export const SCOPES = TOORNAMENT_SCOPES;

export type { ToornamentScope, ToornamentTokenResponse };

/** The options of the Toornament strategy: every strategy's options (`@maniapass/oauth2-core`), scopes typed, and the required `apiKey`. */
export interface ToornamentStrategyOptions extends ProviderStrategyOptions {
  /** Required. The application's API key, sent as `X-Api-Key` on every call (token, profile, refresh, client credentials). */
  apiKey: string;
  /** Default `user:info`, which the profile call needs: keep it in any list you pass. */
  scope?: ToornamentScope | string | readonly ToornamentScope[];
}

/** Sign in with a Toornament account; named `toornament`. Every call sends the application's API key. */
class ToornamentStrategy extends ProviderStrategy<ToornamentProfile, ToornamentTokenResponse, ToornamentSettings> {
  constructor(options: ToornamentStrategyOptions & { passReqToCallback?: boolean }, verify: (...args: never[]) => unknown) {
    super(toornament, options, verify as never, `${__dirname}/..`);
  }
}

/**
 * Passport strategy for Toornament (account.toornament.com / api.toornament.com).
 *
 * ```ts
 * passport.use(new Strategy({ clientID, clientSecret, apiKey, callbackURL }, async (accessToken, refreshToken, profile) => user));
 * ```
 */
export const Strategy: StrategyConstructor<ToornamentStrategy, ToornamentStrategyOptions, ToornamentProfile, ToornamentTokenResponse> = ToornamentStrategy;
export type Strategy = ToornamentStrategy;
export { ToornamentStrategy };
