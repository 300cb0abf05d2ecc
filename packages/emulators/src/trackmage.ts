import { randomBytes, randomUUID } from 'node:crypto';
import {
  OAuthEmulator,
  type AccessTokenFormat,
  type EmulatedUser,
  type EmulatorClient,
  type OAuthEmulatorOptions,
  type OAuthProviderSpec,
} from './oauth-emulator';
import type { RecordedRequest, Reply, Route, StartOptions } from './server';

/** A TrackMage user, as `GET /users/{id}` shows it (`User-Get` in the published OpenAPI). `id` is a UUID. */
export interface TrackmageUser extends EmulatedUser {
  /** The e-mail address (also the login). */
  email: string;
  /** The first name, or null. */
  firstName: string | null;
  /** The last name, or null. */
  lastName: string | null;
  /** Whether the e-mail address was verified. */
  emailVerified: boolean;
  /** Whether the user has set a password. */
  passwordSet: boolean;
  /** Whether the user has used the free trial. */
  trialRedeemed: boolean;
  /** The IANA time zone, or null. */
  timezone: string | null;
  /** `filePath` may be absolute or relative: the real API's form is not documented. */
  photo: {
    /** The media's id (a UUID). */
    id: string;
    /** The file's path or URL. */
    filePath: string;
  } | null;
  /** IRIs such as `/teams/<uuid>`. */
  teams: string[];
  /** The emulator's own: what the password grant takes (never shown by the API). Sample users: `SAMPLE_PASSWORD`. */
  password?: string;
}

/** The password of the sample users, for the password grant. */
export const SAMPLE_PASSWORD = 'trackmage-sample-password';

