import {
  ProviderStrategy,
  baseURLOption,
  type LoginContext,
  type ProviderStrategyOptions,
  type StrategyConstructor,
  type TokenResponse,
} from '@maniapass/oauth2-core';
import { parseDedicatedAccounts, parseMaps, parseTitles, type ManiaplanetDedicatedAccount, type ManiaplanetMap, type ManiaplanetTitle } from './api';
import { parseEmail, parseProfile, type ManiaplanetProfile } from './profile';

/** The Web Services host of the current documentation (it moved from `v4.live.maniaplanet.com` in 2018). */
export const BASE_URL = 'https://prod.live.maniaplanet.com';
/** The authorization endpoint's path on `baseURL`. */
export const AUTHORIZATION_PATH = '/login/oauth2/authorize';
/** The token endpoint's path on `baseURL`. */
export const TOKEN_PATH = '/login/oauth2/access_token';
/** The profile endpoint's path on `baseURL`. */
export const USER_PROFILE_PATH = '/webservices/me';
/** Relative to the profile URL: `/webservices/me/email`. Needs the `email` scope. */
const EMAIL_SUBPATH = '/email';
/** Relative to the profile URL, each with its scope: the user's dedicated servers, created titles and maps. */
const DEDICATED_SUBPATH = '/dedicated';
const TITLES_SUBPATH = '/titles/created';
const MAPS_SUBPATH = '/maps';
/** ManiaPlanet's authorization endpoint. */
export const AUTHORIZATION_URL = `${BASE_URL}${AUTHORIZATION_PATH}`;
/** ManiaPlanet's token endpoint. */
export const TOKEN_URL = `${BASE_URL}${TOKEN_PATH}`;
/** The signed-in player's login, nickname and zone. */
export const USER_PROFILE_URL = `${BASE_URL}${USER_PROFILE_PATH}`;
/** The documented scopes. */
export const SCOPES = ['basic', 'dedicated', 'titles', 'events', 'maps', 'email'] as const;
/** `basic` gives the login, nickname and zone path that make the profile. */
export const DEFAULT_SCOPE: readonly ManiaplanetScope[] = ['basic'];

/** A documented scope. */
export type ManiaplanetScope = (typeof SCOPES)[number];

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

/** The token endpoint's answer: `{ token_type, expires_in, access_token, refresh_token }`. */
export type ManiaplanetTokenResponse = TokenResponse;

/** Sign in with a ManiaPlanet account through ManiaPlanet Web Services; named `maniaplanet`. */
class ManiaplanetStrategy extends ProviderStrategy<ManiaplanetProfile, ManiaplanetTokenResponse> {
  /** The host the default endpoints were built from. */
  readonly baseURL: string;
  /** `GET` the e-mail address (scope `email`): the profile URL + `/email`. */
  readonly emailURL: string;

  constructor(options: ManiaplanetStrategyOptions & { passReqToCallback?: boolean }, verify: (...args: never[]) => unknown) {
    const baseURL = baseURLOption('maniaplanet', 'baseURL', (options as Partial<ManiaplanetStrategyOptions> | null)?.baseURL) ?? BASE_URL;
    super(
      {
        name: 'maniaplanet',
        packageDir: `${__dirname}/..`,
        authorizationURL: `${baseURL}${AUTHORIZATION_PATH}`,
        tokenURL: `${baseURL}${TOKEN_PATH}`,
        userProfileURL: `${baseURL}${USER_PROFILE_PATH}`,
        scopes: SCOPES,
        defaultScope: DEFAULT_SCOPE,
      },
      options,
      verify as never,
    );
    this.baseURL = baseURL;
    this.emailURL = this.meURL(EMAIL_SUBPATH);
  }

  /** The user's dedicated server accounts. Needs a user token with the `dedicated` scope. */
  async dedicatedAccounts(accessToken: string): Promise<ManiaplanetDedicatedAccount[]> {
    return this.fetchProfile(this.meURL(DEDICATED_SUBPATH), requireToken('dedicatedAccounts', accessToken), parseDedicatedAccounts);
  }

  /** The title packs the user created. Needs a user token with the `titles` scope. */
  async titles(accessToken: string): Promise<ManiaplanetTitle[]> {
    return this.fetchProfile(this.meURL(TITLES_SUBPATH), requireToken('titles', accessToken), parseTitles);
  }

  /** The maps the user uploaded. Needs a user token with the `maps` scope. */
  async maps(accessToken: string): Promise<ManiaplanetMap[]> {
    return this.fetchProfile(this.meURL(MAPS_SUBPATH), requireToken('maps', accessToken), parseMaps);
  }

  /** A route under the profile URL: `/webservices/me` + `subpath`, wherever the profile URL points. */
  private meURL(subpath: string): string {
    const url = new URL(this.userProfileURL);
    url.pathname = `${url.pathname.replace(/(?<!\/)\/+$/, '')}${subpath}`;
    return url.toString();
  }

  /**
   * The profile; with the `email` scope in this login's scope (constructor's or per request), the e-mail too. The
   * two calls need only the token, so they go out at once (one round trip, not two). A bad profile fails the login
   * with the profile's error whichever answer comes first; a failed e-mail call fails it too.
   */
  // Not an async function: every sign-in's path, and an async function that returns a promise costs turns of the
  // microtask queue.
  protected override loadProfile(accessToken: string, context: LoginContext<ManiaplanetTokenResponse>): Promise<ManiaplanetProfile> {
    const profileCall = this.fetchProfile(this.userProfileURL, accessToken, (raw) => parseProfile(raw));
    if (!context.scope.includes('email')) return profileCall;
    const emailCall = this.fetchProfile(this.emailURL, accessToken, parseEmail);
    // Read only after the profile (whose failure is the one reported): its rejection must not go unhandled meanwhile.
    emailCall.catch(() => undefined);
    return profileCall.then((profile) =>
      emailCall.then((email) => {
        if (email) profile.emails = [{ value: email }];
        return profile;
      }),
    );
  }

  /** With `email`, the profile and e-mail calls run at once: two connections are opened ahead. */
  protected override concurrentProfileCalls(scope: readonly string[]): number {
    return scope.includes('email') ? 2 : 1;
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
