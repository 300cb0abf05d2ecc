import { readFileSync } from 'node:fs';
import type { Request } from 'express';
import { ProviderClient, ProviderError, endpointURLOption, redact, redactError, type FetchFunction } from '@maniapass/http';
import { SingleFlightCache, tokenKey } from './cache';
import { PassportStrategy } from './passport-strategy';
import { parseValidation, type OpenplanetProfile } from './profile';

/** The validate endpoint on the preferred host. */
export const VALIDATE_URL = 'https://api.openplanet.dev/auth/validate';
/** The validate endpoint on the older host, which still answers. */
export const LEGACY_VALIDATE_URL = 'https://openplanet.dev/api/auth/validate';
/** Openplanet's tokens live about five minutes. */
export const DEFAULT_MAX_TOKEN_AGE = 300;
/** A bound on what is sent to Openplanet: a longer value is refused without asking. */
export const MAX_TOKEN_LENGTH = 4096;

export interface OpenplanetStrategyOptions {
  /** Required. The plugin's auth secret (openplanet.dev, plugin admin, Authentication). Sent only to `validateURL`. */
  secret: string;
  /** Default `VALIDATE_URL`. An absolute http(s) URL (use https outside tests: the token and secret go there). */
  validateURL?: string;
  /** `User-Agent` of the validate call. Default: the package's name and version; put your service and a contact in it. */
  userAgent?: string;
  /** Milliseconds for the validate call. Default 10000. */
  timeout?: number;
  /** A `fetch` used for the validate call instead of `node:http(s)` (proxies, recording). */
  fetch?: FetchFunction;
  /** Body fields (JSON or form, parsed by your body parser) the token is read from, in order. Default `['token']`. */
  tokenFields?: readonly string[];
  /** Scheme of `Authorization: <scheme> <token>`, read when no body field has the token; `false` turns it off. Default `'Openplanet'`. */
  authScheme?: string | false;
  /** Reads the token yourself (replaces `tokenFields` and `authScheme`); return `undefined` when there is none. */
  getToken?: (req: Request) => string | undefined | null;
  /** Seconds: a token whose `token_time` is older is refused (`Infinity`: no limit). Default 300. */
  maxTokenAge?: number;
  /**
   * Valid tokens are remembered (by their SHA-256) until they are `maxTokenAge` old, so that one token is
   * validated once. `max` entries (default 10000), each kept at most `maxAge` seconds (default 300). `false`: off.
   */
  cache?: false | { max?: number; maxAge?: number };
  /** The strategy's name for `passport.authenticate()`. Default `openplanet`. */
  name?: string;
}

/** The `done` callback of a callback-style verify function. */
export type VerifyDone = (err?: unknown, user?: object | false | null, info?: unknown) => void;

/** What an `async` verify function resolves to: the user, or `false` for a failed login. */
export type VerifyResult = object | false | null | undefined;

/** Why the strategy failed a request, in the `info` passport gives a custom callback (and `failureMessage`). */
export interface OpenplanetFailure {
  /** What failed, in words a log can keep (never the token). */
  message: string;
  /** `missing_token` and `malformed_token` come with status 400, `refused` and `too_old` with 401. */
  reason: 'missing_token' | 'malformed_token' | 'refused' | 'too_old';
}

type Outcome = { profile: OpenplanetProfile } | { failure: OpenplanetFailure };

const PROVIDER = 'openplanet';

function readPackage(): { name: string; version: string } {
  try {
    const { name, version } = JSON.parse(readFileSync(`${__dirname}/../package.json`, 'utf8')) as { name: string; version: string };
    return { name, version };
  } catch {
    return { name: 'passport-openplanet', version: '0.0.0' };
  }
}

function positive(value: unknown, key: string, fallback: number, allowInfinity = false): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || Number.isNaN(value) || value <= 0 || (!allowInfinity && !Number.isFinite(value))) {
    throw new TypeError(`openplanet strategy: ${key} must be a positive number, got ${String(value)}`);
  }
  return value;
}

/**
 * Passport strategy for the server half of an Openplanet plugin: reads the token the plugin got from
 * `Auth::GetToken()`, asks Openplanet who it belongs to, and hands the player's profile to `verify`.
 */
