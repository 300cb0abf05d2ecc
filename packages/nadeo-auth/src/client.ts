import { createHash } from 'node:crypto';
import {
  CHANNELS,
  ProviderError,
  StoreError,
  TokenError,
  describeErrorBody,
  publish,
  redact,
  redactError,
  redactWhole,
  stripQuery,
  type HttpRequest,
  type ProviderClient,
  type SharedStore,
  type StoreFailure,
} from '@maniapass/http';
import { AUDIENCE_CORE, AUDIENCE_LIVE, AUDIENCE_OAUTH, tokenFitsAudience, verifyAudience, type Audience } from './audience';
import { AudienceError, ParameterError, QueueError, UsageError } from './errors';
import { JSONWebToken } from './jwt';
import { CORE_URL, LIVE_URL, MEET_URL, OAUTH_URL, ON_RESPONSE, baseURL, makeClient, type HttpSettings, type ObservedSettings } from './options';
import { NADEO_CHANNELS, type NadeoTokenRequest } from './channels';
import { SharedLimits } from './limits';
import { MemoryTokenStore, SharedTokenStore, type StoredToken, type TokenStore } from './store';
import { authorizationFor, refreshWebServicesToken, requestOAuthToken, requestWebServicesToken } from './tokens';

/** A dedicated server or service account: the login and password of its Basic credentials. */
export interface NadeoAccount {
  /** The account's login (a dedicated server account's login, or a service account's e-mail address). */
  login: string;
  /** The account's password: sent only to the authentication endpoint, never in a message. */
  password: string;
  /** Default `service`. Both get their tokens the same way; the kind keeps their tokens apart in a store. */
  kind?: 'service' | 'dedicated';
}

/** An api.trackmania.com application, for the `OAuth2` audience (client credentials). */
export interface NadeoOAuthApp {
  /** The OAuth application's identifier (api.trackmania.com). */
  identifier: string;
  /** The OAuth application's secret: never in a message. */
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
  /** Where tokens are kept. Default: `shared` when it is given, else a `MemoryTokenStore` of this client. */
  store?: TokenStore;
  /**
   * One store for everything several processes should share: the request spacing (`minInterval`), the `Retry-After`
   * hold-offs and, unless `store` is given, the tokens. Every client with the same account on one store (a
   * `RedisStore` of `@maniapass/redis-store`) then behaves as one client: one rate, one hold-off, one login. Default: this
   * client's own memory. A store that fails or does not answer in time fails open (see the README).
   */
  shared?: SharedStore;
  /**
   * Minimum milliseconds between two API requests of this client, or of all the clients of the account sharing
   * `shared`. Default 500 (about two a second).
   */
  minInterval?: number;
  /** Seconds before expiry at which a token is refreshed (never before its `rat` claim). Default 300. */
  refreshMargin?: number;
  /** How many times a request answered 429 is tried again, API and token requests alike. Default 3. */
  maxRetries?: number;
  /** The longest `Retry-After` (seconds) the client waits, API and token requests alike; a longer one fails at once. Default 60. */
  maxRetryAfter?: number;
  /**
   * Seconds during which a 401 gets no new token, once a token renewed after a 401 was refused too: the API refuses
   * the account, not its token, and renewing would only log in again and again. Default 60.
   */
  renewCooldown?: number;
  /** How many requests may wait for their turn (`minInterval`, `Retry-After`); the next one fails with a `QueueError`. Default 1000. */
  maxQueue?: number;
  /** Milliseconds a request may wait for its turn; one whose turn is further away fails at once with a `QueueError`. Default 60000. */
  maxQueueWait?: number;
}

/** Options of one request of `NadeoClient`. */
export interface NadeoRequestOptions {
  /** Added to the URL's query; arrays repeat the name. */
  query?: Record<string, string | number | boolean | ReadonlyArray<string | number>>;
  /** Extra request headers; `Authorization` is always the client's. */
  headers?: Record<string, string>;
}

const nowSeconds = (): number => Math.floor(Date.now() / 1000);
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

// What a token may hold to be sent as `nadeo_v1 t=<token>` or `Bearer <token>`: visible ASCII. node:http refuses
// control characters with a bare TypeError, and a space would cut the header value in two.
const TOKEN_CHARS = /^[\x21-\x7e]+$/;
// RFC 9110 field names and the values node:http accepts.
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

