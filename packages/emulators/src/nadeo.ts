import { createHash, randomUUID } from 'node:crypto';
import { JwtSigner, nowSeconds } from './jwt';
import { EmulatorServer, type Fault, type FaultOptions, type RecordedRequest, type Reply, type Route, type StartOptions } from './server';

/** A dedicated server or service account known to the emulator. */
export interface NadeoEmulatorAccount {
  login: string;
  password: string;
  /** Default: a UUID made from the login. */
  accountId?: string;
  /** Default: the login. */
  displayName?: string;
  kind: 'service' | 'dedicated';
}

/** The emulator's default service account. */
export const DEFAULT_SERVICE_ACCOUNT: Readonly<Required<NadeoEmulatorAccount>> = {
  login: 'emulator-service-login',
  password: 'emulator-service-password',
  accountId: '7a1f4c2e-0b6d-4e59-9d3a-5c8e2f1b0a11',
  displayName: 'EmulatorService',
  kind: 'service',
};

/** The emulator's default dedicated server account. */
export const DEFAULT_DEDICATED_ACCOUNT: Readonly<Required<NadeoEmulatorAccount>> = {
  login: 'emulator-dedicated-login',
  password: 'emulator-dedicated-password',
  accountId: '3c9b0e7d-5f21-4a8c-b6e4-0d2f9a7c1e22',
  displayName: 'EmulatorServer',
  kind: 'dedicated',
};

export interface NadeoEmulatorOptions {
  /** Default: `DEFAULT_SERVICE_ACCOUNT` and `DEFAULT_DEDICATED_ACCOUNT`. */
  accounts?: NadeoEmulatorAccount[];
  /** Seconds. Default 3600 (about an hour, as Nadeo's). */
  accessTokenLifetime?: number;
  /** Seconds. Default 86400 (about a day, as Nadeo's). */
  refreshTokenLifetime?: number;
  /** Seconds after issue before a token may be refreshed (the `rat` claim). Default 0. */
  refreshAfter?: number;
  /** A Trackmania emulator's URL, returned as `oauthURL` by `clientOptions()`. */
  oauthURL?: string;
}

export const NADEO_AUDIENCES = ['NadeoServices', 'NadeoLiveServices'] as const;
export type NadeoAudience = (typeof NADEO_AUDIENCES)[number];

/** Claims of the emulator's tokens: those Nadeo documents (webservices.openplanet.dev/auth/token). */
export interface NadeoTokenClaims {
  jti: string;
  iss: 'NadeoServices';
  iat: number;
  rat: number;
  exp: number;
  aud: string;
  usg: 'Client' | 'Server';
  sid: string;
  sat: number;
  sub: string;
  aun: string;
  rtk: boolean;
  pce: boolean;
  ubiservices_uid: string;
  refresh_aud?: string;
  limit_type?: string;
}

/** A map served by the Live emulator. */
export interface NadeoMap {
  uid: string;
  mapId: string;
  name: string;
  author: string;
}

const GENERIC_AGENTS = /^(?:node|undici|node-fetch|axios|got|python-requests|python-urllib|curl|wget|okhttp|java|go-http-client|node-oauth)\b/i;

// Nadeo's error bodies are not documented; this `{ code, message }` shape is what the emulator answers.
const errorBody = (code: string, message: string) => ({ code, message });

/**
 * Nadeo's web services: Core (`/v2/authentication/token/basic`, `/token/refresh`, `/accounts/displayNames/`),
 * Live (`/api/token/map/:mapUid`) and Meet (`/api/cup-of-the-day/current`), each host on its own loopback port so
 * that a client can tell them apart as it does the real hosts. Tokens are signed JWTs with Nadeo's claims; every API
 * route checks the token's signature, type, audience and expiry.
 */