class OpenplanetStrategy extends PassportStrategy {
  override name: string;
  readonly validateURL: string;
  readonly maxTokenAge: number;
  // Not `#private` fields: passport runs each request on `Object.create(strategy)`, which has no such fields.
  private readonly secret!: string;
  private readonly http: { timeout: number; userAgent: string; fetch?: FetchFunction };
  private readonly verify: (...args: unknown[]) => unknown;
  private readonly passReqToCallback: boolean;
  private readonly tokenFields: readonly string[];
  private readonly authScheme: RegExp | undefined;
  private readonly getToken?: (req: Request) => string | undefined | null;
  private readonly cache: SingleFlightCache<Outcome>;

  constructor(options: OpenplanetStrategyOptions & { passReqToCallback?: boolean }, verify: (...args: never[]) => unknown) {
    super();
    if (options === null || typeof options !== 'object') throw new TypeError('openplanet strategy requires an options object');
    if (typeof verify !== 'function') throw new TypeError('openplanet strategy requires a verify function');
    const secret = (options as { secret?: unknown }).secret;
    if (typeof secret !== 'string' || secret.trim() === '') throw new TypeError('openplanet strategy requires the secret option (a non-empty string)');
    const timeout = positive(options.timeout, 'timeout', 10_000);
    if (options.fetch !== undefined && typeof options.fetch !== 'function') throw new TypeError('openplanet strategy: fetch must be a function');
    if (options.userAgent !== undefined && (typeof options.userAgent !== 'string' || options.userAgent.trim() === '')) {
      throw new TypeError('openplanet strategy: userAgent must be a non-empty string');
    }
    if (options.getToken !== undefined && typeof options.getToken !== 'function') throw new TypeError('openplanet strategy: getToken must be a function');
    const fields = options.tokenFields ?? ['token'];
    if (!Array.isArray(fields) || fields.some((f) => typeof f !== 'string' || f === '')) {
      throw new TypeError('openplanet strategy: tokenFields must be an array of field names');
    }
    const scheme = options.authScheme ?? 'Openplanet';
    if (scheme !== false && (typeof scheme !== 'string' || !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(scheme))) {
      throw new TypeError('openplanet strategy: authScheme must be an HTTP auth scheme name or false');
    }
    const cache = options.cache ?? {};
    if (cache !== false && (cache === null || typeof cache !== 'object')) throw new TypeError('openplanet strategy: cache must be an object or false');
    const pkg = readPackage();

    this.name = options.name ?? PROVIDER;
    this.validateURL = endpointURLOption(PROVIDER, 'validateURL', options.validateURL, VALIDATE_URL);
    this.maxTokenAge = positive(options.maxTokenAge, 'maxTokenAge', DEFAULT_MAX_TOKEN_AGE, true);
    // Non-enumerable, so that logging or serializing the strategy does not print the secret.
    Object.defineProperty(this, 'secret', { value: secret, enumerable: false });
    this.http = { timeout, userAgent: options.userAgent ?? `${pkg.name}/${pkg.version} (Node.js ${process.version})`, ...(options.fetch ? { fetch: options.fetch } : {}) };
    // The HTTP layer checks the User-Agent as a header value: at construction, not at the first player's request.
    new ProviderClient({ provider: PROVIDER, ...this.http });
    this.verify = verify as (...args: unknown[]) => unknown;
    this.passReqToCallback = options.passReqToCallback === true;
    this.tokenFields = [...fields];
    this.authScheme = scheme === false ? undefined : new RegExp(`^${scheme.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} +(\\S+)$`, 'i');
    if (options.getToken) this.getToken = options.getToken;
    this.cache =
      cache === false
        ? new SingleFlightCache(0, 0)
        : new SingleFlightCache(Math.floor(positive(cache.max, 'cache.max', 10_000)), positive(cache.maxAge, 'cache.maxAge', DEFAULT_MAX_TOKEN_AGE) * 1000);
  }

