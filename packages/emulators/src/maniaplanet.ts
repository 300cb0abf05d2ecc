import { OAuthEmulator, type EmulatedUser, type OAuthEmulatorOptions, type OAuthProviderSpec } from './oauth-emulator';
import type { RecordedRequest, Reply, StartOptions } from './server';

/** A title pack as `/webservices/me/titles/created` lists it (fields as clients of the real API read them). */
export interface ManiaplanetEmulatedTitle {
  /** The title's id, `Name@login`. */
  uid: string;
  /** Its price, in Planets. */
  cost: number;
  /** Its name, with formatting codes. */
  name: string;
  /** Its description. */
  description: string;
  /** Its one-line pitch. */
  punchline: string;
  /** Its card image's URL. */
  card_url: string;
  /** Its title pack file's URL. */
  download_url: string;
  /** Its background image's URL. */
  background_url: string;
  /** Its logo's URL. */
  logo_url: string;
  /** The title it was made with, such as `TMStadium@nadeo`. */
  title_maker_uid: string;
  /** Whether it is published. */
  public: boolean;
}

/** A ManiaPlanet account: `id` is the login. */
export interface ManiaplanetUser extends EmulatedUser {
  /** With formatting codes, as ManiaPlanet sends it: `$f00Some$fffPlayer`. */
  nickname: string;
  /** Zone path: `World|Europe|France`. */
  path: string;
  /** Answered by `/webservices/me/email` (scope `email`); without one, that endpoint answers an empty body. */
  email?: string;
  /** `/webservices/me/maps` (scope `maps`). */
  maps?: Array<{
    /** The map's UID. */
    uid: string;
    /** The map's name, with formatting codes. */
    name: string;
    /** The author's login. */
    author_login: string;
    /** The map file's URL. */
    download_url: string;
    /** Whether the map is private. */
    private: boolean;
    /** The thumbnail's URL. */
    thumbnail_url: string;
  }>;
  /** `/webservices/me/dedicated` (scope `dedicated`). */
  dedicated?: Array<{
    /** The server account's login. */
    login: string;
    /** When it was last used. */
    last_used_date: {
      /** The time zone, an object such as `{ name: 'Europe/Paris', ... }`. */
      timezone: Record<string, unknown>;
      /** The zone's offset from UTC, in seconds. */
      offset: number;
      /** Epoch seconds. */
      timestamp: number;
    };
  }>;
  /** `/webservices/me/titles/created` (scope `titles`); the shape is not documented: the fields clients read. */
  titles?: ManiaplanetEmulatedTitle[];
}

/** Options of the ManiaPlanet emulator. */
export interface ManiaplanetEmulatorOptions extends OAuthEmulatorOptions<ManiaplanetUser> {
  /**
   * How `GET /webservices/me/email` writes the address: `'json'` (default) a JSON string, `"me@example.com"`;
   * `'bare'` the address alone, `me@example.com`. Clients of the real API read it both ways.
   */
  emailFormat?: 'json' | 'bare';
}

/** The scopes the emulator accepts. */
export const MANIAPLANET_SCOPES = ['basic', 'dedicated', 'titles', 'events', 'maps', 'email'] as const;

// league/oauth2-server's messages: the real server answers `{error, message, hint}`, the specific reason in `hint`.
const LEAGUE_MESSAGES: Record<string, string> = {
  invalid_request:
    'The request is missing a required parameter, includes an invalid parameter value, includes a parameter more than once, or is otherwise malformed.',
  invalid_client: 'Client authentication failed',
  invalid_grant:
    'The provided authorization grant (e.g., authorization code, resource owner credentials) or refresh token is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client.',
  invalid_scope: 'The requested scope is invalid, unknown, or malformed',
  unsupported_grant_type: 'The authorization grant type is not supported by the authorization server.',
  server_error: 'The authorization server encountered an unexpected condition which prevented it from fulfilling the request.',
};

function apiError(status: number, message: string): { error: string; message: string; hint: string } {
  if (status === 401) return { error: 'access_denied', message: 'The resource owner or authorization server denied the request.', hint: message };
  if (status === 403) return { error: 'forbidden', message: 'Forbidden', hint: message };
  return { error: status >= 500 ? 'server_error' : 'error', message, hint: '' };
}

// The Web Services answer JSON or XML: JSON only to clients that ask for it with `Accept: application/json`.
function wantsJson(request: RecordedRequest): boolean {
  return /application\/json/i.test(request.headers.accept ?? '');
}

function xml(value: unknown, tag = 'response'): string {
  const esc = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  if (Array.isArray(value)) return `<${tag}>${value.map((v) => xml(v, 'entry')).join('')}</${tag}>`;
  if (value !== null && typeof value === 'object')
    return `<${tag}>${Object.entries(value)
      .map(([k, v]) => xml(v, k))
      .join('')}</${tag}>`;
  return `<${tag}>${esc(String(value ?? ''))}</${tag}>`;
}

function answer(request: RecordedRequest, body: unknown): Reply {
  if (!wantsJson(request)) {
    return { headers: { 'Content-Type': 'text/xml; charset=UTF-8' }, body: `<?xml version="1.0" encoding="UTF-8"?>\n${xml(body)}` };
  }
  return { headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) };
}

