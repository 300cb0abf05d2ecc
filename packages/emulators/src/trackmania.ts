import { OAuthEmulator, type EmulatedUser, type OAuthEmulatorOptions, type OAuthProviderSpec } from './oauth-emulator';
import type { RecordedRequest, Reply, Route, StartOptions } from './server';

/** A map as `GET /api/user/maps/favorite` lists it. */
export interface TrackmaniaMap {
  /** The map's UID. */
  uid: string;
  /** The map's name, with `$` formatting codes. */
  name: string;
  /** The author's account id. */
  author: string;
  /** The thumbnail image's URL. */
  thumbnailUrl: string;
}

/** A record as `GET /api/user/map-records` lists it (fields as clients of the real API read them). */
export interface TrackmaniaMapRecord {
  /** The player's account id. */
  accountId: string;
  /** The game mode, such as `TimeAttack`. */
  gameMode: string;
  /** The game mode's own data; often empty. */
  gameModeCustomData: string;
  /** The map's id (a UUID), not its uid. */
  mapId: string;
  /** The record's id (a UUID). */
  mapRecordId: string;
  /** The medal: 0 none, 1 bronze, 2 silver, 3 gold, 4 author. */
  medal: number;
  /** Whether the record was removed. */
  removed: boolean;
  /** Respawns during the run. */
  respawnCount: number;
  /** The scope's id (a season's); empty for a personal best. */
  scopeId: string;
  /** The scope, such as `PersonalBest`. */
  scopeType: string;
  /** Milliseconds (or points, by game mode). */
  score: number;
  /** Milliseconds. */
  time: number;
  /** ISO 8601. */
  timestamp: string;
  /** The replay's URL (a `.gbx` storage object). */
  url: string;
}

/** A Trackmania account: `id` is the account id (a UUID). */
export interface TrackmaniaUser extends EmulatedUser {
  /** The display name. */
  displayName: string;
  /** `GET /api/user/clubs/admin` (scope `clubs`). */
  adminClubs?: Array<{
    /** The club's id. */
    id: number;
    /** The club's name. */
    name: string;
  }>;
  /** Uids of the user's favorite maps, from the emulator's `maps` (scope `read_favorite`; changed with `write_favorite`). */
  favorites?: string[];
  /** `GET /api/user/map-records`. */
  mapRecords?: TrackmaniaMapRecord[];
}

export interface TrackmaniaEmulatorOptions extends OAuthEmulatorOptions<TrackmaniaUser> {
  /** The maps users can have as favorites. Default: a few sample maps. */
  maps?: TrackmaniaMap[];
}

// Documented for `/api/display-names`; the same limit is assumed for `/api/display-names/account-ids`.
const MAX_LOOKUP_VALUES = 50;
// `GET /api/user/maps/favorite`: documented defaults.
const DEFAULT_FAVORITES_LENGTH = 10;

const SAMPLE_MAPS: TrackmaniaMap[] = [
  {
    uid: 'JlxlB7KbrCfhjAf5ld89ByXR987',
    name: 'Winter 2022 - 01',
    author: 'd2372a08-a8a1-46cb-97fb-23a161d85ad0',
    thumbnailUrl: 'https://prod.trackmania.core.nadeo.online/storageObjects/3ddb465d-0357-41c0-9946-394b96836577.jpg',
  },
  {
    uid: 'olsKnq_qAghcVAnEkoeUnVHFZei',
    name: 'Fall 2023 - 05',
    author: 'd2372a08-a8a1-46cb-97fb-23a161d85ad0',
    thumbnailUrl: 'https://prod.trackmania.core.nadeo.online/storageObjects/7b3c1f2e-5d0a-4c8e-9f61-2a4b8c9d0e1f.jpg',
  },
  {
    uid: 'dXUr5yVqTRW3K6hAnfKwcSCKXKa',
    name: 'Scenery Hub Showcase',
    author: '5b4d42f4-c2de-407d-b367-cbff3fe817bc',
    thumbnailUrl: 'https://prod.trackmania.core.nadeo.online/storageObjects/0c9e8d7f-6a5b-4c3d-8e2f-1a0b9c8d7e6f.jpg',
  },
];

/**
 * The values of a PHP-style array parameter, in every form the API's clients send: `name[]=a`, `name[0]=a`
 * (indexed, as some clients write it) and a bare `name=a`.
 */
function arrayParam(query: URLSearchParams, name: string): string[] {
  const values: string[] = [];
  for (const [key, value] of query) {
    if (key === name || key === `${name}[]` || (key.startsWith(`${name}[`) && /^\[\d+\]$/.test(key.slice(name.length)))) values.push(value);
  }
  return values;
}

