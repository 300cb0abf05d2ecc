import { inspect } from 'node:util';
import { ProviderError, TokenError, describeErrorBody, redact, redactWhole, toTokenSet, type HttpResponse } from '@maniapass/http';
import { AUDIENCE_OAUTH, verifyAudience, verifyWebServicesAudience, type Audience, type WebServicesAudience } from './audience';
import { AudienceError, ParameterError, UsageError } from './errors';
import { JSONWebToken } from './jwt';
import { CORE_URL, OAUTH_URL, PACKAGE_USER_AGENT, baseURL, makeClient, type HttpSettings } from './options';

const nowSeconds = (): number => Math.floor(Date.now() / 1000);

/** How long a token without any known expiry is taken to last (nadeo-api does the same). */
const FALLBACK_LIFETIME = 3600;

// nadeo-api keeps web-services tokens as the whole header value, `nadeo_v1 t=<jwt>`; a JWT itself never has a space.
const AUTH_SCHEME = /^\s*(?:nadeo_v1\s+t=|bearer\s+)/i;

/**
 * The bare JWT of a token held in either form: `<jwt>`, or `nadeo_v1 t=<jwt>` as nadeo-api holds web-services
 * tokens (and `Bearer <jwt>`, a header value too). Anything else is returned as it is.
 */
export function bareToken<T>(token: T): T {
  return (typeof token === 'string' ? token.replace(AUTH_SCHEME, '').trim() : token) as T;
}

export interface TokenInit extends HttpSettings {
  /** Any name `verifyAudience` accepts. */
  audience: string;
  /** The JWT, bare or as nadeo-api holds it (`nadeo_v1 t=<jwt>`). */
  accessToken: string;
  /** The same, either form. */
  refreshToken?: string;
  /** Epoch seconds. Default (or 0): the access token's `exp`, else an hour from now. */
  expiration?: number;
}

/** A token for one audience. Use one of the concrete classes; this one cannot refresh. */
export class Token {
  /** The audience the token is for (its canonical name). */
  audience: Audience;
  /** The access token: sent with each request, until `expiration`. */
  accessToken: JSONWebToken;
  /** The refresh token, when the token has one. */
  refreshToken?: JSONWebToken;
  /** When the access token expires, in epoch seconds (as a JWT's `exp`). */
  expiration: number;
  /** Where and how `refresh()` calls Nadeo: the base URLs, timeout and `fetch` of `init`. */
  protected readonly settings: HttpSettings;

  constructor(init: TokenInit) {
    this.audience = verifyAudience(init.audience);
    this.accessToken = new JSONWebToken(bareToken(init.accessToken));
    if (init.refreshToken) this.refreshToken = new JSONWebToken(bareToken(init.refreshToken));
    const exp = this.accessToken.decoded.exp;
    this.expiration = init.expiration || (typeof exp === 'number' && Number.isFinite(exp) ? exp : nowSeconds() + FALLBACK_LIFETIME);
    this.settings = { coreURL: init.coreURL, oauthURL: init.oauthURL, timeout: init.timeout, fetch: init.fetch };
  }

  /** `true` once the access token has expired. */
  get expired(): boolean {
    return nowSeconds() >= this.expiration;
  }

  /** The `Authorization` header value for a request: `nadeo_v1 t=<token>`, or `Bearer <token>` for OAuth2. */
  get authorization(): string {
    return authorizationFor(this.audience, this.accessToken.token);
  }

  /** A plain `Token` does not know how to refresh: a `UsageError`. The concrete classes override this. */
  async refresh(): Promise<void> {
    throw new UsageError('token is not of a specified type: use WebServicesToken, DedicatedServerToken, ServiceToken or OAuthToken to refresh');
  }

  /** The canonical audience for a name (`core` → `NadeoServices`...), case-insensitively; an `AudienceError` otherwise. */
  static verifyAudience(audience: string): Audience {
    return verifyAudience(audience);
  }

