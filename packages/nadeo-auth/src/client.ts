import { createHash } from 'node:crypto';
import { ProviderError, TokenError, describeErrorBody, redactError, redactWhole, stripQuery, type HttpRequest, type ProviderClient } from '@maniapass/http';
import { AUDIENCE_CORE, AUDIENCE_LIVE, AUDIENCE_OAUTH, verifyAudience, type Audience } from './audience';
import { ParameterError, UsageError } from './errors';
import { JSONWebToken } from './jwt';
import { CORE_URL, LIVE_URL, MEET_URL, OAUTH_URL, baseURL, makeClient, type HttpSettings } from './options';
import { MemoryTokenStore, type StoredToken, type TokenStore } from './store';
import { authorizationFor, refreshWebServicesToken, requestOAuthToken, requestWebServicesToken } from './tokens';

/** A dedicated server or service account: the login and password of its Basic credentials. */
export interface NadeoAccount {
  login: string;
  password: string;
  /** Default `service`. Both get their tokens the same way; the kind keeps their tokens apart in a store. */
  kind?: 'service' | 'dedicated';
}

/** An api.trackmania.com application, for the `OAuth2` audience (client credentials). */
export interface NadeoOAuthApp {
  identifier: string;
  secret: string;
}

export interface NadeoClientOptions extends HttpSettings {
  /** Credentials for Core (`NadeoServices`), Live and Meet (`NadeoLiveServices`). */
  account?: NadeoAccount;
  /** Credentials for api.trackmania.com (`OAuth2`). */
  oauth?: NadeoOAuthApp;
  /** Required: your project's name and a way to contact you (`my-app / me@example.com`). */
  userAgent: string;
  /** Live services. Default `LIVE_URL`. */
  liveURL?: string;
  /** Meet (clubs, competitions). Default `MEET_URL`. */
  meetURL?: string;
  /** Where tokens are kept. Default: a `MemoryTokenStore` of this client. */
  store?: TokenStore;
  /** Minimum milliseconds between two API requests of this client. Default 500 (about two a second). */
  minInterval?: number;
  /** Seconds before expiry at which a token is refreshed (never before its `rat` claim). Default 300. */
  refreshMargin?: number;
  /** How many times a request answered 429 is tried again. Default 3. */
  maxRetries?: number;
  /** The longest `Retry-After` (seconds) the client waits; a longer one fails at once. Default 60. */
  maxRetryAfter?: number;
}

export interface NadeoRequestOptions {
  /** Added to the URL's query; arrays repeat the name. */
  query?: Record<string, string | number | boolean | ReadonlyArray<string | number>>;
  headers?: Record<string, string>;
}

const nowSeconds = (): number => Math.floor(Date.now() / 1000);
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A client for any Nadeo web-services URL that server apps can leave running: it picks the token by the URL's
 * host, gets it on first use, refreshes it before it expires, refreshes once and retries on a 401, spaces its
 * requests, waits on 429, and shares tokens through a store.
 *
 * ```ts
 * const nadeo = new NadeoClient({ account: { login, password }, userAgent: 'my-app / me@example.com' });
 * const zones = await nadeo.get('https://prod.trackmania.core.nadeo.online/zones/');
 * ```
 */
export class NadeoClient {
  readonly store: TokenStore;
  private readonly options: NadeoClientOptions;
  private readonly http: ProviderClient;
  private readonly hosts: Array<{ origin: string; audience: Audience }>;
  private readonly minInterval: number;
  private readonly refreshMargin: number;
  private readonly maxRetries: number;
  private readonly maxRetryAfter: number;
  private readonly local = new Map<string, { token: StoredToken; refreshAtMs: number }>();
  private readonly inflight = new Map<string, Promise<StoredToken>>();
  private nextSlotMs = 0;

