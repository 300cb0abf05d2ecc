// The behaviour every SharedStore keeps (MemoryStore of @maniapass/http, RedisStore of @maniapass/redis-store),
// run against each implementation by its package's tests.
import { withLock, type SharedStore } from '@maniapass/http';

/** The behaviour every SharedStore keeps, run against each implementation. */
export function storeContract(make: () => SharedStore): void {
  let store: SharedStore;
  let n = 0;
  const key = (name: string) => `${name}:${++n}:${process.pid}`;
  beforeEach(() => {
    store = make();
  });

  test('get, set, delete, and values expire', async () => {
    const k = key('v');
    expect(await store.get(k)).toBeUndefined();
    await store.set(k, 'one', 60_000);
    expect(await store.get(k)).toBe('one');
    await store.delete(k);
    expect(await store.get(k)).toBeUndefined();
    await store.set(k, 'short', 30);
    await new Promise((r) => setTimeout(r, 80));
    expect(await store.get(k)).toBeUndefined();
  });

  test('add claims a key once; delete with a value releases only that holder', async () => {
    const k = key('lock');
    expect(await store.add(k, 'a', 60_000)).toBe(true);
    expect(await store.add(k, 'b', 60_000)).toBe(false);
    await store.delete(k, 'b');
    expect(await store.get(k)).toBe('a');
    await store.delete(k, 'a');
    expect(await store.add(k, 'b', 60_000)).toBe(true);
  });

  test('increment counts within a window, then starts again', async () => {
    const k = key('count');
    expect(await store.increment(k, 60_000)).toBe(1);
    expect(await store.increment(k, 60_000)).toBe(2);
    expect(await store.increment(k, 60_000)).toBe(3);
    const short = key('window');
    expect(await store.increment(short, 30)).toBe(1);
    await new Promise((r) => setTimeout(r, 100));
    expect(await store.increment(short, 30)).toBe(1);
  });

  test('reserve hands out turns at least intervalMs apart, and none before notBefore', async () => {
    const k = key('spacing');
    const waits = await Promise.all(Array.from({ length: 5 }, () => store.reserve(k, 1000)));
    // Turns are 0, 1000, 2000, ... ms away, less the time that passed between the calls (bounded generously: a
    // loaded machine may take hundreds of milliseconds between two of them).
    const sorted = [...waits].sort((a, b) => a - b);
    expect(sorted[0]).toBe(0);
    for (let i = 1; i < sorted.length; i++) expect(sorted[i] - sorted[i - 1]).toBeGreaterThan(500);
    // An interval of 0 (a hold-off alone) is a valid reservation too.
    expect(await store.reserve(key('zero'), 0)).toBe(0);
    const held = key('holdoff');
    expect(await store.reserve(held, 10, Date.now() + 5000)).toBeGreaterThan(4000);
  });

  test('reserve with maxWaitMs leaves a turn further away unreserved', async () => {
    const k = key('bounded');
    expect(await store.reserve(k, 60_000)).toBe(0);
    // The next turn is a minute away: refused, and refusing it many times pushes nothing back.
    for (let i = 0; i < 5; i++) expect(await store.reserve(k, 60_000, 0, 1000)).toBeGreaterThan(1000);
    const wait = await store.reserve(k, 60_000);
    expect(wait).toBeGreaterThan(50_000);
    expect(wait).toBeLessThanOrEqual(60_000);
  });

  test('withLock runs one holder at a time', async () => {
    const k = key('mutex');
    let inside = 0;
    let most = 0;
    await Promise.all(
      Array.from({ length: 5 }, () =>
        withLock(
          store,
          k,
          async () => {
            most = Math.max(most, ++inside);
            await new Promise((r) => setTimeout(r, 5));
            inside--;
          },
          { pollMs: 2 },
        ),
      ),
    );
    expect(most).toBe(1);
    expect(await store.get(k)).toBeUndefined();
  });
}
