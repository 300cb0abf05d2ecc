import { ProviderStrategy, type ProviderStrategyOptions, type StrategyConstructor } from '@maniapass/oauth2-core';
import {
  maniaplanet,
  maniaplanetMeURL,
  parseDedicatedAccounts,
  parseMaps,
  parseTitles,
  MANIAPLANET_AUTHORIZATION_PATH,
  MANIAPLANET_AUTHORIZATION_URL,
  MANIAPLANET_BASE_URL,
  MANIAPLANET_DEDICATED_SUBPATH,
  MANIAPLANET_DEFAULT_SCOPE,
  MANIAPLANET_EMAIL_SUBPATH,
  MANIAPLANET_MAPS_SUBPATH,
  MANIAPLANET_SCOPES,
  MANIAPLANET_TITLES_SUBPATH,
  MANIAPLANET_TOKEN_PATH,
  MANIAPLANET_TOKEN_URL,
  MANIAPLANET_USER_PROFILE_PATH,
  MANIAPLANET_USER_PROFILE_URL,
  type ManiaplanetDedicatedAccount,
  type ManiaplanetMap,
  type ManiaplanetProfile,
  type ManiaplanetScope,
  type ManiaplanetSettings,
  type ManiaplanetTitle,
  type ManiaplanetTokenResponse,
} from '@maniapass/providers';

/** The Web Services host of the current documentation (it moved from `v4.live.maniaplanet.com` in 2018). */
export const BASE_URL = MANIAPLANET_BASE_URL;
/** The consent page, on the base URL. */
export const AUTHORIZATION_PATH = MANIAPLANET_AUTHORIZATION_PATH;
/** Every grant, on the base URL. */
export const TOKEN_PATH = MANIAPLANET_TOKEN_PATH;
/** `GET /webservices/me`, on the base URL. */
export const USER_PROFILE_PATH = MANIAPLANET_USER_PROFILE_PATH;
/** The default authorization URL. */
export const AUTHORIZATION_URL = MANIAPLANET_AUTHORIZATION_URL;
/** The default token URL. */
export const TOKEN_URL = MANIAPLANET_TOKEN_URL;
/** The default profile URL. */
export const USER_PROFILE_URL = MANIAPLANET_USER_PROFILE_URL;
/** The documented scopes. */
export const SCOPES = MANIAPLANET_SCOPES;
/** `basic` gives the login, nickname and zone path that make the profile. */
export const DEFAULT_SCOPE = MANIAPLANET_DEFAULT_SCOPE;

export type { ManiaplanetScope, ManiaplanetTokenResponse };

/** The options of the ManiaPlanet strategy: every strategy's options (`@maniapass/oauth2-core`), scopes typed, and `baseURL`. */
export interface ManiaplanetStrategyOptions extends ProviderStrategyOptions {
  /**
   * Any of `basic`, `dedicated`, `titles`, `events`, `maps`, `email`. Default `basic`, which the profile needs.
   * With `email`, the e-mail address is fetched too and given as `profile.emails`.
   */
  scope?: ManiaplanetScope | string | readonly ManiaplanetScope[];
  /**
   * The Web Services host: `https://prod.live.maniaplanet.com` by default (`https://www.maniaplanet.com` and the
   * older `https://v4.live.maniaplanet.com` are seen too). Sets the authorization, token and profile URLs;
   * `authorizationURL`, `tokenURL` and `userProfileURL` still override each one.
   */
  baseURL?: string;
}

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
