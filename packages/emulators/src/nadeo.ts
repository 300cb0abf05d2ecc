import { createHash, randomUUID } from 'node:crypto';
import { JwtSigner, nowSeconds } from './jwt';
import { coreRoutes } from './nadeo-core';
import { SAMPLE_CLUBS, SAMPLE_MAPS, SAMPLE_ZONES, competitionJson, generatedMaps, uuidFrom, type NadeoClub, type NadeoMap, type NadeoZone } from './nadeo-data';
import { liveRoutes, sampleClubCampaigns } from './nadeo-live';
import { meetRoutes } from './nadeo-meet';
import { errorBody } from './nadeo-replies';
import { EmulatorServer, type Fault, type FaultOptions, type RecordedRequest, type Reply, type Route, type StartOptions } from './server';

/** A dedicated server or service account known to the emulator. */
export interface NadeoEmulatorAccount {
  /** The account's login. */
  login: string;
  /** The account's password. */
  password: string;
  /** Default: a UUID made from the login. */
  accountId?: string;
  /** Default: the login. */
  displayName?: string;
  /** A service account (`usg: Client`) or a dedicated server account (`usg: Server`). */
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

/** Options of `NadeoEmulator`. */
export interface NadeoEmulatorOptions {
  /** Default: `DEFAULT_SERVICE_ACCOUNT` and `DEFAULT_DEDICATED_ACCOUNT`. */
  accounts?: NadeoEmulatorAccount[];
  /** Seconds. Default 3600 (about an hour, as Nadeo's). */
  accessTokenLifetime?: number;
  /** Seconds. Default 86400 (about a day, as Nadeo's). */
  refreshTokenLifetime?: number;
  /** Seconds after issue before a token may be refreshed (the `rat` claim). Default 0. */
  refreshAfter?: number;
  /** A Trackmania emulator's URL, returned as `oauthURL` by `clientOptions()` (display names come from there). */
  oauthURL?: string;
  /** The maps Live and Core know. Default: the reference's sample maps and 2000 generated ones. */
  maps?: NadeoMap[];
  /** The clubs Live knows. Default: the reference's sample clubs; the default service account is a member of club 9. */
  clubs?: NadeoClub[];
  /** The emulator's clock, for Tracks of the Day and campaigns. Default: the real time. */
  now?: () => Date;
}

/** The audiences the emulator issues tokens for: Core's and Live's (Meet takes Live's). */
export const NADEO_AUDIENCES = ['NadeoServices', 'NadeoLiveServices'] as const;
/** One of `NADEO_AUDIENCES`. */
export type NadeoAudience = (typeof NADEO_AUDIENCES)[number];

/** Claims of the emulator's tokens: those Nadeo documents (webservices.openplanet.dev/auth/token). */
export interface NadeoTokenClaims {
  /** The token's id (a UUID). */
  jti: string;
  /** The issuer: always `NadeoServices`. */
  iss: 'NadeoServices';
  /** Issued at, epoch seconds. */
  iat: number;
  /** May-refresh-after, epoch seconds: a refresh before is refused. */
  rat: number;
  /** Expires at, epoch seconds. */
  exp: number;
  /** The audience: `NadeoServices` or `NadeoLiveServices` (a refresh token's is `NadeoServices`). */
  aud: string;
  /** `Client` for a service account, `Server` for a dedicated server account. */
  usg: 'Client' | 'Server';
  /** The session id, shared by a pair and kept across refreshes. */
  sid: string;
  /** As Nadeo's tokens have it (epoch seconds); here the issue time. */
  sat: number;
  /** The account id. */
  sub: string;
  /** The account's display name. */
  aun: string;
  /** `true` for a refresh token, `false` for an access token. */
  rtk: boolean;
  /** As Nadeo's tokens have it; always `false` here. */
  pce: boolean;
  /** The Ubisoft account id; here the account id. */
  ubiservices_uid: string;
  /** On a refresh token: the audience it refreshes to. */
  refresh_aud?: string;
  /** On a refresh token, as Nadeo's have it; `Default` here. */
  limit_type?: string;
}

const GENERIC_AGENTS = /^(?:node|undici|node-fetch|axios|got|python-requests|python-urllib|curl|wget|okhttp|java|go-http-client|node-oauth)\b/i;

/**
 * Nadeo's web services: Core (tokens, maps, records, zones), Live (map info, leaderboards, Tracks of the Day,
 * campaigns, clubs) and Meet (Cup of the Day, competitions, matchmaking), each host on its own loopback port so that
 * a client can tell them apart as it does the real hosts, with the documented shapes, limits, quirks and account-type
 * refusals. Tokens are signed JWTs with Nadeo's claims; every API route checks the token's signature, type, audience
 * and expiry. Display names come from the public API (a Trackmania emulator), as Core's were removed in 2023.
 */
export class NadeoEmulator {
  /** The Core host (tokens, maps, records, zones). */
  readonly core: EmulatorServer;
  /** The Live host (map info, leaderboards, Tracks of the Day, campaigns, clubs). */
  readonly live: EmulatorServer;
  /** The Meet host (Cup of the Day, competitions, matchmaking). */
  readonly meet: EmulatorServer;
  /** The accounts that may get tokens. */
  readonly accounts: NadeoEmulatorAccount[];
  /** Signs the emulator's tokens (and verifies them on every route). */
  readonly signer = new JwtSigner();
  /** The maps Live and Core know; change it to serve others. */
  readonly maps: NadeoMap[];
  /** The clubs Live knows. */
  readonly clubs: NadeoClub[];
  /** Core's zone tree. */
  readonly zones: NadeoZone[] = SAMPLE_ZONES.map((z) => ({ ...z }));
  /** What the Meet route answers, in the reference's shape; `null` makes it answer 204 No Content (no cup now). */
  cupOfTheDay: Record<string, unknown> | null;
  /** The emulator's clock. */
  readonly now: () => Date;
  /** Seconds an access token lasts. Default 3600. */
  accessTokenLifetime: number;
  /** Seconds a refresh token lasts. Default 86400. */
  refreshTokenLifetime: number;
  /** Seconds after issue before a token may be refreshed (the `rat` claim). Default 0. */
  refreshAfter: number;
  private readonly oauthURL?: string;
  private readonly endpoints = new Map<string, EmulatorServer>();
  private readonly byUid = new Map<string, NadeoMap>();
  private readonly byId = new Map<string, NadeoMap>();
  /** Records answered so far, by id, for `GET /mapRecords/{id}`; the oldest go first past 10,000. */
  private readonly records = new Map<string, Record<string, unknown>>();

