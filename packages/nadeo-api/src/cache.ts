import { CHANNELS, publish, type SharedStore, type StoreFailure } from '@maniapass/http';

/** A store failure on `maniapass:store:error`, as `nadeo-api:cache`: the cache went on without the store. */
function reportFailure(operation: string, err: unknown): void {
  publish<StoreFailure>(CHANNELS.storeError, () => ({
    component: 'nadeo-api:cache',
    operation,
    code: typeof (err as { code?: unknown })?.code === 'string' ? (err as { code: string }).code : err instanceof Error ? err.name : 'ESTORE',
    failed: 'open',
  }));
}

/**
 * A cache of JSON values by key in a `SharedStore`, under one prefix and one lifetime. It fails open: a store that is
 * down or slow (a `StoreError` within its own timeout) is a miss, and a failed write is forgotten; the request goes
 * to Nadeo as it would without a cache. Each failure is published on `maniapass:store:error`.
 */
export class JsonCache<T> {
  constructor(
    private readonly store: SharedStore,
    private readonly prefix: string,
    /** Milliseconds an entry lives; 0 turns the cache off. */
    readonly ttlMs: number,
  ) {}

  /** The kept value of a key, or `undefined`. */
  async get(key: string): Promise<T | undefined> {
    if (this.ttlMs <= 0) return undefined;
    let raw: string | undefined;
    try {
      raw = await this.store.get(this.prefix + key);
    } catch (err) {
      reportFailure('get', err);
      return undefined;
    }
    try {
      return raw === undefined ? undefined : (JSON.parse(raw) as T);
    } catch {
      return undefined; // a value another program wrote badly: a miss
    }
  }

  /** Keeps a value for `ttlMs`. */
  async set(key: string, value: T): Promise<void> {
    if (this.ttlMs <= 0) return;
    try {
      await this.store.set(this.prefix + key, JSON.stringify(value), this.ttlMs);
    } catch (err) {
      // Fails open: the value is fetched again next time.
      reportFailure('set', err);
    }
  }
}
