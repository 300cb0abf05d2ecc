import { randomBytes } from 'node:crypto';
import type { StoredToken, TokenStore } from './store';
import type { RedisClientLike } from '@maniapass/http';

/** Options of `RedisTokenStore`. */
export interface RedisTokenStoreOptions {
  /** Prefix of every key. Default `nadeo-auth:`. */
  keyPrefix?: string;
  /** How long a lock is held at most if its holder dies, ms. Default 30000 (longer than a token request). */
  lockTTL?: number;
  /** How long to wait for a lock before failing, ms. Default: `lockTTL` plus one second. */
  lockWait?: number;
  /** How often a waiter tries the lock again, ms. Default 25. */
  pollInterval?: number;
}

// Deletes the lock only if this holder still owns it (it may have expired and been taken by another).
const RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";

/**
 * Tokens in Redis, so that several processes share one token per account and audience. The lock is a key set
 * with `NX` and a TTL, released only by its holder.
 *
 * ```ts
 * const redis = createClient({ url: process.env.REDIS_URL });
 * await redis.connect();
 * const store = new RedisTokenStore(redis);
 * ```
 */
export class RedisTokenStore implements TokenStore {
  private readonly prefix: string;
  private readonly lockTTL: number;
  private readonly lockWait: number;
  private readonly pollInterval: number;

  constructor(
    private readonly client: RedisClientLike,
    options: RedisTokenStoreOptions = {},
  ) {
    if (!client || typeof client.get !== 'function' || typeof client.set !== 'function') {
      throw new TypeError('RedisTokenStore needs a connected client of the `redis` package (createClient(), then connect())');
    }
    this.prefix = options.keyPrefix ?? 'nadeo-auth:';
    this.lockTTL = options.lockTTL ?? 30_000;
    this.lockWait = options.lockWait ?? this.lockTTL + 1000;
    this.pollInterval = options.pollInterval ?? 25;
  }

  async get(key: string): Promise<StoredToken | undefined> {
    const value = await this.client.get(this.prefix + key);
    if (typeof value !== 'string') return undefined;
    try {
      const token = JSON.parse(value) as StoredToken;
      return token && typeof token.accessToken === 'string' ? token : undefined;
    } catch {
      return undefined;
    }
  }

  async set(key: string, token: StoredToken, ttlSeconds: number): Promise<void> {
    await this.client.set(this.prefix + key, JSON.stringify(token), { PX: Math.max(1, Math.ceil(ttlSeconds * 1000)) });
  }

  async delete(key: string): Promise<void> {
    await this.client.del(this.prefix + key);
  }

  async withLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const lockKey = `${this.prefix}lock:${key}`;
    const owner = randomBytes(16).toString('hex');
    const deadline = Date.now() + this.lockWait;
    for (;;) {
      const taken = await this.client.set(lockKey, owner, { PX: this.lockTTL, NX: true });
      if (taken === 'OK') break;
      if (Date.now() >= deadline) throw new Error(`nadeo-auth: timed out after ${this.lockWait} ms waiting for the Redis lock ${lockKey}`);
      await new Promise((resolve) => setTimeout(resolve, this.pollInterval));
    }
    try {
      return await fn();
    } finally {
      await this.client.eval(RELEASE, { keys: [lockKey], arguments: [owner] }).catch(() => undefined);
    }
  }
}