  override authenticate(req: Request, _options?: unknown): void {
    let read: { token: string } | { failure: OpenplanetFailure };
    try {
      read = this.readToken(req);
    } catch (err) {
      return this.error(err);
    }
    if ('failure' in read) return this.fail(read.failure, 400);
    const token = read.token;
    this.lookup(token)
      .then(
        (outcome) => {
          if ('failure' in outcome) return this.fail({ ...outcome.failure }, 401);
          this.callVerify(req, structuredClone(outcome.profile));
        },
        (err: unknown) => this.error(redactError(err, [this.secret, token])),
      )
      // Whatever passport's actions throw (a failing serializer...) becomes the request's error, never an unhandled rejection.
      .catch((err: unknown) => this.error(err));
  }

  /**
   * Asks Openplanet about a token, or reuses what it said: the player's profile (a copy of its own), or why the
   * token is refused. For tokens that arrive outside a passport route (a WebSocket handshake...). Concurrent calls
   * with one token share one request. Failures of Openplanet itself reject with a `ProviderError`.
   */
  async check(token: string): Promise<{ profile: OpenplanetProfile } | { failure: OpenplanetFailure }> {
    if (typeof token !== 'string' || token.trim() === '' || token.length > MAX_TOKEN_LENGTH) {
      throw new TypeError(`openplanet: check() takes a token (a non-empty string of at most ${MAX_TOKEN_LENGTH} characters)`);
    }
    const outcome = await this.lookup(token);
    return 'failure' in outcome ? { failure: { ...outcome.failure } } : { profile: structuredClone(outcome.profile) };
  }

  /** The cached or shared outcome for a token (not to be handed out as is: the cache keeps it). */
  private lookup(token: string): Promise<Outcome> {
    return this.cache.get(tokenKey(token), async () => {
      const outcome = await this.askOpenplanet(token);
      if ('failure' in outcome) return { value: outcome };
      const { tokenTime } = outcome.profile;
      // Without token_time the age is unknown: accepted, since Openplanet just said yes, but not kept.
      if (tokenTime === undefined) return { value: outcome };
      if (Date.now() / 1000 - tokenTime > this.maxTokenAge) {
        return { value: { failure: { message: 'The Openplanet token is too old: get a new one from Auth::GetToken()', reason: 'too_old' } } };
      }
      return { value: outcome, keepUntil: (tokenTime + this.maxTokenAge) * 1000 };
    });
  }

  /** Reads the token from the request: `getToken`, else the body fields, else the `Authorization` header. */
  private readToken(req: Request): { token: string } | { failure: OpenplanetFailure } {
    const missing = { failure: { message: 'Missing Openplanet token', reason: 'missing_token' as const } };
    const malformed = { failure: { message: 'Malformed Openplanet token', reason: 'malformed_token' as const } };
    let value: unknown;
    if (this.getToken) {
      value = this.getToken(req) ?? undefined;
    } else {
      const body = req.body as Record<string, unknown> | undefined;
      if (body !== null && typeof body === 'object') {
        for (const field of this.tokenFields) {
          if (Object.prototype.hasOwnProperty.call(body, field) && body[field] !== undefined) {
            value = body[field];
            break;
          }
        }
      }
      const header = req.headers?.authorization;
      if (value === undefined && this.authScheme && typeof header === 'string') {
        value = this.authScheme.exec(header)?.[1];
      }
    }
    if (value === undefined || value === null) return missing;
    if (typeof value !== 'string' || value.length > MAX_TOKEN_LENGTH) return malformed;
    if (value.trim() === '') return missing;
    return { token: value };
  }

  /** One POST to the validate endpoint; every secret of it masked in whatever it fails with. */
  private async askOpenplanet(token: string): Promise<Outcome> {
    // Both are masked in every form a server may echo them in (raw, URL- or form-encoded, JSON-escaped).
    const secrets = [this.secret, token];
    // A client per call, so that this token is masked like the secret, before any error text is cut or parsed.
    const client = new ProviderClient({ provider: PROVIDER, ...this.http, secrets });
    const request = { method: 'POST' as const, url: this.validateURL, form: { token, secret: this.secret } };
    let raw: string;
    let status: number;
    try {
      ({ raw, status } = await client.text(request));
    } catch (err) {
      // Openplanet's refusals are known by their `{ "error" }` body, whatever the status (its example server reads
      // no status); a 4xx with that body is one, but a 429 or 5xx is Openplanet failing, not the token.
      const failure = err instanceof ProviderError && err.code === 'EHTTPSTATUS' ? this.refusalIn(err, secrets) : undefined;
      if (failure) return { failure };
      throw redactError(err, secrets);
    }
    let parsed: ReturnType<typeof parseValidation>;
    try {
      parsed = parseValidation(raw);
    } catch (err) {
      throw new ProviderError(`openplanet: POST ${this.validateURL}: ${(err as Error).message}`, undefined, { provider: PROVIDER, url: this.validateURL, code: 'EBADRESPONSE', upstreamStatus: status });
    }
    if (!parsed.valid) return { failure: { message: refusalMessage(parsed.message, secrets), reason: 'refused' } };
    return { profile: parsed.profile };
  }

