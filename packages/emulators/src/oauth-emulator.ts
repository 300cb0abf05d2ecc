import { randomBytes } from 'node:crypto';
import { consentPage, errorPage } from './consent-page';
import { JwtSigner, nowSeconds } from './jwt';
import { EmulatorServer, type RecordedRequest, type Reply, type Route, type RouteContext } from './server';

/** An OAuth client registered with an emulator. Without `redirectUris`, any http(s) redirect URI is accepted. */
export interface EmulatorClient {
  /** The `client_id` the emulator accepts. */
  clientId: string;
  /** The client's secret. */
  clientSecret: string;
  /** The registered redirect URIs, compared exactly. */
  redirectUris?: string[];
}

/** A user of an emulated provider: an `id` plus the provider's own profile fields. */
export interface EmulatedUser {
  /** The user's id at the provider: the profile's `id`. */
  id: string;
}

/** What a test can change in an emulator when it starts it. */
export interface OAuthEmulatorOptions<U extends EmulatedUser> {
  /** Default: one client, `emulator-client-id` / `emulator-client-secret`, any redirect URI. */
  clients?: EmulatorClient[];
  /** Default: the provider's sample users. The first one is pre-selected on the consent page. */
  users?: U[];
  /**
   * Skip the consent page: `true` approves as the first user; `'unique-user'` approves as a new user made for
   * that authorization (for tests that check every session holds its own user).
   */
  autoApprove?: boolean | 'unique-user';
  /** Seconds. Defaults as the provider documents. */
  accessTokenLifetime?: number;
  /** Seconds a refresh token stays valid. Defaults as the provider documents. */
  refreshTokenLifetime?: number;
  /** Seconds an authorization code stays valid. Default 60. */
  codeLifetime?: number;
}

/** The client every emulator accepts unless `clients` says otherwise; `strategyOptions()` gives its credentials. */
export const DEFAULT_CLIENT: EmulatorClient = { clientId: 'emulator-client-id', clientSecret: 'emulator-client-secret' };

/** What makes one provider's emulator differ from another's. */
export interface OAuthProviderSpec<U extends EmulatedUser> {
  /** The provider's name (`trackmania`...). */
  name: string;
  /** Shown on the consent page. */
  title: string;
  /** The path of the authorization endpoint. */
  authorizePath: string;
  /** The path of the token endpoint. */
  tokenPath: string;
  /** Documented scopes; `null` when the provider has none. */
  scopes: readonly string[] | null;
  /** Seconds an access token stays valid, as the provider documents. */
  accessTokenLifetime: number;
  /** Seconds a refresh token stays valid, as the provider documents. */
  refreshTokenLifetime: number;
  /** The users an emulator has unless `users` says otherwise. */
  sampleUsers: U[];
  /** A new user for `autoApprove: 'unique-user'`. */
  makeUser(serial: number): U;
  /** How a user is labelled on the consent page. */
  userLabel(user: U): string;
  /** The token endpoint's error body. */
  tokenError(error: string, description: string): unknown;
  /** The error body of the provider's API (401 for a bad token, the body of `status` faults). */
  apiError(status: number, message: string): unknown;
  /** Extra fields of a token response (TrackMage's `user_id`...); they override the standard ones. `scope` is what was granted. */
  tokenResponseExtras?(user: U | undefined, grant: string, scope: readonly string[], emulator: OAuthEmulator<U>): Record<string, unknown>;
  /** The HTTP status of a token error when the provider's differs (FOSOAuthServerBundle answers `invalid_client` with 400). */
  tokenErrorStatus?(error: string, status: number): number;
  /**
   * What the client-credentials grant does with `scope`: `'ignored'` (the token carries none, whatever was asked),
   * or the scopes it accepts and grants when none is asked. Default: checked against `scopes`, none by default.
   */
  clientCredentialsScope?:
    | 'ignored'
    | {
        /** The scopes a client may ask for. */
        allowed: readonly string[];
        /** The scopes granted when none is asked. */
        default: readonly string[];
      };
  /** The access token's claims as the provider documents them. Default: {@link leagueAccessToken}. */
  accessToken?: AccessTokenFormat<U>;
  /** API requests may send the token without the `Bearer ` scheme, as the provider accepts it (Trackmania). */
  acceptsBareToken?: boolean;
  /**
   * The resource owner password grant (`grant_type=password`), where the provider documents it: the id of the user
   * whose `username` and `password` these are, or `undefined` (answered `invalid_grant`).
   */
  passwordGrant?(username: string, password: string, emulator: OAuthEmulator<U>): string | undefined;
  /** A POST to the authorize path that is not the consent form (TrackMage documents its code exchange there); `undefined` = the consent form. */
  authorizePost?(ctx: RouteContext, emulator: OAuthEmulator<U>): Reply | undefined;
  /** A check every token and API request must pass (Toornament's API key); a reply refuses the request. */
  requestCheck?(request: RecordedRequest): Reply | undefined;
  /** The provider's API routes. */
  apiRoutes(emulator: OAuthEmulator<U>): Route[];
  /** The strategy options that point the provider's strategy at an emulator listening on `baseURL`. */
  endpointOptions(baseURL: string): Record<string, string>;
}

