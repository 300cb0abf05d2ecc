import {
  ProviderStrategy,
  type LoginContext,
  type ProviderStrategyOptions,
  type StrategyConstructor,
  type TokenResponse,
} from '@maniapass/oauth2-core';
import { parseProfile, type ToornamentProfile } from './profile';

// Two hosts: the consent page lives on account.toornament.com, the token endpoint and the API on api.toornament.com.
/** Toornament's authorization endpoint. */
export const AUTHORIZATION_URL = 'https://account.toornament.com/oauth2/authorize';
/** Toornament's token endpoint. */
export const TOKEN_URL = 'https://api.toornament.com/oauth/v2/token';
/** Marked "Legacy" by Toornament ("Access will soon be deprecated"). Needs the `user:info` scope. */
export const USER_PROFILE_URL = 'https://api.toornament.com/account/v2/me/info';
/** The header that carries the API key on every call. */
export const API_KEY_HEADER = 'X-Api-Key';
/** The documented scopes. */
export const SCOPES = [
  'user:info',
  'participant:manage_registrations',
  'participant:manage_participations',
  'organizer:view',
  'organizer:admin',
  'organizer:result',
  'organizer:participant',
  'organizer:registration',
  'organizer:permission',
  'organizer:delete',
  'organizer:file',
  'platform:admin',
  'platform:user',
  'platform:team',
] as const;

/** A documented scope. */
export type ToornamentScope = (typeof SCOPES)[number];

/** The options of the Toornament strategy: every strategy's options (`@maniapass/oauth2-core`), scopes typed, and the required `apiKey`. */
export interface ToornamentStrategyOptions extends ProviderStrategyOptions {
  /** Required. The application's API key, sent as `X-Api-Key` on every call (token, profile, refresh, client credentials). */
  apiKey: string;
  /** Default `user:info`, which the profile call needs: keep it in any list you pass. */
  scope?: ToornamentScope | string | readonly ToornamentScope[];
}

/** The token endpoint's answer: `{ access_token, expires_in: 90000, token_type: "bearer", scope, refresh_token? }`. */
export interface ToornamentTokenResponse extends TokenResponse {
  /** Granted scopes, space separated, or null. */
  scope?: string | null;
}

/** The core sends `customHeaders` on every outbound call: the API key replaces any `X-Api-Key` spelled otherwise. */
function withApiKey(headers: Record<string, string> | undefined, apiKey: string): Record<string, string> {
  const rest = Object.entries(headers ?? {}).filter(([name]) => name.toLowerCase() !== API_KEY_HEADER.toLowerCase());
  return { ...Object.fromEntries(rest), [API_KEY_HEADER]: apiKey };
}

/** Sign in with a Toornament account; named `toornament`. Every call sends the application's API key. */
class ToornamentStrategy extends ProviderStrategy<ToornamentProfile, ToornamentTokenResponse> {
  constructor(options: ToornamentStrategyOptions & { passReqToCallback?: boolean }, verify: (...args: never[]) => unknown) {
    const apiKey = (options as { apiKey?: unknown } | null)?.apiKey;
    if (options !== null && typeof options === 'object' && (typeof apiKey !== 'string' || apiKey.trim() === '')) {
      throw new TypeError('toornament strategy requires the apiKey option (a non-empty string)');
    }
    super(
      {
        name: 'toornament',
        packageDir: `${__dirname}/..`,
        authorizationURL: AUTHORIZATION_URL,
        tokenURL: TOKEN_URL,
        userProfileURL: USER_PROFILE_URL,
        scopes: SCOPES,
        defaultScope: ['user:info'],
        secretOptions: ['apiKey'],
      },
      options !== null && typeof options === 'object' ? { ...options, customHeaders: withApiKey(options.customHeaders, apiKey as string) } : options,
      verify as never,
    );
  }

  protected override loadProfile(accessToken: string, _context: LoginContext<ToornamentTokenResponse>): Promise<ToornamentProfile> {
    return this.fetchProfile(this.userProfileURL, accessToken, parseProfile);
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
