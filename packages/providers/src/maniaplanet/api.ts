import { objectsWith, parseJsonBody } from '@maniapass/http';

/** A dedicated server account of the user (`GET /webservices/me/dedicated`, scope `dedicated`). */
export interface ManiaplanetDedicatedAccount {
  /** The server account's login. */
  login: string;
  /** When it was last used, as the service serializes a date; `null` (or absent) when never. */
  last_used_date?: {
    /** `name` is the IANA zone (`Europe/Paris`). */
    timezone: {
      /** The IANA zone, such as `Europe/Paris`. */
      name: string;
      [field: string]: unknown;
    };
    /** Seconds east of UTC. */
    offset: number;
    /** Epoch seconds. */
    timestamp: number;
  } | null;
}

/** A title pack the user created (`GET /webservices/me/titles/created`, scope `titles`): the fields clients read. */
export interface ManiaplanetTitle {
  /** `Name@author`. */
  uid: string;
  /** Price in planets. */
  cost: number;
  /** With formatting codes. */
  name: string;
  /** The title's description, with formatting codes. */
  description: string;
  /** A one-line summary, with formatting codes. */
  punchline: string;
  /** The URL of its card image. */
  card_url: string;
  /** The URL its pack is downloaded from. */
  download_url: string;
  /** The URL of its background image. */
  background_url: string;
  /** The URL of its logo. */
  logo_url: string;
  /** The title it was made from. */
  title_maker_uid: string;
  /** Whether anyone may find and play it. */
  public: boolean;
}

/** A map the user uploaded (`GET /webservices/me/maps`, scope `maps`). */
export interface ManiaplanetMap {
  /** The map's unique id. */
  uid: string;
  /** With formatting codes. */
  name: string;
  /** The login of the player who made it. */
  author_login: string;
  /** The URL the map file is downloaded from. */
  download_url: string;
  /** Whether only its author sees it. */
  private: boolean;
  /** The URL of its thumbnail. */
  thumbnail_url: string;
}

/** The items of a JSON list body, each an object with a string `key`; throws otherwise. */
function listOf<T>(raw: string, key: string, what: string): T[] {
  return objectsWith<T>(parseJsonBody(raw, what), key, what);
}

/** The body of `GET /webservices/me/dedicated`. */
export function parseDedicatedAccounts(raw: string): ManiaplanetDedicatedAccount[] {
  return listOf(raw, 'login', 'ManiaPlanet dedicated accounts');
}

/** The body of `GET /webservices/me/titles/created`. */
export function parseTitles(raw: string): ManiaplanetTitle[] {
  return listOf(raw, 'uid', 'ManiaPlanet titles');
}

/** The body of `GET /webservices/me/maps`. */
export function parseMaps(raw: string): ManiaplanetMap[] {
  return listOf(raw, 'uid', 'ManiaPlanet maps');
}