  /** A `UsageError` unless `token` is an instance of the class this is called on (`ServiceToken.checkType(t)`). */
  static checkType(token: unknown, msg = ''): void {
    if (!(token instanceof this)) {
      const got = isToken(token) ? token.constructor.name : typeof token;
      throw new UsageError(msg || `expected a token of type ${this.name}, got ${got}`);
    }
  }

  /** What `util.inspect` and `console.log` show: the audience, expiry and claims, never the token itself. */
  [inspect.custom](): string {
    return `${this.constructor.name} { audience: '${this.audience}', expiration: ${this.expiration}, expired: ${this.expired}, claims: ${inspect(this.accessToken.decoded)} }`;
  }
}

// Outside the class body: a class that names itself inside is bundled as `X = class _X`, and named `_X`.
function isToken(value: unknown): value is Token {
  return value instanceof Token;
}

/** Options of `WebServicesToken.get` and of the server and service account classes. */
export interface WebServicesTokenOptions extends HttpSettings {
  /** `NadeoServices` / `core` / `prod` or `NadeoLiveServices` / `live` / `meet` / `club`, any case. */
  audience: string;
  /** The account's login (for a dedicated server account, the server's login). */
  login: string;
  /** The account's password. */
  password: string;
  /**
   * Required: your project's name and a way to contact you (`my-app / me@example.com`). Nadeo can block requests
   * without a descriptive one.
   */
  userAgent: string;
}

export interface WebServicesTokenInit extends TokenInit {
  refreshToken: string;
  /** `User-Agent` of `refresh()`. Default: the package's own. */
  userAgent?: string;
}

/** A token for Nadeo's web services (Core, Live, Meet), got with an account's login and password. */
export class WebServicesToken extends Token {
  /** The refresh token: `refresh()` trades it for a new pair. */
  declare refreshToken: JSONWebToken;
  /** `NadeoServices` or `NadeoLiveServices`. */
  declare audience: WebServicesAudience;
  /** The `User-Agent` of `refresh()`. */
  protected readonly userAgent: string;

  constructor(init: WebServicesTokenInit) {
    super({ ...init, audience: verifyWebServicesAudience(init.audience) });
    this.refreshToken = new JSONWebToken(bareToken(init.refreshToken));
    this.userAgent = init.userAgent ?? PACKAGE_USER_AGENT;
  }

  /** Requests a token for an audience: `POST {coreURL}/v2/authentication/token/basic` with HTTP Basic credentials. */
  static async get(options: WebServicesTokenOptions): Promise<WebServicesToken> {
    return new this(await requestWebServicesToken(options));
  }

  /** Refreshes both tokens: `POST {coreURL}/v2/authentication/token/refresh` with the refresh token. */
  override async refresh(): Promise<void> {
    const tokens = await refreshWebServicesToken(this.refreshToken.token, this.userAgent, this.settings);
    this.accessToken = new JSONWebToken(tokens.accessToken);
    this.refreshToken = new JSONWebToken(tokens.refreshToken);
    const exp = this.accessToken.decoded.exp;
    this.expiration = typeof exp === 'number' ? exp : 0;
  }

  /** An `AudienceError` unless this token is for `audience` (any name `verifyAudience` accepts). */
  checkAudience(audience: string): void {
    const wanted = verifyAudience(audience);
    if (wanted !== this.audience) throw new AudienceError(`this token is for the audience ${this.audience}, not ${wanted}`);
  }
}

/** A dedicated server account's token (webservices.openplanet.dev/auth/dedi). */
export class DedicatedServerToken extends WebServicesToken {
  static override async get(options: WebServicesTokenOptions): Promise<DedicatedServerToken> {
    // `this`, not the class's own name: a class body that names its class is bundled as `X = class _X`, named `_X`.
    return new this(await requestWebServicesToken(options));
  }
}

/** A service account's token (webservices.openplanet.dev/auth/service): the replacement of the Ubisoft-account flow. */
export class ServiceToken extends WebServicesToken {
  static override async get(options: WebServicesTokenOptions): Promise<ServiceToken> {
    return new this(await requestWebServicesToken(options));
  }