  constructor(options: NadeoEmulatorOptions = {}) {
    this.accounts = (options.accounts ?? [DEFAULT_SERVICE_ACCOUNT, DEFAULT_DEDICATED_ACCOUNT]).map((a) => ({ ...a }));
    this.accessTokenLifetime = options.accessTokenLifetime ?? 3600;
    this.refreshTokenLifetime = options.refreshTokenLifetime ?? 86400;
    this.refreshAfter = options.refreshAfter ?? 0;
    this.oauthURL = options.oauthURL;
    this.now = options.now ?? (() => new Date());
    this.maps = options.maps ?? [...SAMPLE_MAPS.map((m) => ({ ...m })), ...generatedMaps(2000)];
    const service = this.accounts.find((a) => a.kind === 'service');
    this.clubs = options.clubs ?? SAMPLE_CLUBS.map((c) => ({ ...c, members: c.id === 9 && service ? [...c.members, accountIdOf(service)] : [...c.members] }));
    this.cupOfTheDay = defaultCup(this.now());
    const fault = (status: number) => errorBody(status === 401 ? 'unauthorized' : status === 429 ? 'too-many-requests' : 'error', `Emulated HTTP ${status}`);
    this.core = this.server([
      { endpoint: 'token-basic', method: 'POST', path: '/v2/authentication/token/basic', handler: ({ request }) => this.basic(request), faultBody: fault },
      {
        endpoint: 'token-refresh',
        method: 'POST',
        path: '/v2/authentication/token/refresh',
        handler: ({ request }) => this.refresh(request),
        faultBody: fault,
      },
      ...coreRoutes(this, fault),
    ]);
    this.live = this.server(liveRoutes(this, fault));
    this.meet = this.server(meetRoutes(this, fault));
  }

  /** A map by UID, from `maps` (which a test may change). */
  mapByUid(uid: string): NadeoMap | undefined {
    this.index();
    return this.byUid.get(uid);
  }

  /** A map by map id. */
  mapById(mapId: string): NadeoMap | undefined {
    this.index();
    return this.byId.get(mapId.toLowerCase());
  }

