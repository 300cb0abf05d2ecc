import { ProviderStrategy, type ProviderStrategyOptions, type StrategyConstructor } from '@maniapass/oauth2-core';
import {
  maniaplanet,
  maniaplanetMeURL,
  parseDedicatedAccounts,
  parseMaps,
  parseTitles,
  MANIAPLANET_DEDICATED_SUBPATH,
  MANIAPLANET_EMAIL_SUBPATH,
  MANIAPLANET_MAPS_SUBPATH,
  MANIAPLANET_TITLES_SUBPATH,
  type ManiaplanetDedicatedAccount,
  type ManiaplanetMap,
  type ManiaplanetProfile,
  type ManiaplanetProviderOptions,
  type ManiaplanetScope,
  type ManiaplanetSettings,
  type ManiaplanetTitle,
  type ManiaplanetTokenResponse,
} from '@maniapass/providers';

export type { ManiaplanetScope, ManiaplanetTokenResponse };

/** The options of the ManiaPlanet strategy: every strategy's options (`@maniapass/oauth2-core`) and ManiaPlanet's own (`baseURL`). */
export interface ManiaplanetStrategyOptions extends Omit<ProviderStrategyOptions, 'scope'>, ManiaplanetProviderOptions {}

/** Sign in with a ManiaPlanet account through ManiaPlanet Web Services; named `maniaplanet`. */
class ManiaplanetStrategy extends ProviderStrategy<ManiaplanetProfile, ManiaplanetTokenResponse, ManiaplanetSettings> {
  /** The host the default endpoints were built from. */
  readonly baseURL: string;
  /** `GET` the e-mail address (scope `email`): the profile URL + `/email`. */
  readonly emailURL: string;

  constructor(options: ManiaplanetStrategyOptions & { passReqToCallback?: boolean }, verify: (...args: never[]) => unknown) {
    super(maniaplanet, options, verify as never, `${__dirname}/..`);
    this.baseURL = this.settings.baseURL;
    this.emailURL = this.meURL(MANIAPLANET_EMAIL_SUBPATH);
  }

  /** The user's dedicated server accounts. Needs a user token with the `dedicated` scope. */
  async dedicatedAccounts(accessToken: string): Promise<ManiaplanetDedicatedAccount[]> {
    return this.fetchProfile(this.meURL(MANIAPLANET_DEDICATED_SUBPATH), requireToken('dedicatedAccounts', accessToken), parseDedicatedAccounts);
  }

  /** The title packs the user created. Needs a user token with the `titles` scope. */
  async titles(accessToken: string): Promise<ManiaplanetTitle[]> {
    return this.fetchProfile(this.meURL(MANIAPLANET_TITLES_SUBPATH), requireToken('titles', accessToken), parseTitles);
  }

  /** The maps the user uploaded. Needs a user token with the `maps` scope. */
  async maps(accessToken: string): Promise<ManiaplanetMap[]> {
    return this.fetchProfile(this.meURL(MANIAPLANET_MAPS_SUBPATH), requireToken('maps', accessToken), parseMaps);
  }

  /** A route under the profile URL: `/webservices/me` + `subpath`, wherever the profile URL points. */
  private meURL(subpath: string): string {
    return maniaplanetMeURL(this.userProfileURL, subpath);
  }
}

/** An access token argument: a non-empty string. */
function requireToken(method: string, accessToken: unknown): string {
  if (typeof accessToken !== 'string' || accessToken === '') throw new TypeError(`maniaplanet: ${method}() takes the user's access token (a non-empty string)`);
  return accessToken;
}

/**
 * Passport strategy for ManiaPlanet Web Services OAuth2.
 *
 * ```ts
 * passport.use(new Strategy({ clientID, clientSecret, callbackURL }, async (accessToken, refreshToken, profile) => user));
 * ```
 */
export const Strategy: StrategyConstructor<ManiaplanetStrategy, ManiaplanetStrategyOptions, ManiaplanetProfile, ManiaplanetTokenResponse> = ManiaplanetStrategy;
export type Strategy = ManiaplanetStrategy;
export { ManiaplanetStrategy };
