import { OAuthEmulator, type AccessTokenFormat, type EmulatedUser, type OAuthEmulatorOptions, type OAuthProviderSpec } from './oauth-emulator';
import type { RecordedRequest, Reply, StartOptions } from './server';

/** A TrackMage user, as `GET /users/{id}` shows it (`User-Get` in the published OpenAPI). `id` is a UUID. */
export interface TrackmageUser extends EmulatedUser {
  email: string;
  firstName: string | null;
  lastName: string | null;
  emailVerified: boolean;
  passwordSet: boolean;
  trialRedeemed: boolean;
  timezone: string | null;
  /** `filePath` may be absolute or relative: the real API's form is not documented. */
  photo: { id: string; filePath: string } | null;
  /** IRIs such as `/teams/<uuid>`. */
  teams: string[];
}

// FOSOAuthServerBundle's paths, as in the OpenAPI `securitySchemes.oauth`.
const AUTHORIZE_PATH = '/oauth/v2/auth';
const TOKEN_PATH = '/oauth/v2/token';

/** An error of the API in API Platform's hydra form. */
function hydraError(description: string, title = 'An error occurred'): Record<string, string> {
  return { '@context': '/contexts/Error', '@type': 'hydra:Error', 'hydra:title': title, 'hydra:description': description };
}

// LexikJWTAuthenticationBundle's messages for the generic emulator's token checks.
const JWT_MESSAGES: Record<string, string> = {
  'Missing bearer token': 'JWT Token not found',
  'Token expired': 'Expired JWT Token',
  'Invalid token': 'Invalid JWT Token',
};

function userJson(user: TrackmageUser): Record<string, unknown> {
  const { id, email, firstName, lastName, emailVerified, passwordSet, trialRedeemed, timezone, photo, teams } = user;
  return { id, email, firstName, lastName, emailVerified, passwordSet, trialRedeemed, timezone, photo, teams };
}

/** The JSON-LD form API Platform answers unless the client asks for `application/json`. */
function userJsonLd(user: TrackmageUser): Record<string, unknown> {
  const photo = user.photo ? { '@id': `/media/${user.photo.id}`, '@type': 'Media', ...user.photo } : null;
  return { '@context': '/contexts/User', '@id': `/users/${user.id}`, '@type': 'User', ...userJson(user), photo };
}

function wantsPlainJson(request: RecordedRequest): boolean {
  return (request.headers.accept ?? '').split(',').some((part) => part.trim().split(';')[0] === 'application/json');
}

/**
 * The claims of the guide's sample access token (LexikJWTAuthenticationBundle's): `iat`, `exp`, `roles`, and
 * `username`, the e-mail. Nothing names the client or the scope; a client-credentials token is its owner's.
 */
const lexikAccessToken: AccessTokenFormat<TrackmageUser> = {
  claims: (t, emulator) => {
    const user = t.user ?? (t.userId === undefined ? emulator.users[0] : undefined);
    return { iat: t.iat, exp: t.exp, roles: [], username: user?.email ?? t.userId ?? '' };
  },
  read: (jwt, emulator) => {
    const { username, exp } = jwt;
    if (typeof username !== 'string' || typeof exp !== 'number') return undefined;
    const user = emulator.users.find((u) => u.email === username);
    return { sub: user?.id ?? username, exp, scopes: [], kind: 'user', jwt };
  },
};

function tokenParams(source: Iterable<[string, unknown]>): Map<string, string> {
  const params = new Map<string, string>();
  for (const [k, v] of source) if (typeof v === 'string') params.set(k, v);
  return params;
}

/**
 * api.trackmage.com: `/oauth/v2/auth` (consent page; also the JSON code exchange TrackMage's guide shows),
 * `/oauth/v2/token` (POST form or JSON, and GET with the query as documented for client credentials),
 * `GET /users/{id}`. Every client belongs to the first user: client-credentials tokens act as that user, as
 * TrackMage's API keys do.
 */
