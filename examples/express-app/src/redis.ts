// One Redis connection for everything the app's processes share: sessions (connect-redis), the per-address rate
// limits (rate-limit-redis), and the token helpers' caches and limits (a SharedStore of @maniapass/http). Every
// call is bounded by REDIS_TIMEOUT_MS; what each does when Redis fails is in the README.
import { RedisStore as RedisSessionStore } from 'connect-redis';
import type { Store as RateLimitStore } from 'express-rate-limit';
import { RedisStore as RateLimitRedisStore } from 'rate-limit-redis';
import { createClient } from 'redis';
import { StoreError, type SharedStore } from '@maniapass/http';
import { RedisStore } from '@maniapass/redis-store';
import { BoundedSessionStore, REDIS_PREFIX } from './session-store';

export interface RedisServices {
  /** Sessions, every call bounded. */
  sessions: BoundedSessionStore;
  /** Caches and limits of the collection's packages. */
  shared: SharedStore;
  /** A store for one express-rate-limit limiter; `prefix` keeps limiters apart. */
  rateLimitStore(prefix: string): RateLimitStore;
  /** Resolves when Redis answers PING within the deadline; rejects otherwise. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** `promise`, or a `StoreError` naming `what` when it fails or has not settled within `ms`. */
function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new StoreError(`Redis: ${what} did not answer within ${ms} ms`, 'ETIMEDOUT')), ms);
    timer.unref();
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (err: unknown) => {
        clearTimeout(timer);
        const reason = (err instanceof Error && (err.message.split('\n')[0] || err.name)) || 'unknown error';
        reject(new StoreError(`Redis: ${what} failed: ${reason}`, 'ESTORE', { cause: err }));
      },
    );
  });
}

/**
 * Connects to Redis. An unreachable Redis at start stops the app at once; once connected, a lost connection is
 * retried in the background, and `log` gets one line when it is lost and one when it is back (not one per try).
 */
export async function connectRedis(url: string, options: { timeoutMs: number; log: (line: string) => void }): Promise<RedisServices> {
  let ready = false;
  let lost = false;
  const client = createClient({
    url,
    socket: {
      connectTimeout: 5000,
      reconnectStrategy: (retries: number) => (ready ? Math.min(100 * 2 ** retries, 5000) : false),
    },
    // Commands fail at once while disconnected, instead of queueing until Redis is back.
    disableOfflineQueue: true,
  });
  client.on('ready', () => {
    if (lost) options.log('INFO redis connection back');
    ready = true;
    lost = false;
  });
  // Without a listener, a lost connection would be an unhandled 'error' event and end the process.
  client.on('error', (err: Error) => {
    if (!ready || lost) return;
    lost = true;
    options.log(`ERROR redis connection lost: ${err.name || 'Error'}: ${(err.message || 'no message').split('\n')[0]}`);
  });
  await client.connect();
  const { timeoutMs } = options;
  return {
    sessions: new BoundedSessionStore(new RedisSessionStore({ client, prefix: REDIS_PREFIX }), timeoutMs, 'redis'),
    shared: new RedisStore(client, { keyPrefix: 'maniapass:', timeout: timeoutMs }),
    rateLimitStore: (prefix) =>
      new RateLimitRedisStore({
        prefix: `maniapass:rl:${prefix}:`,
        sendCommand: (...args: string[]) => within(client.sendCommand(args), timeoutMs, 'rate limit') as Promise<never>,
      }),
    ping: async () => {
      await within(client.ping(), timeoutMs, 'PING');
    },
    close: async () => {
      if (client.isOpen) await client.close();
    },
  };
}
