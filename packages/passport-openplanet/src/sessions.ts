import { createHash, randomBytes, webcrypto, type KeyObject } from 'node:crypto';
import { MemoryStore, type SharedStore } from '@maniapass/http';
import { bounded } from './bounded';
import { loadKeys, type LoadedKey, type SessionKey } from './session-keys';

type Jose = typeof import('jose', { with: { 'resolution-mode': 'import' } });

/**
 * jose ships ESM only: `require()` loads it on Node 20.19+ and 22.12+, `import()` on older Node 20. Loaded on
 * first use, so that an app without sessions never loads it.
 */
let jose: Promise<Jose> | undefined;
function loadJose(): Promise<Jose> {
  if (!jose) {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      jose = Promise.resolve(require('jose') as Jose);
    } catch {
      jose = import('jose');
    }
  }
  return jose;
}

/** A session of a player, as the app's own token proves it. */
export interface PluginSession {
  /** The player's Trackmania account id (the token's `sub`). */
  accountId: string;
  /** The display name when the session was issued (or last refreshed). */
  displayName: string;
  /** The session's id: the same through every refresh, so that `revokeSession(sessionId)` ends the whole chain. */
  sessionId: string;
  /** When this token was issued, epoch seconds (with milliseconds). */
  issuedAt: number;
  /** When this token expires, epoch seconds. */
  expiresAt: number;
  /** When the player signed in with an Openplanet token (refreshes keep it), epoch seconds. */
  signedInAt: number;
}

/** What `issue()` and `refresh()` give: the token for the plugin, and when to refresh it. */
export interface IssuedSession {
  /** The app's token: the plugin sends it as `Authorization: Bearer <token>`. A credential: never log it. */
  token: string;
  /** Always `Bearer`: the scheme of the `Authorization` header. */
  tokenType: 'Bearer';
  /** Epoch seconds. */
  expiresAt: number;
  /** Epoch seconds after which the plugin should call refresh (three quarters into the lifetime). */
  refreshAfter: number;
  /** The session the token carries. */
  session: PluginSession;
}

/** Why a token was not accepted. Its message is fixed per reason: safe to show. */
export type SessionFailureReason = 'invalid' | 'expired' | 'revoked';

const MESSAGES: Record<SessionFailureReason, string> = {
  invalid: 'The session token is not valid',
  expired: 'The session token expired: refresh it, or sign in again',
  revoked: 'The session was ended: sign in again',
};

/** A session token that was refused; `reason` says why. Never carries the token. */
export class SessionError extends Error {
  /** Always `SessionError`. */
  override name = 'SessionError';
  /** 401: the token is the problem, not the server. */
  readonly status = 401;

  constructor(
    /** Why the token was refused. */
    readonly reason: SessionFailureReason,
  ) {
    super(MESSAGES[reason]);
  }
}

/** Options of `PluginSessions`. */
export interface PluginSessionsOptions {
  /** Required. Who the tokens are for (`aud`): your service's name or URL. A token for another audience is refused. */
  audience: string;
  /** Required. Who issues them (`iss`): your service's URL. */
  issuer: string;
  /** `jwt` (default): signed tokens checked without the store (but for revocation); `opaque`: random tokens kept in the store. */
  format?: 'jwt' | 'opaque';
  /**
   * With `jwt`: the signing keys. The first signs, every one verifies: to rotate, put the new key first and keep the
   * old one second for one `lifetime` (refreshes move every plugin to the new key), then drop it.
   */
  keys?: SessionKey[];
  /** Seconds a token is valid. Default 3600. */
  lifetime?: number;
  /** Seconds after the sign-in with an Openplanet token within which refreshes are allowed. Default 7 days. */
  maxAge?: number;
  /**
   * Where revocations (and opaque sessions) are kept: a `SharedStore` of `@maniapass/http` (a `RedisStore` of `@maniapass/redis-store` for
   * several processes). Default: this process's memory. A store that fails or is slow fails closed: the token is
   * not accepted, a `StoreError` is raised.
   */
  store?: SharedStore;
  /** Milliseconds each store call may take. Default 500. */
  storeTimeout?: number;
  /** Seconds of clock difference tolerated on `exp`. Default 5. */
  clockTolerance?: number;
}