  constructor(options: NadeoClientOptions) {
    if (!options || typeof options !== 'object') throw new ParameterError('NadeoClient needs options: { account, userAgent } and/or { oauth, userAgent }');
    if (typeof options.userAgent !== 'string' || !options.userAgent.trim()) {
      throw new ParameterError('userAgent is required: your project\'s name and a way to contact you, such as "my-app / me@example.com"; Nadeo can block requests without one');
    }
    if (!options.account && !options.oauth) throw new ParameterError('NadeoClient needs an account ({ login, password }) or an oauth app ({ identifier, secret })');
    if (options.account && (!options.account.login || !options.account.password)) throw new ParameterError('account needs a login and a password');
    if (options.oauth && (!options.oauth.identifier || !options.oauth.secret)) throw new ParameterError('oauth needs an identifier and a secret');
    this.options = { ...options, account: options.account && { ...options.account }, oauth: options.oauth && { ...options.oauth } };
    // Credentials stay out of enumerable properties, so logging the client never shows them.
    Object.defineProperty(this, 'options', { enumerable: false });
    this.store = options.store ?? new MemoryTokenStore();
    this.http = makeClient(options, options.userAgent, [options.account?.password, options.oauth?.secret]);
    Object.defineProperty(this, 'http', { enumerable: false });
    this.hosts = [
      { origin: originOf(baseURL(options.coreURL, CORE_URL), 'coreURL'), audience: AUDIENCE_CORE },
      { origin: originOf(baseURL(options.liveURL, LIVE_URL), 'liveURL'), audience: AUDIENCE_LIVE },
      { origin: originOf(baseURL(options.meetURL, MEET_URL), 'meetURL'), audience: AUDIENCE_LIVE },
      { origin: originOf(baseURL(options.oauthURL, OAUTH_URL), 'oauthURL'), audience: AUDIENCE_OAUTH },
    ];
    this.minInterval = options.minInterval ?? 500;
    this.refreshMargin = options.refreshMargin ?? 300;
    this.maxRetries = options.maxRetries ?? 3;
    this.maxRetryAfter = options.maxRetryAfter ?? 60;
  }

  get<T = unknown>(url: string, options?: NadeoRequestOptions): Promise<T> {
    return this.request<T>('GET', url, undefined, options);
  }

  post<T = unknown>(url: string, body?: unknown, options?: NadeoRequestOptions): Promise<T> {
    return this.request<T>('POST', url, body, options);
  }

  put<T = unknown>(url: string, body?: unknown, options?: NadeoRequestOptions): Promise<T> {
    return this.request<T>('PUT', url, body, options);
  }

  delete<T = unknown>(url: string, options?: NadeoRequestOptions): Promise<T> {
    return this.request<T>('DELETE', url, undefined, options);
  }

  /** The audience a URL's host needs; a `UsageError` for a host that is none of the configured ones. */
  audienceFor(url: string): Audience {
    let origin: string;
    try {
      origin = new URL(url).origin;
    } catch {
      throw new UsageError(`not an absolute URL: ${stripQuery(String(url))}`);
    }
    const host = this.hosts.find((h) => h.origin === origin);
    if (!host) {
      throw new UsageError(`${origin} is not a Nadeo host of this client (coreURL, liveURL, meetURL, oauthURL): its tokens are sent nowhere else`);
    }
    return host.audience;
  }

  /** A valid token for an audience (any name `verifyAudience` accepts): the kept one, or a new or refreshed one. */
  async token(audience: string): Promise<StoredToken> {
    return this.currentToken(verifyAudience(audience));
  }

