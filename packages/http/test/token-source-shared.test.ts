import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { CHANNELS, CachedTokenSource, MemoryStore, StoreError, toTokenSet, type SharedStore, type StoreFailure, type TokenSet } from '@maniapass/http';

/** A store whose every operation fails, as a Redis that is down does through RedisStore. */
const downStore = (): SharedStore => {
  const fail = async (): Promise<never> => {
    throw new StoreError('Redis store: get failed: connection refused', 'ESTORE');
  };
  return { get: fail, set: fail, add: fail, delete: fail, increment: fail, reserve: fail };
};

describe('CachedTokenSource shared through a store', () => {
  test('sources on one store (processes) make one token request between them', async () => {
    const store = new MemoryStore();
    let requests = 0;
    const fetchToken = async (): Promise<TokenSet> => {
      requests += 1;
      await new Promise((resolve) => setTimeout(resolve, 20));
      return toTokenSet({ access_token: `token-${requests}`, expires_in: 3600 });
    };
    const sources = Array.from({ length: 4 }, () => new CachedTokenSource(fetchToken, { shared: { store, key: 'cc:app' } }));
    const tokens = await Promise.all(sources.flatMap((source) => [source.get(), source.get(), source.get()]));
    expect(requests).toBe(1);
    expect(new Set(tokens.map((t) => t.accessToken))).toEqual(new Set(['token-1']));
    // A refused token is dropped from the store too: the next source to need one asks again, once.
    sources[0]!.invalidate();
    await new Promise((resolve) => setImmediate(resolve));
    const again = new CachedTokenSource(fetchToken, { shared: { store, key: 'cc:app' } });
    expect((await again.get()).accessToken).toBe('token-2');
  });

  test('a store that fails is passed by (fails open): the token still comes, and the failure is published', async () => {
    const failures: StoreFailure[] = [];
    const listener = (message: unknown) => failures.push(message as StoreFailure);
    subscribe(CHANNELS.storeError, listener);
    try {
      let requests = 0;
      const source = new CachedTokenSource(async () => toTokenSet({ access_token: `t${++requests}`, expires_in: 3600 }), {
        shared: { store: downStore(), key: 'k' },
      });
      const [a, b] = await Promise.all([source.get(), source.get()]);
      expect([a.accessToken, b.accessToken]).toEqual(['t1', 't1']);
      expect(requests).toBe(1);
      expect(failures.length).toBeGreaterThan(0);
      expect(failures.every((f) => f.failed === 'open' && f.component === 'http:token-source')).toBe(true);
    } finally {
      unsubscribe(CHANNELS.storeError, listener);
    }
  });

  test('a provider failure is not mistaken for a store failure', async () => {
    const source = new CachedTokenSource<TokenSet>(async () => Promise.reject(new Error('provider down')), { shared: { store: new MemoryStore(), key: 'k' } });
    await expect(source.get()).rejects.toThrow('provider down');
  });
});
