// A SharedStore on Redis: what several processes of an application share (tokens, rate limits, caches, sessions)
// through the Redis the application already runs, every operation bounded by a timeout.
export { RedisStore } from './redis-store';
export type { RedisStoreOptions } from './redis-store';
export type { RedisClientLike } from '@maniapass/http';