  /** Sends a request with the right token and returns the parsed JSON answer (`null` for 204 or an empty body). */
  async request<T = unknown>(method: HttpRequest['method'], url: string, body?: unknown, options: NadeoRequestOptions = {}): Promise<T> {
    const audience = this.audienceFor(url);
    const target = withQuery(url, options.query);
    let token = await this.currentToken(audience);
    let refreshedAfter401 = false;
    let retries = 0;
    for (;;) {
      await this.space();
      const authorization = authorizationFor(audience, token.accessToken);
      const response = await this.http.send(
        { method, url: target, headers: { ...options.headers, Authorization: authorization }, json: body },
        [token.accessToken],
      );
      if (response.status === 401 && !refreshedAfter401) {
        refreshedAfter401 = true;
        token = await this.replaceToken(audience, token.accessToken);
        continue;
      }
      if (response.status === 429 && retries < this.maxRetries) {
        const wait = retryAfterSeconds(response.headers['retry-after']);
        if (wait <= this.maxRetryAfter) {
          retries += 1;
          // Every request of this client waits, not only this one.
          this.nextSlotMs = Math.max(this.nextSlotMs, Date.now() + wait * 1000);
          continue;
        }
      }
      const where = `${method} ${stripQuery(target)}`;
      const secrets = [token.accessToken, token.refreshToken, this.options.account?.password, this.options.oauth?.secret];
      if (response.status < 200 || response.status > 299) {
        // Masked before describing and again after every cut (redactError): no part of a token may survive.
        const masked = redactWhole(response.body, secrets);
        const described = describeErrorBody(masked);
        const detail = described.message ?? described.code;
        const retryNote = response.status === 429 ? ` (Retry-After: ${response.headers['retry-after'] ?? 'none'})` : '';
        const error = new ProviderError(
          `nadeo: ${where} answered HTTP ${response.status}${detail ? `: ${detail}` : ''}${retryNote}`,
          { statusCode: response.status, data: masked.slice(0, 2000) },
          { provider: 'nadeo', url: target, code: 'EHTTPSTATUS', upstreamStatus: response.status },
        );
        throw redactError(error, secrets);
      }
      if (response.status === 204 || response.body.trim() === '') return null as T;
      try {
        return JSON.parse(response.body) as T;
      } catch {
        throw new ProviderError(`nadeo: ${where} answered with a body that is not JSON`, undefined, { provider: 'nadeo', url: target, code: 'EBADRESPONSE', upstreamStatus: response.status });
      }
    }
  }

  private async space(): Promise<void> {
    const now = Date.now();
    const at = Math.max(now, this.nextSlotMs);
    this.nextSlotMs = at + Math.max(0, this.minInterval);
    if (at > now) await sleep(at - now);
  }

  private key(audience: Audience): string {
    const who =
      audience === AUDIENCE_OAUTH
        ? `oauth:${this.options.oauth?.identifier ?? ''}`
        : `${this.options.account?.kind ?? 'service'}:${this.options.account?.login ?? ''}`;
    // A hash keeps logins out of store keys.
    return `token:${audience}:${createHash('sha256').update(who).digest('hex').slice(0, 32)}`;
  }

  private refreshAtMs(token: StoredToken): number {
    const exp = token.expiration;
    const { rat, iat } = new JSONWebToken(token.accessToken).decoded;
    const lifetime = typeof iat === 'number' ? Math.max(0, exp - iat) : 0;
    // A short-lived token would be refreshed at once with a fixed margin: cap the margin at a fifth of its life.
    const margin = lifetime > 0 ? Math.min(this.refreshMargin, lifetime / 5) : this.refreshMargin;
    let at = exp - margin;
    if (typeof rat === 'number' && rat > at) at = Math.min(rat, exp);
    return at * 1000;
  }

  private currentToken(audience: Audience): Promise<StoredToken> {
    const key = this.key(audience);
    const kept = this.local.get(key);
    if (kept && Date.now() < kept.refreshAtMs) return Promise.resolve(kept.token);
    return this.singleFlight(key, '', () => this.obtain(audience, key, undefined));
  }

  /** After a 401: a token other than `rejected`, refreshed or new unless another caller already replaced it. */
  private replaceToken(audience: Audience, rejected: string): Promise<StoredToken> {
    const key = this.key(audience);
    if (this.local.get(key)?.token.accessToken === rejected) this.local.delete(key);
    return this.singleFlight(key, rejected, () => this.obtain(audience, key, rejected));
  }

  private singleFlight(key: string, variant: string, run: () => Promise<StoredToken>): Promise<StoredToken> {
    const flightKey = `${key}|${variant}`;
    let flight = this.inflight.get(flightKey);
    if (!flight) {
      flight = run().finally(() => this.inflight.delete(flightKey));
      this.inflight.set(flightKey, flight);
    }
    return flight;
  }

