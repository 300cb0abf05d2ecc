import type { SharedStore } from './store';

/** Options of `MemoryStore`. */
export interface MemoryStoreOptions {
  /** Most keys kept; past it the oldest is dropped. Default 10000. */
  maxEntries?: number;
}

interface Entry {
  value: string;
  untilMs: number;
}

/**
 * The default store: this process's memory, bounded by key count. Every package that caches or limits uses it
 * unless given a shared one, so one process behaves exactly as before.
 */
export class MemoryStore implements SharedStore {
  private readonly entries = new Map<string, Entry>();
  private readonly maxEntries: number;

  constructor(options: MemoryStoreOptions = {}) {
    const max = options.maxEntries ?? 10_000;
    if (!Number.isInteger(max) || max < 1) throw new TypeError(`MemoryStore: maxEntries must be a positive integer, got ${String(options.maxEntries)}`);
    this.maxEntries = max;
  }

  async get(key: string): Promise<string | undefined> {
    return this.live(key)?.value;
  }

  async set(key: string, value: string, ttlMs: number): Promise<void> {
    this.put(key, value, ttlMs);
  }

  async add(key: string, value: string, ttlMs: number): Promise<boolean> {
    if (this.live(key)) return false;
    this.put(key, value, ttlMs);
    return true;
  }

  async delete(key: string, ifValue?: string): Promise<void> {
    if (ifValue === undefined || this.live(key)?.value === ifValue) this.entries.delete(key);
  }

  async increment(key: string, windowMs: number): Promise<number> {
    const entry = this.live(key);
    if (!entry) {
      this.put(key, '1', windowMs);
      return 1;
    }
    const count = Number(entry.value) + 1;
    entry.value = String(count);
    return count;
  }

  async reserve(key: string, intervalMs: number, notBefore = 0, maxWaitMs = Infinity): Promise<number> {
    const now = Date.now();
    const next = Number(this.live(key)?.value ?? 0);
    const turn = Math.max(now, next, notBefore);
    if (turn - now > maxWaitMs) return turn - now;
    this.put(key, String(turn + intervalMs), turn + intervalMs - now);
    return turn - now;
  }

  private live(key: string): Entry | undefined {
    const entry = this.entries.get(key);
    if (entry && Date.now() >= entry.untilMs) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }

  private put(key: string, value: string, ttlMs: number): void {
    this.entries.delete(key);
    this.entries.set(key, { value, untilMs: Date.now() + Math.max(1, ttlMs) });
    // Map order is insertion order: the first key is the oldest write.
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
  }
}
