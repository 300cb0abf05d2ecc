export { StoreError, boundedStoreCall } from './store';
export type { RedisClientLike, SharedStore, StoreErrorCode } from './store';
export { MemoryStore } from './memory';
export type { MemoryStoreOptions } from './memory';
export { withLock } from './lock';
export type { LockOptions } from './lock';