  /** Keeps records answered, so that `GET /mapRecords/{id}` finds them; returns them. */
  noteRecords(records: Array<Record<string, unknown>>): Array<Record<string, unknown>> {
    for (const record of records) {
      this.records.delete(String(record.mapRecordId));
      this.records.set(String(record.mapRecordId), record);
    }
    for (const oldest of this.records.keys()) {
      if (this.records.size <= 10_000) break;
      this.records.delete(oldest);
    }
    return records;
  }

  /** A record answered before, by id. */
  mapRecord(mapRecordId: string): Record<string, unknown> | undefined {
    return this.records.get(mapRecordId);
  }

  /** The club campaigns Live serves: one per club. */
  clubCampaigns(): Array<Record<string, unknown>> {
    return sampleClubCampaigns(this);
  }

  /** The competitions Meet serves, newest first: the current cup's, a community cup, and the 30 cups before. */
  competitions(): Array<
    Record<string, unknown> & {
      /** The competition's numeric id. */
      id: number;
      /** The competition's Live id, `LID-COMP-...`. */
      liveId: string;
      /** When it starts, in Unix seconds. */
      startDate: number;
      /** How many players registered. */
      nbPlayers: number;
    }
  > {
    const current = (this.cupOfTheDay?.competition ?? undefined) as
      (Record<string, unknown> & { id: number; liveId: string; startDate: number; nbPlayers: number }) | undefined;
    const start = current?.startDate ?? Math.floor(this.now().getTime() / 1000);
    const baltic = competitionJson(3633, 'Baltic Weekly #2', 8, 1663425300, {
      liveId: 'LID-COMP-4uviu3rgnjxr4yx',
      creator: 'bb961ea9-bb72-49c2-9294-fb0a34fb7591',
      description: 'Single Elimination Cup mode event for all Baltic players.',
      activityId: 315965,
      clubId: 110,
      registrationStart: 1663399920,
      registrationEnd: 1663422900,
      matchesGenerationDate: null,
      rulesUrl: 'https://discord.gg/G9nr3Pa',
      allowedZones: ['World|Europe|Latvia', 'World|Europe|Estonia', 'World|Europe|Lithuania'],
      region: null,
      matchAutoMode: 'START',
    });
    const cups = Array.from({ length: 30 }, (_, i) =>
      competitionJson(9262 - i, `COTD ${new Date((start - (i + 1) * 86400) * 1000).toISOString().slice(0, 10)} #1`, 3000 + i, start - (i + 1) * 86400),
    );
    return [...(current ? [current] : []), baltic, ...cups] as Array<
      Record<string, unknown> & { id: number; liveId: string; startDate: number; nbPlayers: number }
    >;
  }

  private index(): void {
    // Rebuilt when a test replaced or added maps.
    if (this.byUid.size === this.maps.length) return;
    this.byUid.clear();
    this.byId.clear();
    for (const map of this.maps) {
      this.byUid.set(map.uid, map);
      this.byId.set(map.mapId.toLowerCase(), map);
    }
  }

  /** Core's base URL. */
  get url(): string {
    return this.core.url;
  }

  /** Options that point nadeo-auth at this emulator: `new NadeoClient({ ...emulator.clientOptions(), account, userAgent })`. */
  clientOptions(): {
    /** The Core host's URL. */
    coreURL: string;
    /** The Live host's URL. */
    liveURL: string;
    /** The Meet host's URL. */
    meetURL: string;
    /** The `oauthURL` option, when given. */
    oauthURL?: string;
  } {
    const urls: { coreURL: string; liveURL: string; meetURL: string; oauthURL?: string } = {
      coreURL: this.core.url,
      liveURL: this.live.url,
      meetURL: this.meet.url,
    };
    if (this.oauthURL) urls.oauthURL = this.oauthURL;
    return urls;
  }

  /** Starts the three hosts: with a fixed `port`, Core listens on it and Live and Meet on the next two. */
  async start(options: StartOptions = {}): Promise<this> {
    // A fixed port applies to Core; Live and Meet take the next two.
    await this.core.start(options);
    const next = (n: number) => (options.port ? { ...options, port: options.port + n } : options);
    await this.live.start(next(1));
    await this.meet.start(next(2));
    return this;
  }

  /** Stops the three hosts. */
  async close(): Promise<void> {
    await Promise.all([this.core.close(), this.live.close(), this.meet.close()]);
  }

