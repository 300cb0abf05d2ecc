import {
  ProviderError,
  ProviderStrategy,
  type LoginContext,
  type ProviderStrategyOptions,
  type StrategyConstructor,
  type TokenResponse,
} from '@maniapass/oauth2-core';
import { parseProfile, type TrackmaniaProfile } from './profile';

export const AUTHORIZATION_URL = 'https://api.trackmania.com/oauth/authorize';
export const TOKEN_URL = 'https://api.trackmania.com/api/access_token';
export const USER_PROFILE_URL = 'https://api.trackmania.com/api/user';
export const SCOPES = ['clubs', 'read_favorite', 'write_favorite'] as const;

export type TrackmaniaScope = (typeof SCOPES)[number];

export interface TrackmaniaStrategyOptions extends ProviderStrategyOptions {
  /** Any of `clubs`, `read_favorite`, `write_favorite`; none is needed to sign in. */
  scope?: TrackmaniaScope | string | readonly TrackmaniaScope[];
}

/** The token endpoint's answer: `{ token_type, expires_in, access_token, refresh_token }`. */
export type TrackmaniaTokenResponse = TokenResponse;

class TrackmaniaStrategy extends ProviderStrategy<TrackmaniaProfile, TrackmaniaTokenResponse> {
  constructor(options: TrackmaniaStrategyOptions & { passReqToCallback?: boolean }, verify: (...args: never[]) => unknown) {
    super(
      {
        name: 'trackmania',
        packageDir: `${__dirname}/..`,
        authorizationURL: AUTHORIZATION_URL,
        tokenURL: TOKEN_URL,
        userProfileURL: USER_PROFILE_URL,
        scopes: SCOPES,
      },
      options,
      verify as never,
    );
  }

  protected override async loadProfile(accessToken: string, _context: LoginContext<TrackmaniaTokenResponse>): Promise<TrackmaniaProfile> {
    const { raw } = await this.client.json<unknown>({ url: this.userProfileURL, accessToken });
    try {
      return parseProfile(raw);
    } catch (err) {
      throw new ProviderError({ provider: 'trackmania', url: this.userProfileURL, status: 200, code: 'EBADRESPONSE', message: `trackmania: ${(err as Error).message}` });
    }
  }
}

/**
 * Passport strategy for the Trackmania public OAuth API (api.trackmania.com).
 *
 * ```ts
 * passport.use(new Strategy({ clientID, clientSecret, callbackURL }, async (accessToken, refreshToken, profile) => user));
 * ```
 */
export const Strategy: StrategyConstructor<TrackmaniaStrategy, TrackmaniaStrategyOptions, TrackmaniaProfile, TrackmaniaTokenResponse> = TrackmaniaStrategy;
export type Strategy = TrackmaniaStrategy;
export { TrackmaniaStrategy };