/** What a session is made for: an Openplanet profile, or any `{ id, displayName }`. */
export interface SessionPlayer {
  /** The Trackmania account id. */
  id: string;
  /** The player's display name, cut to 128 characters. Default: empty. */
  displayName?: string;
}

const MAX_TOKEN = 4096;
const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
const OPAQUE_SHAPE = /^[A-Za-z0-9_-]{43}$/;
const MAX_ACCOUNT_ID = 64;
const MAX_NAME = 128;

function positive(value: unknown, key: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0)
    throw new TypeError(`plugin sessions: ${key} must be a positive number, got ${String(value)}`);
  return value;
}

function required(value: unknown, key: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw new TypeError(`plugin sessions: ${key} is required (a non-empty string)`);
  return value;
}

let lastMs = 0;
/**
 * Epoch seconds, strictly increasing within the millisecond: a revocation and a token issued in the same
 * millisecond still compare in the order they happened (a token issued just after `revoke()` is valid). A clock
 * set back (tests, NTP) is followed as it is.
 */
function nowSeconds(): number {
  const now = Date.now();
  lastMs = now <= lastMs && now > lastMs - 1 ? lastMs + 0.001 : now;
  return lastMs / 1000;
}

/**
 * Whether each part is the one base64url spelling of its bytes. A decoder ignores the unused low bits of the last
 * character (two of them in an HS256 signature), so without this one token would have four accepted spellings.
 */
function canonical(token: string): boolean {
  return token.split('.').every((part) => Buffer.from(part, 'base64url').toString('base64url') === part);
}
const sha256 = (value: string) => createHash('sha256').update(value).digest('base64url');

/**
 * The app's own sessions for Openplanet plugins: after passport-openplanet validated a plugin token, `issue()`
 * gives the plugin a token of the app's (a JWT signed with jose: audience, issuer, expiry, key id; or an opaque
 * token in the store); `verify()` (or `SessionStrategy`) checks it on every later call; `refresh()` renews it
 * before it expires; `revoke()`, `revokeAll()` and `revokeSession()` end sessions at once in every process.
 *
 * ```ts
 * const sessions = new PluginSessions({ audience: 'my-service', issuer: 'https://my-service.example', keys: [{ id: '2026-12', secret: process.env.SESSION_KEY! }] });
 * ```
 */
export class PluginSessions {
  /** Who the tokens are for (`aud`): `options.audience`. */
  readonly audience: string;
  /** Who issues them (`iss`): `options.issuer`. */
  readonly issuer: string;
  /** The token format: `options.format`, default `jwt`. */
  readonly format: 'jwt' | 'opaque';
  /** Seconds a token is valid. */
  readonly lifetime: number;
  /** Seconds after the sign-in within which refreshes are allowed. */
  readonly maxAge: number;
  // Not enumerable: logging the object does not print keys.
  private readonly keys!: LoadedKey[];
  private readonly store: SharedStore;
  private readonly storeTimeout: number;
  private readonly clockTolerance: number;
  private readonly prefix: string;
  /** HS256 keys as Web Crypto keys, imported once: jose verifies with one in about 40% of the time a KeyObject takes. */
  private readonly webKeys!: Map<LoadedKey, Promise<webcrypto.CryptoKey>>;

  constructor(options: PluginSessionsOptions) {
    if (options === null || typeof options !== 'object') throw new TypeError('plugin sessions require an options object');
    this.audience = required(options.audience, 'audience');
    this.issuer = required(options.issuer, 'issuer');
    const format = options.format ?? 'jwt';
    if (format !== 'jwt' && format !== 'opaque') throw new TypeError(`plugin sessions: format must be 'jwt' or 'opaque', got ${String(format)}`);
    this.format = format;
    if (format === 'opaque' && options.keys !== undefined)
      throw new TypeError('plugin sessions: opaque tokens are not signed: leave keys out, or use format: jwt');
    Object.defineProperty(this, 'keys', { value: format === 'jwt' ? loadKeys(options.keys) : [], enumerable: false });
    Object.defineProperty(this, 'webKeys', { value: new Map(), enumerable: false });
    this.lifetime = positive(options.lifetime, 'lifetime', 3600);
    this.maxAge = positive(options.maxAge, 'maxAge', 7 * 24 * 3600);
    if (this.maxAge < this.lifetime) throw new TypeError('plugin sessions: maxAge must be at least lifetime');
    this.clockTolerance = options.clockTolerance === undefined ? 5 : positive(options.clockTolerance, 'clockTolerance', 5);
    const store = options.store;
    if (store !== undefined && (store === null || typeof store !== 'object' || typeof store.get !== 'function' || typeof store.set !== 'function')) {
      throw new TypeError('plugin sessions: store must be a SharedStore (MemoryStore of @maniapass/http, RedisStore of @maniapass/redis-store)');
    }
    this.store = store ?? new MemoryStore();
    this.storeTimeout = positive(options.storeTimeout, 'storeTimeout', 500);
    this.prefix = `passport-openplanet:sessions:${sha256(`${this.issuer}\n${this.audience}`).slice(0, 16)}:`;
  }

