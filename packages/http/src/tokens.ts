import { CHANNELS, publish, type StoreFailure } from './diagnostics';
import { decodeJwtPayload } from './jwt';
import { withLock } from './store/lock';
import { StoreError, type SharedStore } from './store/store';

/** A token endpoint's JSON answer, as the provider sent it. */
export interface TokenResponse {
  /** The access token. */
  access_token: string;
  /** Usually `bearer`. */
  token_type?: string;
  /** Lifetime in seconds (some providers send a string). */
  expires_in?: number | string;
  /** A refresh token, where the grant gives one. */
  refresh_token?: string;
  /** The scopes granted, space separated, where the provider says. */
  scope?: string | null;
  [field: string]: unknown;
}

/** What `refresh()` and `clientCredentials()` resolve to. */
export interface TokenSet<Raw extends TokenResponse = TokenResponse> {
  /** The access token. */
  accessToken: string;
  /** The new refresh token when the provider rotates them. */
  refreshToken?: string;
  /** The token type, `bearer` when the provider did not say. */
  tokenType: string;
  /** Lifetime in seconds, as the provider said it. */
  expiresIn?: number;
  /** Expiry in epoch seconds (like a JWT's `exp`): from `expires_in`, else from the token's own `exp` claim. */
  expiresAt?: number;
  /** The scopes granted, where the provider says. */
  scope?: string;
  /** The provider's response as parsed, for provider-specific fields. */
  raw: Raw;
}

/** The token set of a token endpoint's answer; `expiresAt` counted from `nowMs`. */
export function toTokenSet<Raw extends TokenResponse>(raw: Raw, nowMs: number = Date.now()): TokenSet<Raw> {
  const expiresIn = raw.expires_in === undefined || raw.expires_in === null ? undefined : Number(raw.expires_in);
  const validExpiresIn = expiresIn !== undefined && Number.isFinite(expiresIn) && expiresIn >= 0 ? expiresIn : undefined;
  const set: TokenSet<Raw> = {
    accessToken: raw.access_token,
    tokenType: typeof raw.token_type === 'string' ? raw.token_type : 'Bearer',
    raw,
  };
  if (typeof raw.refresh_token === 'string' && raw.refresh_token) set.refreshToken = raw.refresh_token;
  if (validExpiresIn !== undefined) {
    set.expiresIn = validExpiresIn;
    set.expiresAt = Math.floor(nowMs / 1000) + validExpiresIn;
  } else {
    const exp = decodeJwtPayload(raw.access_token)?.exp;
    if (typeof exp === 'number' && Number.isFinite(exp)) set.expiresAt = exp;
  }
  if (typeof raw.scope === 'string') set.scope = raw.scope;
  return set;
}

/** The longest a token is reused, whatever lifetime the provider claims: a day. */
const MAX_CACHE_SECONDS = 24 * 60 * 60;

/** Options of `CachedTokenSource`. */
export interface CachedTokenSourceOptions {
  /** Seconds before expiry at which a token is no longer reused. Default 60. */
  marginSeconds?: number;
  /** The clock, for tests. Default `Date.now`. */
  now?: () => number;
  /**
   * Shares the token with every process on one store: a process that needs a token reads the store first, and
   * only the holder of the store's lock `key` asks the provider. The token is kept in the store as JSON (protect
   * the store as you protect the client secret). A store that fails or does not answer in time fails open: this
   * process asks the provider itself, once, as without the option.
   */
  shared?: {
    /** The store the processes share. */
    store: SharedStore;
    /** The store key of the token; its lock is `<key>:lock`. */
    key: string;
  };
}

/**
 * A cached, single-flight source of tokens: concurrent callers share one request, and a token is reused until
 * `marginSeconds` before it expires. A token with no known expiry is reused for `marginSeconds` only. With
 * `shared`, processes on one store share one token too.
 */
export class CachedTokenSource<
  T extends {
    /** When the token expires, in epoch seconds; absent when unknown. */
    expiresAt?: number;
  },
> {
  private cached?: T;
  private cachedUntilMs = 0;
  private inflight?: Promise<T>;
  private readonly marginSeconds: number;
  private readonly now: () => number;
  private readonly shared?: { store: SharedStore; key: string };

  constructor(
    private readonly fetchToken: () => Promise<T>,
    options: CachedTokenSourceOptions = {},
  ) {
    this.marginSeconds = options.marginSeconds ?? 60;
    this.now = options.now ?? Date.now;
    this.shared = options.shared;
  }

  /** A valid token: the cached one, the one being fetched, or a new one. */
  get(): Promise<T> {
    if (this.cached && this.now() < this.cachedUntilMs) return Promise.resolve(this.cached);
    if (!this.inflight) {
      this.inflight = (this.shared ? this.fromShared(this.shared) : this.fetchToken()).then(
        (token) => {
          this.inflight = undefined;
          this.cached = token;
          this.cachedUntilMs = this.cacheUntil(token.expiresAt);
          return token;
        },
        (err: unknown) => {
          this.inflight = undefined;
          throw err;
        },
      );
    }
    return this.inflight;
  }

  /**
   * Until when a token is reused: `marginSeconds` before it expires, but for a short-lived token (a lifetime under
   * twice the margin) half its lifetime, so that it is still reused; never past MAX_CACHE_SECONDS, whatever
   * `expires_in` the provider sent (`1e308` would otherwise be for ever).
   */
  private cacheUntil(expiresAt: number | undefined): number {
    const now = this.now();
    const margin = this.marginSeconds * 1000;
    if (expiresAt === undefined || Number.isNaN(expiresAt)) return now + margin;
    const lifetime = expiresAt * 1000 - now;
    if (lifetime <= 0) return now;
    const reuse = lifetime >= 2 * margin ? lifetime - margin : lifetime / 2;
    return now + Math.min(reuse, MAX_CACHE_SECONDS * 1000);
  }

  /** Forget the cached token (for example after the API refused it); the next `get()` fetches a new one. */
  invalidate(): void {
    this.cached = undefined;
    this.cachedUntilMs = 0;
    // The shared copy is the same refused token: dropped too, in the background (a failing store changes nothing).
    if (this.shared) void this.shared.store.delete(this.shared.key).catch(() => undefined);
  }

  /** The store's token, or one fetched by the holder of the store's lock; the provider directly if the store fails. */
  private async fromShared({ store, key }: { store: SharedStore; key: string }): Promise<T> {
    const failed = (operation: string, err: unknown): void =>
      publish<StoreFailure>(CHANNELS.storeError, () => ({
        component: 'http:token-source',
        operation,
        code: (err as StoreError).code ?? 'ESTORE',
        failed: 'open',
      }));
    const read = async (): Promise<T | undefined> => {
      try {
        const value = await store.get(key);
        return value === undefined ? undefined : (JSON.parse(value) as T);
      } catch (err) {
        failed('get', err);
        return undefined;
      }
    };
    const kept = await read();
    if (kept) return kept;
    try {
      return await withLock(store, `${key}:lock`, async () => {
        // Another process may have fetched it while this one waited for the lock.
        const again = await read();
        if (again) return again;
        const token = await this.fetchToken();
        const ttlMs = this.cacheUntil(token.expiresAt) - this.now();
        if (ttlMs > 0) await store.set(key, JSON.stringify(token), ttlMs).catch((err: unknown) => failed('set', err));
        return token;
      });
    } catch (err) {
      if (!(err instanceof StoreError)) throw err;
      failed('lock', err);
      return this.fetchToken();
    }
  }
}
