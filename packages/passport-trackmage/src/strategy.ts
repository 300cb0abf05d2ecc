import { ProviderStrategy, type ProviderStrategyOptions, type StrategyConstructor } from '@maniapass/oauth2-core';
import {
  trackmage,
  type TrackmageCodeExchange,
  type TrackmageProfile,
  type TrackmageProviderOptions,
  type TrackmageScope,
  type TrackmageSettings,
  type TrackmageTokenResponse,
} from '@maniapass/providers';

export type { TrackmageScope, TrackmageCodeExchange, TrackmageTokenResponse };

/** The options of the TrackMage strategy: every strategy's options (`@maniapass/oauth2-core`) and TrackMage's own (`baseURL`, `codeExchange`, `photoBaseURL`). */
export interface TrackmageStrategyOptions extends Omit<ProviderStrategyOptions, 'scope' | 'userProfileURL'>, TrackmageProviderOptions {}

/** Sign in with a TrackMage account (api.trackmage.com); named `trackmage`. */
class TrackmageStrategy extends ProviderStrategy<TrackmageProfile, TrackmageTokenResponse, TrackmageSettings> {
  /** The API host the default endpoints were built from. */
  readonly baseURL: string;
  /** How the authorization code is exchanged. */
  readonly codeExchange: TrackmageCodeExchange;
  /** What a relative `photo.filePath` is resolved against. */
  readonly photoBaseURL: string;

  constructor(options: TrackmageStrategyOptions & { passReqToCallback?: boolean }, verify: (...args: never[]) => unknown) {
    super(trackmage, options, verify as never, `${__dirname}/..`);
    this.baseURL = this.settings.baseURL;
    this.codeExchange = this.settings.codeExchange;
    this.photoBaseURL = this.settings.photoBaseURL;
  }
}

/**
 * Passport strategy for TrackMage (api.trackmage.com).
 *
 * ```ts
 * passport.use(new Strategy({ clientID, clientSecret, callbackURL }, async (accessToken, refreshToken, profile) => user));
 * ```
 */
export const Strategy: StrategyConstructor<TrackmageStrategy, TrackmageStrategyOptions, TrackmageProfile, TrackmageTokenResponse> = TrackmageStrategy;
export type Strategy = TrackmageStrategy;
export { TrackmageStrategy };