  /** A new session for a player whose Openplanet token was just validated. */
  async issue(player: SessionPlayer): Promise<IssuedSession> {
    if (player === null || typeof player !== 'object' || typeof player.id !== 'string' || player.id === '' || player.id.length > MAX_ACCOUNT_ID) {
      throw new TypeError(`plugin sessions: issue() takes a player { id, displayName } with an account id of 1 to ${MAX_ACCOUNT_ID} characters`);
    }
    const name = typeof player.displayName === 'string' ? [...player.displayName].slice(0, MAX_NAME).join('') : '';
    const now = nowSeconds();
    return this.make({
      accountId: player.id,
      displayName: name,
      sessionId: randomBytes(16).toString('base64url'),
      issuedAt: now,
      expiresAt: Math.floor(now + this.lifetime),
      signedInAt: now,
    });
  }

  /** The session a token proves, or a `SessionError` (`invalid`, `expired`, `revoked`). A store failure rejects with its `StoreError`. */
  async verify(token: unknown): Promise<PluginSession> {
    if (typeof token !== 'string' || token.length > MAX_TOKEN) throw new SessionError('invalid');
    const session = this.format === 'jwt' ? await this.readJwt(token) : await this.readOpaque(token);
    if (await this.revoked(session)) throw new SessionError('revoked');
    return session;
  }

  /**
   * A new token for the same session (same `sessionId` and sign-in time), from a token still valid. Refused
   * (`expired`) once `maxAge` has passed since the sign-in: the plugin then signs in with a new Openplanet token.
   */
  async refresh(token: unknown): Promise<IssuedSession> {
    const session = await this.verify(token);
    const now = nowSeconds();
    if (now - session.signedInAt > this.maxAge) throw new SessionError('expired');
    const expiresAt = Math.floor(Math.min(now + this.lifetime, session.signedInAt + this.maxAge));
    return this.make({ ...session, issuedAt: now, expiresAt });
  }

  /** Ends every session of one player issued until now, in every process sharing the store. */
  async revoke(accountId: string): Promise<void> {
    if (typeof accountId !== 'string' || accountId === '') throw new TypeError('plugin sessions: revoke() takes an account id');
    await this.call('set', () => this.store.set(`${this.prefix}revoked:account:${sha256(accountId)}`, String(nowSeconds()), this.revocationTtl()));
  }

  /** Ends every session issued until now. */
  async revokeAll(): Promise<void> {
    await this.call('set', () => this.store.set(`${this.prefix}revoked:all`, String(nowSeconds()), this.revocationTtl()));
  }

  /** Ends one session (every token of it, refreshed ones included): a sign-out. */
  async revokeSession(sessionId: string): Promise<void> {
    if (typeof sessionId !== 'string' || sessionId === '') throw new TypeError('plugin sessions: revokeSession() takes a session id');
    await this.call('set', () => this.store.set(`${this.prefix}revoked:session:${sha256(sessionId)}`, '1', this.revocationTtl()));
  }

  private async make(session: PluginSession): Promise<IssuedSession> {
    const token = this.format === 'jwt' ? await this.signJwt(session) : await this.storeOpaque(session);
    const refreshAfter = Math.floor(session.issuedAt + (session.expiresAt - session.issuedAt) * 0.75);
    return { token, tokenType: 'Bearer', expiresAt: session.expiresAt, refreshAfter, session };
  }

