import { createHash } from 'node:crypto';

/** The cache key of a token: its SHA-256, so that the cache never holds a token itself. */
export function tokenKey(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

/** What a load resolves to: the value, and until when (epoch ms) it may be reused; `undefined` = not kept. */
export interface Loaded<V> {
  value: V;
  keepUntil?: number;
}

/**
 * A bounded cache with single flight: at most `max` entries (the oldest go first), each kept until its own
 * `keepUntil` and at most `maxAgeMs`; concurrent callers of one key share one load; a failed load is not kept.
 */
export class SingleFlightCache<V> {
  private readonly entries = new Map<string, { value: V; expiresAt: number }>();
  private readonly inflight = new Map<string, Promise<V>>();

  constructor(
    private readonly max: number,
    private readonly maxAgeMs: number,
  ) {}

  /** Entries held now (expired ones included until they are dropped). */
  get size(): number {
    return this.entries.size;
  }

  get(key: string, load: () => Promise<Loaded<V>>): Promise<V> {
    const now = Date.now();
    const entry = this.entries.get(key);
    if (entry) {
      if (now < entry.expiresAt) return Promise.resolve(entry.value);
      this.entries.delete(key);
    }
    const pending = this.inflight.get(key);
    if (pending) return pending;
    const loading = load().then(
      ({ value, keepUntil }) => {
        this.inflight.delete(key);
        if (keepUntil !== undefined) this.set(key, value, Math.min(keepUntil, Date.now() + this.maxAgeMs));
        return value;
      },
      (err: unknown) => {
        this.inflight.delete(key);
        throw err;
      },
    );
    this.inflight.set(key, loading);
    return loading;
  }

  clear(): void {
    this.entries.clear();
  }

  private set(key: string, value: V, expiresAt: number): void {
    const now = Date.now();
    if (this.max <= 0 || expiresAt <= now) return;
    this.entries.delete(key);
    // Entries are roughly in expiry order: drop the expired ones at the front.
    for (const [oldKey, old] of this.entries) {
      if (old.expiresAt > now) break;
      this.entries.delete(oldKey);
    }
    while (this.entries.size >= this.max) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(key, { value, expiresAt });
  }
}
