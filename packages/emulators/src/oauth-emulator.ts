import { randomBytes } from 'node:crypto';
import { consentPage, errorPage } from './consent-page';
import { JwtSigner, nowSeconds } from './jwt';
import { EmulatorServer, type RecordedRequest, type Reply, type Route, type RouteContext } from './server';

/** An OAuth client registered with an emulator. Without `redirectUris`, any http(s) redirect URI is accepted. */
export interface EmulatorClient {
  clientId: string;
  clientSecret: string;
  redirectUris?: string[];
}

/** A user of an emulated provider: an `id` plus the provider's own profile fields. */
export interface EmulatedUser {
  id: string;
}

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
  refreshTokenLifetime?: number;
  /** Seconds an authorization code stays valid. Default 60. */
  codeLifetime?: number;
}

export const DEFAULT_CLIENT: EmulatorClient = { clientId: 'emulator-client-id', clientSecret: 'emulator-client-secret' };

/** What makes one provider's emulator differ from another's. */
export interface OAuthProviderSpec<U extends EmulatedUser> {
  name: string;
  /** Shown on the consent page. */
  title: string;
  authorizePath: string;
  tokenPath: string;
  /** Documented scopes; `null` when the provider has none. */
  scopes: readonly string[] | null;
  accessTokenLifetime: number;
  refreshTokenLifetime: number;
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

/** Claims of the emulator's access tokens (signed JWTs). */
export interface AccessClaims {
  iss: string;
  aud: string;
  sub: string;
  jti: string;
  iat: number;
  nbf: number;
  exp: number;
  scopes: string[];
  /** `client` for client-credentials tokens, else `user`. */
  kind: 'user' | 'client';
}

/**
 * An OAuth 2.0 authorization server with a provider's paths, shapes and quirks: consent page (or auto-approve),
 * single-use codes bound to client and redirect URI, the authorization-code, refresh-token (rotating) and
 * client-credentials grants, JWT access tokens with `exp`, and the provider's API routes on top.
 */
export class OAuthEmulator<U extends EmulatedUser> extends EmulatorServer {
  readonly clients: EmulatorClient[];
  readonly users: U[];
  readonly signer = new JwtSigner();
  autoApprove: boolean | 'unique-user';
  private readonly codes = new Map<string, CodeGrant>();
  private readonly refreshTokens = new Map<string, RefreshGrant>();
  private readonly accessLifetime: number;
  private readonly refreshLifetime: number;
  private readonly codeLifetime: number;
  private userSerial = 0;

  constructor(
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
    this.addRoute({ endpoint: 'token', method: 'POST', path: spec.tokenPath, handler: (ctx) => this.token(ctx), faultBody: (s) => spec.tokenError(s >= 500 ? 'server_error' : 'invalid_request', `Emulated HTTP ${s}`) });
    for (const route of spec.apiRoutes(this)) this.addRoute({ faultBody: (s) => spec.apiError(s, `Emulated HTTP ${s}`), ...route });
  }

  /**
   * Options for the provider's strategy that sign in against this emulator with its first client:
   * `new Strategy({ ...emulator.strategyOptions(), callbackURL }, verify)`.
   */
  strategyOptions(): { clientID: string; clientSecret: string } & Record<string, string> {
    const client = this.clients[0] ?? DEFAULT_CLIENT;
    return { clientID: client.clientId, clientSecret: client.clientSecret, ...this.spec.endpointOptions(this.url) };
  }

  findUser(id: string): U | undefined {
    return this.users.find((u) => u.id === id);
  }

  /**
   * Checks the `Authorization: Bearer` token of an API request: the user (or `undefined` for a client token)
   * and the claims, or the provider's 401 reply.
   */
  authenticate(request: RecordedRequest, options: { requiredScope?: string; allowClientTokens?: boolean } = {}): { claims: AccessClaims; user?: U } | { reply: Reply } {
    const refused = this.spec.requestCheck?.(request);
    if (refused) return { reply: refused };
    const match = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '');
    if (!match?.[1]) return { reply: { status: 401, body: this.spec.apiError(401, 'Missing bearer token') } };
    const claims = this.signer.verify(match[1]) as AccessClaims | undefined;
    if (!claims || claims.iss !== this.spec.name) return { reply: { status: 401, body: this.spec.apiError(401, 'Invalid token') } };
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

  /** Issues an access token directly (for tests of API calls that skip the sign-in). */
  issueAccessToken(input: { clientId?: string; userId?: string; scope?: string[]; lifetime?: number }): string {
    const now = nowSeconds();
    const claims: AccessClaims = {
      iss: this.spec.name,
      aud: input.clientId ?? this.clients[0]?.clientId ?? DEFAULT_CLIENT.clientId,
      sub: input.userId ?? input.clientId ?? DEFAULT_CLIENT.clientId,
      jti: randomBytes(12).toString('hex'),
      iat: now,
      nbf: now,
      exp: now + (input.lifetime ?? this.accessLifetime),
      scopes: input.scope ?? [],
      kind: input.userId ? 'user' : 'client',
    };
    return this.signer.sign(claims as unknown as Record<string, unknown>);
  }