  /**
   * Makes an endpoint fail, by its name (`token-basic`, `token-refresh`, `zones`, `player-zones`... on Core;
   * `map`, `map-info-multiple`, `leaderboard-top`... on Live; `cup-of-the-day`, `competitions`... on Meet: the
   * README lists them), or `*` for every endpoint of every host.
   */
  fault(endpoint: string, fault: Fault, options: FaultOptions = {}): this {
    if (endpoint === '*') for (const server of [this.core, this.live, this.meet]) server.fault('*', fault, options);
    else this.serverOf(endpoint).fault(endpoint, fault, options);
    return this;
  }

  /** Removes every pending fault of the three hosts. */
  clearFaults(): this {
    for (const server of [this.core, this.live, this.meet]) server.clearFaults();
    return this;
  }

  /** The requests one endpoint received, oldest first. */
  requestsTo(endpoint: string): RecordedRequest[] {
    return this.serverOf(endpoint).requestsTo(endpoint);
  }

  /** The latest request one endpoint received. */
  lastRequest(endpoint: string): RecordedRequest | undefined {
    return this.serverOf(endpoint).lastRequest(endpoint);
  }

  /** Token requests received: `basic` (login and password) and `refresh`. */
  tokenRequests(): {
    /** Requests for a token with a login and password. */
    basic: number;
    /** Requests to refresh a token. */
    refresh: number;
  } {
    return { basic: this.requestsTo('token-basic').length, refresh: this.requestsTo('token-refresh').length };
  }

  /** Forgets every recorded request (counts start again from zero). */
  clearRequests(): this {
    for (const server of [this.core, this.live, this.meet]) server.requests.length = 0;
    return this;
  }

  /** Issues a token pair directly (for tests that need an expired or foreign-audience token). */
  issueTokens(input: {
    account?: NadeoEmulatorAccount;
    audience?: string;
    accessLifetime?: number;
    refreshLifetime?: number;
    refreshAfter?: number;
    sid?: string;
  }): {
    /** The access token (a JWT). */
    accessToken: string;
    /** The refresh token (a JWT). */
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
    if (!(NADEO_AUDIENCES as readonly string[]).includes(audience))
      return { status: 400, body: errorBody('bad-request', `Unknown audience ${audience.slice(0, 40)}`) };
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

  /** The claims of a request's valid access token for `audience`, or the 401 reply Nadeo gives. Used by every data route. */
  authenticate(
    request: RecordedRequest,
    audience: NadeoAudience,
  ):
    | {
        /** The valid token's claims. */
        claims: NadeoTokenClaims;
      }
    | {
        /** The 401 reply to send instead. */
        reply: Reply;
      } {
    const claims = this.tokenClaims(request);
    const refuse = (message: string) => ({ reply: { status: 401, body: errorBody('unauthorized', message) } });
    if (!claims || claims.rtk) return refuse('Invalid token');
    if (claims.exp <= nowSeconds()) return refuse('Token expired');
    if (claims.aud !== audience) return refuse(`Invalid audience: this host needs a ${audience} token`);
    return { claims };
  }
}

function accountIdOf(account: NadeoEmulatorAccount): string {
  if (account.accountId) return account.accountId;
  // A stable UUID-shaped id from the login.
  const hex = createHash('sha256').update(account.login).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** The Cup of the Day in progress, in the reference's shape (id 1234): its challenge ended, its matches on. */
function defaultCup(now: Date): Record<string, unknown> {
  const start = Math.floor(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), 17, 15) / 1000);
  const competition = competitionJson(9263, `COTD ${now.toISOString().slice(0, 10)} #1`, 3404, start);
  return {
    id: 1234,
    edition: 1,
    competition,
    challenge: {
      id: 4595,
      uid: uuidFrom(`challenge-${start}`),
      name: `${String(competition.name)} - Challenge`,
      scoreDirection: 'ASC',
      startDate: start - 930,
      endDate: start - 30,
      status: 'HAS_SERVERS',
      resultsVisibility: 'PUBLIC',
      creator: 'afe7e1c1-7086-48f7-bde9-a7e320647510',
      admins: ['0060a0c1-2e62-41e7-9db7-c86236af3ac4'],
      nbServers: 0,
      autoScale: false,
      nbMaps: 1,
      leaderboardId: 23682,
      deletedOn: null,
      leaderboardType: 'SUM',
      completeTimeout: 5,
    },
    startDate: start - 930,
    endDate: start + 7200,
    deletedOn: null,
  };
}

/** Starts a Nadeo emulator (Core, Live and Meet) on free loopback ports. */
export function startNadeoEmulator(options: NadeoEmulatorOptions & StartOptions = {}): Promise<NadeoEmulator> {
  return new NadeoEmulator(options).start(options);
}
