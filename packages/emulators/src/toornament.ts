import { OAuthEmulator, type EmulatedUser, type OAuthEmulatorOptions, type OAuthProviderSpec } from './oauth-emulator';
import type { Fault, RecordedRequest, Reply, Route, StartOptions } from './server';

/** A player of a team's lineup, in registrations and participants. */
export interface ToornamentLineupMember {
  /** The player's name. */
  name: string;
  /** The player's e-mail address, or null. */
  email?: string | null;
  /** The tournament's custom fields for the player, by name. */
  custom_fields: Record<string, unknown>;
}

/** A registration as `GET /participant/v2/me/registrations` lists it. Ids are 18-digit decimal strings. */
export interface ToornamentRegistration {
  /** The registration's id. */
  id: string;
  /** The tournament's id. */
  tournament_id: string;
  /** null until the registration is accepted. */
  participant_id: string | null;
  /** A team or a single player. */
  type: 'team' | 'player';
  /** Where the registration stands. */
  status: 'pending' | 'accepted' | 'cancelled' | 'refused';
  /** 40 characters at most. */
  name: string;
  /** The tournament's custom fields, by name. */
  custom_fields: Record<string, unknown>;
  /** Only for team tournaments. */
  lineup?: ToornamentLineupMember[];
}

/** A participant as `GET /participant/v2/me/participants` lists it. */
export interface ToornamentParticipant {
  /** The participant's id. */
  id: string;
  /** The tournament's id. */
  tournament_id: string;
  /** A team or a single player. */
  type: 'team' | 'player';
  /** The participant's name. */
  name: string;
  /** The tournament's custom fields, by name. */
  custom_fields: Record<string, unknown>;
  /** Whether the participant checked in. */
  checked_in: boolean;
  /** RFC 3339, or null. */
  checked_in_at: string | null;
  /** The team's players; only for team tournaments. */
  lineup?: ToornamentLineupMember[];
}

/**
 * A Toornament account as `GET /account/v2/me/info` shows it: `id` is an 18-digit decimal string (beyond
 * `Number.MAX_SAFE_INTEGER`), `name` the nickname (40 characters at most), `country` ISO 3166-1 alpha-2 or null.
 */
export interface ToornamentUser extends EmulatedUser {
  /** The nickname, 40 characters at most. */
  name: string;
  /** ISO 3166-1 alpha-2, or null. */
  country: string | null;
  /** Shown by the platform API (`GET /platform/v2/users`), with the fields below. */
  email?: string;
  /** RFC 3339. Default `2023-07-18T00:00:00+00:00`. */
  createdAt?: string;
  /** IANA zone, or null. */
  timezone?: string | null;
  /** `en_US`, or null. */
  locale?: string | null;
  /** Default `true`: a disabled user still exists but can no longer log in. */
  enabled?: boolean;
  /** `GET /participant/v2/me/registrations` (scope `participant:manage_registrations`). */
  registrations?: ToornamentRegistration[];
  /** `GET /participant/v2/me/participants` (scope `participant:manage_participations`). */
  participants?: ToornamentParticipant[];
}

export interface ToornamentEmulatorOptions extends OAuthEmulatorOptions<ToornamentUser> {
  /** API keys accepted in `X-Api-Key` (or `?api_key=`). Default `['emulator-api-key']`; the first goes into `strategyOptions()`. */
  apiKeys?: string[];
  /**
   * Refuse token requests without a valid API key too. Default `false`: the API routes always require it, but
   * whether Toornament's token endpoint does is not documented.
   */
  requireApiKeyForToken?: boolean;
  /** Write `id` as a bare JSON number in `/me/info` (a quirk to test that clients never round it). Default `false`. */
  numericIds?: boolean;
}

/** The API key the emulator accepts by default. */
export const DEFAULT_TOORNAMENT_API_KEY = 'emulator-api-key';

/** The scopes the emulator accepts. */
export const TOORNAMENT_SCOPES = [
  'user:info',
  'participant:manage_registrations',
  'participant:manage_participations',
  'organizer:view',
  'organizer:admin',
  'organizer:result',
  'organizer:participant',
  'organizer:registration',
  'organizer:permission',
  'organizer:delete',
  'organizer:file',
  'platform:admin',
  'platform:user',
  'platform:team',
] as const;

