import { objectBody, objectsWith, parseJsonBody } from '@maniapass/http';

/** A club the user is an admin of (`GET /api/user/clubs/admin`, scope `clubs`). */
export interface TrackmaniaClub {
  /** The club id: a number. */
  id: number;
  /** The club name, with Trackmania formatting codes as the club owner wrote it. */
  name: string;
}

/** A map of the user's favorites (`GET /api/user/maps/favorite`, scope `read_favorite`). */
export interface TrackmaniaFavoriteMap {
  /** The map uid (27 characters or so): what `addFavoriteMap()` and `removeFavoriteMap()` take. */
  uid: string;
  /** The map's name. */
  name: string;
  /** The author's account id. */
  author: string;
  /** The map's thumbnail: an image URL. */
  thumbnailUrl: string;
}

/**
 * One of the user's records on a map (`GET /api/user/map-records`). Not on Openplanet's reference pages: the
 * fields are those clients of the real API read.
 */
export interface TrackmaniaMapRecord {
  /** The user's account id. */
  accountId: string;
  /** The map id (a UUID), not the map uid. */
  mapId: string;
  /** The record's id. */
  mapRecordId: string;
  /** Milliseconds. */
  time: number;
  /** As the API sends it; not documented (see the README's notes). */
  score: number;
  /** 0 (none) to 4 (author medal). */
  medal: number;
  /** Respawns during the run. */
  respawnCount: number;
  /** As the API sends it; not documented (see the README's notes). */
  removed: boolean;
  /** As the API sends it; not documented (see the README's notes). */
  gameMode: string;
  /** As the API sends it; not documented (see the README's notes). */
  gameModeCustomData: string;
  /** As the API sends it; not documented (see the README's notes). */
  scopeId: string;
  /** As the API sends it; not documented (see the README's notes). */
  scopeType: string;
  /** When the record was set (ISO 8601). */
  timestamp: string;
  /** The ghost file. */
  url: string;
}

/**
 * The body of `GET /api/display-names` or `/api/display-names/account-ids`: an object of strings. An empty answer
 * may come as `[]`, as PHP writes an empty map.
 */
export function parseLookup(raw: string): Record<string, string> {
  const json = parseJsonBody(raw, 'Trackmania lookup');
  if (Array.isArray(json) && json.length === 0) return {};
  const body = objectBody(json);
  if (!body) throw new Error('Trackmania lookup is not an object');
  // No prototype: a key such as `__proto__` in the answer is an ordinary entry.
  const result: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const [key, value] of Object.entries(body)) {
    if (typeof value !== 'string') throw new Error('Trackmania lookup has a value that is not a string');
    result[key] = value;
  }
  return result;
}

/** The body of `GET /api/user/clubs/admin`: `{ clubs: [{ id, name }] }`. */
export function parseAdminClubs(raw: string): TrackmaniaClub[] {
  const clubs = objectBody(parseJsonBody(raw, 'Trackmania admin clubs'))?.clubs;
  const list = objectsWith<TrackmaniaClub>(clubs, 'name', 'Trackmania admin clubs');
  if (list.some((club) => typeof club.id !== 'number')) throw new Error('Trackmania admin clubs has a club without a numeric id');
  return list;
}

/** The body of `GET /api/user/maps/favorite`: `{ list: [{ uid, name, author, thumbnailUrl }] }`. */
export function parseFavoriteMaps(raw: string): TrackmaniaFavoriteMap[] {
  return objectsWith<TrackmaniaFavoriteMap>(objectBody(parseJsonBody(raw, 'Trackmania favorites'))?.list, 'uid', 'Trackmania favorites');
}

/** The body of `GET /api/user/map-records`: a list of records. */
export function parseMapRecords(raw: string): TrackmaniaMapRecord[] {
  return objectsWith<TrackmaniaMapRecord>(parseJsonBody(raw, 'Trackmania map records'), 'mapId', 'Trackmania map records');
}
