import { createHash } from 'node:crypto';
import { MemoryStore, type SharedStore } from '@maniapass/http';
import {
  CORE_URL,
  JSONWebToken,
  LIVE_URL,
  MEET_URL,
  NadeoClient,
  OAUTH_URL,
  verifyAudience,
  type NadeoClientOptions,
  type NadeoRequestOptions,
} from 'nadeo-auth';
import { Batcher, splitIds } from './batcher';
import { JsonCache } from './cache';
import { AccountTypeError, NadeoInputError } from './errors';
import { arrayOf, isEmptyObject, leaderboardRecord, mapRecord, objectOf, throwIfErrorAnswer, typedError } from './quirks';
import type {
  ChallengeLeaderboard,
  Club,
  ClubCampaign,
  ClubCampaigns,
  ClubList,
  ClubMembers,
  Competition,
  CompetitionResult,
  CompetitionRound,
  CoreMapInfo,
  CupOfTheDay,
  Leaderboard,
  LeaderboardRecord,
  LeaderboardZone,
  LiveMapInfo,
  LiveMapInfoList,
  MapRecord,
  MatchmakingRanks,
  OfficialCampaigns,
  PlayerClubRecord,
  PlayerZone,
  PositionByTime,
  TrackOfTheDayMonths,
  Zone,
} from './types';
import * as check from './validate';

/** Documented limits, enforced before any request. */
export const LIMITS = {
  /** Live leaderboards: records a request. */
  leaderboardLength: 100,
  /** Live leaderboards: only the first 10,000 records are served. */
  leaderboardEnd: 10_000,
  /** Live leaderboards: records served without `onlyWorld=true`. */
  withoutOnlyWorld: 5,
  /** Live `map/get-multiple`: map UIDs a request. */
  liveMapInfo: 100,
  /** Live position by time: maps a request. */
  positionByTime: 50,
  /** api.trackmania.com display names: ids (or names) a request. */
  displayNames: 50,
  /** Live clubs, club members and club campaigns: entries a request. */
  clubPage: 250,
  /** Meet competitions, challenge leaderboards and matchmaking rankings: entries a request. */
  meetPage: 100,
  /** Meet competition leaderboards: entries a request. */
  competitionLeaderboard: 255,
} as const;

/** Cache lifetimes, in milliseconds; 0 turns a cache off. */
export interface CacheTtls {
  /** Display names (api.trackmania.com). Default 6 hours. */
  displayNames?: number;
  /** The zone list and players' zones. Default 24 hours. */
  zones?: number;
  /** Map info (Live and Core). Default 1 hour. */
  mapInfo?: number;
}

/** Options of `NadeoAPI`: a `NadeoClient` (or what it needs), and the caches. */
export interface NadeoAPIOptions extends Partial<NadeoClientOptions> {
  /**
   * The client to send requests with. Default: a `NadeoClient` made from these same options (`account`, `oauth`,
   * `userAgent`, URLs, `minInterval`...). When you pass one, pass the URLs it was made with too.
   */
  client?: NadeoClient;
  /**
   * Where display names, zones and map info are cached. Default: a `MemoryStore` of this instance bounded by
   * `cacheEntries`. A `RedisStore` (from @maniapass/redis-store) shares them between processes.
   */
  cacheStore?: SharedStore;
  /** Entries of the default in-memory cache. Default 10000. */
  cacheEntries?: number;
  /** Cache lifetimes. */
  cacheTtl?: CacheTtls;
}

/** A page of a listing. */
export interface PageOptions {
  /** Entries to get. */
  length?: number;
  /** Entries to skip. */
  offset?: number;
}

/** Parameters of a Live leaderboard's top. */
export interface LeaderboardTopOptions extends PageOptions {
  /** The map's UID. */
  mapUid: string;
  /** `Personal_Best` (default: the map's all-time leaderboard) or a season's UID. */
  groupUid?: string;
  /**
   * Only the world leaderboard. Default `true` (as Nadeo recommends) unless `zoneId` is given. More than the first
   * 5 records need it.
   */
  onlyWorld?: boolean;
  /** A zone's top 5 instead of the world's (`onlyWorld` must then be left out or `false`). */
  zoneId?: string;
}

/** Parameters of a Live leaderboard's records around a score. */
export interface LeaderboardSurroundOptions {
  /** The map's UID. */
  mapUid: string;
  /** Default `Personal_Best`. */
  groupUid?: string;
  /** The score (milliseconds) to get the neighbours of. Without it, the account's own PB (service accounts). */
  score?: number;
  /** Records below the score: 0 or 1 (Nadeo returns at most one). Default 1. */
  lower?: number;
  /** Records above the score: 0 or 1. Default 1. */
  upper?: number;
  /** Default `true`. */
  onlyWorld?: boolean;
}