// league/oauth2-server's fixed messages: Toornament's token endpoint answers `{ error, message, hint }`.
const LEAGUE_MESSAGES: Record<string, string> = {
  invalid_request:
    'The request is missing a required parameter, includes an invalid parameter value, includes a parameter more than once, or is otherwise malformed.',
  invalid_client: 'Client authentication failed',
  invalid_grant:
    'The provided authorization grant (e.g., authorization code, resource owner credentials) or refresh token is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client.',
  unsupported_grant_type: 'The authorization grant type is not supported by the authorization server.',
  invalid_scope: 'The requested scope is invalid, unknown, or malformed',
  server_error: 'The authorization server encountered an unexpected condition which prevented it from fulfilling the request.',
};

/** The API's error body: `{ errors: [{ message, ... }] }`; a 429 answers `{ retry_after: <seconds> }`. */
function apiError(status: number, message: string): unknown {
  return status === 429 ? { retry_after: 60 } : { errors: [{ message }] };
}

/**
 * A rate-limit answer as Toornament's API gives it: 429, `{ retry_after: seconds }` and a `Retry-After` header.
 * `emulator.fault('me', toornamentRateLimit(30))`.
 */
export function toornamentRateLimit(seconds = 60): Fault {
  return {
    type: 'status',
    status: 429,
    headers: { 'Content-Type': 'application/json', 'Retry-After': String(seconds) },
    body: JSON.stringify({ retry_after: seconds }),
  };
}

/** The API key of a request: the `X-Api-Key` header, or the `api_key` query parameter Toornament allows for development. */
function apiKeyOf(request: RecordedRequest): string | undefined {
  return request.headers['x-api-key'] ?? request.query.get('api_key') ?? undefined;
}

/**
 * Toornament: authorize on account.toornament.com (`/oauth2/authorize`), token and API on api.toornament.com
 * (`/oauth/v2/token`, `/account/v2/me/info`, `/participant/v2/me/registrations`, `/participant/v2/me/participants`,
 * `/platform/v2/users`); one emulator serves both hosts' paths. Every API call needs `X-Api-Key` besides the
 * Bearer token.
 */