  private async obtain(audience: Audience, key: string, rejected: string | undefined): Promise<StoredToken> {
    const usable = (t: StoredToken | undefined): t is StoredToken => !!t && t.accessToken !== rejected && Date.now() < this.refreshAtMs(t);
    const stored = await this.store.get(key);
    if (usable(stored)) return this.keep(key, stored);
    return this.store.withLock(key, async () => {
      // Another holder of the lock (another process) may have renewed it meanwhile.
      const again = await this.store.get(key);
      if (usable(again)) return this.keep(key, again);
      const token = await this.renew(audience, again);
      const until = token.refreshExpiration ?? token.expiration;
      await this.store.set(key, token, Math.max(1, until - nowSeconds()));
      return this.keep(key, token);
    });
  }

  private keep(key: string, token: StoredToken): StoredToken {
    this.local.set(key, { token, refreshAtMs: this.refreshAtMs(token) });
    return token;
  }

  private async renew(audience: Audience, previous: StoredToken | undefined): Promise<StoredToken> {
    const settings = { coreURL: this.options.coreURL, oauthURL: this.options.oauthURL, timeout: this.options.timeout, fetch: this.options.fetch };
    if (audience === AUDIENCE_OAUTH) {
      const oauth = this.options.oauth;
      if (!oauth) throw new UsageError('requests to the OAuth host (api.trackmania.com) need the oauth option: { identifier, secret }');
      const { accessToken, expiration } = await requestOAuthToken({ ...settings, ...oauth, userAgent: this.options.userAgent });
      return { audience, accessToken, expiration };
    }
    const account = this.options.account;
    if (!account) throw new UsageError(`requests for the ${audience} audience need the account option: { login, password }`);
    const now = nowSeconds();
    const rat = previous ? new JSONWebToken(previous.accessToken).decoded.rat : undefined;
    if (previous?.refreshToken && (previous.refreshExpiration === undefined || now < previous.refreshExpiration) && (typeof rat !== 'number' || now >= rat)) {
      try {
        return toStored(audience, await refreshWebServicesToken(previous.refreshToken, this.options.userAgent, settings));
      } catch (err) {
        // A refused refresh (expired, revoked): fall back to the account's credentials. Anything else is a real failure.
        if (!(err instanceof TokenError)) throw err;
      }
    }
    return toStored(audience, await requestWebServicesToken({ ...settings, audience, login: account.login, password: account.password, userAgent: this.options.userAgent }));
  }
}

function toStored(audience: Audience, tokens: { accessToken: string; refreshToken: string }): StoredToken {
  const access = new JSONWebToken(tokens.accessToken).decoded;
  const refresh = new JSONWebToken(tokens.refreshToken).decoded;
  const token: StoredToken = {
    audience,
    accessToken: tokens.accessToken,
    refreshToken: tokens.refreshToken,
    expiration: typeof access.exp === 'number' ? access.exp : nowSeconds() + 3600,
  };
  if (typeof refresh.exp === 'number') token.refreshExpiration = refresh.exp;
  return token;
}

function originOf(url: string, name: string): string {
  try {
    return new URL(url).origin;
  } catch {
    throw new ParameterError(`${name} is not an absolute URL`);
  }
}

function withQuery(url: string, query: NadeoRequestOptions['query']): string {
  if (!query) return url;
  const target = new URL(url);
  for (const [name, value] of Object.entries(query)) {
    if (Array.isArray(value)) for (const v of value) target.searchParams.append(name, String(v));
    else target.searchParams.append(name, String(value));
  }
  return target.toString();
}

/** `Retry-After` as seconds or an HTTP date; 1 second when absent or unreadable. */
function retryAfterSeconds(header: string | undefined): number {
  if (!header) return 1;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds;
  const date = Date.parse(header);
  return Number.isNaN(date) ? 1 : Math.max(0, (date - Date.now()) / 1000);
}