const sendable = (token: unknown): token is string => typeof token === 'string' && TOKEN_CHARS.test(token);
const rateLimited = (err: unknown): err is TokenError => err instanceof TokenError && err.upstreamStatus === 429;
/** Core's token endpoints (login and refresh) share one rate limit; api.trackmania.com has its own. */
const tokenHost = (audience: Audience): 'core' | 'oauth' => (audience === AUDIENCE_OAUTH ? 'oauth' : 'core');

/**
 * A client for any Nadeo web-services URL that server apps can leave running: it picks the token by the URL's
 * host, gets it on first use, refreshes it before it expires, refreshes once and retries on a 401 (and stops
 * renewing for a while when a renewed token is refused too), spaces its requests in a bounded queue, holds off on
 * 429 from the API and from the token endpoints (`Retry-After` within a floor and a ceiling), renews one token at a
 * time per account and audience, and shares tokens, spacing and hold-offs with other processes through a store
 * (`shared`).
 *
 * ```ts
 * const nadeo = new NadeoClient({ account: { login, password }, userAgent: 'my-app / me@example.com' });
 * const zones = await nadeo.get('https://prod.trackmania.core.nadeo.online/zones/');
 * ```
 */
export class NadeoClient {
  /** Where the client keeps its tokens: `options.store`, else a `SharedTokenStore` on `shared`, else a `MemoryTokenStore`. */
  readonly store: TokenStore;
  private readonly options: NadeoClientOptions;
  private readonly http: ProviderClient;
  private readonly hosts: Array<{ origin: string; audience: Audience }>;
  private readonly minInterval: number;
  private readonly refreshMargin: number;
  private readonly maxRetries: number;
  private readonly maxRetryAfter: number;
  private readonly renewCooldown: number;
  private readonly maxQueue: number;
  private readonly maxQueueWait: number;
  private readonly local = new Map<string, { token: StoredToken; refreshAtMs: number }>();
  /** The one renewal in progress per account and audience. */
  private readonly inflight = new Map<string, Promise<StoredToken>>();
  /** Per account and audience: the token last got because of a 401, and the end of the cool-down. */
  private readonly renewals = new Map<string, { renewed?: string; coolUntilMs: number }>();
  /** Spacing and hold-offs, in `shared` or in this client's memory. */
  private readonly limits: SharedLimits;
  private queued = 0;

  constructor(options: NadeoClientOptions) {
    if (!options || typeof options !== 'object') throw new ParameterError('NadeoClient needs options: { account, userAgent } and/or { oauth, userAgent }');
    if (typeof options.userAgent !== 'string' || !options.userAgent.trim()) {
      throw new ParameterError(
        'userAgent is required: your project\'s name and a way to contact you, such as "my-app / me@example.com"; Nadeo can block requests without one',
      );
    }
    if (!options.account && !options.oauth)
      throw new ParameterError('NadeoClient needs an account ({ login, password }) or an oauth app ({ identifier, secret })');
    if (options.account && (!options.account.login || !options.account.password)) throw new ParameterError('account needs a login and a password');
    if (options.oauth && (!options.oauth.identifier || !options.oauth.secret)) throw new ParameterError('oauth needs an identifier and a secret');
    if (!HEADER_VALUE.test(options.userAgent))
      throw new ParameterError('userAgent has a character not allowed in an HTTP header (a line break or a control character)');
    this.options = { ...options, account: options.account && { ...options.account }, oauth: options.oauth && { ...options.oauth } };
    // Credentials stay out of enumerable properties, so logging the client never shows them.
    Object.defineProperty(this, 'options', { enumerable: false });
    this.store = options.store ?? (options.shared ? new SharedTokenStore(options.shared) : new MemoryTokenStore());
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
    this.renewCooldown = limitOption('renewCooldown', options.renewCooldown, 60);
    this.maxQueue = limitOption('maxQueue', options.maxQueue, 1000);
    this.maxQueueWait = limitOption('maxQueueWait', options.maxQueueWait, 60_000);
    this.limits = new SharedLimits(options.shared, `limits:${this.accountHash()}:`);
  }