/** One score to place on a map's leaderboard. */
export interface PositionQuery {
  /** The map's UID. */
  mapUid: string;
  /** Milliseconds. */
  score: number;
  /** Default `Personal_Best`. */
  groupUid?: string;
}

/** A lookup of records on one map for some accounts (Core). */
export interface MapRecordsOptions {
  /** The map's id (not its UID: `getMapsInfoCore` translates). */
  mapId: string;
  /** The accounts, any number. */
  accountIds: readonly string[];
  /** A season (group) id; leave out for personal bests. */
  seasonId?: string;
  /** `TimeAttack`, `TimeAttackClone`, `Stunt`, `Platform`... */
  gameMode?: string;
}

/** A lookup of the authenticated account's own records (Core). */
export interface AccountRecordsOptions {
  /** The logged-in service account's id (Nadeo refuses any other with 403). */
  accountId: string;
  /** Maps to get the records of; or `seasonIds`, not both. */
  mapIds?: readonly string[];
  /** Official campaign seasons; or `mapIds`, not both. */
  seasonIds?: readonly string[];
  /** `TimeAttack`, `TimeAttackClone`, `Stunt`, `Platform`... */
  gameMode?: string;
}

type Host = 'core' | 'live' | 'meet' | 'oauth';

const HOUR = 3_600_000;
const query = (q: Record<string, string | number | boolean | undefined | ReadonlyArray<string>>): NonNullable<NadeoRequestOptions['query']> => {
  const out: NonNullable<NadeoRequestOptions['query']> = {};
  for (const [name, value] of Object.entries(q)) if (value !== undefined) out[name] = value;
  return out;
};
/** What one more value adds to a comma-separated list in a URI: the value percent-encoded, and an encoded comma. */
const listCost = (value: string): number => encodeURIComponent(value).length + 3;
/** What one more value adds to a URI as a repeated parameter (`&players%5B%5D=value`). */
const repeatedCost =
  (name: string) =>
  (value: string): number =>
    encodeURIComponent(name).length + encodeURIComponent(value).length + 2;

/**
 * Nadeo's web services as typed calls, on a `NadeoClient` (tokens, refresh, pacing, 429 waits): each method names
 * its endpoint and audience, checks its parameters against the documented limits before any request, batches and
 * coalesces lookups by id, caches what lasts, and answers the documented shapes with the quirks made regular.
 *
 * ```ts
 * const api = new NadeoAPI({ account: { login, password }, oauth: { identifier, secret }, userAgent: 'my-bot / me@example.com' });
 * const top = await api.getLeaderboardTop({ mapUid: 'olsKnq_qAghcVAnEkoeUnVHFZei', length: 10 });
 * ```
 */
export class NadeoAPI {
  /** The client every request goes through. */
  readonly client: NadeoClient;
  private readonly urls: Record<Host, string>;
  private readonly liveMaps: Batcher<LiveMapInfo>;
  private readonly coreMaps: Batcher<CoreMapInfo>;
  private readonly names: Batcher<string>;
  private readonly playerZones: Batcher<PlayerZone>;
  private readonly zoneList: JsonCache<Zone[]>;
  private zoneFlight: Promise<Zone[]> | undefined;