interface CodeGrant {
  clientId: string;
  redirectUri: string;
  /** Whether the authorize request named the redirect URI: then the code exchange must repeat it (RFC 6749 §4.1.3). */
  redirectUriGiven: boolean;
  scope: string[];
  userId: string;
  expiresAt: number;
}

interface RefreshGrant {
  clientId: string;
  userId: string;
  scope: string[];
  expiresAt: number;
}

/**
 * What an emulator reads back from one of its access tokens, whatever claims its provider puts in them (those are
 * in `jwt`).
 */
export interface AccessClaims {
  /** The user's id; for a client-credentials token, the client's id. */
  sub: string;
  /** The client the token was issued to, where the token says it. */
  aud?: string;
  /** Expiry, in epoch seconds. */
  exp: number;
  /** The scopes granted. */
  scopes: string[];
  /** `client` for client-credentials tokens, else `user`. */
  kind: 'user' | 'client';
  /** The token's claims as signed. */
  jwt: Record<string, unknown>;
}

/** What an access token is issued for. */
export interface IssuedToken<U extends EmulatedUser> {
  /** The client the token is issued to. */
  clientId: string;
  /** The user's id; absent for a client-credentials token. */
  userId?: string;
  /** The user, when the emulator knows them. */
  user?: U;
  /** The scopes granted. */
  scopes: string[];
  /** Issued at, in epoch seconds. */
  iat: number;
  /** Expiry, in epoch seconds. */
  exp: number;
  /** The token's own id. */
  jti: string;
}

/** How a provider's access tokens are written (`claims`) and read back (`read`, `undefined` = not a token of ours). */
export interface AccessTokenFormat<U extends EmulatedUser> {
  /** The claims signed into a new access token. */
  claims(token: IssuedToken<U>, emulator: OAuthEmulator<U>): Record<string, unknown>;
  /** What a signed token's claims say, or `undefined` when they are not a token of this emulator. */
  read(claims: Record<string, unknown>, emulator: OAuthEmulator<U>): AccessClaims | undefined;
}

/**
 * The claims clients decode from Trackmania and ManiaPlanet tokens (ManiaAPI's `JwtPayload…`: `jti, aud, iat, nbf,
 * exp, sub, scopes`), league/oauth2-server's set. A client-credentials token has the client id as `sub`.
 */
export const leagueAccessToken: AccessTokenFormat<EmulatedUser> = {
  claims: (t) => ({ jti: t.jti, aud: t.clientId, iat: t.iat, nbf: t.iat, exp: t.exp, sub: t.userId ?? t.clientId, scopes: t.scopes }),
  read: (jwt) => {
    const { sub, aud, exp, scopes } = jwt;
    if (typeof sub !== 'string' || typeof aud !== 'string' || typeof exp !== 'number' || !Array.isArray(scopes)) return undefined;
    return { sub, aud, exp, scopes: scopes.filter((s): s is string => typeof s === 'string'), kind: sub === aud ? 'client' : 'user', jwt };
  },
};