export const trackmageSpec: OAuthProviderSpec<TrackmageUser> = {
  name: 'trackmage',
  title: 'TrackMage',
  authorizePath: AUTHORIZE_PATH,
  tokenPath: TOKEN_PATH,
  scopes: null,
  accessTokenLifetime: 3600,
  // FOSOAuthServerBundle's default; TrackMage's own setting is not documented.
  refreshTokenLifetime: 14 * 24 * 3600,
  sampleUsers: [
    {
      id: 'e7508450-4aab-4c5f-b14d-d7440e6da3fd',
      email: 'test@example.com',
      firstName: 'Jane',
      lastName: 'Doe',
      emailVerified: true,
      passwordSet: true,
      trialRedeemed: false,
      timezone: 'Europe/Kyiv',
      photo: null,
      teams: ['/teams/0b4c2d7e-8f31-4b8e-9d6a-2a1f5c3e7b90'],
    },
    {
      id: 'fe1dec62-490e-4f16-afb2-6f9dd303d930',
      email: 'your@email.com',
      firstName: null,
      lastName: null,
      emailVerified: false,
      passwordSet: true,
      trialRedeemed: true,
      timezone: null,
      photo: { id: 'a4f29b34-aa67-4e68-a7c8-f1c2e081979e', filePath: 'https://s3-test.trackmage.com/media/a4f29b34-aa67-4e68-a7c8-f1c2e081979e/5dfa6dfcc161f_cats.png' },
      teams: [],
    },
  ],
  makeUser: (n) => ({
    id: `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`,
    email: `user${n}@example.com`,
    firstName: `User${n}`,
    lastName: null,
    emailVerified: true,
    passwordSet: true,
    trialRedeemed: false,
    timezone: null,
    photo: null,
    teams: [],
  }),
  userLabel: (u) => `${[u.firstName, u.lastName].filter(Boolean).join(' ') || u.email} <${u.email}>`,
  // FOS oauth2-php's error body.
  tokenError: (error, description) => ({
    error,
    error_description: error === 'invalid_client' ? 'The client credentials are invalid' : description,
  }),
  tokenErrorStatus: (error, status) => (error === 'invalid_client' ? 400 : status),
  // The client-credentials answer's `"scope": "user"`: the one scope seen, granted when none is asked.
  clientCredentialsScope: { allowed: ['user'], default: ['user'] },
  accessToken: lexikAccessToken,
  apiError: (status, message) => (status === 401 ? { code: 401, message: JWT_MESSAGES[message] ?? message } : hydraError(message)),
  tokenResponseExtras: (user, grant, scope, emulator) => {
    const owner = grant === 'client_credentials' ? emulator.users[0] : user;
    return {
      token_type: 'bearer',
      // `null` for a code (no scope is asked at the authorize step), `"user"` for client credentials.
      scope: scope.length ? scope.join(' ') : null,
      ...(owner ? { user_id: owner.id, user_email: owner.email } : {}),
    };
  },
  // The guide's code exchange: a JSON POST to the authorize path. A form POST there is the consent page's decision.
  authorizePost: ({ request }, emulator) => {
    if (!(request.headers['content-type'] ?? '').startsWith('application/json')) return undefined;
    if (!request.json || typeof request.json !== 'object') {
      return emulator.tokenErrorReply(400, 'invalid_request', 'The request body is not a JSON object');
    }
    return emulator.postToken(request, tokenParams(Object.entries(request.json as Record<string, unknown>)));
  },
  endpointOptions: (baseURL) => ({ baseURL }),
  apiRoutes: (emulator) => [
    {
      // As documented for client credentials (and accepted by FOSOAuthServerBundle for every grant): the query string,
      // credentials included, which RFC 6749 §2.3.1 forbids and TrackMage documents.
      endpoint: 'token',
      method: 'GET',
      path: TOKEN_PATH,
      faultBody: (s) => trackmageSpec.tokenError(s >= 500 ? 'server_error' : 'invalid_request', `Emulated HTTP ${s}`),
      handler: ({ request }) => emulator.grant(tokenParams(request.query), request.headers.authorization),
    },
    {
      endpoint: 'user',
      method: 'GET',
      path: '/users/:id',
      handler: ({ request, params }): Reply => {
        const auth = emulator.authenticate(request, { allowClientTokens: true });
        if ('reply' in auth) return auth.reply;
        const caller = auth.user ?? emulator.users[0];
        const user = emulator.findUser(params.id ?? '');
        if (!user) return { status: 404, body: hydraError('Not Found') };
        if (caller?.id !== user.id) return { status: 403, body: hydraError('Access Denied.') };
        if (wantsPlainJson(request)) return { body: userJson(user) };
        return { headers: { 'Content-Type': 'application/ld+json; charset=utf-8' }, body: userJsonLd(user) };
      },
    },
  ],
};

export type TrackmageEmulator = OAuthEmulator<TrackmageUser>;

/** Starts a TrackMage emulator on a free loopback port. `strategyOptions()` gives `baseURL` and the client. */
export function startTrackmageEmulator(options: OAuthEmulatorOptions<TrackmageUser> & StartOptions = {}): Promise<TrackmageEmulator> {
  return new OAuthEmulator(trackmageSpec, options).start(options);
}