  constructor(options: NadeoAPIOptions) {
    if (!options || typeof options !== 'object')
      throw new NadeoInputError('options', 'are required: { client } or the options of a NadeoClient ({ account, userAgent })');
    this.client = options.client ?? new NadeoClient(options as NadeoClientOptions);
    const base = (url: string | undefined, fallback: string) => (url ?? fallback).replace(/(?<!\/)\/+$/, '');
    this.urls = {
      core: base(options.coreURL, CORE_URL),
      live: base(options.liveURL, LIVE_URL),
      meet: base(options.meetURL, MEET_URL),
      oauth: base(options.oauthURL, OAUTH_URL),
    };
    // A client made for other hosts (an emulator's) would refuse every request: say so now, not at the first call.
    for (const [host, url] of Object.entries(this.urls)) {
      try {
        this.client.audienceFor(`${url}/`);
      } catch {
        throw new NadeoInputError(
          `${host}URL`,
          `${JSON.stringify(url.slice(0, 120))} is not a host of the given client: pass the URLs the client was made with`,
        );
      }
    }
    const store = options.cacheStore ?? new MemoryStore({ maxEntries: options.cacheEntries ?? 10_000 });
    const ttl = (value: number | undefined, fallback: number, name: string) => (value === undefined ? fallback : check.integer(value, `cacheTtl.${name}`, 0));
    const ttls = options.cacheTtl ?? {};
    const mapTtl = ttl(ttls.mapInfo, HOUR, 'mapInfo');
    const zoneTtl = ttl(ttls.zones, 24 * HOUR, 'zones');
    this.zoneList = new JsonCache(store, `${this.cacheScope('core')}zones`, zoneTtl);

    this.liveMaps = new Batcher({
      cache: new JsonCache(store, `${this.cacheScope('live')}live-map:`, mapTtl),
      split: (uids) =>
        splitIds(uids, {
          maxCount: LIMITS.liveMapInfo,
          baseLength: this.uriLength('live', '/api/token/map/get-multiple', { mapUidList: '' }),
          costOf: listCost,
        }),
      fetch: async (uids) => {
        const answer = await this.call<LiveMapInfoList>('live', 'GET', '/api/token/map/get-multiple', { query: { mapUidList: uids.join(',') } });
        return new Map(arrayOf<LiveMapInfo>('GET /api/token/map/get-multiple', answer?.mapList).map((m) => [m.uid, m]));
      },
    });
    this.coreMaps = new Batcher({
      cache: new JsonCache(store, `${this.cacheScope('core')}core-map:`, mapTtl),
      split: (uids) => splitIds(uids, { baseLength: this.uriLength('core', '/maps/by-uid/', { mapUidList: '' }), costOf: listCost }),
      fetch: async (uids) => {
        const answer = await this.call<CoreMapInfo[]>('core', 'GET', '/maps/by-uid/', { query: { mapUidList: uids.join(',') }, array: true });
        return new Map(arrayOf<CoreMapInfo>('GET /maps/by-uid/', answer).map((m) => [m.mapUid, m]));
      },
    });
    this.names = new Batcher({
      cache: new JsonCache(store, `${this.cacheScope('oauth')}display-name:`, ttl(ttls.displayNames, 6 * HOUR, 'displayNames')),
      split: (ids) =>
        splitIds(ids, { maxCount: LIMITS.displayNames, baseLength: this.uriLength('oauth', '/api/display-names', {}), costOf: repeatedCost('accountId[]') }),
      fetch: async (ids) => {
        const answer = objectOf<Record<string, unknown>>(
          'GET /api/display-names',
          await this.call('oauth', 'GET', '/api/display-names', { query: { 'accountId[]': ids } }),
        );
        const found = new Map<string, string>();
        for (const id of ids) {
          const name = Object.prototype.hasOwnProperty.call(answer, id) ? answer[id] : undefined;
          if (typeof name === 'string') found.set(id, name);
        }
        return found;
      },
    });
    this.playerZones = new Batcher({
      cache: new JsonCache(store, `${this.cacheScope('core')}player-zone:`, zoneTtl),
      split: (ids) => splitIds(ids, { baseLength: this.uriLength('core', '/accounts/zones/', { accountIdList: '' }), costOf: listCost }),
      fetch: async (ids) => {
        const answer = await this.call<PlayerZone[]>('core', 'GET', '/accounts/zones/', {
          query: { accountIdList: ids.join(',') },
          array: true,
          serviceOnly: true,
        });
        return new Map(arrayOf<PlayerZone>('GET /accounts/zones/', answer).map((z) => [z.accountId, z]));
      },
    });
  }

  // ---------------------------------------------------------------- any endpoint