export class NadeoEmulator {
  readonly core: EmulatorServer;
  readonly live: EmulatorServer;
  readonly meet: EmulatorServer;
  readonly accounts: NadeoEmulatorAccount[];
  readonly signer = new JwtSigner();
  readonly maps: NadeoMap[] = [
    { uid: 'olsKnq_qAghcVAnEkoeUnVHFZei', mapId: '0b2e7e4e-2c1b-4f9e-9d65-8e2a3c0f1d01', name: 'Summer 2024 - 01', author: 'd2372a08-a8a1-46cb-97fb-23a161d85ad0' },
  ];
  /** What the Meet route answers; `null` makes it answer 204 No Content (no cup today). */
  cupOfTheDay: Record<string, unknown> | null = { id: 1234, edition: 1, competition: { id: 5678, name: 'Cup of the Day 2026-11-24 #1' } };
  accessTokenLifetime: number;
  refreshTokenLifetime: number;
  refreshAfter: number;
  private readonly oauthURL?: string;
  private readonly endpoints = new Map<string, EmulatorServer>();

  constructor(options: NadeoEmulatorOptions = {}) {
    this.accounts = (options.accounts ?? [DEFAULT_SERVICE_ACCOUNT, DEFAULT_DEDICATED_ACCOUNT]).map((a) => ({ ...a }));
    this.accessTokenLifetime = options.accessTokenLifetime ?? 3600;
    this.refreshTokenLifetime = options.refreshTokenLifetime ?? 86400;
    this.refreshAfter = options.refreshAfter ?? 0;
    this.oauthURL = options.oauthURL;
    const fault = (status: number) => errorBody(status === 401 ? 'unauthorized' : status === 429 ? 'too-many-requests' : 'error', `Emulated HTTP ${status}`);
    this.core = this.server([
      { endpoint: 'token-basic', method: 'POST', path: '/v2/authentication/token/basic', handler: ({ request }) => this.basic(request), faultBody: fault },
      { endpoint: 'token-refresh', method: 'POST', path: '/v2/authentication/token/refresh', handler: ({ request }) => this.refresh(request), faultBody: fault },
      { endpoint: 'display-names', method: 'GET', path: '/accounts/displayNames/', handler: ({ request }) => this.displayNames(request), faultBody: fault },
    ]);
    this.live = this.server([{ endpoint: 'map', method: 'GET', path: '/api/token/map/:mapUid', handler: ({ request, params }) => this.map(request, params.mapUid ?? ''), faultBody: fault }]);
    this.meet = this.server([
      { endpoint: 'cup-of-the-day', method: 'GET', path: '/api/cup-of-the-day/current', handler: ({ request }) => this.cup(request), faultBody: fault },
    ]);
  }

  /** Core's base URL. */
  get url(): string {
    return this.core.url;
  }

  /** Options that point nadeo-auth at this emulator: `new NadeoClient({ ...emulator.clientOptions(), account, userAgent })`. */
  clientOptions(): { coreURL: string; liveURL: string; meetURL: string; oauthURL?: string } {
    const urls: { coreURL: string; liveURL: string; meetURL: string; oauthURL?: string } = { coreURL: this.core.url, liveURL: this.live.url, meetURL: this.meet.url };
    if (this.oauthURL) urls.oauthURL = this.oauthURL;
    return urls;
  }

  async start(options: StartOptions = {}): Promise<this> {
    // A fixed port applies to Core; Live and Meet take the next two.
    await this.core.start(options);
    const next = (n: number) => (options.port ? { ...options, port: options.port + n } : options);
    await this.live.start(next(1));
    await this.meet.start(next(2));
    return this;
  }

  async close(): Promise<void> {
    await Promise.all([this.core.close(), this.live.close(), this.meet.close()]);
  }

  /**
   * Makes an endpoint fail: `token-basic`, `token-refresh`, `display-names` (Core), `map` (Live),
   * `cup-of-the-day` (Meet), or `*` for every endpoint of every host.
   */
  fault(endpoint: string, fault: Fault, options: FaultOptions = {}): this {
    if (endpoint === '*') for (const server of [this.core, this.live, this.meet]) server.fault('*', fault, options);
    else this.serverOf(endpoint).fault(endpoint, fault, options);
    return this;
  }