/**
 * An OAuth 2.0 authorization server with a provider's paths, shapes and quirks: consent page (or auto-approve),
 * single-use codes bound to client and redirect URI, the authorization-code, refresh-token (rotating) and
 * client-credentials grants, JWT access tokens with `exp`, and the provider's API routes on top.
 */
export class OAuthEmulator<U extends EmulatedUser> extends EmulatorServer {
  /** The registered clients. */
  readonly clients: EmulatorClient[];
  /** The users; a test may add some. The first one is pre-selected on the consent page. */
  readonly users: U[];
  /** Signs the access tokens (HS256, with a key made when the emulator starts). */
  readonly signer = new JwtSigner();
  /** Whether the consent page is skipped (see the option); a test may change it between sign-ins. */
  autoApprove: boolean | 'unique-user';
  private readonly codes = new Map<string, CodeGrant>();
  private readonly refreshTokens = new Map<string, RefreshGrant>();
  private readonly accessLifetime: number;
  private readonly refreshLifetime: number;
  private readonly codeLifetime: number;
  private userSerial = 0;

  constructor(
    /** What makes this provider's emulator differ from the others. */
    readonly spec: OAuthProviderSpec<U>,
    options: OAuthEmulatorOptions<U> = {},
  ) {
    super([]);
    this.clients = options.clients ?? [DEFAULT_CLIENT];
    this.users = [...(options.users ?? spec.sampleUsers)];
    this.autoApprove = options.autoApprove ?? false;
    this.accessLifetime = options.accessTokenLifetime ?? spec.accessTokenLifetime;
    this.refreshLifetime = options.refreshTokenLifetime ?? spec.refreshTokenLifetime;
    this.codeLifetime = options.codeLifetime ?? 60;
    this.addRoute({ endpoint: 'authorize', method: 'GET', path: spec.authorizePath, handler: (ctx) => this.authorize(ctx) });
    this.addRoute({ endpoint: 'authorize', method: 'POST', path: spec.authorizePath, handler: (ctx) => spec.authorizePost?.(ctx, this) ?? this.decide(ctx) });
    this.addRoute({
      endpoint: 'token',
      method: 'POST',
      path: spec.tokenPath,
      handler: (ctx) => this.token(ctx),
      faultBody: (s) => spec.tokenError(s >= 500 ? 'server_error' : 'invalid_request', `Emulated HTTP ${s}`),
    });
    for (const route of spec.apiRoutes(this)) this.addRoute({ faultBody: (s) => spec.apiError(s, `Emulated HTTP ${s}`), ...route });
  }

  /**
   * Options for the provider's strategy that sign in against this emulator with its first client:
   * `new Strategy({ ...emulator.strategyOptions(), callbackURL }, verify)`.
   */
  strategyOptions(): {
    /** The client id. */
    clientID: string;
    /** The client secret. */
    clientSecret: string;
  } & Record<string, string> {
    const client = this.clients[0] ?? DEFAULT_CLIENT;
    return { clientID: client.clientId, clientSecret: client.clientSecret, ...this.spec.endpointOptions(this.url) };
  }

  /** The user with this id, if any. */
  findUser(id: string): U | undefined {
    return this.users.find((u) => u.id === id);
  }