/**
 * The ManiaPlanet Web Services: `/login/oauth2/authorize`, `/login/oauth2/access_token`, `/webservices/me`,
 * `/webservices/me/email`, `/webservices/me/maps`, `/webservices/me/dedicated`, `/webservices/me/titles/created`.
 */
export function createManiaplanetSpec(options: Pick<ManiaplanetEmulatorOptions, 'emailFormat'> = {}): OAuthProviderSpec<ManiaplanetUser> {
  const emailFormat = options.emailFormat ?? 'json';
  if (emailFormat !== 'json' && emailFormat !== 'bare') throw new TypeError(`maniaplanet emulator: emailFormat must be 'json' or 'bare'`);

  return {
    name: 'maniaplanet',
    title: 'ManiaPlanet',
    authorizePath: '/login/oauth2/authorize',
    tokenPath: '/login/oauth2/access_token',
    scopes: MANIAPLANET_SCOPES,
    // Not documented: an hour, and a month for refresh tokens, as league/oauth2-server's defaults.
    accessTokenLifetime: 3600,
    refreshTokenLifetime: 30 * 24 * 3600,
    sampleUsers: [
      {
        id: 'someplayer',
        nickname: '$f00Some$fffPlayer',
        path: 'World|Europe|France',
        email: 'someplayer@example.com',
        maps: [
          {
            uid: 'k2bVNgUvFTbXC7c1DLgJVqzV3o5',
            name: '$o$f80Sunrise',
            author_login: 'someplayer',
            download_url: 'https://example.com/maps/k2bVNgUvFTbXC7c1DLgJVqzV3o5',
            private: false,
            thumbnail_url: 'https://example.com/maps/k2bVNgUvFTbXC7c1DLgJVqzV3o5/thumbnail',
          },
        ],
        dedicated: [
          {
            login: 'someplayer_server',
            last_used_date: { timezone: { name: 'Europe/Paris', transitions: false, location: false }, offset: 3600, timestamp: 1700000000 },
          },
        ],
        titles: [
          {
            uid: 'SunriseRace@someplayer',
            cost: 0,
            name: '$o$f80Sunrise Race',
            description: 'Short races at dawn.',
            punchline: 'Race the sun',
            card_url: 'https://example.com/titles/SunriseRace/card.jpg',
            download_url: 'https://example.com/titles/SunriseRace.Title.Pack.gbx',
            background_url: 'https://example.com/titles/SunriseRace/background.jpg',
            logo_url: 'https://example.com/titles/SunriseRace/logo.png',
            title_maker_uid: 'TMStadium@nadeo',
            public: true,
          },
        ],
      },
      { id: 'speedrunner', nickname: '$o$0afSpeed$z Runner', path: 'World|North America|Canada|Quebec', email: 'speedrunner@example.com' },
      { id: 'noemail', nickname: 'Quiet$$One', path: 'World|Asia|Japan' },
    ],
    makeUser: (n) => ({ id: `player${n}`, nickname: `$0f0Player$fff${n}`, path: 'World|Europe|Germany', email: `player${n}@example.com` }),
    userLabel: (u) => `${u.id} (${u.path})`,
    tokenError: (error, description) => ({ error, message: LEAGUE_MESSAGES[error] ?? description, hint: description }),
    apiError,
    endpointOptions: (baseURL) => ({ baseURL }),
    apiRoutes: (emulator) => [
      emulator.userRoute('me', 'GET', '/webservices/me', 'basic', (user, request) =>
        answer(request, { login: user.id, nickname: user.nickname, path: user.path }),
      ),
      emulator.userRoute('email', 'GET', '/webservices/me/email', 'email', (user, request) => {
        if (!wantsJson(request)) return answer(request, user.email ?? '');
        if (user.email === undefined) return { headers: { 'Content-Type': 'application/json' }, body: '' };
        return emailFormat === 'json'
          ? { headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(user.email) }
          : { headers: { 'Content-Type': 'text/plain; charset=UTF-8' }, body: user.email };
      }),
      emulator.userRoute('maps', 'GET', '/webservices/me/maps', 'maps', (user, request) => answer(request, user.maps ?? [])),
      emulator.userRoute('dedicated', 'GET', '/webservices/me/dedicated', 'dedicated', (user, request) => answer(request, user.dedicated ?? [])),
      emulator.userRoute('titles', 'GET', '/webservices/me/titles/created', 'titles', (user, request) => answer(request, user.titles ?? [])),
    ],
  };
}

/** The ManiaPlanet spec with the default options. */
export const maniaplanetSpec: OAuthProviderSpec<ManiaplanetUser> = createManiaplanetSpec();

/** The ManiaPlanet emulator: an `OAuthEmulator` of ManiaPlanet users. */
export type ManiaplanetEmulator = OAuthEmulator<ManiaplanetUser>;

/** Starts a ManiaPlanet Web Services emulator on a free loopback port. */
export function startManiaplanetEmulator(options: ManiaplanetEmulatorOptions & StartOptions = {}): Promise<ManiaplanetEmulator> {
  return new OAuthEmulator(createManiaplanetSpec(options), options).start(options);
}
