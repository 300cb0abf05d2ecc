import type { JsonCache } from './cache';

/** Nadeo answers 414 to a request URI of 8,220 characters or more. */
export const MAX_URI_LENGTH = 8219;

/**
 * Splits ids into the fewest requests that keep to an endpoint's limits: at most `maxCount` ids a request, and a URI
 * of at most `MAX_URI_LENGTH` characters, given the URI's length without ids and what each id adds to it.
 */
export function splitIds(ids: readonly string[], limits: { maxCount?: number; baseLength: number; costOf(id: string): number }): string[][] {
  const chunks: string[][] = [];
  let current: string[] = [];
  let length = limits.baseLength;
  for (const id of ids) {
    const cost = limits.costOf(id);
    if (current.length > 0 && (current.length === (limits.maxCount ?? Infinity) || length + cost > MAX_URI_LENGTH)) {
      chunks.push(current);
      current = [];
      length = limits.baseLength;
    }
    current.push(id);
    length += cost;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

/** How a `Batcher` gets values: the split of ids into requests, the request, and an optional cache. */
export interface BatcherSource<V> {
  /** Splits ids into the groups one request each can carry (`splitIds` does it for count and URL-length limits). */
  split(ids: readonly string[]): string[][];
  /** The values the answer has, by id; an id the answer omits has none. */
  fetch(ids: string[]): Promise<Map<string, V>>;
  /** Where values are kept; an id the answer omitted is kept as `null` (known to have none) for as long. */
  cache?: JsonCache<V | null>;
}

/**
 * Lookups by id (map UIDs, account ids) that any number of callers make at once, served with as few requests as the
 * endpoint's limits allow: ids asked for in the same turn of the event loop go out together, split by `split`; an id
 * already on its way, from the cache or from Nadeo, joins that look-up (coalescing: one cache read and at most one
 * request per id, whatever the callers); a cached id, with a value or known to have none, costs no request.
 */
export class Batcher<V> {
  private readonly inflight = new Map<string, Promise<V | undefined>>();
  private queue = new Map<string, { resolve(value: V | undefined): void; reject(err: unknown): void }>();
  private scheduled = false;

  constructor(private readonly source: BatcherSource<V>) {}

  /** The value of each id that has one (ids without one are left out), whatever the number of ids. */
  async getMany(ids: readonly string[]): Promise<Map<string, V>> {
    const values = await Promise.all(ids.map((id) => this.one(id)));
    const found = new Map<string, V>();
    ids.forEach((id, i) => {
      const value = values[i];
      if (value !== undefined) found.set(id, value);
    });
    return found;
  }

  /** One id's value: the look-up already under way for it (its cache read included), or a new one. */
  private one(id: string): Promise<V | undefined> {
    const existing = this.inflight.get(id);
    if (existing) return existing;
    const promise = this.lookUp(id).finally(() => this.inflight.delete(id));
    this.inflight.set(id, promise);
    return promise;
  }

  /** The cached value, or a place in the next request. */
  private async lookUp(id: string): Promise<V | undefined> {
    const cached = this.source.cache ? await this.source.cache.get(id) : undefined;
    if (cached !== undefined) return cached ?? undefined;
    return new Promise<V | undefined>((resolve, reject) => {
      this.queue.set(id, { resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        // After every caller of this turn has queued its ids (their cache reads included).
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.scheduled = false;
    const batch = this.queue;
    this.queue = new Map();
    for (const chunk of this.source.split([...batch.keys()])) {
      this.source.fetch(chunk).then(
        (found) => {
          for (const id of chunk) {
            const value = found.get(id);
            void this.source.cache?.set(id, value ?? null);
            batch.get(id)!.resolve(value);
          }
        },
        (err: unknown) => {
          for (const id of chunk) batch.get(id)!.reject(err);
        },
      );
    }
  }
}
