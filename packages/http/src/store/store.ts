/**
 * State that several processes share: caches, hold-offs, locks and limits. Values are strings (callers encode
 * JSON themselves), times are milliseconds. Every operation of a shared implementation is bounded: it answers or
 * rejects with a `StoreError` within its timeout, and callers decide whether that fails open or closed.
 */
export interface SharedStore {
  /** The value at `key`, or `undefined` when there is none or it expired. */
  get(key: string): Promise<string | undefined>;
  /** Keeps `value` at `key` for `ttlMs`. */
  set(key: string, value: string, ttlMs: number): Promise<void>;
  /** Sets `key` only if it holds nothing; `true` when this call set it (a claim, a lock). */
  add(key: string, value: string, ttlMs: number): Promise<boolean>;
  /** Deletes `key`; with `ifValue`, only while it still holds that value (a lock released by its holder only). */
  delete(key: string, ifValue?: string): Promise<void>;
  /**
   * Adds one to the counter at `key` and returns the new count. A new counter expires `windowMs` after its first
   * increment (a fixed window: rate limits).
   */
  increment(key: string, windowMs: number): Promise<number>;
  /**
   * Reserves the next turn of a spacing: turns handed out for `key` are at least `intervalMs` apart, and never
   * before `notBefore` (a `Date.now()` time, for a hold-off). Returns the milliseconds the caller waits for its turn.
   * With `maxWaitMs`, a turn further away than that is not reserved (the caller gives up without pushing later
   * callers back): the returned wait is then more than `maxWaitMs`.
   */
  reserve(key: string, intervalMs: number, notBefore?: number, maxWaitMs?: number): Promise<number>;
}

/**
 * The part of a connected `redis` (node-redis 4 or newer) client the collection's Redis stores use
 * (`@maniapass/redis-store`'s `RedisStore`, nadeo-auth's `RedisTokenStore`). No package imports `redis` itself:
 * pass your own client.
 */
export interface RedisClientLike {
  /** Redis `GET`. */
  get(key: string): Promise<unknown>;
  /** Redis `SET`, with `PX` (a TTL in milliseconds) and `NX` (only if absent). */
  set(key: string, value: string, options?: { PX?: number; NX?: boolean }): Promise<unknown>;
  /** Redis `DEL`. */
  del(key: string): Promise<unknown>;
  /** Redis `EVAL` of a Lua script (the operations that must be atomic). */
  eval(script: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
}

/** What a store failure is: the store did not answer in time, or answered with an error. */
export type StoreErrorCode = 'ETIMEDOUT' | 'ESTORE';

/** A shared store that did not answer in time, or failed. Its message names the store and the operation, never a value. */
export class StoreError extends Error {
  /** Always `StoreError`. */
  override name = 'StoreError';
  /** `ETIMEDOUT` (no answer within `timeout`) or `ESTORE` (the store failed). */
  readonly code: StoreErrorCode;

  constructor(message: string, code: StoreErrorCode, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/**
 * A store call's answer within `ms`, or a `StoreError`: `ETIMEDOUT` past `ms`, `ESTORE` when the call fails (a
 * `StoreError` it throws is kept as it is). A store's client may not bound its own calls (node-redis stops timing a
 * command once it is written), so every store call of the collection goes through here. `messages` words both
 * failures, on one line, without a value.
 */
export function boundedStoreCall<T>(call: Promise<T>, ms: number, messages: { timedOut: string; failed: (err: unknown) => string }): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new StoreError(messages.timedOut, 'ETIMEDOUT')), ms);
    timer.unref();
    call.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (err: unknown) => {
        clearTimeout(timer);
        reject(err instanceof StoreError ? err : new StoreError(messages.failed(err), 'ESTORE', { cause: err }));
      },
    );
  });
}