export function createToornamentSpec(
  options: Pick<ToornamentEmulatorOptions, 'apiKeys' | 'requireApiKeyForToken' | 'numericIds'> = {},
): OAuthProviderSpec<ToornamentUser> {
  const apiKeys = options.apiKeys ?? [DEFAULT_TOORNAMENT_API_KEY];
  return {
    name: 'toornament',
    title: 'Toornament',
    authorizePath: '/oauth2/authorize',
    tokenPath: '/oauth/v2/token',
    scopes: TOORNAMENT_SCOPES,
    // "valid for 25 hours": expires_in 90000.
    accessTokenLifetime: 90_000,
    refreshTokenLifetime: 30 * 24 * 3600,
    sampleUsers: [
      {
        id: '145246939508809147',
        name: 'My NickName',
        country: 'US',
        email: 'nickname@example.com',
        timezone: 'America/Los_Angeles',
        locale: 'en_US',
        createdAt: '2023-07-18T00:00:00+00:00',
        registrations: [
          {
            id: '375143143408309123',
            tournament_id: '378426939508809728',
            participant_id: '123426939548806789',
            type: 'team',
            status: 'accepted',
            name: 'A team or player name',
            custom_fields: { country: 'GB', twitter: 'twitter_id' },
            lineup: [{ name: 'A team player name', email: 'player_1@team.com', custom_fields: { country: 'GB', twitter: 'twitter_id' } }],
          },
        ],
        participants: [
          {
            id: '123426939548806789',
            tournament_id: '378426939508809728',
            type: 'team',
            name: 'A team or player name',
            custom_fields: { country: 'GB', twitter: 'twitter_id' },
            checked_in: true,
            checked_in_at: '2015-12-31T13:37:42+00:00',
            lineup: [{ name: 'A team player name', email: 'player_1@team.com', custom_fields: { country: 'GB', twitter: 'twitter_id' } }],
          },
        ],
      },
      { id: '378619237461592064', name: 'BracketQueen', country: null },
    ],
    makeUser: (n) => ({ id: `9${String(n).padStart(17, '0')}`, name: `Player${n}`, country: 'FR' }),
    userLabel: (u) => `${u.name} (${u.id})`,
    tokenError: (error, description) => {
      const message = LEAGUE_MESSAGES[error] ?? description;
      return message === description ? { error, message } : { error, message, hint: description };
    },
    apiError,
    // The documented answer: lower-case `bearer`, `scope` as granted or null.
    tokenResponseExtras: (_user, _grant, scope) => ({ token_type: 'bearer', scope: scope.length ? scope.join(' ') : null }),
    requestCheck: (request): Reply | undefined => {
      if (request.endpoint === 'token' && !options.requireApiKeyForToken) return undefined;
      const key = apiKeyOf(request);
      if (key === undefined) return { status: 401, body: apiError(401, 'An API key is required (X-Api-Key header)') };
      if (!apiKeys.includes(key)) return { status: 403, body: apiError(403, 'Invalid API key') };
      return undefined;
    },
    endpointOptions: (baseURL) => ({
      authorizationURL: `${baseURL}/oauth2/authorize`,
      tokenURL: `${baseURL}/oauth/v2/token`,
      userProfileURL: `${baseURL}/account/v2/me/info`,
      apiKey: apiKeys[0] ?? DEFAULT_TOORNAMENT_API_KEY,
    }),
    apiRoutes: (emulator) => [
      {
        endpoint: 'me',
        method: 'GET',
        path: '/account/v2/me/info',
        handler: ({ request }) => {
          const auth = emulator.authenticate(request, { requiredScope: 'user:info' });
          if ('reply' in auth) return auth.reply;
          const { id, name, country } = auth.user!;
          const body = JSON.stringify({ id, name, country });
          // A string body is sent as is: the only way to put an 18-digit number on the wire unrounded.
          return {
            headers: { 'Content-Type': 'application/json' },
            body: options.numericIds && /^\d+$/.test(id) ? body.replace(`"id":"${id}"`, `"id":${id}`) : body,
          };
        },
      },
      ...rangeRoutes(emulator),
    ],
  };
}

// "The size of the range can not exceed 50" (every collection of the API).
const MAX_RANGE = 50;
const DEFAULT_CREATED_AT = '2023-07-18T00:00:00+00:00';

/**
 * Reads `Range: <unit>=<from>-<to>` as Toornament's pagination documents it and answers the page: 206 (or
 * `status`) with `Content-Range: <unit> <from>-<to>/<total>`; 400 for a missing or malformed range, 416 for one that
 * starts past the end, is reversed, or is larger than 50 items.
 */
function rangeReply(request: RecordedRequest, unit: string, items: unknown[], status = 206): Reply {
  const header = request.headers.range;
  if (header === undefined) return { status: 400, body: apiError(400, `A Range header is required: ${unit}=0-49`) };
  const match = new RegExp(`^${unit}=(\\d{1,9})-(\\d{1,9})$`).exec(header.trim());
  if (!match) return { status: 400, body: apiError(400, `Malformed Range header: expected ${unit}=<from>-<to>`) };
  const from = Number(match[1]);
  const to = Number(match[2]);
  const unsatisfiable = (message: string): Reply => ({ status: 416, headers: { 'Content-Range': `${unit} */${items.length}` }, body: apiError(416, message) });
  if (from > to) return unsatisfiable('Invalid range: the first offset is higher than the second');
  if (to - from + 1 > MAX_RANGE) return unsatisfiable(`The size of the range can not exceed ${MAX_RANGE}`);
  if (items.length === 0) return { status, headers: { 'Content-Range': `${unit} */0` }, body: [] };
  if (from >= items.length) return unsatisfiable('Out of range');
  const last = Math.min(to, items.length - 1);
  return { status, headers: { 'Content-Range': `${unit} ${from}-${last}/${items.length}` }, body: items.slice(from, last + 1) };
}