  /** The service account's id: the access token's `sub` claim. */
  get accountId(): string {
    const sub = this.accessToken.decoded.sub;
    return typeof sub === 'string' ? sub : '';
  }
}

/** Options of `OAuthToken.get`. */
export interface OAuthTokenOptions extends HttpSettings {
  /** The OAuth application's identifier (client id). */
  identifier: string;
  /** The OAuth application's secret. */
  secret: string;
  /** Default: the package's name and version. */
  userAgent?: string;
}

/** What an `OAuthToken` is made of: the token, and the application's credentials to get the next one. */
export interface OAuthTokenInit extends Omit<TokenInit, 'audience' | 'refreshToken'> {
  /** The OAuth application's identifier (client id). */
  identifier: string;
  /** The OAuth application's secret. */
  secret: string;
  /** `User-Agent` of `refresh()`. Default: the package's name and version. */
  userAgent?: string;
}

/** A client-credentials token for the public Trackmania API (api.trackmania.com), audience `OAuth2`. */
export class OAuthToken extends Token {
  /** The OAuth application's identifier (client id). */
  identifier: string;
  /** Not enumerable: it never shows up in logs or `JSON.stringify`. */
  declare secret: string;
  /** The `User-Agent` of `refresh()`. */
  protected readonly userAgent: string;

  constructor(init: OAuthTokenInit) {
    super({ ...init, audience: AUDIENCE_OAUTH });
    this.identifier = init.identifier;
    Object.defineProperty(this, 'secret', { value: init.secret, writable: true, enumerable: false, configurable: true });
    this.userAgent = init.userAgent ?? PACKAGE_USER_AGENT;
  }

  /** Requests a token: `POST {oauthURL}/api/access_token`, `grant_type=client_credentials`. */
  static async get(options: OAuthTokenOptions): Promise<OAuthToken> {
    const { accessToken, expiration } = await requestOAuthToken(options);
    return new this({ ...options, accessToken, expiration });
  }

  /** There is no refresh token with client credentials: this requests a new token. */
  override async refresh(): Promise<void> {
    const { accessToken, expiration } = await requestOAuthToken({
      ...this.settings,
      identifier: this.identifier,
      secret: this.secret,
      userAgent: this.userAgent,
    });
    this.accessToken = new JSONWebToken(accessToken);
    this.expiration = expiration;
  }
}

/**
 * `nadeo_v1 t=<token>` for Nadeo's web services; `Bearer <token>` for api.trackmania.com, as it documents. A token
 * that already carries a scheme (`nadeo_v1 t=…`, as nadeo-api holds it) gets it once, not twice.
 */
export function authorizationFor(audience: Audience, accessToken: string): string {
  const token = bareToken(accessToken);
  return audience === AUDIENCE_OAUTH ? `Bearer ${token}` : `nadeo_v1 t=${token}`;
}

/** The two tokens of a web-services token answer. */
export interface WebServicesTokenPair {
  audience: WebServicesAudience;
  accessToken: string;
  refreshToken: string;
  userAgent: string;
  coreURL?: string;
  timeout?: number;
  fetch?: HttpSettings['fetch'];
}

