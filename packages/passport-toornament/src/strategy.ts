import { ProviderStrategy, type ProviderStrategyOptions, type StrategyConstructor } from '@maniapass/oauth2-core';
import {
  toornament,
  type ToornamentProfile,
  type ToornamentProviderOptions,
  type ToornamentScope,
  type ToornamentSettings,
  type ToornamentTokenResponse,
} from '@maniapass/providers';

export type { ToornamentScope, ToornamentTokenResponse };

/** The options of the Toornament strategy: every strategy's options (`@maniapass/oauth2-core`) and Toornament's own (the required `apiKey`). */
export interface ToornamentStrategyOptions extends Omit<ProviderStrategyOptions, 'scope'>, ToornamentProviderOptions {}

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