  clearFaults(): this {
    for (const server of [this.core, this.live, this.meet]) server.clearFaults();
    return this;
  }

  /** The requests one endpoint received, oldest first. */
  requestsTo(endpoint: string): RecordedRequest[] {
    return this.serverOf(endpoint).requestsTo(endpoint);
  }

  lastRequest(endpoint: string): RecordedRequest | undefined {
    return this.serverOf(endpoint).lastRequest(endpoint);
  }

  /** Token requests received: `basic` (login and password) and `refresh`. */
  tokenRequests(): { basic: number; refresh: number } {
    return { basic: this.requestsTo('token-basic').length, refresh: this.requestsTo('token-refresh').length };
  }

  /** Forgets every recorded request (counts start again from zero). */
  clearRequests(): this {
    for (const server of [this.core, this.live, this.meet]) server.requests.length = 0;
    return this;
  }

  /** Issues a token pair directly (for tests that need an expired or foreign-audience token). */
  issueTokens(input: { account?: NadeoEmulatorAccount; audience?: string; accessLifetime?: number; refreshLifetime?: number; refreshAfter?: number; sid?: string }): {
    accessToken: string;
    refreshToken: string;
  } {
    const account = input.account ?? this.accounts[0]!;
    const now = nowSeconds();
    const audience = input.audience ?? 'NadeoServices';
    const base = {
      iss: 'NadeoServices' as const,
      iat: now,
      rat: now + (input.refreshAfter ?? this.refreshAfter),
      usg: account.kind === 'dedicated' ? ('Server' as const) : ('Client' as const),
      sid: input.sid ?? randomUUID(),
      sat: now,
      sub: accountIdOf(account),
      aun: account.displayName ?? account.login,
      pce: false,
      ubiservices_uid: accountIdOf(account),
    };
    const access: NadeoTokenClaims = { ...base, jti: randomUUID(), exp: now + (input.accessLifetime ?? this.accessTokenLifetime), aud: audience, rtk: false };
    const refresh: NadeoTokenClaims = {
      ...base,
      jti: randomUUID(),
      exp: now + (input.refreshLifetime ?? this.refreshTokenLifetime),
      aud: 'NadeoServices',
      rtk: true,
      refresh_aud: audience,
      limit_type: 'Default',
    };
    return { accessToken: this.signer.sign({ ...access }), refreshToken: this.signer.sign({ ...refresh }) };
  }

  private server(routes: Route[]): EmulatorServer {
    const server = new EmulatorServer(routes);
    // Load tests send thousands of requests; token requests must stay countable.
    server.maxRecorded = 100_000;
    for (const route of routes) this.endpoints.set(route.endpoint, server);
    return server;
  }

  private serverOf(endpoint: string): EmulatorServer {
    const server = this.endpoints.get(endpoint);
    if (!server) throw new Error(`unknown Nadeo emulator endpoint ${endpoint}: one of ${[...this.endpoints.keys()].join(', ')}`);
    return server;
  }

  private basic(request: RecordedRequest): Reply {
    const agent = request.headers['user-agent'] ?? '';
    if (!agent.trim() || GENERIC_AGENTS.test(agent)) {
      return { status: 403, body: errorBody('user-agent', 'A descriptive User-Agent is required (project name and a way to contact you)') };
    }
    const match = /^Basic\s+(\S+)$/i.exec(request.headers.authorization ?? '');
    const decoded = match?.[1] ? Buffer.from(match[1], 'base64').toString('utf8') : '';
    const colon = decoded.indexOf(':');
    const login = colon === -1 ? '' : decoded.slice(0, colon);
    const password = colon === -1 ? '' : decoded.slice(colon + 1);
    const account = this.accounts.find((a) => a.login === login);
    if (!account || account.password !== password) return { status: 401, body: errorBody('unauthorized', 'Invalid credentials') };
    let audience = 'NadeoServices';
    if (request.body.trim()) {
      const json = request.json as { audience?: unknown } | undefined;
      if (!json || typeof json !== 'object') return { status: 400, body: errorBody('bad-request', 'The body must be JSON: {"audience": "..."}') };
      if (json.audience !== undefined) audience = String(json.audience);
    }
    if (!(NADEO_AUDIENCES as readonly string[]).includes(audience)) return { status: 400, body: errorBody('bad-request', `Unknown audience ${audience.slice(0, 40)}`) };
    return { body: this.issueTokens({ account, audience }) };
  }