/** `?tournament_ids=1,2`: only what belongs to those tournaments. */
function byTournament<T extends { tournament_id: string }>(request: RecordedRequest, items: T[]): T[] {
  const ids = (request.query.get('tournament_ids') ?? '').split(',').filter(Boolean);
  return ids.length ? items.filter((item) => ids.includes(item.tournament_id)) : items;
}

/**
 * The collections: the user's registrations and participants (Participant API, legacy), and the platform's
 * users (Platform API, scope `platform:user`, application tokens too).
 */
function rangeRoutes(emulator: OAuthEmulator<ToornamentUser>): Route[] {
  const mine = (endpoint: string, path: string, scope: string, unit: string, list: (user: ToornamentUser) => Array<{ tournament_id: string }>): Route =>
    emulator.userRoute(endpoint, 'GET', path, scope, (user, request) => rangeReply(request, unit, byTournament(request, list(user))));
  return [
    mine('registrations', '/participant/v2/me/registrations', 'participant:manage_registrations', 'registrations', (u) => u.registrations ?? []),
    mine('participants', '/participant/v2/me/participants', 'participant:manage_participations', 'participants', (u) => u.participants ?? []),
    {
      endpoint: 'platform-users',
      method: 'GET',
      path: '/platform/v2/users',
      handler: ({ request }) => {
        const auth = emulator.authenticate(request, { allowClientTokens: true, requiredScope: 'platform:user' });
        if ('reply' in auth) return auth.reply;
        // The generic check skips scopes of application tokens; this API is for them.
        if (!auth.claims.scopes.includes('platform:user')) return { status: 403, body: apiError(403, 'Missing scope platform:user') };
        const q = request.query;
        const enabled = q.get('enabled');
        if (enabled !== null && enabled !== '0' && enabled !== '1') return { status: 400, body: apiError(400, 'enabled must be 0 or 1') };
        const bound = (name: string): number | undefined | null => {
          const value = q.get(name);
          if (value === null) return undefined;
          const ms = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(value) ? Date.parse(value) : Number.NaN;
          return Number.isNaN(ms) ? null : ms;
        };
        const before = bound('created_before');
        const after = bound('created_after');
        if (before === null || after === null) return { status: 400, body: apiError(400, 'created_before and created_after take an RFC 3339 datetime') };
        const users = emulator.users
          .map((u) => ({
            id: u.id,
            nickname: u.name,
            email: u.email ?? null,
            enabled: u.enabled ?? true,
            two_factor_auth_enabled: false,
            timezone: u.timezone ?? null,
            locale: u.locale ?? null,
            expired_at: null,
            created_at: u.createdAt ?? DEFAULT_CREATED_AT,
            custom_fields: {},
          }))
          .filter((u) => enabled === null || u.enabled === (enabled === '1'))
          .filter((u) => (before === undefined || Date.parse(u.created_at) <= before) && (after === undefined || Date.parse(u.created_at) >= after))
          // "Users are always listed by creation date (descending order)."
          .sort((a, b) => Date.parse(b.created_at) - Date.parse(a.created_at));
        // This endpoint's page documents 200, where the others document 206.
        return rangeReply(request, 'users', users, 200);
      },
    },
  ];
}

/** The spec with the default API key (`emulator-api-key`). */
export const toornamentSpec: OAuthProviderSpec<ToornamentUser> = createToornamentSpec();

/** The Toornament emulator: an `OAuthEmulator` of Toornament users. */
export type ToornamentEmulator = OAuthEmulator<ToornamentUser>;

/**
 * Starts a Toornament emulator on a free loopback port. `emulator.strategyOptions()` includes the `apiKey`:
 * `new Strategy({ ...emulator.strategyOptions(), callbackURL }, verify)`.
 */
export function startToornamentEmulator(options: ToornamentEmulatorOptions & StartOptions = {}): Promise<ToornamentEmulator> {
  return new OAuthEmulator(createToornamentSpec(options), options).start(options);
}