// Passwords set through `PUT /users/{id}`, per emulator (the users themselves may be shared sample objects).
const setPasswords = new WeakMap<object, Map<string, string>>();
function passwordsOf(emulator: object): Map<string, string> {
  let map = setPasswords.get(emulator);
  if (!map) setPasswords.set(emulator, (map = new Map()));
  return map;
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

/** A workspace as `GET /workspaces` shows it (`Workspace-Get` in the published OpenAPI). `id` is a UUID. */
export interface TrackmageWorkspace {
  /** The workspace's id (a UUID). */
  id: string;
  /** The team's IRI, `/teams/<uuid>`: a user sees the workspaces of their `teams`. */
  team: string;
  /** The workspace's name. */
  title: string;
  /** An IRI, `/tracking_pages/<uuid>`, or null. */
  defaultTrackingPage: string | null;
  /** How many shipments it has, or null. */
  shipmentsCount: number | null;
  /** How many workflows it has, or null. */
  workflowsCount: number | null;
  /** The order of its workflows (their ids). */
  workflowsOrder: string[];
  /** The workspace's logo, or null. */
  logo: {
    /** The media's id (a UUID). */
    id: string;
    /** The file's path or URL. */
    filePath: string;
  } | null;
  /** How its e-mails to customers look and are sent. */
  emailSettings: {
    /** The logo in e-mails, or null. */
    logo: {
      /** The media's id (a UUID). */
      id: string;
      /** The file's path or URL. */
      filePath: string;
    } | null;
    /** The signature of e-mails, or null. */
    signature: string | null;
    /** The SMTP credentials to send with, or null. */
    smtpCredentials: string | null;
  };
  /** IRIs, `/widgets/<uuid>`. */
  widgets: string[];
  /** Whether the workspace is to be deleted, or null. */
  scheduledForDelete: boolean | null;
}

const SAMPLE_WORKSPACES: TrackmageWorkspace[] = [
  {
    id: '3f1e2d4c-5b6a-4798-8c1d-2e3f4a5b6c7d',
    team: '/teams/0b4c2d7e-8f31-4b8e-9d6a-2a1f5c3e7b90',
    title: 'Main store',
    defaultTrackingPage: '/tracking_pages/9a8b7c6d-5e4f-4321-8a9b-0c1d2e3f4a5b',
    shipmentsCount: 1280,
    workflowsCount: 3,
    workflowsOrder: [],
    logo: null,
    emailSettings: { logo: null, signature: 'The Main store team', smtpCredentials: null },
    widgets: [],
    scheduledForDelete: false,
  },
  {
    id: '7c6b5a49-3827-4165-9f0e-1d2c3b4a5968',
    team: '/teams/0b4c2d7e-8f31-4b8e-9d6a-2a1f5c3e7b90',
    title: 'Outlet',
    defaultTrackingPage: null,
    shipmentsCount: 12,
    workflowsCount: 0,
    workflowsOrder: [],
    logo: null,
    emailSettings: { logo: null, signature: null, smtpCredentials: null },
    widgets: [],
    scheduledForDelete: false,
  },
  {
    id: 'b2a39184-7065-4f4e-8d3c-2b1a09f8e7d6',
    team: '/teams/6d5c4b3a-2918-4f7e-8d6c-5b4a39281706',
    title: 'Another team',
    defaultTrackingPage: null,
    shipmentsCount: 0,
    workflowsCount: 0,
    workflowsOrder: [],
    logo: null,
    emailSettings: { logo: null, signature: null, smtpCredentials: null },
    widgets: [],
    scheduledForDelete: false,
  },
];

// API Platform's collection paging, as the OpenAPI declares it: `page` from 1, `itemsPerPage` default 30, at most 500.
const DEFAULT_ITEMS_PER_PAGE = 30;
const MAX_ITEMS_PER_PAGE = 500;

const LD_JSON = { 'Content-Type': 'application/ld+json; charset=utf-8' };

/** An API Platform validation failure (422), one violation per property. */
function violations(list: Array<{ propertyPath: string; message: string }>): Reply {
  return {
    status: 422,
    headers: { 'Content-Type': 'application/problem+json; charset=utf-8' },
    body: {
      '@context': '/contexts/ConstraintViolationList',
      '@type': 'ConstraintViolationList',
      'hydra:title': 'An error occurred',
      'hydra:description': list.map((v) => `${v.propertyPath}: ${v.message}`).join('\n'),
      violations: list,
    },
  };
}

/** The JSON body of a write (`application/json` or `application/ld+json`), or the 400 API Platform answers. */
function writeBody(request: RecordedRequest): { body: Record<string, unknown> } | { reply: Reply } {
  let json = request.json;
  if (json === undefined && /json/i.test(request.headers['content-type'] ?? '')) {
    try {
      json = JSON.parse(request.body);
    } catch {
      json = undefined;
    }
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) return { reply: { status: 400, body: hydraError('Syntax error') } };
  return { body: json as Record<string, unknown> };
}

function typeError(attribute: string, expected: string, value: unknown): Reply {
  const given =
    value === null ? 'NULL' : Array.isArray(value) ? 'array' : typeof value === 'number' ? (Number.isInteger(value) ? 'integer' : 'float') : typeof value;
  return { status: 400, body: hydraError(`The type of the "${attribute}" attribute must be "${expected}", "${given}" given.`) };
}

/**
 * A collection: a plain array with `Accept: application/json`, else a hydra collection with `hydra:totalItems` and,
 * when paged, `hydra:view`. Pages as API Platform does; a page or size that is not a number is a 400.
 */
function collection(
  request: RecordedRequest,
  path: string,
  context: string,
  items: Array<Record<string, unknown>>,
  ld: (item: Record<string, unknown>) => Record<string, unknown>,
): Reply {
  const read = (name: string, fallback: number): number | undefined => {
    const raw = request.query.get(name);
    if (raw === null || raw === '') return fallback;
    return /^-?\d+$/.test(raw) ? Number(raw) : undefined;
  };
  const page = read('page', 1);
  const perPage = read('itemsPerPage', DEFAULT_ITEMS_PER_PAGE);
  if (page === undefined || page < 1) return { status: 400, body: hydraError('Page should not be less than 1') };
  if (perPage === undefined || perPage < 0) return { status: 400, body: hydraError('Limit should not be less than 0') };
  const size = Math.min(perPage, MAX_ITEMS_PER_PAGE);
  const slice = items.slice((page - 1) * size, page * size);
  if (wantsPlainJson(request)) return { body: slice };
  const body: Record<string, unknown> = {
    '@context': `/contexts/${context}`,
    '@id': path,
    '@type': 'hydra:Collection',
    'hydra:member': slice.map(ld),
    'hydra:totalItems': items.length,
  };
  if (size > 0 && items.length > size) {
    const last = Math.max(1, Math.ceil(items.length / size));
    const at = (n: number) => `${path}?itemsPerPage=${size}&page=${n}`;
    body['hydra:view'] = {
      '@id': at(page),
      '@type': 'hydra:PartialCollectionView',
      'hydra:first': at(1),
      'hydra:last': at(last),
      ...(page > 1 ? { 'hydra:previous': at(page - 1) } : {}),
      ...(page < last ? { 'hydra:next': at(page + 1) } : {}),
    };
  }
  return { headers: LD_JSON, body };
}

/** An OAuth client as `GET /oauth_clients` shows it (`OauthClient-Get`); `publicId` is the `client_id` of the grants. */
interface OauthClientRecord {
  id: string;
  name: string;
  ownerId: string;
}

/**
 * `GET`/`PUT /users/{id}`, `GET /workspaces`, `/workspaces/{id}`, `/teams/{id}/workspaces`, `GET`/`POST
 * /oauth_clients`. A user sees only what is theirs (their record, their teams' workspaces, their OAuth clients);
 * client-credentials tokens act as the first user.
 */
function resourceRoutes(emulator: OAuthEmulator<TrackmageUser>): Route[] {
  // Per emulator: sample users are shared objects, so a PUT keeps its result here instead of changing them.
  const edited = new Map<string, TrackmageUser>();
  const current = (user: TrackmageUser): TrackmageUser => edited.get(user.id) ?? user;
  // Clients created by POST, and ids given to the configured ones (which belong to the first user).
  const clientRecords = new Map<string, OauthClientRecord>();
  const recordOf = (clientId: string): OauthClientRecord => {
    let record = clientRecords.get(clientId);
    if (!record) clientRecords.set(clientId, (record = { id: randomUUID(), name: clientId, ownerId: emulator.users[0]?.id ?? '' }));
    return record;
  };
  const clientJson = (client: EmulatorClient): Record<string, unknown> => {
    const record = recordOf(client.clientId);
    return {
      id: record.id,
      name: record.name,
      user: `/users/${record.ownerId}`,
      secret: client.clientSecret,
      redirectUris: client.redirectUris ?? [],
      publicId: client.clientId,
    };
  };
  const clientJsonLd = (json: Record<string, unknown>) => ({
    '@context': '/contexts/OauthClient',
    '@id': `/oauth_clients/${String(json.id)}`,
    '@type': 'OauthClient',
    ...json,
  });
  const workspaceJsonLd = (json: Record<string, unknown>) => ({ '@id': `/workspaces/${String(json.id)}`, '@type': 'Workspace', ...json });
  const workspaces = SAMPLE_WORKSPACES;
  const visible = (caller: TrackmageUser) => workspaces.filter((w) => current(caller).teams.includes(w.team));

  /** A route for a signed-in caller (a user, or the first user for client-credentials tokens). */
  const route = (
    endpoint: string,
    method: string,
    path: string,
    handle: (caller: TrackmageUser, request: RecordedRequest, params: Record<string, string>) => Reply,
  ): Route => ({
    endpoint,
    method,
    path,
    handler: ({ request, params }) => {
      const auth = emulator.authenticate(request, { allowClientTokens: true });
      if ('reply' in auth) return auth.reply;
      const caller = auth.user ?? emulator.users[0];
      if (!caller) return { status: 403, body: hydraError('Access Denied.') };
      return handle(caller, request, params);
    },
  });
  const userReply = (request: RecordedRequest, user: TrackmageUser): Reply =>
    wantsPlainJson(request) ? { body: userJson(user) } : { headers: LD_JSON, body: userJsonLd(user) };
  const ownUser = (caller: TrackmageUser, id: string): { user: TrackmageUser } | { reply: Reply } => {
    const user = emulator.findUser(id);
    if (!user) return { reply: { status: 404, body: hydraError('Not Found') } };
    if (caller.id !== user.id) return { reply: { status: 403, body: hydraError('Access Denied.') } };
    return { user: current(user) };
  };

  return [
    route('user', 'GET', '/users/:id', (caller, request, params) => {
      const found = ownUser(caller, params.id ?? '');
      return 'reply' in found ? found.reply : userReply(request, found.user);
    }),
    route('user-update', 'PUT', '/users/:id', (caller, request, params) => {
      const found = ownUser(caller, params.id ?? '');
      if ('reply' in found) return found.reply;
      const parsed = writeBody(request);
      if ('reply' in parsed) return parsed.reply;
      const input = parsed.body;
      const next: TrackmageUser = { ...found.user };
      for (const key of ['firstName', 'lastName', 'timezone'] as const) {
        if (!(key in input)) continue;
        const value = input[key];
        if (value !== null && typeof value !== 'string') return typeError(key, 'string', value);
        next[key] = value;
      }
      if ('plainPassword' in input && input.plainPassword !== null) {
        if (typeof input.plainPassword !== 'string') return typeError('plainPassword', 'string', input.plainPassword);
        if (input.plainPassword.length < 8)
          return violations([{ propertyPath: 'plainPassword', message: 'This value is too short. It should have 8 characters or more.' }]);
        next.passwordSet = true;
        passwordsOf(emulator).set(next.id, input.plainPassword);
      }
      if ('photo' in input) {
        const photo = input.photo;
        if (photo !== null && typeof photo !== 'string') return typeError('photo', 'IRI', photo);
        if (photo === null) next.photo = null;
        else if (photo !== `/media/${found.user.photo?.id}`) return { status: 400, body: hydraError(`Item not found for "${photo}".`) };
      }
      if ('shipmentsVolume' in input && input.shipmentsVolume !== null && !Number.isInteger(input.shipmentsVolume))
        return typeError('shipmentsVolume', 'int', input.shipmentsVolume);
      if ('needsHelpWith' in input && !(Array.isArray(input.needsHelpWith) && input.needsHelpWith.every((v) => typeof v === 'string')))
        return typeError('needsHelpWith', 'array', input.needsHelpWith);
      edited.set(next.id, next);
      return userReply(request, next);
    }),
    route('workspaces', 'GET', '/workspaces', (caller, request) =>
      collection(request, '/workspaces', 'Workspace', visible(caller) as unknown as Array<Record<string, unknown>>, workspaceJsonLd),
    ),
    route('workspace', 'GET', '/workspaces/:id', (caller, request, params) => {
      const workspace = workspaces.find((w) => w.id === params.id);
      if (!workspace) return { status: 404, body: hydraError('Not Found') };
      if (!visible(caller).includes(workspace)) return { status: 403, body: hydraError('Access Denied.') };
      const json = { ...workspace } as unknown as Record<string, unknown>;
      return wantsPlainJson(request) ? { body: json } : { headers: LD_JSON, body: { '@context': '/contexts/Workspace', ...workspaceJsonLd(json) } };
    }),
    route('team-workspaces', 'GET', '/teams/:id/workspaces', (caller, request, params) => {
      const team = `/teams/${params.id ?? ''}`;
      const known = workspaces.some((w) => w.team === team) || emulator.users.some((u) => current(u).teams.includes(team));
      if (!known) return { status: 404, body: hydraError('Not Found') };
      if (!current(caller).teams.includes(team)) return { status: 403, body: hydraError('Access Denied.') };
      const items = workspaces.filter((w) => w.team === team) as unknown as Array<Record<string, unknown>>;
      return collection(request, `${team}/workspaces`, 'Workspace', items, workspaceJsonLd);
    }),
    route('oauth-clients', 'GET', '/oauth_clients', (caller, request) => {
      const name = request.query.get('name');
      const items = emulator.clients
        .filter((c) => recordOf(c.clientId).ownerId === caller.id)
        .map(clientJson)
        .filter((c) => name === null || c.name === name);
      return collection(request, '/oauth_clients', 'OauthClient', items, (json) => ({
        '@id': `/oauth_clients/${String(json.id)}`,
        '@type': 'OauthClient',
        ...json,
      }));
    }),
    route('oauth-clients', 'POST', '/oauth_clients', (caller, request) => {
      const parsed = writeBody(request);
      if ('reply' in parsed) return parsed.reply;
      const { name, user, redirectUris } = parsed.body;
      if (name !== undefined && name !== null && typeof name !== 'string') return typeError('name', 'string', name);
      if (user !== undefined && user !== null && typeof user !== 'string') return typeError('user', 'IRI', user);
      if (redirectUris !== undefined && !Array.isArray(redirectUris)) return typeError('redirectUris', 'array', redirectUris);
      const blank: Array<{ propertyPath: string; message: string }> = [];
      if (typeof name !== 'string' || name.trim() === '') blank.push({ propertyPath: 'name', message: 'This value should not be blank.' });
      if (typeof user !== 'string') blank.push({ propertyPath: 'user', message: 'This value should not be blank.' });
      if (!Array.isArray(redirectUris) || redirectUris.length === 0) blank.push({ propertyPath: 'redirectUris', message: 'This value should not be blank.' });
      if (blank.length) return violations(blank);
      const uris = redirectUris as unknown[];
      if (!uris.every((u) => typeof u === 'string'))
        return typeError(
          'redirectUris',
          'string',
          uris.find((u) => typeof u !== 'string'),
        );
      const owner = emulator.findUser(String(user).replace(/^\/users\//, ''));
      if (!owner || user !== `/users/${owner.id}`) return { status: 400, body: hydraError(`Item not found for "${String(user)}".`) };
      if (owner.id !== caller.id) return { status: 403, body: hydraError('Access Denied.') };
      const id = randomUUID();
      // FOSOAuthServerBundle's public id, `<id>_<random>`: the client_id of the grants.
      const client: EmulatorClient = {
        clientId: `${id}_${randomBytes(12).toString('base64url')}`,
        clientSecret: randomBytes(24).toString('base64url'),
        redirectUris: uris as string[],
      };
      clientRecords.set(client.clientId, { id, name: name as string, ownerId: owner.id });
      emulator.clients.push(client);
      const json = clientJson(client);
      return wantsPlainJson(request) ? { status: 201, body: json } : { status: 201, headers: LD_JSON, body: clientJsonLd(json) };
    }),
  ];
}

/**
 * api.trackmage.com: `/oauth/v2/auth` (consent page; also the JSON code exchange TrackMage's guide shows),
 * `/oauth/v2/token` (POST form or JSON, and GET with the query as documented for client credentials),
 * `GET`/`PUT /users/{id}`, `GET /workspaces`, `/workspaces/{id}`, `/teams/{id}/workspaces`, `GET`/`POST /oauth_clients`. Every client belongs to the first user: client-credentials tokens act as that user, as
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
      photo: {
        id: 'a4f29b34-aa67-4e68-a7c8-f1c2e081979e',
        filePath: 'https://s3-test.trackmage.com/media/a4f29b34-aa67-4e68-a7c8-f1c2e081979e/5dfa6dfcc161f_cats.png',
      },
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
  // FOSOAuthServerBundle's password grant, seen in TrackMage's own test helpers (GET or POST, the e-mail as username).
  passwordGrant: (username, password, emulator) => {
    const user = emulator.users.find((u) => u.email === username);
    return user && (passwordsOf(emulator).get(user.id) ?? user.password ?? SAMPLE_PASSWORD) === password ? user.id : undefined;
  },
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
    ...resourceRoutes(emulator),
  ],
};

/** The TrackMage emulator: an `OAuthEmulator` of TrackMage users. */
export type TrackmageEmulator = OAuthEmulator<TrackmageUser>;

/** Starts a TrackMage emulator on a free loopback port. `strategyOptions()` gives `baseURL` and the client. */
export function startTrackmageEmulator(options: OAuthEmulatorOptions<TrackmageUser> & StartOptions = {}): Promise<TrackmageEmulator> {
  return new OAuthEmulator(trackmageSpec, options).start(options);
}