  /**
   * Checks the `Authorization: Bearer` token of an API request: the user (or `undefined` for a client token)
   * and the claims, or the provider's 401 reply.
   */
  authenticate(
    request: RecordedRequest,
    options: { requiredScope?: string; allowClientTokens?: boolean } = {},
  ):
    | {
        /** The access token's claims. */
        claims: AccessClaims;
        /** The token's user; absent for a client token. */
        user?: U;
      }
    | {
        /** The 401 reply to send instead. */
        reply: Reply;
      } {
    const refused = this.spec.requestCheck?.(request);
    if (refused) return { reply: refused };
    const header = request.headers.authorization ?? '';
    // A bare token is accepted where the provider accepts one (league/oauth2-server strips an optional `Bearer `).
    const token = /^Bearer\s+(\S+)$/i.exec(header)?.[1] ?? (this.spec.acceptsBareToken && /^[\w-]+\.[\w-]+\.[\w-]+$/.test(header) ? header : undefined);
    if (!token) return { reply: { status: 401, body: this.spec.apiError(401, 'Missing bearer token') } };
    const jwt = this.signer.verify(token);
    const claims = jwt && this.tokenFormat.read(jwt, this);
    if (!claims) return { reply: { status: 401, body: this.spec.apiError(401, 'Invalid token') } };
    if (claims.exp <= nowSeconds()) return { reply: { status: 401, body: this.spec.apiError(401, 'Token expired') } };
    if (claims.kind === 'client') {
      if (!options.allowClientTokens) return { reply: { status: 401, body: this.spec.apiError(401, 'This endpoint needs a user token') } };
      return { claims };
    }
    if (options.requiredScope && !claims.scopes.includes(options.requiredScope)) {
      return { reply: { status: 403, body: this.spec.apiError(403, `Missing scope ${options.requiredScope}`) } };
    }
    const user = this.findUser(claims.sub);
    if (!user) return { reply: { status: 401, body: this.spec.apiError(401, 'Unknown user') } };
    return { claims, user };
  }

  /**
   * An API route that needs a user token (with `scope` when given), as `authenticate` checks it: `reply` gets
   * the signed-in user; anything else gets the provider's 401 or 403.
   */
  userRoute(
    endpoint: string,
    method: string,
    path: string,
    scope: string | undefined,
    reply: (user: U, request: RecordedRequest) => Reply | Promise<Reply>,
  ): Route {
    return {
      endpoint,
      method,
      path,
      handler: ({ request }) => {
        const auth = this.authenticate(request, { requiredScope: scope });
        if ('reply' in auth) return auth.reply;
        return reply(auth.user!, request);
      },
    };
  }

  /** Issues an access token directly (for tests of API calls that skip the sign-in). */
  issueAccessToken(input: { clientId?: string; userId?: string; scope?: string[]; lifetime?: number }): string {
    const now = nowSeconds();
    const token: IssuedToken<U> = {
      clientId: input.clientId ?? this.clients[0]?.clientId ?? DEFAULT_CLIENT.clientId,
      scopes: input.scope ?? [],
      iat: now,
      exp: now + (input.lifetime ?? this.accessLifetime),
      jti: randomBytes(12).toString('hex'),
    };
    if (input.userId !== undefined) {
      token.userId = input.userId;
      const user = this.findUser(input.userId);
      if (user) token.user = user;
    }
    return this.signer.sign(this.tokenFormat.claims(token, this));
  }

  /** A token endpoint's error answer, in the provider's shape and status, with RFC 6749 §5.2's headers. */
  tokenErrorReply(status: number, error: string, description: string, options: { basicAuth?: boolean } = {}): Reply {
    const finalStatus = this.spec.tokenErrorStatus?.(error, status) ?? status;
    const headers: Record<string, string> = { ...TOKEN_HEADERS };
    // RFC 6749 §5.2: a 401 after HTTP Basic MUST carry the challenge (league/oauth2-server's realm).
    if (finalStatus === 401 && options.basicAuth) headers['WWW-Authenticate'] = 'Basic realm="OAuth"';
    return { status: finalStatus, headers, body: this.spec.tokenError(error, description) };
  }

  /**
   * A POST to a token path with its parsed body: client credentials come from the body or HTTP Basic, never from the
   * request URI (RFC 6749 §2.3.1).
   */
  postToken(request: RecordedRequest, params: Map<string, string>): Reply {
    if (request.query.has('client_id') || request.query.has('client_secret')) {
      return this.tokenErrorReply(400, 'invalid_request', 'Client credentials must be sent in the request body or with HTTP Basic, not in the request URI');
    }
    return this.grant(params, request.headers.authorization);
  }

  private get tokenFormat(): AccessTokenFormat<U> {
    return this.spec.accessToken ?? (leagueAccessToken as AccessTokenFormat<U>);
  }

