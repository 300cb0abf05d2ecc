import { withLock, type SharedStore } from '@maniapass/http';

/** What a store keeps for one account and audience. Times are epoch seconds. */
export interface StoredToken {
  /** The audience the token is for. */
  audience: string;
  /** The access token (a JWT). */
  accessToken: string;
  /** The refresh token (a JWT), when there is one. */
  refreshToken?: string;
  /** When the access token expires. */
  expiration: number;
  /** When the refresh token expires (unknown: absent). */
  refreshExpiration?: number;
}

/**
 * Where `NadeoClient` keeps its tokens, one per account and audience. A store shared by several processes
 * (`RedisTokenStore`) lets them share one token; its lock makes sure only one of them asks Nadeo at a time.
 */
export interface TokenStore {
  /** The token kept under `key`, or `undefined` (none, expired, or unreadable). */
  get(key: string): Promise<StoredToken | undefined>;
  /** Keeps `token` for at most `ttlSeconds`. */
  set(key: string, token: StoredToken, ttlSeconds: number): Promise<void>;
  /** Forgets the token kept under `key`. */
  delete(key: string): Promise<void>;
  /** Runs `fn` while holding the lock named `key`: one holder at a time, across every user of the store. */
  withLock<T>(key: string, fn: () => Promise<T>): Promise<T>;
}

/** The default store: tokens in this process's memory, a lock per key. */
export class MemoryTokenStore implements TokenStore {
  private readonly tokens = new Map<string, { token: StoredToken; untilMs: number }>();
  private readonly locks = new Map<string, Promise<unknown>>();

  async get(key: string): Promise<StoredToken | undefined> {
    const entry = this.tokens.get(key);
    if (!entry) return undefined;
    if (Date.now() >= entry.untilMs) {
      this.tokens.delete(key);
      return undefined;
    }
    return { ...entry.token };
  }

  async set(key: string, token: StoredToken, ttlSeconds: number): Promise<void> {
    this.tokens.set(key, { token: { ...token }, untilMs: Date.now() + ttlSeconds * 1000 });
  }

  async delete(key: string): Promise<void> {
    this.tokens.delete(key);
  }

  async withLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.locks.get(key) ?? Promise.resolve();
    const run = previous.then(fn, fn);
    // The chain's tail never rejects, so one failed holder does not break the lock for the next.
    const tail = run.then(
      () => undefined,
      () => undefined,
    );
    this.locks.set(key, tail);
    void tail.then(() => {
      if (this.locks.get(key) === tail) this.locks.delete(key);
    });
    return run;
  }
}

/**
 * Tokens in any `SharedStore` (`RedisStore` of `@maniapass/redis-store`, `MemoryStore` of `@maniapass/http`): what `NadeoClient` uses when it
 * is given `shared` and no `store`, so that one store shares tokens, spacing and hold-offs. Tokens are kept as JSON
 * in clear: protect the store as you protect the account.
 */
export class SharedTokenStore implements TokenStore {
  constructor(private readonly shared: SharedStore) {}

  async get(key: string): Promise<StoredToken | undefined> {
    const value = await this.shared.get(key);
    if (value === undefined) return undefined;
    try {
      const token = JSON.parse(value) as StoredToken;
      return token && typeof token.accessToken === 'string' ? token : undefined;
    } catch {
      return undefined;
    }
  }

  async set(key: string, token: StoredToken, ttlSeconds: number): Promise<void> {
    await this.shared.set(key, JSON.stringify(token), ttlSeconds * 1000);
  }

  async delete(key: string): Promise<void> {
    await this.shared.delete(key);
  }

  withLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
    return withLock(this.shared, `lock:${key}`, fn);
  }
}
