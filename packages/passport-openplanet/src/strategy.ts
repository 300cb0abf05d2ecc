import { readFileSync } from 'node:fs';
import type { Request } from 'express';
import { ProviderClient, ProviderError, endpointURLOption, publish, redact, redactError, type FetchFunction, type SharedStore } from '@maniapass/http';
import { OpenplanetUnavailableError } from './errors';
import { PassportStrategy } from './passport-strategy';
import { parseValidation, profileFromFields, type OpenplanetProfile } from './profile';
import { ENTRY_BYTES, ValidationStore, digest, type Kept } from './validations';
import { callVerify, type VerifyDone, type VerifyResult } from './verify';

export type { VerifyDone, VerifyResult };

/** The validate endpoint on the preferred host. */
export const VALIDATE_URL = 'https://api.openplanet.dev/auth/validate';
/** The validate endpoint on the older host, which still answers. */
export const LEGACY_VALIDATE_URL = 'https://openplanet.dev/api/auth/validate';
/** Openplanet's tokens live about five minutes. */
export const DEFAULT_MAX_TOKEN_AGE = 300;
/** A bound on what is sent to Openplanet: a longer value is refused without asking. */
export const MAX_TOKEN_LENGTH = 4096;
/** The channel each validation's end is published on (`ValidationEnd`), for metrics and server-side logs. */
export const VALIDATION_CHANNEL = 'passport-openplanet:validation:end';

/** What a validation came to, published on `VALIDATION_CHANNEL`. Never carries a token or the secret. */
export interface ValidationEnd {
  /** Where the answer came from: the shared cache, another process's validation, or Openplanet itself. */
  source: 'cache' | 'peer' | 'openplanet';
  /** `valid`, `refused` (Openplanet said no), `too_old` (past `maxTokenAge`), or `error` (no answer: see `errorKind`). */
  outcome: 'valid' | 'refused' | 'too_old' | 'error';
  /** Milliseconds the validation took. */
  durationMs: number;
  /** With `refused` from Openplanet: its own text, cut to 200 characters, then masked. For server-side logs only. */
  detail?: string;
  /** With `error`: the error's `code` or reason. */
  errorKind?: string;
}

/** Options of `OpenplanetStrategy`. */
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
   * Valid tokens are remembered (by their SHA-256: the player's id, name and token time only) until they are
   * `maxTokenAge` old, so that one token is validated once. Each kept at most `maxAge` seconds (default 300). In
   * memory (no `store`): at most `max` entries (default 10000) and `maxBytes` bytes (default 20 MiB). `false`:
   * nothing kept (concurrent requests with one token still share a validation).
   */
  cache?:
    | false
    | {
        /** In memory: the most entries kept. Default 10000. */
        max?: number;
        /** Seconds an entry is kept at most. Default 300. */
        maxAge?: number;
        /** In memory: the most bytes kept. Default 20 MiB. */
        maxBytes?: number;
      };
  /**
   * Where validations, refusals and the hold-off are kept: a `SharedStore` of `@maniapass/http` (a `RedisStore` of `@maniapass/redis-store`
   * shares them across processes, so that N processes validate each token once). Default: this process's memory.
   */
  store?: SharedStore;
  /** Milliseconds a store call may take before the strategy goes on without it. Default 500. */
  storeTimeout?: number;
  /** Seconds a refused token is remembered as refused (Openplanet is not asked again). Default 60; 0: not kept. */
  rememberRefusals?: number;
  /** Seconds Openplanet is left alone after it failed (5xx, 429, timeout, garbage): requests fail at once. Default 5; 0: off. */
  holdOff?: number;
  /** Validations this process keeps in flight at most; more fail at once (`OpenplanetUnavailableError`, `busy`). Default 32. */
  maxConcurrent?: number;
  /**
   * A plugin token succeeds once: a second request with it fails (`replayed`), in every process sharing the
   * store. For a route that exchanges the token for a session of your own. Default `false`.
   */
  singleUse?: boolean;
  /** The strategy's name for `passport.authenticate()`. Default `openplanet`. */
  name?: string;
}

/** Why the strategy failed a request, in the `info` passport gives a custom callback (and `failureMessage`). */
export interface OpenplanetFailure {
  /** A fixed text that depends only on `reason`: safe to show a player. Openplanet's own text never goes here. */
  message: string;
  /** `missing_token` and `malformed_token` come with status 400, the others with 401. */
  reason: 'missing_token' | 'malformed_token' | 'refused' | 'too_old' | 'replayed';
}

type Outcome = { profile: OpenplanetProfile } | { failure: OpenplanetFailure };

