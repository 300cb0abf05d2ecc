import { ProviderStrategy, type ApiRequest, type LoginContext, type ProviderStrategyOptions, type StrategyConstructor } from '@maniapass/oauth2-core';
import {
  toornament,
  TOORNAMENT_API_KEY_HEADER,
  TOORNAMENT_AUTHORIZATION_URL,
  TOORNAMENT_SCOPES,
  TOORNAMENT_TOKEN_URL,
  TOORNAMENT_USER_PROFILE_URL,
  type GrantFields,
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

/** The core sends `customHeaders` on every outbound call: the definition's headers replace any spelled otherwise. */
function withProviderHeaders(headers: Record<string, string> | undefined, settings: ToornamentSettings): Record<string, string> {
  const own = toornament.headers?.(settings) ?? {};
  const names = new Set(Object.keys(own).map((name) => name.toLowerCase()));
  const rest = Object.entries(headers ?? {}).filter(([name]) => !names.has(name.toLowerCase()));
  return { ...Object.fromEntries(rest), ...own };
}

/** Sign in with a Toornament account; named `toornament`. Every call sends the application's API key. */
class ToornamentStrategy extends ProviderStrategy<ToornamentProfile, ToornamentTokenResponse> {
  private readonly settings: ToornamentSettings;

  constructor(options: ToornamentStrategyOptions & { passReqToCallback?: boolean }, verify: (...args: never[]) => unknown) {
    const isObject = options !== null && typeof options === 'object';
    // The API key is checked first, so that its absence is named; a missing options object is the core's to name.
    const settings = isObject ? toornament.settings(options as unknown as Record<string, unknown>, 'toornament strategy') : undefined;
    super(
      {
        name: toornament.id,
        packageDir: `${__dirname}/..`,
        ...toornament.endpoints(settings!),
        scopes: toornament.scopes,
        defaultScope: toornament.defaultScope,
        secretOptions: toornament.secretOptions,
      },
      isObject ? { ...options, customHeaders: withProviderHeaders(options.customHeaders, settings!) } : options,
      verify as never,
    );
    this.settings = settings!;
  }

  /** The definition's token request where the provider deviates, else the core's form POST. */
  protected override tokenRequest(grant: GrantFields): ApiRequest {
    const { clientID, clientSecret } = this.credentials;
    return toornament.tokenRequest?.(grant, { clientID, clientSecret, endpoints: this, settings: this.settings }) ?? super.tokenRequest(grant);
  }

  /** The definition's profile loader, on this strategy's client (bound by `loginTimeout` during a sign-in). */
  protected override loadProfile(accessToken: string, context: LoginContext<ToornamentTokenResponse>): Promise<ToornamentProfile> {
    return toornament.loadProfile(this.client, accessToken, {
      tokenResponse: context.tokenResponse,
      scope: context.scope,
      endpoints: this,
      settings: this.settings,
    });
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
