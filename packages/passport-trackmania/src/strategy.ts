import {
  CachedTokenSource,
  ProviderStrategy,
  objectBody,
  type LoginContext,
  type ProviderStrategyOptions,
  type StrategyConstructor,
  type TokenResponse,
  type TokenSet,
} from '@maniapass/oauth2-core';
import { parseProfile, type TrackmaniaProfile } from './profile';

export const AUTHORIZATION_URL = 'https://api.trackmania.com/oauth/authorize';
export const TOKEN_URL = 'https://api.trackmania.com/api/access_token';
export const USER_PROFILE_URL = 'https://api.trackmania.com/api/user';
/** Account id → display name; takes client-credentials tokens. */
export const DISPLAY_NAMES_PATH = '/api/display-names';
const MAX_IDS_PER_REQUEST = 50;
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

  private appTokens?: CachedTokenSource<TokenSet<TrackmaniaTokenResponse>>;

  /**
   * Display names of Trackmania accounts, by account id, with a cached client-credentials token (no user needed).
   * Asks in batches of 50 ids, the API's limit. Unknown ids are absent from the result, and so is any id the answer
   * names but the call did not ask for. The result has no prototype: `names['constructor']` is only ever a name.
   */
  async displayNames(accountIds: readonly string[]): Promise<Record<string, string>> {
    if (!Array.isArray(accountIds) || accountIds.some((id) => typeof id !== 'string' || id === '')) {
      throw new TypeError('trackmania: displayNames() takes an array of account ids');
    }
    this.appTokens ??= this.clientCredentialsSource();
    const { accessToken } = await this.appTokens.get();
    // No prototype: looking up any id (`constructor`, `__proto__`) finds only what the API answered.
    const names: Record<string, string> = Object.create(null) as Record<string, string>;
    const unique = [...new Set(accountIds)];
    const asked = new Set(unique);
    for (let i = 0; i < unique.length; i += MAX_IDS_PER_REQUEST) {
      const url = new URL(DISPLAY_NAMES_PATH, this.userProfileURL);
      for (const id of unique.slice(i, i + MAX_IDS_PER_REQUEST)) url.searchParams.append('accountId[]', id);
      const { json } = await this.client.json<Record<string, string> | null>({ url: url.toString(), accessToken });
      for (const [id, name] of Object.entries(objectBody(json) ?? {})) if (typeof name === 'string' && asked.has(id)) names[id] = name;
    }
    return names;
  }

  protected override loadProfile(accessToken: string, _context: LoginContext<TrackmaniaTokenResponse>): Promise<TrackmaniaProfile> {
    return this.fetchProfile(this.userProfileURL, accessToken, parseProfile);
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