  private refusalIn(err: ProviderError, secrets: string[]): OpenplanetFailure | undefined {
    const status = err.upstreamStatus ?? 0;
    if (status < 400 || status > 499 || status === 429) return undefined;
    const data = (err.oauthError as { data?: unknown } | undefined)?.data;
    if (typeof data !== 'string') return undefined;
    try {
      const parsed = parseValidation(data);
      return parsed.valid || !parsed.json.error ? undefined : { message: refusalMessage(parsed.message, secrets), reason: 'refused' };
    } catch {
      return undefined;
    }
  }

  /** Calls verify with exactly `(profile, done)` (`(req, profile, done)`); a returned Promise settles too, first one wins. */
  private callVerify(req: Request, profile: OpenplanetProfile): void {
    let settled = false;
    const done: VerifyDone = (err, user, info) => {
      if (settled) return;
      settled = true;
      if (err) return this.error(err);
      if (!user) return this.fail(info, 401);
      this.success(user, info);
    };
    let result: unknown;
    try {
      result = this.passReqToCallback ? this.verify(req, profile, done) : this.verify(profile, done);
    } catch (err) {
      return done(err ?? new Error('verify function threw'));
    }
    if (result !== null && typeof result === 'object' && typeof (result as PromiseLike<unknown>).then === 'function') {
      (result as PromiseLike<VerifyResult>).then(
        (user) => {
          // A callback-style function that happens to return a Promise may already have called done.
          if (!settled) done(null, user ?? false);
        },
        (err: unknown) => done(err ?? new Error('verify function rejected')),
      );
    }
  }
}

/** Openplanet's own text, masked before it is cut, so that no part of a secret survives. */
function refusalMessage(message: string, secrets: string[]): string {
  return `Openplanet refused the token: ${redact(message, secrets).slice(0, 300)}`;
}

type NoRequest = { passReqToCallback?: false };
type WithRequest = { passReqToCallback: true };

/**
 * A verify function: `async (profile) => user` (a `VerifyResult`: the user, or `false`) or `(profile, done) => …`;
 * it is always called with both, and whichever of `done` and a returned Promise settles first wins. (The return
 * type is `void` so that both forms fit one signature, and TypeScript infers `profile` in each.)
 */
export type OpenplanetVerify = (profile: OpenplanetProfile, done: VerifyDone) => void;
/** The same with `passReqToCallback: true`: `async (req, profile) => user` or `(req, profile, done) => …`. */
export type OpenplanetVerifyWithRequest = (req: Request, profile: OpenplanetProfile, done: VerifyDone) => void;

/** The constructor, one signature per `passReqToCallback`, so that TypeScript types the verify function's arguments. */
export interface OpenplanetStrategyConstructor {
  new (options: OpenplanetStrategyOptions & NoRequest, verify: OpenplanetVerify): OpenplanetStrategy;
  new (options: OpenplanetStrategyOptions & WithRequest, verify: OpenplanetVerifyWithRequest): OpenplanetStrategy;
}

/**
 * Passport strategy for the server half of an Openplanet plugin.
 *
 * ```ts
 * passport.use(new Strategy({ secret: process.env.OPENPLANET_SECRET }, async (profile) => users.upsert(profile.id)));
 * app.post('/api/session', express.json(), passport.authenticate('openplanet', { session: false }), handler);
 * ```
 */
export const Strategy: OpenplanetStrategyConstructor = OpenplanetStrategy;
export type Strategy = OpenplanetStrategy;
export { OpenplanetStrategy };
