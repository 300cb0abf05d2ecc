import { boundedStoreCall, type RedisClientLike, type SharedStore } from '@maniapass/http';

/** Options of `RedisStore`. */
export interface RedisStoreOptions {
  /** Prefix of every key. Default `maniapass:`. */
  keyPrefix?: string;
  /**
   * Milliseconds each operation may take before it fails with a `StoreError` of code `ETIMEDOUT`. Default 500.
   * node-redis's own timeouts stop applying once a command is written, so a frozen Redis would otherwise hold
   * every caller as long as it stays frozen.
   */
  timeout?: number;
}

const DELETE_IF = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";
const INCREMENT = "local n = redis.call('incr', KEYS[1]) if n == 1 then redis.call('pexpire', KEYS[1], ARGV[1]) end return n";
// Redis's own clock, so that processes whose clocks differ still space their turns correctly.
const RESERVE = `local t = redis.call('time')
local now = t[1] * 1000 + math.floor(t[2] / 1000)
local turn = math.max(now, tonumber(redis.call('get', KEYS[1]) or '0'), tonumber(ARGV[2]))
if ARGV[3] ~= '' and turn - now > tonumber(ARGV[3]) then return turn - now end
redis.call('set', KEYS[1], turn + ARGV[1], 'PX', math.max(1, turn + ARGV[1] - now))
return turn - now`;

/**
 * State shared by every process on one Redis. Each operation is one round trip (scripts where it must be atomic)
 * and is bounded by `timeout`.
 *
 * ```ts
 * const redis = createClient({ url: process.env.REDIS_URL });
 * await redis.connect();
 * const store = new RedisStore(redis);
 * ```
 */
export class RedisStore implements SharedStore {
  private readonly prefix: string;
  private readonly timeout: number;

  constructor(
    private readonly client: RedisClientLike,
    options: RedisStoreOptions = {},
  ) {
    if (!client || typeof client.get !== 'function' || typeof client.set !== 'function' || typeof client.eval !== 'function') {
      throw new TypeError('RedisStore needs a connected client of the `redis` package (createClient(), then connect())');
    }
    const timeout = options.timeout ?? 500;
    if (typeof timeout !== 'number' || !Number.isFinite(timeout) || timeout <= 0) {
      throw new TypeError(`RedisStore: timeout must be a positive number of milliseconds, got ${String(options.timeout)}`);
    }
    this.prefix = options.keyPrefix ?? 'maniapass:';
    this.timeout = timeout;
  }

  async get(key: string): Promise<string | undefined> {
    const value = await this.bounded('get', this.client.get(this.prefix + key));
    return typeof value === 'string' ? value : undefined;
  }

  async set(key: string, value: string, ttlMs: number): Promise<void> {
    await this.bounded('set', this.client.set(this.prefix + key, value, { PX: ms(ttlMs) }));
  }

  async add(key: string, value: string, ttlMs: number): Promise<boolean> {
    return (await this.bounded('add', this.client.set(this.prefix + key, value, { PX: ms(ttlMs), NX: true }))) === 'OK';
  }

  async delete(key: string, ifValue?: string): Promise<void> {
    if (ifValue === undefined) await this.bounded('delete', this.client.del(this.prefix + key));
    else await this.bounded('delete', this.client.eval(DELETE_IF, { keys: [this.prefix + key], arguments: [ifValue] }));
  }

  async increment(key: string, windowMs: number): Promise<number> {
    return Number(await this.bounded('increment', this.client.eval(INCREMENT, { keys: [this.prefix + key], arguments: [String(ms(windowMs))] })));
  }

  async reserve(key: string, intervalMs: number, notBefore = 0, maxWaitMs?: number): Promise<number> {
    const limit = maxWaitMs === undefined || !Number.isFinite(maxWaitMs) ? '' : String(Math.max(0, Math.floor(maxWaitMs)));
    const args = [String(Math.max(0, Math.ceil(intervalMs))), String(Math.floor(notBefore)), limit];
    return Math.max(0, Number(await this.bounded('reserve', this.client.eval(RESERVE, { keys: [this.prefix + key], arguments: args }))));
  }

  private bounded<T>(operation: string, call: Promise<T>): Promise<T> {
    return boundedStoreCall(call, this.timeout, {
      timedOut: `Redis store: ${operation} did not answer within ${this.timeout} ms`,
      failed: (err) => `Redis store: ${operation} failed: ${(err instanceof Error && (err.message.split('\n')[0] || err.name)) || 'unknown error'}`,
    });
  }
}

function ms(ttlMs: number): number {
  return Math.max(1, Math.ceil(ttlMs));
}