function invalidRequest(message: string): Reply {
  return { status: 400, body: { error: 'invalid_request', message } };
}

/** A query integer of at least `min`, its default when absent, or `undefined` when it is not one. */
function intParam(query: URLSearchParams, name: string, fallback: number, min: number): number | undefined {
  const raw = query.get(name);
  if (raw === null || raw === '') return fallback;
  if (!/^\d+$/.test(raw)) return undefined;
  const value = Number(raw);
  return value >= min ? value : undefined;
}

/**
 * api.trackmania.com: `/oauth/authorize`, `/api/access_token`, `/api/user`, `/api/display-names`,
 * `/api/display-names/account-ids`, `/api/user/clubs/admin`, `/api/user/maps/favorite` (and `/add`, `/remove`),
 * `/api/user/map-records`.
 */
export const trackmaniaSpec: OAuthProviderSpec<TrackmaniaUser> = {
  name: 'trackmania',
  title: 'Trackmania',
  authorizePath: '/oauth/authorize',
  tokenPath: '/api/access_token',
  scopes: ['clubs', 'read_favorite', 'write_favorite'],
  accessTokenLifetime: 3600,
  refreshTokenLifetime: 30 * 24 * 3600,
  sampleUsers: [
    {
      id: '5b4d42f4-c2de-407d-b367-cbff3fe817bc',
      displayName: 'tooInfinite',
      adminClubs: [{ id: 12730, name: 'TM SCENERY HUB' }],
      favorites: ['JlxlB7KbrCfhjAf5ld89ByXR987', 'olsKnq_qAghcVAnEkoeUnVHFZei'],
      mapRecords: [
        {
          accountId: '5b4d42f4-c2de-407d-b367-cbff3fe817bc',
          gameMode: 'TimeAttack',
          gameModeCustomData: '',
          mapId: 'b1c3a9f2-6e4d-4b8a-9c2e-3f5a7d9e1b20',
          mapRecordId: '0f7e6d5c-4b3a-4921-8f0e-d1c2b3a49586',
          medal: 3,
          removed: false,
          respawnCount: 0,
          scopeId: '',
          scopeType: 'PersonalBest',
          score: 44571,
          time: 44571,
          timestamp: '2022-01-03T18:27:44+00:00',
          url: 'https://prod.trackmania.core.nadeo.online/storageObjects/5e1d2c3b-4a59-4687-9b8c-7d6e5f4a3b2c.gbx',
        },
      ],
    },
    { id: 'd2372a08-a8a1-46cb-97fb-23a161d85ad0', displayName: 'Wirtual' },
  ],
  makeUser: (n) => ({ id: `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`, displayName: `Driver${n}` }),
  userLabel: (u) => `${u.displayName} (${u.id})`,
  // The documented answer: `"token_type": "bearer"`.
  tokenResponseExtras: () => ({ token_type: 'bearer' }),
  // "Scopes have no effect with client credentials": a requested one is neither checked nor granted.
  clientCredentialsScope: 'ignored',
  // nadeo-api has long sent `Authorization: <jwt>` without `Bearer ` to this API.
  acceptsBareToken: true,
  // league/oauth2-server shape, as seen from clients of the real API.
  tokenError: (error, description) => ({ error, error_description: description, message: description }),
  apiError: (status, message) => ({ error: status === 401 ? 'unauthorized' : 'error', message }),
  endpointOptions: (baseURL) => ({
    authorizationURL: `${baseURL}/oauth/authorize`,
    tokenURL: `${baseURL}/api/access_token`,
    userProfileURL: `${baseURL}/api/user`,
  }),
  apiRoutes: (emulator) => apiRoutes(emulator, SAMPLE_MAPS),
};

/** The spec with your own map catalogue (`maps`). */
export function createTrackmaniaSpec(options: Pick<TrackmaniaEmulatorOptions, 'maps'> = {}): OAuthProviderSpec<TrackmaniaUser> {
  const maps = options.maps ?? SAMPLE_MAPS;
  return { ...trackmaniaSpec, apiRoutes: (emulator) => apiRoutes(emulator, maps) };
}

/**
 * `display-names` (id → name) and `account-ids` (name → id): both take client-credentials tokens, and at most
 * 50 values per request.
 */