  private async signJwt(session: PluginSession): Promise<string> {
    const { SignJWT } = await loadJose();
    const key = this.keys[0]!;
    return new SignJWT({ name: session.displayName, sid: session.sessionId, auth_time: session.signedInAt })
      .setProtectedHeader({ alg: key.algorithm, kid: key.id, typ: 'JWT' })
      .setIssuer(this.issuer)
      .setAudience(this.audience)
      .setSubject(session.accountId)
      .setIssuedAt(session.issuedAt)
      .setExpirationTime(session.expiresAt)
      .setJti(randomBytes(12).toString('base64url'))
      .sign(await this.usable(key, key.signWith!));
  }

  /** What jose is given for a key: an HS256 key as a Web Crypto key made once, a key pair's half as it is. */
  private usable(key: LoadedKey, half: KeyObject): Promise<webcrypto.CryptoKey | KeyObject> | KeyObject {
    if (key.algorithm !== 'HS256') return half;
    let imported = this.webKeys.get(key);
    if (!imported) {
      imported = webcrypto.subtle.importKey('raw', half.export(), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
      this.webKeys.set(key, imported);
    }
    return imported;
  }

  private async readJwt(token: string): Promise<PluginSession> {
    if (!JWT_SHAPE.test(token) || !canonical(token)) throw new SessionError('invalid');
    const { decodeProtectedHeader, jwtVerify, errors } = await loadJose();
    let kid: unknown;
    try {
      kid = decodeProtectedHeader(token).kid;
    } catch {
      throw new SessionError('invalid');
    }
    // The key named by the token, with that key's one algorithm: `none`, or HS256 signed with an RS key's public
    // half, never verify.
    const key = this.keys.find((k) => k.id === kid);
    if (!key) throw new SessionError('invalid');
    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jwtVerify(token, await this.usable(key, key.verifyWith), {
        algorithms: [key.algorithm],
        audience: this.audience,
        issuer: this.issuer,
        typ: 'JWT',
        clockTolerance: this.clockTolerance,
        requiredClaims: ['sub', 'iat', 'exp', 'jti'],
      }));
    } catch (err) {
      throw new SessionError(err instanceof errors.JWTExpired ? 'expired' : 'invalid');
    }
    const { sub, name, sid, iat, exp, auth_time: signedInAt } = payload;
    if (
      typeof sub !== 'string' ||
      typeof name !== 'string' ||
      typeof sid !== 'string' ||
      typeof iat !== 'number' ||
      typeof exp !== 'number' ||
      typeof signedInAt !== 'number'
    ) {
      throw new SessionError('invalid');
    }
    return { accountId: sub, displayName: name, sessionId: sid, issuedAt: iat, expiresAt: exp, signedInAt };
  }

  private async storeOpaque(session: PluginSession): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    await this.call('set', () => this.store.set(`${this.prefix}opaque:${sha256(token)}`, JSON.stringify(session), (session.expiresAt - nowSeconds()) * 1000));
    return token;
  }

  private async readOpaque(token: string): Promise<PluginSession> {
    if (!OPAQUE_SHAPE.test(token)) throw new SessionError('invalid');
    const value = await this.call('get', () => this.store.get(`${this.prefix}opaque:${sha256(token)}`));
    if (value === undefined) throw new SessionError('invalid');
    let session: PluginSession;
    try {
      session = JSON.parse(value) as PluginSession;
    } catch {
      throw new SessionError('invalid');
    }
    if (session.expiresAt + this.clockTolerance <= nowSeconds()) throw new SessionError('expired');
    return session;
  }

  /** Whether the session was ended: for all, for its player (both by time), or by its id. */
  private async revoked(session: PluginSession): Promise<boolean> {
    const [all, account, one] = await this.call('get', () =>
      Promise.all([
        this.store.get(`${this.prefix}revoked:all`),
        this.store.get(`${this.prefix}revoked:account:${sha256(session.accountId)}`),
        this.store.get(`${this.prefix}revoked:session:${sha256(session.sessionId)}`),
      ]),
    );
    if (one !== undefined) return true;
    return [all, account].some((value) => value !== undefined && session.issuedAt <= Number(value));
  }

  /** A revocation outlives every token it ends: the longest lifetime, plus the clock tolerance. */
  private revocationTtl(): number {
    return (this.lifetime + this.clockTolerance + 1) * 1000;
  }

  private call<T>(operation: string, fn: () => Promise<T>): Promise<T> {
    return bounded(Promise.resolve().then(fn), this.storeTimeout, operation);
  }
}