const PROVIDER = 'openplanet';
const REFUSED: OpenplanetFailure = { message: 'Openplanet refused the token: get a new one from Auth::GetToken()', reason: 'refused' };
const TOO_OLD: OpenplanetFailure = { message: 'The Openplanet token is too old: get a new one from Auth::GetToken()', reason: 'too_old' };
const REPLAYED: OpenplanetFailure = { message: 'The Openplanet token was already used: get a new one from Auth::GetToken()', reason: 'replayed' };
/** How often a process waiting for another's validation of the same token looks at the store. */
const PEER_POLL_MS = 20;

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

function notNegative(value: unknown, key: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0)
    throw new TypeError(`openplanet strategy: ${key} must be a number of seconds (0 or more), got ${String(value)}`);
  return value;
}

const isStore = (store: unknown): store is SharedStore =>
  store !== null && typeof store === 'object' && ['get', 'set', 'add', 'delete'].every((m) => typeof (store as Record<string, unknown>)[m] === 'function');

/**
 * Passport strategy for the server half of an Openplanet plugin: reads the token the plugin got from
 * `Auth::GetToken()`, asks Openplanet who it belongs to, and hands the player's profile to `verify`.
 */
class OpenplanetStrategy extends PassportStrategy {
  /** The strategy's name for `passport.authenticate()`: `options.name`, default `openplanet`. */
  override name: string;
  /** The URL tokens are validated at: `options.validateURL`, default `VALIDATE_URL`. */
  readonly validateURL: string;
  /** Seconds: a token whose `token_time` is older is refused. */
  readonly maxTokenAge: number;
  // Not `#private` fields: passport runs each request on `Object.create(strategy)`, which has no such fields.
  private readonly secret!: string;
  private readonly http: { timeout: number; userAgent: string; fetch?: FetchFunction };
  private readonly verify: (...args: unknown[]) => unknown;
  private readonly passReqToCallback: boolean;
  private readonly tokenFields: readonly string[];
  private readonly authScheme: RegExp | undefined;
  private readonly getToken?: (req: Request) => string | undefined | null;
  private readonly validations: ValidationStore;
  private readonly limits: { keepMs: number; refusalMs: number; holdOffMs: number; maxConcurrent: number; shared: boolean; singleUse: boolean };
  private readonly inflight = new Map<string, Promise<Outcome & { source: ValidationEnd['source'] }>>();
  // An object, not a number: passport runs each request on `Object.create(strategy)`, and `this.active++` there
  // would count on that request's copy.
  private readonly inFlight = { count: 0 };

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
    if (options.store !== undefined && !isStore(options.store))
      throw new TypeError('openplanet strategy: store must be a SharedStore (MemoryStore of @maniapass/http, RedisStore of @maniapass/redis-store)');
    const maxConcurrent = positive(options.maxConcurrent, 'maxConcurrent', 32);
    if (!Number.isInteger(maxConcurrent)) throw new TypeError(`openplanet strategy: maxConcurrent must be a positive integer, got ${maxConcurrent}`);
    const pkg = readPackage();