  private authorize(ctx: RouteContext): Reply {
    const q = ctx.request.query;
    const checked = this.checkAuthorizeRequest(q);
    if ('reply' in checked) return checked.reply;
    const { client, redirectUri, scope } = checked;
    const state = q.get('state') ?? undefined;

    if (this.takeFault('authorize')?.type === 'deny') return this.denied(redirectUri, state);
    if (this.autoApprove) {
      const user = this.autoApprove === 'unique-user' ? this.addUniqueUser() : this.users[0];
      if (!user) return { status: 500, body: errorPage('No user', 'The emulator has no user to sign in as.') };
      return this.approved(client.clientId, redirectUri, scope, user.id, state);
    }
    const hidden: Record<string, string> = { client_id: client.clientId, redirect_uri: redirectUri, scope: scope.join(' ') };
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

  private decide(ctx: RouteContext): Reply {
    const form = new URLSearchParams(ctx.request.body);
    const checked = this.checkAuthorizeRequest(form);
    if ('reply' in checked) return checked.reply;
    const state = form.get('state') ?? undefined;
    if (form.get('decision') !== 'approve') return this.denied(checked.redirectUri, state);
    const user = this.findUser(form.get('user_id') ?? '') ?? this.users[0];
    if (!user) return { status: 400, body: errorPage('Unknown user', 'Pick a user on the consent page.') };
    return this.approved(checked.client.clientId, checked.redirectUri, checked.scope, user.id, state);
  }

  private checkAuthorizeRequest(q: URLSearchParams): { client: EmulatorClient; redirectUri: string; scope: string[] } | { reply: Reply } {
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
    if (q.has('response_type') && q.get('response_type') !== 'code') return errorRedirect('unsupported_response_type', 'Only response_type=code is supported');
    const scope = (q.get('scope') ?? '').split(/\s+/).filter(Boolean);
    const unknown = this.spec.scopes === null ? scope[0] : scope.find((s) => !this.spec.scopes!.includes(s));
    if (unknown !== undefined) return errorRedirect('invalid_scope', `The requested scope is invalid: ${unknown}`);
    return { client, redirectUri, scope };
  }

  private approved(clientId: string, redirectUri: string, scope: string[], userId: string, state: string | undefined): Reply {
    const code = randomBytes(24).toString('base64url');
    this.codes.set(code, { clientId, redirectUri, scope, userId, expiresAt: nowSeconds() + this.codeLifetime });
    return { status: 302, headers: { Location: withQuery(redirectUri, { code, state }) } };
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
    for (const [k, v] of request.query) if (!params.has(k)) params.set(k, v);
    return this.grant(params, request.headers.authorization);
  }

  /** Runs a grant; shared by every token path of a provider. */
  grant(params: Map<string, string>, authorization?: string): Reply {
    const fail = (status: number, error: string, description: string): Reply => ({ status: this.spec.tokenErrorStatus?.(error, status) ?? status, body: this.spec.tokenError(error, description) });
    let clientId = params.get('client_id');
    let clientSecret = params.get('client_secret');
    const basic = /^Basic\s+(\S+)$/i.exec(authorization ?? '');
    if (basic?.[1]) {
      const [id, secret] = Buffer.from(basic[1], 'base64').toString('utf8').split(':');
      clientId = decodeURIComponent(id ?? '');
      clientSecret = decodeURIComponent(secret ?? '');
    }
    const client = this.clients.find((c) => c.clientId === clientId);
    if (!client || client.clientSecret !== clientSecret) return fail(401, 'invalid_client', 'Client authentication failed');

    const grantType = params.get('grant_type');
    const now = nowSeconds();
    if (grantType === 'authorization_code') {
      const code = params.get('code') ?? '';
      const grant = this.codes.get(code);
      this.codes.delete(code); // single use, even when the rest of the request is wrong
      if (!grant || grant.expiresAt <= now) return fail(400, 'invalid_grant', 'The authorization code is invalid or expired');
      if (grant.clientId !== client.clientId) return fail(400, 'invalid_grant', 'The authorization code was issued to another client');
      if (grant.redirectUri !== params.get('redirect_uri')) return fail(400, 'invalid_grant', 'redirect_uri does not match the authorization request');
      return { status: 200, body: this.tokenResponse(client.clientId, grant.userId, grant.scope, 'authorization_code') };
    }
    if (grantType === 'refresh_token') {
      const token = params.get('refresh_token') ?? '';
      const grant = this.refreshTokens.get(token);
      if (!grant || grant.expiresAt <= now || grant.clientId !== client.clientId) return fail(400, 'invalid_grant', 'The refresh token is invalid');
      this.refreshTokens.delete(token); // rotation: each refresh token works once
      return { status: 200, body: this.tokenResponse(client.clientId, grant.userId, grant.scope, 'refresh_token') };
    }
    if (grantType === 'client_credentials') {
      const scope = (params.get('scope') ?? '').split(/\s+/).filter(Boolean);
      return { status: 200, body: this.tokenResponse(client.clientId, undefined, scope, 'client_credentials') };
    }
    return fail(400, 'unsupported_grant_type', `The grant type "${grantType ?? ''}" is not supported`);
  }

  private tokenResponse(clientId: string, userId: string | undefined, scope: string[], grant: string): Record<string, unknown> {
    const response: Record<string, unknown> = {
      token_type: 'Bearer',
      expires_in: this.accessLifetime,
      access_token: this.issueAccessToken({ clientId, userId, scope }),
    };
    if (userId !== undefined) {
      const refresh = randomBytes(32).toString('base64url');
      this.refreshTokens.set(refresh, { clientId, userId, scope, expiresAt: nowSeconds() + this.refreshLifetime });
      response.refresh_token = refresh;
    }
    return { ...response, ...this.spec.tokenResponseExtras?.(userId === undefined ? undefined : this.findUser(userId), grant, scope, this) };
  }
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