  private authorize(ctx: RouteContext): Reply {
    const q = ctx.request.query;
    const checked = this.checkAuthorizeRequest(q, { responseType: true });
    if ('reply' in checked) return checked.reply;
    const { client, redirectUri, scope } = checked;
    const state = q.get('state') ?? undefined;
    const redirectUriGiven = q.has('redirect_uri');

    if (this.takeFault('authorize')?.type === 'deny') return this.denied(redirectUri, state);
    if (this.autoApprove) {
      const user = this.autoApprove === 'unique-user' ? this.addUniqueUser() : this.users[0];
      if (!user) return { status: 500, body: errorPage('No user', 'The emulator has no user to sign in as.') };
      return this.approved({ clientId: client.clientId, redirectUri, redirectUriGiven, scope, userId: user.id }, state);
    }
    const hidden: Record<string, string> = { client_id: client.clientId, scope: scope.join(' ') };
    if (redirectUriGiven) hidden.redirect_uri = redirectUri;
    if (state !== undefined) hidden.state = state;
    return {
      status: 200,
      headers: { 'Content-Type': 'text/html; charset=utf-8' },
      body: consentPage({
        providerTitle: this.spec.title,
        clientId: client.clientId,
        scopes: scope,
        users: this.users.map((u) => ({ id: u.id, label: this.spec.userLabel(u) })),
        hidden,
        action: this.spec.authorizePath,
      }),
    };
  }

  /** The consent page's form (the emulator's own: its fields were checked when the page was shown, and again here). */
  private decide(ctx: RouteContext): Reply {
    const form = new URLSearchParams(ctx.request.body);
    const checked = this.checkAuthorizeRequest(form, { responseType: false });
    if ('reply' in checked) return checked.reply;
    const state = form.get('state') ?? undefined;
    if (form.get('decision') !== 'approve') return this.denied(checked.redirectUri, state);
    const user = this.findUser(form.get('user_id') ?? '') ?? this.users[0];
    if (!user) return { status: 400, body: errorPage('Unknown user', 'Pick a user on the consent page.') };
    const { client, redirectUri, scope } = checked;
    return this.approved({ clientId: client.clientId, redirectUri, redirectUriGiven: form.has('redirect_uri'), scope, userId: user.id }, state);
  }

  private checkAuthorizeRequest(
    q: URLSearchParams,
    options: { responseType: boolean },
  ): { client: EmulatorClient; redirectUri: string; scope: string[] } | { reply: Reply } {
    const page = (title: string, message: string): { reply: Reply } => ({
      reply: { status: 400, headers: { 'Content-Type': 'text/html; charset=utf-8' }, body: errorPage(title, message) },
    });
    const client = this.clients.find((c) => c.clientId === q.get('client_id'));
    if (!client) return page('Unknown client', 'client_id is not registered with this provider.');
    const redirectUri = q.get('redirect_uri') ?? client.redirectUris?.[0];
    if (!redirectUri || !isHttpURL(redirectUri) || (client.redirectUris && !client.redirectUris.includes(redirectUri))) {
      // Never redirect to an unverified URI: that would make the provider an open redirector.
      return page('Invalid redirect_uri', 'redirect_uri is missing or not registered for this client.');
    }
    const errorRedirect = (error: string, description: string): { reply: Reply } => ({
      reply: { status: 302, headers: { Location: withQuery(redirectUri, { error, error_description: description, state: q.get('state') ?? undefined }) } },
    });
    if (options.responseType) {
      const responseType = q.get('response_type');
      if (responseType === null) return errorRedirect('invalid_request', 'The response_type parameter is missing');
      if (responseType !== 'code') return errorRedirect('unsupported_response_type', 'Only response_type=code is supported');
    }
    const scope = splitScope(q.get('scope'));
    const unknown = unknownScope(scope, this.spec.scopes);
    if (unknown !== undefined) return errorRedirect('invalid_scope', `The requested scope is invalid: ${unknown}`);
    return { client, redirectUri, scope };
  }