  private refresh(request: RecordedRequest): Reply {
    const claims = this.tokenClaims(request);
    if (!claims || !claims.rtk) return { status: 401, body: errorBody('unauthorized', 'Invalid refresh token') };
    const now = nowSeconds();
    if (claims.exp <= now) return { status: 401, body: errorBody('unauthorized', 'Refresh token expired') };
    if (claims.rat > now) return { status: 401, body: errorBody('unauthorized', 'Refresh not allowed yet') };
    const account = this.accounts.find((a) => accountIdOf(a) === claims.sub);
    if (!account) return { status: 401, body: errorBody('unauthorized', 'Unknown account') };
    return { body: this.issueTokens({ account, audience: claims.refresh_aud ?? 'NadeoServices', sid: claims.sid }) };
  }

  /** The claims of a `nadeo_v1 t=<token>` this emulator signed, or `undefined`. */
  private tokenClaims(request: RecordedRequest): NadeoTokenClaims | undefined {
    const match = /^nadeo_v1\s+t=(\S+)$/.exec(request.headers.authorization ?? '');
    return match?.[1] ? (this.signer.verify(match[1]) as NadeoTokenClaims | undefined) : undefined;
  }

  private authenticate(request: RecordedRequest, audience: NadeoAudience): { claims: NadeoTokenClaims } | { reply: Reply } {
    const claims = this.tokenClaims(request);
    const refuse = (message: string) => ({ reply: { status: 401, body: errorBody('unauthorized', message) } });
    if (!claims || claims.rtk) return refuse('Invalid token');
    if (claims.exp <= nowSeconds()) return refuse('Token expired');
    if (claims.aud !== audience) return refuse(`Invalid audience: this host needs a ${audience} token`);
    return { claims };
  }

  private displayNames(request: RecordedRequest): Reply {
    const auth = this.authenticate(request, 'NadeoServices');
    if ('reply' in auth) return auth.reply;
    const ids = (request.query.get('accountIdList') ?? '').split(',').filter(Boolean);
    if (ids.length === 0) return { status: 400, body: errorBody('bad-request', 'accountIdList is required') };
    const found = this.accounts.filter((a) => ids.includes(accountIdOf(a)));
    return { body: found.map((a) => ({ accountId: accountIdOf(a), displayName: a.displayName ?? a.login, timestamp: '2026-04-03T00:00:00+00:00' })) };
  }

  private map(request: RecordedRequest, mapUid: string): Reply {
    const auth = this.authenticate(request, 'NadeoLiveServices');
    if ('reply' in auth) return auth.reply;
    const map = this.maps.find((m) => m.uid === mapUid);
    return map ? { body: { ...map } } : { status: 404, body: errorBody('not-found', 'Map not found') };
  }

  private cup(request: RecordedRequest): Reply {
    const auth = this.authenticate(request, 'NadeoLiveServices');
    if ('reply' in auth) return auth.reply;
    return this.cupOfTheDay === null ? { status: 204 } : { body: this.cupOfTheDay };
  }
}

function accountIdOf(account: NadeoEmulatorAccount): string {
  if (account.accountId) return account.accountId;
  // A stable UUID-shaped id from the login.
  const hex = createHash('sha256').update(account.login).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** Starts a Nadeo emulator (Core, Live and Meet) on free loopback ports. */
export function startNadeoEmulator(options: NadeoEmulatorOptions & StartOptions = {}): Promise<NadeoEmulator> {
  return new NadeoEmulator(options).start(options);
}

