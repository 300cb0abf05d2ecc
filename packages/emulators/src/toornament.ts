import { OAuthEmulator, type EmulatedUser, type OAuthEmulatorOptions, type OAuthProviderSpec } from './oauth-emulator';
import type { Fault, RecordedRequest, Reply, StartOptions } from './server';

/**
 * A Toornament account as `GET /account/v2/me/info` shows it: `id` is an 18-digit decimal string (beyond
 * `Number.MAX_SAFE_INTEGER`), `name` the nickname (40 characters at most), `country` ISO 3166-1 alpha-2 or null.
 */
export interface ToornamentUser extends EmulatedUser {
  name: string;
  country: string | null;
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

export const DEFAULT_TOORNAMENT_API_KEY = 'emulator-api-key';

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
  invalid_request: 'The request is missing a required parameter, includes an invalid parameter value, includes a parameter more than once, or is otherwise malformed.',
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
 * (`/oauth/v2/token`, `/account/v2/me/info`); one emulator serves both hosts' paths. Every API call needs
 * `X-Api-Key` besides the Bearer token.
 */
export function createToornamentSpec(options: Pick<ToornamentEmulatorOptions, 'apiKeys' | 'requireApiKeyForToken' | 'numericIds'> = {}): OAuthProviderSpec<ToornamentUser> {
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
      { id: '145246939508809147', name: 'My NickName', country: 'US' },
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
    ],
  };
}

/** The spec with the default API key (`emulator-api-key`). */
export const toornamentSpec: OAuthProviderSpec<ToornamentUser> = createToornamentSpec();

export type ToornamentEmulator = OAuthEmulator<ToornamentUser>;

/**
 * Starts a Toornament emulator on a free loopback port. `emulator.strategyOptions()` includes the `apiKey`:
 * `new Strategy({ ...emulator.strategyOptions(), callbackURL }, verify)`.
 */
export function startToornamentEmulator(options: ToornamentEmulatorOptions & StartOptions = {}): Promise<ToornamentEmulator> {
  return new OAuthEmulator(createToornamentSpec(options), options).start(options);
}