  private approved(grant: Omit<CodeGrant, 'expiresAt'>, state: string | undefined): Reply {
    const code = randomBytes(24).toString('base64url');
    this.codes.set(code, { ...grant, expiresAt: nowSeconds() + this.codeLifetime });
    return { status: 302, headers: { Location: withQuery(grant.redirectUri, { code, state }) } };
  }

  private denied(redirectUri: string, state: string | undefined): Reply {
    return {
      status: 302,
      headers: { Location: withQuery(redirectUri, { error: 'access_denied', error_description: 'The resource owner denied the request.', state }) },
    };
  }

  private addUniqueUser(): U {
    this.userSerial += 1;
    const user = this.spec.makeUser(this.userSerial);
    this.users.push(user);
    return user;
  }

  /** The token endpoint: reads form or JSON bodies, client credentials from the body or HTTP Basic. */
  protected token(ctx: RouteContext): Reply {
    const request = ctx.request;
    const refused = this.spec.requestCheck?.(request);
    if (refused) return refused;
    const params = new Map<string, string>(Object.entries(request.form ?? {}));
    if (request.json && typeof request.json === 'object') {
      for (const [k, v] of Object.entries(request.json as Record<string, unknown>)) if (typeof v === 'string') params.set(k, v);
    }
    return this.postToken(request, params);
  }

  /**
   * Runs a grant; shared by every token path of a provider. `params` are the request's parameters wherever the
   * provider reads them from; `authorization` its `Authorization` header.
   */
  grant(params: Map<string, string>, authorization?: string): Reply {
    const basic = basicCredentials(authorization);
    const fail = (status: number, error: string, description: string): Reply =>
      this.tokenErrorReply(status, error, description, { basicAuth: basic !== undefined });

    // The grant type first, as league/oauth2-server and FOSOAuthServerBundle both check it.
    const grantType = params.get('grant_type');
    if (!grantType) return fail(400, 'invalid_request', 'The grant_type parameter is missing');
    const supported = grantType === 'password' ? this.spec.passwordGrant !== undefined : GRANT_TYPES.includes(grantType);
    if (!supported) return fail(400, 'unsupported_grant_type', `The grant type "${grantType}" is not supported`);

    const clientId = basic ? basic.clientId : params.get('client_id');
    const clientSecret = basic ? basic.clientSecret : params.get('client_secret');
    const client = this.clients.find((c) => c.clientId === clientId);
    if (!client || clientSecret === undefined || client.clientSecret !== clientSecret) return fail(401, 'invalid_client', 'Client authentication failed');

    const now = nowSeconds();
    if (grantType === 'authorization_code') {
      const code = params.get('code');
      if (!code) return fail(400, 'invalid_request', 'The code parameter is missing');
      const grant = this.codes.get(code);
      this.codes.delete(code); // single use, even when the rest of the request is wrong
      if (!grant || grant.expiresAt <= now) return fail(400, 'invalid_grant', 'The authorization code is invalid or expired');
      if (grant.clientId !== client.clientId) return fail(400, 'invalid_grant', 'The authorization code was issued to another client');
      const redirectUri = params.get('redirect_uri');
      if (redirectUri === undefined && grant.redirectUriGiven) return fail(400, 'invalid_request', 'The redirect_uri parameter is missing');
      if (redirectUri !== undefined && redirectUri !== grant.redirectUri)
        return fail(400, 'invalid_grant', 'redirect_uri does not match the authorization request');
      return this.tokenResponse(client.clientId, grant.userId, grant.scope, grant.scope, 'authorization_code');
    }
    if (grantType === 'refresh_token') {
      const token = params.get('refresh_token');
      if (!token) return fail(400, 'invalid_request', 'The refresh_token parameter is missing');
      const grant = this.refreshTokens.get(token);
      if (!grant || grant.expiresAt <= now || grant.clientId !== client.clientId) return fail(400, 'invalid_grant', 'The refresh token is invalid');
      // RFC 6749 §6: the scope may narrow the original grant, never widen it.
      const requested = params.has('scope') ? splitScope(params.get('scope')) : grant.scope;
      const wider = unknownScope(requested, grant.scope);
      if (wider !== undefined) return fail(400, 'invalid_scope', `The requested scope exceeds the original grant: ${wider}`);
      this.refreshTokens.delete(token); // rotation: each refresh token works once
      return this.tokenResponse(client.clientId, grant.userId, requested, grant.scope, 'refresh_token');
    }
    if (grantType === 'password') {
      const username = params.get('username');
      const password = params.get('password');
      if (!username || !password) return fail(400, 'invalid_request', 'The username and password parameters are required');
      const userId = this.spec.passwordGrant!(username, password, this);
      if (userId === undefined) return fail(400, 'invalid_grant', 'Invalid username and password combination');
      return this.tokenResponse(client.clientId, userId, [], [], 'password');
    }
    const rule = this.spec.clientCredentialsScope;
    let scope: string[];
    if (rule === 'ignored') {
      scope = [];
    } else {
      const requested = splitScope(params.get('scope'));
      const unknown = unknownScope(requested, rule ? rule.allowed : this.spec.scopes);
      if (unknown !== undefined) return fail(400, 'invalid_scope', `The requested scope is invalid: ${unknown}`);
      scope = requested.length || !rule ? requested : [...rule.default];
    }
    return this.tokenResponse(client.clientId, undefined, scope, scope, 'client_credentials');
  }

