import { randomBytes } from 'node:crypto';
import { StoreError, type SharedStore } from './store';

/** Options of `withLock`. */
export interface LockOptions {
  /** How long the lock is held at most if its holder dies, ms. Default 30000. */
  ttlMs?: number;
  /** How long to wait for the lock before failing with a `StoreError` (`ETIMEDOUT`), ms. Default `ttlMs` + 1000. */
  waitMs?: number;
  /** How often a waiter tries again, ms. Default 25. */
  pollMs?: number;
}

/** Runs `fn` while holding the lock `key` of `store`: one holder at a time across every user of the store. */
export async function withLock<T>(store: SharedStore, key: string, fn: () => Promise<T>, options: LockOptions = {}): Promise<T> {
  const ttlMs = options.ttlMs ?? 30_000;
  const waitMs = options.waitMs ?? ttlMs + 1000;
  const pollMs = options.pollMs ?? 25;
  const owner = randomBytes(16).toString('hex');
  const deadline = Date.now() + waitMs;
  while (!(await store.add(key, owner, ttlMs))) {
    if (Date.now() >= deadline) throw new StoreError(`timed out after ${waitMs} ms waiting for the lock ${key}`, 'ETIMEDOUT');
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
  try {
    return await fn();
  } finally {
    await store.delete(key, owner).catch(() => undefined);
  }
}
