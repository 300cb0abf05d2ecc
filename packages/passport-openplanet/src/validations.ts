import { createHash, randomBytes } from 'node:crypto';
import { CHANNELS, MemoryStore, StoreError, publish, type SharedStore, type StoreFailure } from '@maniapass/http';
import { bounded } from './bounded';

/** What is kept of a valid answer: only what the profile is made of (never Openplanet's whole body). */
export interface KeptPlayer {
  /** account_id */
  a: string;
  /** display_name */
  n: string;
  /** token_time */
  t: number;
}

/** What the store holds for a token: the player, or that the token was refused (and why). */
export type Kept = { player: KeptPlayer } | { refused: 'refused' | 'too_old' };

/** Upper bound of one memory entry (key and value, UTF-16), which the field bounds in profile.ts guarantee. */
export const ENTRY_BYTES = 2048;

/** Options of `ValidationStore`: where state goes and how long each kind is kept. */
export interface ValidationStoreOptions {
  store: SharedStore;
  /** Separates plugins (and validate URLs) that share one store: a token valid for one plugin is not for another. */
  namespace: string;
  /** Milliseconds each store call may take before it counts as failed. */
  storeTimeout: number;
}

/** A cut of a key: the SHA-256 of a value, so that the store never holds a token or a secret. */
export function digest(value: string): string {
  return createHash('sha256').update(value).digest('base64url');
}

/**
 * The state passport-openplanet shares (through a `SharedStore`, memory by default): answers per token, refusals,
 * the claim of the process validating a token, the hold-off after Openplanet failed, and plugin tokens already
 * exchanged. Reads fail open (a store that is down or slow means asking Openplanet, as without a store); the
 * single-use mark fails closed (see `markUsed`). Every call is bounded by `storeTimeout`.
 */
export class ValidationStore {
  private readonly prefix: string;

  constructor(private readonly options: ValidationStoreOptions) {
    this.prefix = `passport-openplanet:${options.namespace}:`;
  }

  /** The default store: this process's memory, `maxEntries` entries (each at most `ENTRY_BYTES`). */
  static memory(maxEntries: number): SharedStore {
    return new MemoryStore({ maxEntries: Math.max(1, maxEntries) });
  }

  async kept(token: string): Promise<Kept | undefined> {
    const value = await this.open('get', () => this.options.store.get(this.key('v', token)));
    return value === undefined ? undefined : parseKept(value);
  }

  async keep(token: string, kept: Kept, ttlMs: number): Promise<void> {
    if (ttlMs < 1) return;
    await this.open('set', () => this.options.store.set(this.key('v', token), JSON.stringify(kept), ttlMs));
  }

  /** Until when (`Date.now()` ms) Openplanet is left alone after it failed, or 0. */
  async holdOffUntil(): Promise<number> {
    const value = await this.open('get', () => this.options.store.get(`${this.prefix}holdoff`));
    const until = Number(value);
    return Number.isFinite(until) && until > Date.now() ? until : 0;
  }

  async holdOff(ms: number): Promise<void> {
    if (ms < 1) return;
    await this.open('set', () => this.options.store.set(`${this.prefix}holdoff`, String(Date.now() + ms), ms));
  }

  /** Claims the validation of a token for this process; `true` also when the store cannot say (fail open). */
  async claim(token: string, owner: string, ttlMs: number): Promise<boolean> {
    return (await this.open('add', () => this.options.store.add(this.key('c', token), owner, ttlMs))) ?? true;
  }

  async release(token: string, owner: string): Promise<void> {
    await this.open('delete', () => this.options.store.delete(this.key('c', token), owner));
  }

  /** Whether another process still holds the claim of a token. */
  async claimed(token: string): Promise<boolean> {
    return (await this.open('get', () => this.options.store.get(this.key('c', token)))) !== undefined;
  }

  /**
   * Marks a plugin token as exchanged; `false` when it already was. Fails closed: a store that cannot say rejects
   * with its `StoreError`, so that a replay is never let through.
   */
  async markUsed(token: string, ttlMs: number): Promise<boolean> {
    try {
      return await bounded(this.options.store.add(this.key('u', token), '1', Math.max(1, ttlMs)), this.options.storeTimeout, 'add');
    } catch (err) {
      this.report('add', err, 'closed');
      throw err;
    }
  }

  static owner(): string {
    return randomBytes(12).toString('base64url');
  }

  private key(kind: string, token: string): string {
    return `${this.prefix}${kind}:${digest(token)}`;
  }

  /** A store call that, failing or late, resolves to `undefined` (fail open) and is reported. */
  private async open<T>(operation: string, call: () => Promise<T>): Promise<T | undefined> {
    try {
      return await bounded(call(), this.options.storeTimeout, operation);
    } catch (err) {
      this.report(operation, err, 'open');
      return undefined;
    }
  }

  private report(operation: string, err: unknown, failed: 'open' | 'closed'): void {
    const code = err instanceof StoreError ? err.code : 'ESTORE';
    publish<StoreFailure>(CHANNELS.storeError, () => ({ component: 'passport-openplanet:validations', operation, code, failed }));
  }
}

/** A stored value read back; anything else (another program's key, a corrupted value) counts as nothing kept. */
function parseKept(value: string): Kept | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return undefined;
  }
  if (parsed === null || typeof parsed !== 'object') return undefined;
  const { player, refused } = parsed as { player?: Partial<KeptPlayer>; refused?: unknown };
  if (refused === 'refused' || refused === 'too_old') return { refused };
  if (player && typeof player.a === 'string' && player.a && typeof player.n === 'string' && typeof player.t === 'number') {
    return { player: { a: player.a, n: player.n, t: player.t } };
  }
  return undefined;
}