  /** `request('GET', url, undefined, options)`. */
  get<T = unknown>(url: string, options?: NadeoRequestOptions): Promise<T> {
    return this.request<T>('GET', url, undefined, options);
  }

  /** `request('POST', url, body, options)`: `body` is sent as JSON. */
  post<T = unknown>(url: string, body?: unknown, options?: NadeoRequestOptions): Promise<T> {
    return this.request<T>('POST', url, body, options);
  }

  /** `request('PUT', url, body, options)`: `body` is sent as JSON. */
  put<T = unknown>(url: string, body?: unknown, options?: NadeoRequestOptions): Promise<T> {
    return this.request<T>('PUT', url, body, options);
  }

  /** `request('DELETE', url, undefined, options)`. */
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
    checkHeaders(options.headers);
    const target = withQuery(url, options.query);
    const where = `${method} ${stripQuery(target)}`;
    let token = await this.currentToken(audience);
    let renewed = false;
    let coolingDown = false;
    let retries = 0;
    for (;;) {
      await this.space(where);
      const authorization = authorizationFor(audience, token.accessToken);
      const response = await this.http.send({ method, url: target, headers: { ...options.headers, Authorization: authorization }, json: body }, [
        token.accessToken,
      ]);
      if (response.status === 401) {
        const replacement = await this.afterRefusal(audience, token.accessToken, !renewed);
        if (replacement) {
          renewed = true;
          token = replacement;
          continue;
        }
        coolingDown = !renewed;
      } else if (this.renewals.size > 0) {
        // A renewed token the API accepts is an ordinary token again: a later 401 may renew it.
        const state = this.renewals.get(this.key(audience));
        if (state?.renewed === token.accessToken) state.renewed = undefined;
      }
      if (response.status === 429) {
        // Every request of the account waits, in every process sharing the limits, not only this one.
        const wait = await this.limits.holdOff('api', response.headers['retry-after']);
        if (retries < this.maxRetries && wait <= this.maxRetryAfter) {
          retries += 1;
          continue;
        }
      } else if (response.status >= 200 && response.status < 300) {
        void this.limits.succeeded('api');
      }
      const secrets = [token.accessToken, token.refreshToken, this.options.account?.password, this.options.oauth?.secret];
      if (response.status < 200 || response.status > 299) {
        // Masked before describing and again after every cut (redactError): no part of a token may survive.
        const masked = redactWhole(response.body, secrets);
        const described = describeErrorBody(masked);
        const detail = described.message ?? described.code;
        const retryNote =
          response.status === 429
            ? ` (Retry-After: ${response.headers['retry-after'] ?? 'none'})`
            : coolingDown
              ? ` (no new token: a renewed token was refused too less than ${this.renewCooldown} s ago, see renewCooldown)`
              : '';
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
        throw new ProviderError(`nadeo: ${where} answered with a body that is not JSON`, undefined, {
          provider: 'nadeo',
          url: target,
          code: 'EBADRESPONSE',
          upstreamStatus: response.status,
        });
      }
    }
  }

  /** Waits for the request's turn, in a queue bounded in length and in wait. */
  private async space(where: string): Promise<void> {
    // A turn further than maxQueueWait is not taken at all, so that refused requests do not push the next ones
    // back; with the queue full, only a turn due now is taken.
    const wait = await this.limits.turn(Math.max(0, this.minInterval), this.queued >= this.maxQueue ? 0 : this.maxQueueWait);
    if (wait > this.maxQueueWait) {
      throw new QueueError('EQUEUEWAIT', `nadeo: ${where} was not sent: its turn is ${Math.ceil(wait)} ms away (maxQueueWait ${this.maxQueueWait} ms)`);
    }
    // Requests reserving at once all see the queue short; the ones past maxQueue give their turn up here (a turn
    // lost, within maxQueueWait).
    if (wait > 0 && this.queued >= this.maxQueue) {
      throw new QueueError('EQUEUEFULL', `nadeo: ${where} was not sent: ${this.queued} requests already wait for their turn (maxQueue ${this.maxQueue})`);
    }
    if (wait <= 0) return;
    this.queued += 1;
    try {
      await sleep(wait);
    } finally {
      this.queued -= 1;
    }
  }

  private key(audience: Audience): string {
    const who =
      audience === AUDIENCE_OAUTH
        ? `oauth:${this.options.oauth?.identifier ?? ''}`
        : `${this.options.account?.kind ?? 'service'}:${this.options.account?.login ?? ''}`;
    // A hash keeps logins out of store keys.
    return `token:${audience}:${createHash('sha256').update(who).digest('hex').slice(0, 32)}`;
  }

  /** The account and the oauth app, hashed: the key of the limits every process of this account shares. */
  private accountHash(): string {
    const who = `${this.options.account?.kind ?? 'service'}:${this.options.account?.login ?? ''}:oauth:${this.options.oauth?.identifier ?? ''}`;
    return createHash('sha256').update(who).digest('hex').slice(0, 32);
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

  private async currentToken(audience: Audience): Promise<StoredToken> {
    const key = this.key(audience);
    const kept = this.local.get(key);
    if (kept && Date.now() < kept.refreshAtMs) return kept.token;
    // While the token endpoints are rate limited, a token due for refresh that has not expired yet still serves.
    const stillValid = () => !!kept && Date.now() < kept.token.expiration * 1000;
    if (stillValid() && (await this.tokenWaitMs(audience)) > 0) return kept!.token;
    try {
      return await this.flight(audience, key);
    } catch (err) {
      if (rateLimited(err) && stillValid()) return kept!.token;
      throw err;
    }
  }

  /**
   * After a 401 answered to `rejected`: the token to retry with (another caller's newer one, or a renewed one), or
   * `undefined` when none may be had. A token renewed after a 401 that is refused too starts the cool-down.
   */
  private async afterRefusal(audience: Audience, rejected: string, mayRenew: boolean): Promise<StoredToken | undefined> {
    const key = this.key(audience);
    const now = Date.now();
    const state = this.renewals.get(key) ?? { coolUntilMs: 0 };
    this.renewals.set(key, state);
    if (state.renewed === rejected) {
      state.renewed = undefined;
      state.coolUntilMs = now + this.renewCooldown * 1000;
    }
    if (!mayRenew) return undefined;
    const kept = this.local.get(key);
    if (kept && kept.token.accessToken !== rejected && now < kept.refreshAtMs) return kept.token;
    if (now < state.coolUntilMs) return undefined;
    if (kept) this.local.delete(key);
    const token = await this.flight(audience, key, rejected);
    state.renewed = token.accessToken;
    return token;
  }

  /**
   * One renewal at a time per account and audience: every caller joins the one in progress. A caller that needs a
   * token other than `rejected` and gets that very one (the renewal had started before the 401) starts the next.
   */
  private flight(audience: Audience, key: string, rejected?: string): Promise<StoredToken> {
    const current = this.inflight.get(key);
    if (current) {
      return rejected === undefined ? current : current.then((token) => (token.accessToken === rejected ? this.flight(audience, key, rejected) : token));
    }
    const run = this.obtainPolitely(audience, key, rejected).finally(() => this.inflight.delete(key));
    this.inflight.set(key, run);
    return run;
  }

  /** `obtain`, waiting as a token endpoint's 429 says (`Retry-After`, `maxRetries`, `maxRetryAfter`) unless a valid token is at hand. */
  private async obtainPolitely(audience: Audience, key: string, rejected: string | undefined): Promise<StoredToken> {
    for (let attempt = 0; ; attempt += 1) {
      try {
        return await this.obtain(audience, key, rejected);
      } catch (err) {
        if (!rateLimited(err)) throw err;
        const kept = this.local.get(key);
        const valid = !!kept && kept.token.accessToken !== rejected && Date.now() < kept.token.expiration * 1000;
        let wait = await this.tokenWaitMs(audience);
        if (valid || attempt >= this.maxRetries || wait > this.maxRetryAfter * 1000) throw err;
        // A timer may fire a little before the clock says the hold-off is over (a busy event loop): wait it out
        // whole, or the retry would be refused without being sent.
        while (wait > 0) {
          await sleep(wait);
          wait = await this.tokenWaitMs(audience);
        }
      }
    }
  }

  private async obtain(audience: Audience, key: string, rejected: string | undefined): Promise<StoredToken> {
    const usable = (t: StoredToken | undefined): t is StoredToken =>
      !!t && t.accessToken !== rejected && this.fits(audience, t) && Date.now() < this.refreshAtMs(t);
    // A token store that fails fails open: this process asks Nadeo itself (still one request at a time per account
    // and audience in this process), rather than failing every call while the store is down.
    const read = () => this.store.get(key).catch((err: unknown) => this.storeFailed('get', err, undefined));
    const stored = await read();
    if (usable(stored)) return this.keep(key, stored);
    const renewLocked = async (): Promise<StoredToken> => {
      // Another holder of the lock (another process) may have renewed it meanwhile.
      const again = await read();
      if (usable(again)) return this.keep(key, again);
      const token = await this.renew(audience, again && this.fits(audience, again) ? again : undefined);
      const until = token.refreshExpiration ?? token.expiration;
      await this.store.set(key, token, Math.max(1, until - nowSeconds())).catch((err: unknown) => this.storeFailed('set', err, undefined));
      return this.keep(key, token);
    };
    try {
      return await this.store.withLock(key, renewLocked);
    } catch (err) {
      // The lock could not be had (renewLocked itself never throws a StoreError): renew without it.
      if (!(err instanceof StoreError)) throw err;
      this.storeFailed('lock', err, undefined);
      return renewLocked();
    }
  }

  /** Publishes a token store failure (the caller goes on without the store) and answers `fallback`. */
  private storeFailed<T>(operation: string, err: unknown, fallback: T): T {
    const code = typeof (err as { code?: unknown })?.code === 'string' ? (err as { code: string }).code : 'ESTORE';
    publish<StoreFailure>(CHANNELS.storeError, () => ({ component: 'nadeo-auth:tokens', operation, code, failed: 'open' }));
    return fallback;
  }

  /** Whether a kept token (from a store another program may write to) may be sent where `audience` is needed. */
  private fits(audience: Audience, token: StoredToken): boolean {
    return token.audience === audience && sendable(token.accessToken) && tokenFitsAudience(audience, new JSONWebToken(token.accessToken).decoded.aud);
  }

  private keep(key: string, token: StoredToken): StoredToken {
    this.local.set(key, { token, refreshAtMs: this.refreshAtMs(token) });
    return token;
  }

  /** Milliseconds before the token host of `audience` may be asked again after a 429 (0 or less: now). */
  private tokenWaitMs(audience: Audience): Promise<number> {
    return this.limits.holdOffWait(`token-${tokenHost(audience)}`);
  }

  /** A new or refreshed token from Nadeo (or api.trackmania.com), checked before anything keeps or sends it. */
  private async renew(audience: Audience, previous: StoredToken | undefined): Promise<StoredToken> {
    const host = tokenHost(audience);
    const hostURL = host === 'oauth' ? baseURL(this.options.oauthURL, OAUTH_URL) : baseURL(this.options.coreURL, CORE_URL);
    const wait = await this.tokenWaitMs(audience);
    if (wait > 0) {
      throw new TokenError(
        `nadeo: the token endpoints of ${hostURL} answered 429 Too Many Requests: not asked again for ${Math.ceil(wait / 1000)} s (Retry-After)`,
        'rate_limited',
        undefined,
        undefined,
        { provider: 'nadeo', upstreamStatus: 429 },
      );
    }
    let retryAfter: string | undefined;
    const settings: ObservedSettings = {
      coreURL: this.options.coreURL,
      oauthURL: this.options.oauthURL,
      timeout: this.options.timeout,
      fetch: this.options.fetch,
      [ON_RESPONSE]: (response) => {
        if (response.status === 429) retryAfter = response.headers['retry-after'];
      },
    };
    let token: StoredToken;
    try {
      token = await this.requestToken(audience, previous, settings);
    } catch (err) {
      // Every process sharing the limits holds off, for at least a second, doubled with each 429 in a row.
      if (rateLimited(err)) await this.limits.holdOff(`token-${host}`, retryAfter);
      throw err;
    }
    void this.limits.succeeded(`token-${host}`);
    this.checkIssued(audience, token, hostURL);
    return token;
  }

  private async requestToken(audience: Audience, previous: StoredToken | undefined, settings: ObservedSettings): Promise<StoredToken> {
    if (audience === AUDIENCE_OAUTH) {
      const oauth = this.options.oauth;
      if (!oauth) throw new UsageError('requests to the OAuth host (api.trackmania.com) need the oauth option: { identifier, secret }');
      const { accessToken, expiration } = await observed(audience, 'client_credentials', () =>
        requestOAuthToken({ ...settings, ...oauth, userAgent: this.options.userAgent }),
      );
      return { audience, accessToken, expiration };
    }
    const account = this.options.account;
    if (!account) throw new UsageError(`requests for the ${audience} audience need the account option: { login, password }`);
    const now = nowSeconds();
    const rat = previous ? new JSONWebToken(previous.accessToken).decoded.rat : undefined;
    const refreshable =
      sendable(previous?.refreshToken) &&
      (previous.refreshExpiration === undefined || now < previous.refreshExpiration) &&
      (typeof rat !== 'number' || now >= rat);
    if (previous && refreshable) {
      try {
        return toStored(audience, await observed(audience, 'refresh', () => refreshWebServicesToken(previous.refreshToken!, this.options.userAgent, settings)));
      } catch (err) {
        // A refused refresh (expired, revoked): fall back to the account's credentials. Anything else, a 429 included
        // (the login shares its rate limit), is a real failure.
        if (!(err instanceof TokenError) || rateLimited(err)) throw err;
      }
    }
    return toStored(
      audience,
      await observed(audience, 'login', () =>
        requestWebServicesToken({ ...settings, audience, login: account.login, password: account.password, userAgent: this.options.userAgent }),
      ),
    );
  }

  /** A token that cannot be sent in a header, or that is for another audience, is refused before it is kept. */
  private checkIssued(audience: Audience, token: StoredToken, hostURL: string): void {
    if (!sendable(token.accessToken) || (token.refreshToken !== undefined && !sendable(token.refreshToken))) {
      throw new ProviderError(`nadeo: the token endpoint of ${hostURL} answered a token with a character not allowed in an HTTP header`, undefined, {
        provider: 'nadeo',
        url: hostURL,
        code: 'EBADRESPONSE',
      });
    }
    const aud = new JSONWebToken(token.accessToken).decoded.aud;
    if (!tokenFitsAudience(audience, aud)) {
      const secrets = [token.accessToken, token.refreshToken, this.options.account?.password, this.options.oauth?.secret];
      const shown = redact(String(JSON.stringify(aud)).slice(0, 80), secrets);
      throw new AudienceError(
        `nadeo: the token endpoint of ${hostURL} answered a token for the audience ${shown} when ${audience} was asked for: it is not used`,
      );
    }
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

/** Runs one token request and publishes how it ended on `nadeo-auth:token:end`. */
async function observed<T>(audience: Audience, grant: NadeoTokenRequest['grant'], run: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const done = (outcome: NadeoTokenRequest['outcome'], status?: number): void =>
    publish<NadeoTokenRequest>(NADEO_CHANNELS.tokenRequest, () => ({
      audience,
      grant,
      outcome,
      ...(status === undefined ? {} : { status }),
      durationMs: performance.now() - started,
    }));
  try {
    const result = await run();
    done('success', 200);
    return result;
  } catch (err) {
    const status = (err as { upstreamStatus?: unknown }).upstreamStatus;
    done(rateLimited(err) ? 'rate_limited' : 'error', typeof status === 'number' ? status : undefined);
    throw err;
  }
}

/** A non-negative number option, or its default. */
function limitOption(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !(value >= 0)) throw new ParameterError(`${name} must be a number of at least 0`);
  return value;
}

/** Headers a caller adds are checked here, so that a bad one is a `UsageError` naming it instead of node:http's TypeError. */
function checkHeaders(headers: Record<string, string> | undefined): void {
  if (!headers) return;
  for (const [name, value] of Object.entries(headers)) {
    if (!HEADER_NAME.test(name)) throw new UsageError(`${JSON.stringify(name.slice(0, 40))} is not an HTTP header name`);
    // The value is not shown: callers put credentials in headers.
    if (typeof value !== 'string' || !HEADER_VALUE.test(value)) throw new UsageError(`the ${name} header has a character not allowed in an HTTP header`);
  }
}