function lookupRoute(
  emulator: OAuthEmulator<TrackmaniaUser>,
  endpoint: string,
  path: string,
  param: string,
  find: (value: string) => string | undefined,
): Route {
  return {
    endpoint,
    method: 'GET',
    path,
    handler: ({ request }) => {
      const auth = emulator.authenticate(request, { allowClientTokens: true });
      if ('reply' in auth) return auth.reply;
      const values = arrayParam(request.query, param);
      if (values.length === 0) return invalidRequest(`${param}[] is required`);
      if (values.length > MAX_LOOKUP_VALUES) return invalidRequest(`At most ${MAX_LOOKUP_VALUES} values of ${param}[] per request`);
      const found: Record<string, string> = {};
      for (const value of values) {
        const answer = find(value);
        if (answer !== undefined) found[value] = answer;
      }
      return { body: found };
    },
  };
}

function apiRoutes(emulator: OAuthEmulator<TrackmaniaUser>, maps: readonly TrackmaniaMap[]): Route[] {
  return [
    emulator.userRoute('user', 'GET', '/api/user', undefined, (user) => ({ body: { accountId: user.id, displayName: user.displayName } })),
    lookupRoute(emulator, 'display-names', '/api/display-names', 'accountId', (id) => emulator.findUser(id)?.displayName),
    lookupRoute(emulator, 'account-ids', '/api/display-names/account-ids', 'displayName', (name) => emulator.users.find((u) => u.displayName === name)?.id),
    ...userApiRoutes(emulator, maps),
  ];
}

/** The routes under `/api/user/` besides the user itself: they need a user token (and a scope where documented). */
function userApiRoutes(emulator: OAuthEmulator<TrackmaniaUser>, maps: readonly TrackmaniaMap[]): Route[] {
  // Per emulator: sample users are shared objects, so their favorites are copied on first use, never changed in place.
  const favorites = new Map<string, string[]>();
  const favoritesOf = (user: TrackmaniaUser): string[] => {
    let list = favorites.get(user.id);
    if (!list) favorites.set(user.id, (list = [...(user.favorites ?? [])]));
    return list;
  };
  const changeFavorite = (user: TrackmaniaUser, request: RecordedRequest, add: boolean): Reply => {
    const uid = (request.json as { uid?: unknown } | undefined)?.uid;
    if (typeof uid !== 'string' || uid === '') return invalidRequest('The request body must be a JSON object with the map uid: {"uid": "<map uid>"}');
    const list = favoritesOf(user);
    if (add) {
      if (!maps.some((m) => m.uid === uid)) return { status: 404, body: { error: 'not_found', message: `Map ${uid} not found` } };
      if (!list.includes(uid)) list.push(uid);
    } else if (list.includes(uid)) {
      list.splice(list.indexOf(uid), 1);
    }
    return { status: 204 };
  };
  return [
    emulator.userRoute('clubs-admin', 'GET', '/api/user/clubs/admin', 'clubs', (user) => ({ body: { clubs: user.adminClubs ?? [] } })),
    emulator.userRoute('favorites', 'GET', '/api/user/maps/favorite', 'read_favorite', (user, request) => {
      const length = intParam(request.query, 'length', DEFAULT_FAVORITES_LENGTH, 1);
      const offset = intParam(request.query, 'offset', 0, 0);
      if (length === undefined || offset === undefined) return invalidRequest('length must be a positive integer and offset a non-negative integer');
      const list = favoritesOf(user)
        .map((uid) => maps.find((m) => m.uid === uid))
        .filter((m): m is TrackmaniaMap => m !== undefined)
        .slice(offset, offset + length)
        .map(({ uid, name, author, thumbnailUrl }) => ({ uid, name, author, thumbnailUrl }));
      return { body: { list } };
    }),
    emulator.userRoute('favorite-add', 'POST', '/api/user/maps/favorite/add', 'write_favorite', (user, request) => changeFavorite(user, request, true)),
    emulator.userRoute('favorite-remove', 'POST', '/api/user/maps/favorite/remove', 'write_favorite', (user, request) => changeFavorite(user, request, false)),
    // No scope is documented for this one.
    emulator.userRoute('map-records', 'GET', '/api/user/map-records', undefined, (user, request) => {
      const mapIds = arrayParam(request.query, 'mapId');
      if (mapIds.length === 0) return invalidRequest('mapId[] is required');
      return { body: (user.mapRecords ?? []).filter((r) => mapIds.includes(r.mapId)) };
    }),
  ];
}

/** The Trackmania emulator: an `OAuthEmulator` of Trackmania users. */
export type TrackmaniaEmulator = OAuthEmulator<TrackmaniaUser>;

/** Starts a Trackmania emulator on a free loopback port. */
export function startTrackmaniaEmulator(options: TrackmaniaEmulatorOptions & StartOptions = {}): Promise<TrackmaniaEmulator> {
  return new OAuthEmulator(createTrackmaniaSpec(options), options).start(options);
}
