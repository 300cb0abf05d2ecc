import { CachedTokenSource, ProviderStrategy, type ProviderStrategyOptions, type StrategyConstructor, type TokenSet } from '@maniapass/oauth2-core';
import {
  parseAdminClubs,
  parseFavoriteMaps,
  parseLookup,
  parseMapRecords,
  trackmania,
  TRACKMANIA_ACCOUNT_IDS_PATH,
  TRACKMANIA_ADMIN_CLUBS_PATH,
  TRACKMANIA_DISPLAY_NAMES_PATH,
  TRACKMANIA_FAVORITE_MAPS_PATH,
  TRACKMANIA_MAP_RECORDS_PATH,
  type TrackmaniaClub,
  type TrackmaniaFavoriteMap,
  type TrackmaniaMapRecord,
  type TrackmaniaProfile,
  type TrackmaniaProviderOptions,
  type TrackmaniaScope,
  type TrackmaniaTokenResponse,
} from '@maniapass/providers';

// Documented for id → name lookups; used for every list sent in a query, which also keeps URLs short.
const MAX_VALUES_PER_REQUEST = 50;

export type { TrackmaniaScope, TrackmaniaTokenResponse };

/** The options of the Trackmania strategy: every strategy's options (`@maniapass/oauth2-core`) and Trackmania's own. */
export interface TrackmaniaStrategyOptions extends Omit<ProviderStrategyOptions, 'scope'>, TrackmaniaProviderOptions {}

/** Sign in with a Trackmania (Ubisoft Nadeo) account through api.trackmania.com; named `trackmania`. */
class TrackmaniaStrategy extends ProviderStrategy<TrackmaniaProfile, TrackmaniaTokenResponse, Record<string, never>> {
  constructor(options: TrackmaniaStrategyOptions & { passReqToCallback?: boolean }, verify: (...args: never[]) => unknown) {
    super(trackmania, options, verify as never, `${__dirname}/..`);
  }

  private appTokens?: CachedTokenSource<TokenSet<TrackmaniaTokenResponse>>;

  /**
   * Display names of Trackmania accounts, by account id, with a cached client-credentials token (no user needed).
   * Asks in batches of 50 ids, the API's limit. Unknown ids are absent from the result, and so is any id the answer
   * names but the call did not ask for. The result has no prototype: `names['constructor']` is only ever a name.
   */
  async displayNames(accountIds: readonly string[]): Promise<Record<string, string>> {
    return this.lookup(TRACKMANIA_DISPLAY_NAMES_PATH, 'accountId', requireList('displayNames', 'account ids', accountIds));
  }

  /**
   * Account ids by display name, with a cached client-credentials token (no user needed). Asks in batches of 50
   * names. Names nobody has are absent from the result; keys are the names as the API answers them.
   */
  async accountIds(displayNames: readonly string[]): Promise<Record<string, string>> {
    return this.lookup(TRACKMANIA_ACCOUNT_IDS_PATH, 'displayName', requireList('accountIds', 'display names', displayNames));
  }

  /** The clubs the user is an admin of. Needs a user token with the `clubs` scope. */
  async adminClubs(accessToken: string): Promise<TrackmaniaClub[]> {
    return this.fetchProfile(this.apiURL(TRACKMANIA_ADMIN_CLUBS_PATH), requireToken('adminClubs', accessToken), parseAdminClubs);
  }

  /**
   * One page of the user's favorite maps: `length` maps (default 10, as the API) after the first `offset`
   * (default 0). Needs a user token with the `read_favorite` scope.
   */
  async favoriteMaps(accessToken: string, options: { length?: number; offset?: number } = {}): Promise<TrackmaniaFavoriteMap[]> {
    requireToken('favoriteMaps', accessToken);
    if (options === null || typeof options !== 'object') throw new TypeError('trackmania: favoriteMaps() takes an options object { length?, offset? }');
    const { length = 10, offset = 0 } = options;
    if (!Number.isSafeInteger(length) || length < 1) throw new TypeError(`trackmania: favoriteMaps() length must be a positive integer, got ${String(length)}`);
    if (!Number.isSafeInteger(offset) || offset < 0)
      throw new TypeError(`trackmania: favoriteMaps() offset must be a non-negative integer, got ${String(offset)}`);
    const url = new URL(this.apiURL(TRACKMANIA_FAVORITE_MAPS_PATH));
    url.searchParams.set('length', String(length));
    url.searchParams.set('offset', String(offset));
    return this.fetchProfile(url.toString(), accessToken, parseFavoriteMaps);
  }