  /**
   * Any GET endpoint of a host, by audience name (`core`, `live`, `meet`, `oauth` or any name nadeo-auth accepts;
   * `meet` goes to the Meet host): for what this package does not wrap. An unknown audience is refused before any
   * request.
   */
  async get<T = unknown>(audience: string, path: string, params?: NadeoRequestOptions['query']): Promise<T> {
    const canonical = verifyAudience(audience);
    const host: Host =
      audience.trim().toLowerCase() === 'meet' ? 'meet' : canonical === 'NadeoServices' ? 'core' : canonical === 'NadeoLiveServices' ? 'live' : 'oauth';
    if (typeof path !== 'string' || !path.startsWith('/') || path.startsWith('//') || /[?#\s]/.test(path)) {
      throw new NadeoInputError('path', `must be a path starting with / (the query goes in params), not ${check.shown(path)}`);
    }
    return this.call<T>(host, 'GET', path, { query: params ?? {}, array: true });
  }

  // ---------------------------------------------------------------- map info

  /**
   * Map info by UID from Live (`GET /api/token/map/get-multiple`, NadeoLiveServices): any number of UIDs, 100 a
   * request, cached; concurrent lookups share requests. UIDs Nadeo does not know are left out of the map.
   */
  async getMapsInfo(mapUids: readonly string[]): Promise<Map<string, LiveMapInfo>> {
    return this.liveMaps.getMany(check.list(mapUids, 'mapUids', check.mapUid));
  }

  /** One map's info from Live (through `getMapsInfo`, so it is batched and cached); `undefined` for an unknown UID. */
  async getMapInfo(mapUid: string): Promise<LiveMapInfo | undefined> {
    const uid = check.mapUid(mapUid);
    return (await this.liveMaps.getMany([uid])).get(uid);
  }

  /**
   * Map info by UID from Core (`GET /maps/by-uid/`, NadeoServices), with the map ids Core's records need: any number
   * of UIDs, split so that no request URI reaches 8,220 characters (Nadeo answers 414 there), cached.
   */
  async getMapsInfoCore(mapUids: readonly string[]): Promise<Map<string, CoreMapInfo>> {
    return this.coreMaps.getMany(check.list(mapUids, 'mapUids', check.mapUid));
  }

  /** Map info by map id from Core (`GET /maps/by-id/`, NadeoServices): any number of ids, split by URI length. */
  async getMapsInfoById(mapIds: readonly string[]): Promise<CoreMapInfo[]> {
    const ids = check.list(mapIds, 'mapIds', check.mapId);
    return this.splitCalls<CoreMapInfo>('core', '/maps/by-id/', { name: 'mapIdList', ids }, {});
  }

  // ---------------------------------------------------------------- leaderboards

  /**
   * A map's leaderboard (`GET /api/token/leaderboard/group/{groupUid}/map/{mapUid}/top`, NadeoLiveServices):
   * `length` ≤ 100, `offset + length` ≤ 10,000, `onlyWorld=true` sent unless a zone is asked for. `null` when the
   * group is invalid or closed (Nadeo's `{}`); hidden scores are `null` with `hidden: true`.
   */
  async getLeaderboardTop(options: LeaderboardTopOptions): Promise<Leaderboard | null> {
    const uid = check.mapUid(options?.mapUid);
    const group = check.groupUid(options.groupUid ?? 'Personal_Best');
    const { length, offset } = check.page(options, { length: 5, maxLength: LIMITS.leaderboardLength, maxEnd: LIMITS.leaderboardEnd });
    const zoneId = options.zoneId === undefined ? undefined : check.uuid(options.zoneId, 'zoneId');
    const onlyWorld = options.onlyWorld ?? zoneId === undefined;
    if (!onlyWorld && offset + length > LIMITS.withoutOnlyWorld) {
      throw new NadeoInputError(
        'onlyWorld',
        `must be true to get records past the first ${LIMITS.withoutOnlyWorld} (Nadeo ignores length and offset without it; a zone has only its top ${LIMITS.withoutOnlyWorld})`,
      );
    }
    if (onlyWorld && zoneId !== undefined)
      throw new NadeoInputError('zoneId', 'is ignored by Nadeo with onlyWorld: leave onlyWorld out (or false) to get a zone');
    const answer = await this.call<Leaderboard | Record<string, never>>('live', 'GET', `/api/token/leaderboard/group/${group}/map/${uid}/top`, {
      query: query({ length, offset, onlyWorld, zoneId }),
    });
    return leaderboard('GET /api/token/leaderboard/.../top', answer);
  }

  /**
   * The records around a score (`GET .../surround/{lower}/{upper}`, NadeoLiveServices): at most one below and one
   * above (Nadeo's limit). `null` for an invalid or closed group, or no score and no PB (Nadeo's `{}`).
   */
  async getLeaderboardSurround(options: LeaderboardSurroundOptions): Promise<Leaderboard | null> {
    const uid = check.mapUid(options?.mapUid);
    const group = check.groupUid(options.groupUid ?? 'Personal_Best');
    const lower = check.integer(options.lower ?? 1, 'lower', 0, 1);
    const upper = check.integer(options.upper ?? 1, 'upper', 0, 1);
    const score = options.score === undefined ? undefined : check.integer(options.score, 'score', 0);
    const answer = await this.call<Leaderboard | Record<string, never>>(
      'live',
      'GET',
      `/api/token/leaderboard/group/${group}/map/${uid}/surround/${lower}/${upper}`,
      {
        query: query({ score, onlyWorld: options.onlyWorld ?? true }),
      },
    );
    return leaderboard('GET /api/token/leaderboard/.../surround', answer);
  }

  /**
   * The position each score would have on its map (`POST /api/token/leaderboard/group/map?scores[...]`,
   * NadeoLiveServices): any number of scores, 50 maps a request (a map twice goes in separate requests), one list.
   * Maps with an invalid or closed group are left out, as Nadeo does.
   */
  async getPositionsByTime(scores: readonly PositionQuery[]): Promise<PositionByTime[]> {
    if (!Array.isArray(scores)) throw new NadeoInputError('scores', `must be an array of { mapUid, score, groupUid? }, not ${check.shown(scores)}`);
    const entries = scores.map((s, i) => ({
      mapUid: check.mapUid(s?.mapUid, `scores[${i}].mapUid`),
      score: check.integer(s.score, `scores[${i}].score`, 0),
      groupUid: check.groupUid(s.groupUid ?? 'Personal_Best', `scores[${i}].groupUid`),
    }));
    const chunks: Array<typeof entries> = [];
    for (const entry of entries) {
      let chunk = chunks.find((c) => c.length < LIMITS.positionByTime && !c.some((e) => e.mapUid === entry.mapUid));
      if (!chunk) chunks.push((chunk = []));
      chunk.push(entry);
    }
    const answers = await Promise.all(
      chunks.map((chunk) =>
        this.call<PositionByTime[]>('live', 'POST', '/api/token/leaderboard/group/map', {
          query: Object.fromEntries(chunk.map((e) => [`scores[${e.mapUid}]`, e.score])),
          body: { maps: chunk.map((e) => ({ mapUid: e.mapUid, groupUid: e.groupUid })) },
          array: true,
        }),
      ),
    );
    return answers.flatMap((a) => arrayOf<PositionByTime>('POST /api/token/leaderboard/group/map', a));
  }

  /**
   * The authenticated player's record on a map and position in a club
   * (`GET /api/token/leaderboard/group/{groupUid}/map/{mapUid}/club/{clubId}`, NadeoLiveServices): service accounts
   * only. `null` for an invalid group or map (Nadeo's `{}`); `["clubMemberRole:error-notMember"]` is a `NadeoApiError`.
   */
  async getPlayerClubRecord(options: { mapUid: string; clubId: number; groupUid?: string }): Promise<PlayerClubRecord | null> {
    const uid = check.mapUid(options?.mapUid);
    const clubId = check.integer(options.clubId, 'clubId', 1);
    const group = check.groupUid(options.groupUid ?? 'Personal_Best');
    const answer = objectOf<PlayerClubRecord>(
      'GET /api/token/leaderboard/.../club',
      await this.call('live', 'GET', `/api/token/leaderboard/group/${group}/map/${uid}/club/${clubId}`, { serviceOnly: true }),
    );
    if (isEmptyObject(answer)) return null;
    return answer.score === -1 ? { ...answer, score: null } : answer;
  }

  // ---------------------------------------------------------------- campaigns

  /** Tracks of the Day by month (`GET /api/token/campaign/month`, NadeoLiveServices); `offset` looks back from this month. */
  async getTotds(options?: PageOptions): Promise<TrackOfTheDayMonths> {
    const { length, offset } = check.page(options, { length: 1, maxLength: 100 });
    return this.call('live', 'GET', '/api/token/campaign/month', { query: { length, offset } });
  }

  /** Royal maps by month (`GET /api/token/campaign/month?royal=true`, NadeoLiveServices). */
  async getRoyalMaps(options?: PageOptions): Promise<TrackOfTheDayMonths> {
    const { length, offset } = check.page(options, { length: 1, maxLength: 100 });
    return this.call('live', 'GET', '/api/token/campaign/month', { query: { length, offset, royal: true } });
  }

  /** Official seasonal campaigns, newest first (`GET /api/campaign/official`, NadeoLiveServices). */
  async getSeasonalCampaigns(options?: PageOptions): Promise<OfficialCampaigns> {
    const { length, offset } = check.page(options, { length: 1, maxLength: 100 });
    return this.call('live', 'GET', '/api/campaign/official', { query: { length, offset } });
  }

  /** Weekly Shorts campaigns, newest first (`GET /api/campaign/weekly-shorts`, NadeoLiveServices). */
  async getWeeklyShorts(options?: PageOptions): Promise<OfficialCampaigns> {
    const { length, offset } = check.page(options, { length: 1, maxLength: 100 });
    return this.call('live', 'GET', '/api/campaign/weekly-shorts', { query: { length, offset } });
  }

  /** Club campaigns (`GET /api/token/club/campaign`, NadeoLiveServices): `length` ≤ 250, `name` to search. */
  async getClubCampaigns(options?: PageOptions & { name?: string }): Promise<ClubCampaigns> {
    const { length, offset } = check.page(options, { length: 10, maxLength: LIMITS.clubPage });
    const name = check.optionalText(options?.name, 'name');
    return this.call('live', 'GET', '/api/token/club/campaign', { query: query({ length, offset, name }) });
  }

  /** One club campaign (`GET /api/token/club/{clubId}/campaign/{campaignId}`, NadeoLiveServices). */
  async getClubCampaign(clubId: number, campaignId: number): Promise<ClubCampaign> {
    const club = check.integer(clubId, 'clubId', 1);
    const campaign = check.integer(campaignId, 'campaignId', 1);
    return this.call('live', 'GET', `/api/token/club/${club}/campaign/${campaign}`);
  }

  // ---------------------------------------------------------------- clubs

  /** A club (`GET /api/token/club/{clubId}`, NadeoLiveServices); an unknown club is a `NadeoApiError` `club:error-notFound`. */
  async getClub(clubId: number): Promise<Club> {
    return this.call('live', 'GET', `/api/token/club/${check.integer(clubId, 'clubId', 1)}`);
  }

  /** Clubs (`GET /api/token/club`, NadeoLiveServices): `length` ≤ 250, `name` to search. */
  async getClubs(options?: PageOptions & { name?: string }): Promise<ClubList> {
    const { length, offset } = check.page(options, { length: 10, maxLength: LIMITS.clubPage });
    const name = check.optionalText(options?.name, 'name');
    return this.call('live', 'GET', '/api/token/club', { query: query({ length, offset, name }) });
  }

  /** A club's members (`GET /api/token/club/{clubId}/member`, NadeoLiveServices): `length` ≤ 250. */
  async getClubMembers(clubId: number, options?: PageOptions): Promise<ClubMembers> {
    const club = check.integer(clubId, 'clubId', 1);
    const { length, offset } = check.page(options, { length: 10, maxLength: LIMITS.clubPage });
    return this.call('live', 'GET', `/api/token/club/${club}/member`, { query: { length, offset } });
  }

  // ---------------------------------------------------------------- records (Core)

  /**
   * Records of accounts on one map (`GET /v2/mapRecords/by-account/`, NadeoServices): any number of accounts,
   * split by URI length. Hidden times are `null`.
   */
  async getMapRecords(options: MapRecordsOptions): Promise<MapRecord[]> {
    const map = check.mapId(options?.mapId);
    const ids = check.list(options.accountIds, 'accountIds', check.accountId);
    const seasonId = options.seasonId === undefined ? undefined : check.uuid(options.seasonId, 'seasonId');
    const gameMode = check.optionalText(options.gameMode, 'gameMode', 40);
    const records = await this.splitCalls<MapRecord>('core', '/v2/mapRecords/by-account/', { name: 'accountIdList', ids }, { mapId: map, seasonId, gameMode });
    return records.map(mapRecord);
  }

  /**
   * The authenticated account's records (`GET /v2/accounts/{accountId}/mapRecords`, NadeoServices): service accounts
   * only, on given maps or given seasons (not both), split by URI length. Hidden times are `null`.
   */
  async getAccountRecords(options: AccountRecordsOptions): Promise<MapRecord[]> {
    const account = check.accountId(options?.accountId);
    if ((options.mapIds === undefined) === (options.seasonIds === undefined)) {
      throw new NadeoInputError(
        'mapIds',
        'or seasonIds must be given, not both (Nadeo applies both to every record) and not neither (since 2026 Nadeo needs one)',
      );
    }
    const gameMode = check.optionalText(options.gameMode, 'gameMode', 40);
    const [name, ids] =
      options.mapIds !== undefined
        ? ['mapIdList', check.list(options.mapIds, 'mapIds', check.mapId)]
        : ['seasonIdList', check.list(options.seasonIds, 'seasonIds', (v, n) => check.uuid(v, n))];
    const records = await this.splitCalls<MapRecord>('core', `/v2/accounts/${account}/mapRecords`, { name, ids }, { gameMode }, { serviceOnly: true });
    return records.map(mapRecord);
  }

  /** One record by its id (`GET /mapRecords/{mapRecordId}`, NadeoServices). A hidden time is `null`. */
  async getMapRecord(mapRecordId: string): Promise<MapRecord> {
    return mapRecord(await this.call<MapRecord>('core', 'GET', `/mapRecords/${check.uuid(mapRecordId, 'mapRecordId')}`));
  }

  // ---------------------------------------------------------------- zones (Core)

  /** Every zone (`GET /zones/`, NadeoServices), cached for a day; concurrent callers share one request. */
  async getZones(): Promise<Zone[]> {
    const cached = await this.zoneList.get('');
    if (cached) return cached;
    this.zoneFlight ??= this.call<Zone[]>('core', 'GET', '/zones/', { array: true })
      .then(async (answer) => {
        const zones = arrayOf<Zone>('GET /zones/', answer);
        await this.zoneList.set('', zones);
        return zones;
      })
      .finally(() => (this.zoneFlight = undefined));
    return this.zoneFlight;
  }

  /**
   * Players' zones (`GET /accounts/zones/`, NadeoServices): service accounts only (a dedicated server's token gets
   * 401); any number of ids, split by URI length (414 past 8,220 characters), cached and coalesced.
   */
  async getPlayerZones(accountIds: readonly string[]): Promise<Map<string, PlayerZone>> {
    const ids = check.list(accountIds, 'accountIds', check.accountId);
    await this.refuseDedicated('core', 'GET /accounts/zones/');
    return this.playerZones.getMany(ids);
  }

  /** The zones from the world down to a zone: `['World', 'Europe', 'France', ...]` (names), from `getZones`. */
  async getZonePath(zoneId: string): Promise<Zone[]> {
    const id = check.uuid(zoneId, 'zoneId');
    const zones = await this.getZones();
    const byId = new Map(zones.map((z) => [z.zoneId.toLowerCase(), z]));
    const path: Zone[] = [];
    // Bounded by the number of zones: a cycle in the answer cannot loop.
    for (let zone = byId.get(id); zone && path.length <= zones.length; zone = zone.parentId ? byId.get(zone.parentId.toLowerCase()) : undefined)
      path.unshift(zone);
    return path;
  }

  /** A player's zone path, world first (`['World', 'Europe', 'France', 'Île-de-France']`); `undefined` for an unknown player. */
  async getPlayerZonePath(accountId: string): Promise<string[] | undefined> {
    const id = check.accountId(accountId);
    const zone = (await this.getPlayerZones([id])).get(id);
    return zone ? (await this.getZonePath(zone.zoneId)).map((z) => z.name) : undefined;
  }

  // ---------------------------------------------------------------- competitions (Meet)

  /** The Cup of the Day in progress (`GET /api/cup-of-the-day/current`, NadeoLiveServices); `null` when there is none (204). */
  async getCurrentCotd(): Promise<CupOfTheDay | null> {
    return this.call('meet', 'GET', '/api/cup-of-the-day/current');
  }

  /** A competition by id or live id (`GET /api/competitions/{competitionId}`, NadeoLiveServices). */
  async getCompetition(competitionId: number | string): Promise<Competition> {
    return this.call('meet', 'GET', `/api/competitions/${check.competitionId(competitionId)}`);
  }

  /** Competitions, newest first (`GET /api/competitions`, NadeoLiveServices): `length` ≤ 100. */
  async getCompetitions(options?: PageOptions): Promise<Competition[]> {
    const { length, offset } = check.page(options, { length: 10, maxLength: LIMITS.meetPage });
    return this.call('meet', 'GET', '/api/competitions', { query: { length, offset }, array: true });
  }

  /** A competition's rounds (`GET /api/competitions/{competitionId}/rounds`, NadeoLiveServices). */
  async getCompetitionRounds(competitionId: number | string): Promise<CompetitionRound[]> {
    return this.call('meet', 'GET', `/api/competitions/${check.competitionId(competitionId)}/rounds`, { array: true });
  }

  /** A competition's leaderboard (`GET /api/competitions/{competitionId}/leaderboard`, NadeoLiveServices): `length` ≤ 255. */
  async getCompetitionLeaderboard(competitionId: number | string, options?: PageOptions): Promise<CompetitionResult[]> {
    const id = check.competitionId(competitionId);
    const { length, offset } = check.page(options, { length: 10, maxLength: LIMITS.competitionLeaderboard });
    return this.call('meet', 'GET', `/api/competitions/${id}/leaderboard`, { query: { length, offset }, array: true });
  }

  /** A challenge's leaderboard (a cup's qualifier; `GET /api/challenges/{challengeId}/leaderboard`, NadeoLiveServices): `length` ≤ 100. */
  async getChallengeLeaderboard(challengeId: number, options?: PageOptions): Promise<ChallengeLeaderboard> {
    const id = check.integer(challengeId, 'challengeId', 1);
    const { length, offset } = check.page(options, { length: 10, maxLength: LIMITS.meetPage });
    return this.call('meet', 'GET', `/api/challenges/${id}/leaderboard`, { query: { length, offset } });
  }

  // ---------------------------------------------------------------- matchmaking (Meet)

  /** A matchmaking ranking (`GET /api/matchmaking/{type}/leaderboard`, NadeoLiveServices; 2 is 3v3): `length` ≤ 100. */
  async getMatchmakingRankings(matchmakingType: number, options?: PageOptions): Promise<MatchmakingRanks> {
    const type = check.integer(matchmakingType, 'matchmakingType', 1, 10_000);
    const { length, offset } = check.page(options, { length: 10, maxLength: LIMITS.meetPage });
    return this.call('meet', 'GET', `/api/matchmaking/${type}/leaderboard`, { query: { length, offset } });
  }

  /**
   * Players' matchmaking ranks (`GET /api/matchmaking/{type}/leaderboard/players?players[]=`, NadeoLiveServices):
   * any number of players, split by URI length, one answer.
   */
  async getPlayerRanks(matchmakingType: number, accountIds: readonly string[]): Promise<MatchmakingRanks> {
    const type = check.integer(matchmakingType, 'matchmakingType', 1, 10_000);
    const ids = check.list(accountIds, 'accountIds', check.accountId);
    const path = `/api/matchmaking/${type}/leaderboard/players`;
    const chunks = splitIds(ids, { baseLength: this.uriLength('meet', path, {}), costOf: repeatedCost('players[]') });
    const answers = await Promise.all(chunks.map((chunk) => this.call<MatchmakingRanks>('meet', 'GET', path, { query: { 'players[]': chunk } })));
    const endpoint = `GET /api/matchmaking/${type}/leaderboard/players`;
    const results = answers.flatMap((a) => arrayOf<MatchmakingRanks['results'][number]>(endpoint, objectOf<MatchmakingRanks>(endpoint, a).results));
    return { matchmakingId: answers[0]?.matchmakingId ?? type, cardinal: answers[0]?.cardinal ?? 0, results };
  }

  // ---------------------------------------------------------------- display names (api.trackmania.com)

  /**
   * Display names by account id, from the public API (`GET https://api.trackmania.com/api/display-names`, an
   * `oauth` app's client-credentials token): any number of ids, 50 a request, cached, coalesced. Ids without a
   * name are left out. (Core's `/accounts/displayNames/` was removed on 2023-09-19.)
   */
  async getDisplayNames(accountIds: readonly string[]): Promise<Map<string, string>> {
    return this.names.getMany(check.list(accountIds, 'accountIds', check.accountId));
  }

  /** Account ids by display name, from the public API (`GET /api/display-names/account-ids`): any number, 50 a request. */
  async getAccountIds(displayNames: readonly string[]): Promise<Map<string, string>> {
    const names = check.list(displayNames, 'displayNames', (v, n) => {
      const text = check.optionalText(v, n, 100);
      if (!text) throw new NadeoInputError(n, 'must be non-empty strings');
      return text;
    });
    const chunks = splitIds(names, {
      maxCount: LIMITS.displayNames,
      baseLength: this.uriLength('oauth', '/api/display-names/account-ids', {}),
      costOf: repeatedCost('displayName[]'),
    });
    const found = new Map<string, string>();
    const endpoint = 'GET /api/display-names/account-ids';
    for (const answer of await Promise.all(
      chunks.map(async (chunk) =>
        objectOf<Record<string, unknown>>(endpoint, await this.call('oauth', 'GET', '/api/display-names/account-ids', { query: { 'displayName[]': chunk } })),
      ),
    )) {
      for (const name of names) {
        const id = Object.prototype.hasOwnProperty.call(answer, name) ? answer[name] : undefined;
        if (typeof id === 'string') found.set(name, id);
      }
    }
    return found;
  }

  // ---------------------------------------------------------------- plumbing

  /** GET calls with a comma-separated list parameter, split by URI length, their arrays joined. */
  private async splitCalls<T>(
    host: Host,
    path: string,
    list: { name: string; ids: string[] },
    params: Record<string, string | undefined>,
    options: { serviceOnly?: boolean } = {},
  ): Promise<T[]> {
    const chunks = splitIds(list.ids, { baseLength: this.uriLength(host, path, { ...params, [list.name]: '' }), costOf: listCost });
    const answers = await Promise.all(
      chunks.map((chunk) => this.call<T[]>(host, 'GET', path, { query: query({ ...params, [list.name]: chunk.join(',') }), array: true, ...options })),
    );
    return answers.flatMap((a) => arrayOf<T>(`GET ${path}`, a));
  }

  /**
   * The prefix of cache keys for what a host answers: `nadeo-api:<host hash>:`. Instances on the same hosts share
   * their entries (through a shared store); an emulator's never mix with Nadeo's.
   */
  private cacheScope(host: Host): string {
    return `nadeo-api:${createHash('sha256').update(this.urls[host]).digest('hex').slice(0, 12)}:`;
  }

  /** The length of a request URI without its ids: what `splitIds` adds them to. */
  private uriLength(host: Host, path: string, params: Record<string, string | undefined>): number {
    const url = new URL(this.urls[host] + path);
    for (const [name, value] of Object.entries(params)) if (value !== undefined) url.searchParams.append(name, value);
    return url.toString().length;
  }

  /** A `AccountTypeError` before the request when the client logs in with a dedicated server account. */
  private async refuseDedicated(audience: 'core' | 'live', endpoint: string): Promise<void> {
    const token = await this.client.token(audience);
    if (new JSONWebToken(token.accessToken).decoded.usg === 'Server') throw new AccountTypeError(endpoint);
  }

  private async call<T>(
    host: Host,
    method: 'GET' | 'POST',
    path: string,
    options: { query?: NadeoRequestOptions['query']; body?: unknown; array?: boolean; serviceOnly?: boolean } = {},
  ): Promise<T> {
    const endpoint = `${method} ${path}`;
    if (options.serviceOnly) await this.refuseDedicated(host === 'core' ? 'core' : 'live', endpoint);
    let answer: unknown;
    try {
      answer = await this.client.request(method, this.urls[host] + path, options.body, { query: options.query });
    } catch (err) {
      throw typedError(endpoint, err);
    }
    throwIfErrorAnswer(endpoint, answer, options.array ?? false);
    return answer as T;
  }
}

/** A leaderboard answer with its quirks made regular: `{}` (or no answer) is `null`, hidden scores are `null`. */
function leaderboard(endpoint: string, answer: Leaderboard | Record<string, never> | null): Leaderboard | null {
  if (!answer || isEmptyObject(answer)) return null;
  const board = objectOf<Leaderboard>(endpoint, answer);
  const tops = arrayOf<LeaderboardZone>(endpoint, board.tops);
  return { ...board, tops: tops.map((zone) => ({ ...zone, top: arrayOf<LeaderboardRecord>(endpoint, zone.top).map(leaderboardRecord) })) };
}