  /** `scope` goes into the access token; a new refresh token keeps `refreshScope`, the original grant's (RFC 6749 §6). */
  private tokenResponse(clientId: string, userId: string | undefined, scope: string[], refreshScope: string[], grant: string): Reply {
    const response: Record<string, unknown> = {
      token_type: 'Bearer',
      expires_in: this.accessLifetime,
      access_token: this.issueAccessToken({ clientId, userId, scope }),
    };
    if (userId !== undefined) {
      const refresh = randomBytes(32).toString('base64url');
      this.refreshTokens.set(refresh, { clientId, userId, scope: refreshScope, expiresAt: nowSeconds() + this.refreshLifetime });
      response.refresh_token = refresh;
    }
    const body = { ...response, ...this.spec.tokenResponseExtras?.(userId === undefined ? undefined : this.findUser(userId), grant, scope, this) };
    return { status: 200, headers: { ...TOKEN_HEADERS }, body };
  }
}

const GRANT_TYPES = ['authorization_code', 'refresh_token', 'client_credentials'];

/** RFC 6749 §5.1: token answers, and their errors, are never cached. */
const TOKEN_HEADERS: Readonly<Record<string, string>> = { 'Cache-Control': 'no-store', Pragma: 'no-cache' };

function splitScope(value: string | null | undefined): string[] {
  return (value ?? '').split(/\s+/).filter(Boolean);
}

/** The first scope of `requested` not in `allowed` (`null`: no scope at all is allowed). */
function unknownScope(requested: readonly string[], allowed: readonly string[] | null): string | undefined {
  return requested.find((s) => allowed === null || !allowed.includes(s));
}

/**
 * HTTP Basic client credentials (RFC 6749 §2.3.1): split at the first colon, each half form-urlencoded. `undefined`
 * without a Basic header; a malformed one gives no credentials (so `invalid_client`), never an exception.
 */
function basicCredentials(header: string | undefined): { clientId?: string; clientSecret?: string } | undefined {
  const match = /^Basic(?:\s+(\S*))?\s*$/i.exec(header ?? '');
  if (!match) return undefined;
  const decoded = Buffer.from(match[1] ?? '', 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return {};
  return { clientId: formDecode(decoded.slice(0, colon)), clientSecret: formDecode(decoded.slice(colon + 1)) };
}

/** application/x-www-form-urlencoded decoding as browsers do it: `+` is a space, a `%` not followed by two hex digits stays. */
function formDecode(value: string): string {
  return new URLSearchParams(`v=${value.replace(/&/g, '%26')}`).get('v') ?? '';
}

function isHttpURL(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

function withQuery(base: string, params: Record<string, string | undefined>): string {
  const url = new URL(base);
  for (const [k, v] of Object.entries(params)) if (v !== undefined) url.searchParams.set(k, v);
  return url.toString();
}