  /** Adds a map (by uid) to the user's favorites. Needs a user token with the `write_favorite` scope. */
  async addFavoriteMap(accessToken: string, mapUid: string): Promise<void> {
    await this.changeFavorite('addFavoriteMap', '/add', accessToken, mapUid);
  }

  /** Removes a map (by uid) from the user's favorites. Needs a user token with the `write_favorite` scope. */
  async removeFavoriteMap(accessToken: string, mapUid: string): Promise<void> {
    await this.changeFavorite('removeFavoriteMap', '/remove', accessToken, mapUid);
  }

  /** The user's records on the given maps (map ids, not uids), asked 50 maps at a time. Needs a user token. */
  async mapRecords(accessToken: string, mapIds: readonly string[]): Promise<TrackmaniaMapRecord[]> {
    requireToken('mapRecords', accessToken);
    const records: TrackmaniaMapRecord[] = [];
    for (const batch of batches(requireList('mapRecords', 'map ids', mapIds))) {
      const url = new URL(this.apiURL(TRACKMANIA_MAP_RECORDS_PATH));
      // Indexed, as clients of the real API send it.
      batch.forEach((id, i) => url.searchParams.append(`mapId[${i}]`, id));
      records.push(...(await this.fetchProfile(url.toString(), accessToken, parseMapRecords)));
    }
    return records;
  }

  /** A path on the API host (the profile URL's). */
  private apiURL(path: string): string {
    return new URL(path, this.userProfileURL).toString();
  }

  private async lookup(path: string, param: string, values: string[]): Promise<Record<string, string>> {
    this.appTokens ??= this.clientCredentialsSource();
    const { accessToken } = await this.appTokens.get();
    // No prototype, and only the keys asked for: looking up any name or id (`constructor`, `__proto__`) finds only
    // what the API answered for it.
    const found: Record<string, string> = Object.create(null) as Record<string, string>;
    const asked = new Set(values);
    for (const batch of batches(values)) {
      const url = new URL(this.apiURL(path));
      for (const value of batch) url.searchParams.append(`${param}[]`, value);
      for (const [key, value] of Object.entries(await this.fetchProfile(url.toString(), accessToken, parseLookup))) if (asked.has(key)) found[key] = value;
    }
    return found;
  }

  private async changeFavorite(method: string, subpath: string, accessToken: string, mapUid: string): Promise<void> {
    requireToken(method, accessToken);
    if (typeof mapUid !== 'string' || mapUid === '') throw new TypeError(`trackmania: ${method}() takes the map uid (a non-empty string)`);
    // 204 No Content when done; any other 2xx is taken as done too.
    await this.client.text({ method: 'POST', url: this.apiURL(`${TRACKMANIA_FAVORITE_MAPS_PATH}${subpath}`), accessToken, json: { uid: mapUid } });
  }
}

/** An access token argument: a non-empty string. */
function requireToken(method: string, accessToken: unknown): string {
  if (typeof accessToken !== 'string' || accessToken === '') throw new TypeError(`trackmania: ${method}() takes the user's access token (a non-empty string)`);
  return accessToken;
}

/** A non-empty list of non-empty strings, without duplicates. */
function requireList(method: string, what: string, values: unknown): string[] {
  if (!Array.isArray(values) || values.length === 0 || values.some((v) => typeof v !== 'string' || v === '')) {
    throw new TypeError(`trackmania: ${method}() takes a non-empty array of ${what} (non-empty strings)`);
  }
  return [...new Set(values as string[])];
}

function batches(values: string[]): string[][] {
  const out: string[][] = [];
  for (let i = 0; i < values.length; i += MAX_VALUES_PER_REQUEST) out.push(values.slice(i, i + MAX_VALUES_PER_REQUEST));
  return out;
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
