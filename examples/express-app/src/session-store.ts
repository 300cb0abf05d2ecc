import type { Store } from 'express-session';
import { RedisStore } from 'connect-redis';
import { createClient } from 'redis';

export const REDIS_PREFIX = 'maniapass:sess:';

/**
 * Sessions in Redis (through connect-redis) when a URL is given, so that several processes share them;
 * otherwise `store` is undefined and express-session keeps them in memory.
 */
export async function createSessionStore(redisURL: string | undefined): Promise<{ store?: Store; close(): Promise<void> }> {
  if (redisURL === undefined) return { close: async () => {} };
  let ready = false;
  const client = createClient({
    url: redisURL,
    socket: {
      connectTimeout: 5000,
      // At start, an unreachable Redis stops the app at once; once connected, a lost connection is retried.
      reconnectStrategy: (retries: number) => (ready ? Math.min(100 * 2 ** retries, 5000) : false),
    },
  });
  client.on('ready', () => {
    ready = true;
  });
  // Without a listener, a lost connection would be an unhandled 'error' event and end the process.
  client.on('error', (err: Error) => {
    if (ready) console.error(`redis: ${err.message}`);
  });
  await client.connect();
  return {
    store: new RedisStore({ client, prefix: REDIS_PREFIX }),
    close: async () => {
      if (client.isOpen) await client.close();
    },
  };
}