    this.name = options.name ?? PROVIDER;
    this.validateURL = endpointURLOption(PROVIDER, 'validateURL', options.validateURL, VALIDATE_URL);
    this.maxTokenAge = positive(options.maxTokenAge, 'maxTokenAge', DEFAULT_MAX_TOKEN_AGE, true);
    // Non-enumerable, so that logging or serializing the strategy does not print the secret.
    Object.defineProperty(this, 'secret', { value: secret, enumerable: false });
    this.http = {
      timeout,
      userAgent: options.userAgent ?? `${pkg.name}/${pkg.version} (Node.js ${process.version})`,
      ...(options.fetch ? { fetch: options.fetch } : {}),
    };
    // The HTTP layer checks the User-Agent as a header value: at construction, not at the first player's request.
    new ProviderClient({ provider: PROVIDER, ...this.http });
    this.verify = verify as (...args: unknown[]) => unknown;
    this.passReqToCallback = options.passReqToCallback === true;
    this.tokenFields = [...fields];
    this.authScheme = scheme === false ? undefined : new RegExp(`^${scheme.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} +(\\S+)$`, 'i');
    if (options.getToken) this.getToken = options.getToken;
    const max = cache === false ? 1 : Math.floor(positive(cache.max, 'cache.max', 10_000));
    const maxBytes = cache === false ? ENTRY_BYTES : positive(cache.maxBytes, 'cache.maxBytes', 20 * 1024 * 1024);
    const store = options.store ?? ValidationStore.memory(Math.min(max, Math.floor(maxBytes / ENTRY_BYTES)));
    // Tokens of one plugin (its secret) at one endpoint: another plugin sharing the store never sees them as valid.
    this.validations = new ValidationStore({
      store,
      namespace: digest(`${this.validateURL}\n${secret}`).slice(0, 16),
      storeTimeout: positive(options.storeTimeout, 'storeTimeout', 500),
    });
    this.limits = {
      keepMs: cache === false ? 0 : positive(cache.maxAge, 'cache.maxAge', DEFAULT_MAX_TOKEN_AGE) * 1000,
      refusalMs: cache === false ? 0 : notNegative(options.rememberRefusals, 'rememberRefusals', 60) * 1000,
      holdOffMs: notNegative(options.holdOff, 'holdOff', 5) * 1000,
      maxConcurrent,
      shared: options.store !== undefined && cache !== false,
      singleUse: options.singleUse === true,
    };
  }

  /** Validates the request's Openplanet token: hands its profile to `verify`, or fails with the reason. Called by passport. */
  override authenticate(req: Request, _options?: unknown): void {
    let read: { token: string } | { failure: OpenplanetFailure };
    try {
      read = this.readToken(req);
    } catch (err) {
      return this.error(err);
    }
    if ('failure' in read) return this.fail(read.failure, 400);
    const token = read.token;
    this.outcome(token)
      .then(
        (outcome) => {
          if ('failure' in outcome) return this.fail({ ...outcome.failure }, 401);
          callVerify(this, this.verify, this.passReqToCallback ? [req, outcome.profile] : [outcome.profile]);
        },
        (err: unknown) => this.error(redactError(err, [this.secret, token])),
      )
      // Whatever passport's actions throw (a failing serializer...) becomes the request's error, never an unhandled rejection.
      .catch((err: unknown) => this.error(err));
  }

  /**
   * Asks Openplanet about a token, or reuses what it said: the player's profile (a copy of its own), or why the
   * token is refused. For tokens that arrive outside a passport route (a WebSocket handshake...). Concurrent calls
   * with one token share one request; with `singleUse`, a token succeeds once here too. Failures of Openplanet
   * itself reject with a `ProviderError` (`OpenplanetUnavailableError` while holding off or busy).
   */
  async check(token: string): Promise<
    | {
        /** The player, when the token is valid. */
        profile: OpenplanetProfile;
      }
    | {
        /** Why the token is refused. */
        failure: OpenplanetFailure;
      }
  > {
    if (typeof token !== 'string' || token.trim() === '' || token.length > MAX_TOKEN_LENGTH) {
      throw new TypeError(`openplanet: check() takes a token (a non-empty string of at most ${MAX_TOKEN_LENGTH} characters)`);
    }
    try {
      return await this.outcome(token);
    } catch (err) {
      throw redactError(err, [this.secret, token]);
    }
  }

  /** The answer for one request: shared or cached, a copy of its own, and consumed when `singleUse`. */
  private async outcome(token: string): Promise<Outcome> {
    const outcome = await this.lookup(token);
    if ('failure' in outcome) return { failure: { ...outcome.failure } };
    if (this.limits.singleUse) {
      const left = (outcome.profile.tokenTime ?? Date.now() / 1000) * 1000 + Math.min(this.maxTokenAge * 1000, 24 * 3600_000) - Date.now();
      if (!(await this.validations.markUsed(token, left))) return { failure: { ...REPLAYED } };
    }
    return { profile: structuredClone(outcome.profile) };
  }

  /** One lookup per token in this process at a time; every caller of it gets the same (shared) outcome. */
  private lookup(token: string): Promise<Outcome> {
    const key = digest(token);
    const pending = this.inflight.get(key);
    if (pending) return pending;
    const started = performance.now();
    const loading = this.resolve(token).then(
      (outcome) => {
        this.inflight.delete(key);
        publish<ValidationEnd>(VALIDATION_CHANNEL, () => ({
          source: outcome.source,
          outcome: 'failure' in outcome ? (outcome.failure.reason as 'refused' | 'too_old') : 'valid',
          durationMs: performance.now() - started,
          ...(outcome.detail === undefined ? {} : { detail: outcome.detail }),
        }));
        return outcome;
      },
      (err: unknown) => {
        this.inflight.delete(key);
        const errorKind = err instanceof OpenplanetUnavailableError ? err.reason : ((err as { code?: string })?.code ?? (err as Error)?.name ?? 'unknown');
        publish<ValidationEnd>(VALIDATION_CHANNEL, () => ({ source: 'openplanet', outcome: 'error', durationMs: performance.now() - started, errorKind }));
        throw err;
      },
    );
    this.inflight.set(key, loading);
    return loading;
  }

  /** The store's answer, else another process's validation of the token, else Openplanet's. */
  private async resolve(token: string): Promise<Outcome & { source: ValidationEnd['source']; detail?: string }> {
    const kept = await this.validations.kept(token);
    if (kept) return { ...this.fromKept(kept), source: 'cache' };
    await this.refuseDuringHoldOff();
    if (!this.limits.shared) return this.askOnce(token);
    // Across processes: one claims the token and validates it; the others wait for what it keeps.
    const owner = ValidationStore.owner();
    const claimMs = this.http.timeout + 1000;
    if (!(await this.validations.claim(token, owner, claimMs))) {
      const deadline = Date.now() + claimMs;
      while (Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, PEER_POLL_MS));
        const fromPeer = await this.validations.kept(token);
        if (fromPeer) return { ...this.fromKept(fromPeer), source: 'peer' };
        if (!(await this.validations.claimed(token))) break;
      }
      await this.refuseDuringHoldOff();
    }
    try {
      // The process that held the claim before this one may have kept its answer and let go just now.
      const keptMeanwhile = await this.validations.kept(token);
      if (keptMeanwhile) return { ...this.fromKept(keptMeanwhile), source: 'peer' };
      return await this.askOnce(token);
    } finally {
      await this.validations.release(token, owner);
    }
  }

  private fromKept(kept: Kept): Outcome {
    if ('refused' in kept) return { failure: kept.refused === 'too_old' ? TOO_OLD : REFUSED };
    if (Date.now() / 1000 - kept.player.t > this.maxTokenAge) return { failure: TOO_OLD };
    return { profile: profileFromFields(kept.player.a, kept.player.n, kept.player.t) };
  }

  private async refuseDuringHoldOff(): Promise<void> {
    const until = await this.validations.holdOffUntil();
    if (until) throw new OpenplanetUnavailableError('holding_off', Math.ceil((until - Date.now()) / 1000));
  }

  /** Asks Openplanet (within the cap of validations in flight), then keeps what may be kept. */
  private async askOnce(token: string): Promise<Outcome & { source: 'openplanet'; detail?: string }> {
    if (this.inFlight.count >= this.limits.maxConcurrent) throw new OpenplanetUnavailableError('busy', 1, this.limits.maxConcurrent);
    this.inFlight.count++;
    let answer: { profile: OpenplanetProfile } | { failure: OpenplanetFailure; detail: string };
    try {
      answer = await this.askOpenplanet(token);
    } catch (err) {
      await this.validations.holdOff(this.limits.holdOffMs);
      throw err;
    } finally {
      this.inFlight.count--;
    }
    if ('failure' in answer) {
      await this.validations.keep(token, { refused: 'refused' }, this.limits.refusalMs);
      return { failure: answer.failure, detail: answer.detail, source: 'openplanet' };
    }
    const { tokenTime, id, displayName } = answer.profile;
    // Without token_time the age is unknown: accepted, since Openplanet just said yes, but not kept.
    if (tokenTime === undefined) return { ...answer, source: 'openplanet' };
    const keepUntil = (tokenTime + this.maxTokenAge) * 1000;
    if (Date.now() > keepUntil) {
      await this.validations.keep(token, { refused: 'too_old' }, this.limits.refusalMs);
      return { failure: TOO_OLD, source: 'openplanet' };
    }
    await this.validations.keep(token, { player: { a: id, n: displayName, t: tokenTime } }, Math.min(keepUntil - Date.now(), this.limits.keepMs));
    return { ...answer, source: 'openplanet' };
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
  private async askOpenplanet(token: string): Promise<{ profile: OpenplanetProfile } | { failure: OpenplanetFailure; detail: string }> {
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
      const refusal = err instanceof ProviderError && err.code === 'EHTTPSTATUS' ? this.refusalIn(err, secrets) : undefined;
      if (refusal) return refusal;
      throw redactError(err, secrets);
    }
    let parsed: ReturnType<typeof parseValidation>;
    try {
      parsed = parseValidation(raw);
    } catch (err) {
      throw new ProviderError(`openplanet: POST ${this.validateURL}: ${(err as Error).message}`, undefined, {
        provider: PROVIDER,
        url: this.validateURL,
        code: 'EBADRESPONSE',
        upstreamStatus: status,
      });
    }
    if (!parsed.valid) return { failure: REFUSED, detail: redact(parsed.message, secrets) };
    return { profile: parsed.profile };
  }

  private refusalIn(err: ProviderError, secrets: string[]): { failure: OpenplanetFailure; detail: string } | undefined {
    const status = err.upstreamStatus ?? 0;
    if (status < 400 || status > 499 || status === 429) return undefined;
    const data = (err.oauthError as { data?: unknown } | undefined)?.data;
    if (typeof data !== 'string') return undefined;
    try {
      const parsed = parseValidation(data);
      return parsed.valid || !parsed.json.error ? undefined : { failure: REFUSED, detail: redact(parsed.message, secrets) };
    } catch {
      return undefined;
    }
  }
}

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
  new (options: OpenplanetStrategyOptions & { passReqToCallback?: false }, verify: OpenplanetVerify): OpenplanetStrategy;
  new (options: OpenplanetStrategyOptions & { passReqToCallback: true }, verify: OpenplanetVerifyWithRequest): OpenplanetStrategy;
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