/** Checks the options, then `POST /v2/authentication/token/basic`. */
export async function requestWebServicesToken(options: WebServicesTokenOptions): Promise<WebServicesTokenPair> {
  const audience = verifyWebServicesAudience(options.audience);
  for (const name of ['login', 'password'] as const) {
    if (typeof options[name] !== 'string' || !options[name])
      throw new ParameterError(`${name} is required: the ${name} of the dedicated server or service account`);
  }
  if (typeof options.userAgent !== 'string' || !options.userAgent.trim()) {
    throw new ParameterError(
      'userAgent is required: your project\'s name and a way to contact you, such as "my-app / me@example.com"; Nadeo can block requests without one',
    );
  }
  const url = `${baseURL(options.coreURL, CORE_URL)}/v2/authentication/token/basic`;
  const basic = Buffer.from(`${options.login}:${options.password}`).toString('base64');
  const secrets = [options.password, basic];
  const response = await makeClient(options, options.userAgent, secrets).send(
    { method: 'POST', url, headers: { Authorization: `Basic ${basic}` }, json: { audience } },
    secrets,
  );
  const hint =
    response.status === 401
      ? ': check the login and password of the account'
      : response.status === 403
        ? ': the account may lack access, or the User-Agent was refused'
        : '';
  const tokens = readWebServicesAnswer(response, url, secrets, hint);
  return { ...tokens, audience, userAgent: options.userAgent, coreURL: options.coreURL, timeout: options.timeout, fetch: options.fetch };
}

/** `POST /v2/authentication/token/refresh` with `Authorization: nadeo_v1 t=<refresh token>`. */
export async function refreshWebServicesToken(
  heldRefreshToken: string,
  userAgent: string,
  settings: HttpSettings,
): Promise<{ accessToken: string; refreshToken: string }> {
  const refreshToken = bareToken(heldRefreshToken);
  const url = `${baseURL(settings.coreURL, CORE_URL)}/v2/authentication/token/refresh`;
  const response = await makeClient(settings, userAgent, [refreshToken]).send(
    { method: 'POST', url, headers: { Authorization: `nadeo_v1 t=${refreshToken}` } },
    [refreshToken],
  );
  return readWebServicesAnswer(
    response,
    url,
    [refreshToken],
    response.status === 401 ? ': the refresh token is expired, invalid, or not yet allowed to refresh' : '',
  );
}

function readWebServicesAnswer(response: HttpResponse, url: string, secrets: string[], hint: string): { accessToken: string; refreshToken: string } {
  if (response.status < 200 || response.status > 299) {
    // Mask before describing: the description is cut to a length that could leave part of a secret unmasked.
    const described = describeErrorBody(redactWhole(response.body, secrets));
    const detail = described.message ?? described.code;
    throw new TokenError(
      redact(`nadeo: POST ${url} answered HTTP ${response.status}${detail ? ` (${detail})` : ''}${hint}`, secrets),
      described.code ?? (response.status === 401 ? 'unauthorized' : 'http_error'),
      undefined,
      undefined,
      { provider: 'nadeo', upstreamStatus: response.status },
    );
  }
  const json = parseJson(response.body) as { accessToken?: unknown; refreshToken?: unknown } | null | undefined;
  if (!json || typeof json.accessToken !== 'string' || !json.accessToken || typeof json.refreshToken !== 'string' || !json.refreshToken) {
    throw new ProviderError(`nadeo: POST ${url} answered without accessToken and refreshToken`, undefined, {
      provider: 'nadeo',
      url,
      code: 'EBADRESPONSE',
      upstreamStatus: response.status,
    });
  }
  return { accessToken: json.accessToken, refreshToken: json.refreshToken };
}

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

/** Client credentials against `{oauthURL}/api/access_token`. */
export async function requestOAuthToken(options: OAuthTokenOptions): Promise<{ accessToken: string; expiration: number }> {
  for (const name of ['identifier', 'secret'] as const) {
    if (typeof options[name] !== 'string' || !options[name])
      throw new ParameterError(`${name} is required: the ${name} of your api.trackmania.com application`);
  }
  const url = `${baseURL(options.oauthURL, OAUTH_URL)}/api/access_token`;
  const client = makeClient(options, options.userAgent ?? PACKAGE_USER_AGENT, [options.secret]);
  const raw = await client.token(
    { method: 'POST', url, form: { grant_type: 'client_credentials', client_id: options.identifier, client_secret: options.secret } },
    [options.secret],
  );
  const set = toTokenSet(raw);
  return { accessToken: set.accessToken, expiration: set.expiresAt ?? nowSeconds() + FALLBACK_LIFETIME };
}
