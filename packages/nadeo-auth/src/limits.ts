import { CHANNELS, MemoryStore, publish, type SharedStore, type StoreFailure } from '@maniapass/http';
import { NADEO_CHANNELS, type NadeoHoldOff } from './channels';

/** The shortest hold-off after a 429, in seconds, whatever `Retry-After` says (0, negative, absent, unreadable). */
export const MIN_HOLD_OFF_SECONDS = 1;
/** The longest hold-off, in seconds, whatever `Retry-After` says (a year, `1e308`): the endpoint is asked again then. */
export const MAX_HOLD_OFF_SECONDS = 600;
/** 429s in a row are counted within this window; a success, or this long without a 429, starts the count again. */
const STREAK_WINDOW_MS = 15 * 60_000;
/** After a shared store failed, this process uses its own memory for this long before trying the store again. */
const STORE_RETRY_MS = 5000;

export type HoldOffScope = NadeoHoldOff['scope'];

/** `Retry-After` in seconds (a number or an HTTP date); `undefined` when absent, negative or unreadable. */
export function parseRetryAfter(header: string | undefined, now = Date.now()): number | undefined {
  if (header === undefined || header.trim() === '') return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return seconds >= 0 ? seconds : undefined;
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, (date - now) / 1000);
}

/**
 * The hold-off after the `streak`-th 429 in a row: what `Retry-After` asks, but at least the floor (1 s, doubled
 * for each 429 in a row) and at most `MAX_HOLD_OFF_SECONDS`.
 */
export function holdOffSeconds(retryAfter: number | undefined, streak: number): number {
  const floor = MIN_HOLD_OFF_SECONDS * 2 ** Math.min(Math.max(0, streak - 1), 20);
  return Math.min(MAX_HOLD_OFF_SECONDS, Math.max(floor, retryAfter ?? 0));
}

/**
 * Request spacing and `Retry-After` hold-offs of one account, kept in a `SharedStore`: every process (every client)
 * on one store takes its turns from one spacing and waits out one hold-off, so together they keep the configured
 * rate. Without a shared store, this client's own memory. A shared store that fails or does not answer in time
 * fails open: this process goes on with its own memory (its own spacing and hold-offs) for a few seconds, then tries
 * the store again; each failure is published on `maniapass:store:error`.
 */
export class SharedLimits {
  private readonly local = new MemoryStore({ maxEntries: 100 });
  private storeDownUntilMs = 0;
  /** Scopes this process saw a 429 for, whose streak a success ends. */
  private readonly streaking = new Set<HoldOffScope>();

  constructor(
    private readonly shared: SharedStore | undefined,
    private readonly prefix: string,
  ) {}

  /**
   * Reserves the next API turn, `intervalMs` after the previous one of any process and never during a hold-off:
   * the milliseconds to wait for it. A turn further than `maxWaitMs` is not reserved: the answer is then larger.
   */
  turn(intervalMs: number, maxWaitMs: number): Promise<number> {
    return this.use('reserve', (store) => store.reserve(`${this.prefix}spacing`, intervalMs, 0, maxWaitMs));
  }

  /** Starts the hold-off of `scope` after a 429 whose `Retry-After` is `header`; resolves to its length in seconds. */
  async holdOff(scope: HoldOffScope, header: string | undefined): Promise<number> {
    this.streaking.add(scope);
    const streak = await this.use('increment', (store) => store.increment(`${this.prefix}streak:${scope}`, STREAK_WINDOW_MS));
    const retryAfter = parseRetryAfter(header);
    const seconds = holdOffSeconds(retryAfter, streak);
    const until = Date.now() + seconds * 1000;
    // The API's hold-off is a turn nobody gets before `until`: it pushes the spacing every process shares.
    if (scope === 'api') await this.use('reserve', (store) => store.reserve(`${this.prefix}spacing`, 0, until));
    else await this.use('set', (store) => store.set(`${this.prefix}holdoff:${scope}`, String(until), seconds * 1000));
    publish<NadeoHoldOff>(NADEO_CHANNELS.holdOff, () => ({ scope, seconds, ...(retryAfter === undefined ? {} : { retryAfter }), streak }));
    return seconds;
  }

  /** Milliseconds before a token endpoint held off may be asked again (0 or less: now). */
  async holdOffWait(scope: Exclude<HoldOffScope, 'api'>): Promise<number> {
    const until = Number(await this.use('get', (store) => store.get(`${this.prefix}holdoff:${scope}`)));
    return Number.isFinite(until) ? until - Date.now() : 0;
  }

  /** A success ends the streak of 429s that this process saw (and so the doubling of the floor). */
  async succeeded(scope: HoldOffScope): Promise<void> {
    if (!this.streaking.delete(scope)) return;
    await this.use('delete', (store) => store.delete(`${this.prefix}streak:${scope}`));
  }

  private async use<T>(operation: string, run: (store: SharedStore) => Promise<T>): Promise<T> {
    if (this.shared && Date.now() >= this.storeDownUntilMs) {
      try {
        return await run(this.shared);
      } catch (err) {
        this.storeDownUntilMs = Date.now() + STORE_RETRY_MS;
        const code = typeof (err as { code?: unknown }).code === 'string' ? (err as { code: string }).code : 'ESTORE';
        publish<StoreFailure>(CHANNELS.storeError, () => ({ component: 'nadeo-auth:limits', operation, code, failed: 'open' }));
      }
    }
    return run(this.local);
  }
}
