import fc from 'fast-check';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { CHANNELS, MemoryStore, StoreError, type StoreFailure } from '@maniapass/http';
import { NadeoInputError, accountIdToLogin, loginToAccountId } from '../src';
import { TOO_INFINITE, startEmulators } from './support';

describe('account id ↔ login', () => {
  it('converts the documented pair both ways', () => {
    expect(accountIdToLogin(TOO_INFINITE)).toBe('W01C9MLeQH2zZ8v_P-gXvA');
    expect(loginToAccountId('W01C9MLeQH2zZ8v_P-gXvA')).toBe(TOO_INFINITE);
    expect(accountIdToLogin(TOO_INFINITE.toUpperCase())).toBe('W01C9MLeQH2zZ8v_P-gXvA');
  });

  it('round-trips every account id, and every login it makes (property)', () => {
    fc.assert(
      fc.property(fc.uuid({ version: 4 }), (id) => {
        const login = accountIdToLogin(id);
        expect(login).toMatch(/^[A-Za-z0-9_-]{22}$/);
        expect(loginToAccountId(login)).toBe(id.toLowerCase());
      }),
    );
  });

  it('refuses what is not an account id or a login, naming it', () => {
    for (const bad of ['', 'tooInfinite', '5b4d42f4c2de407db367cbff3fe817bc', `${TOO_INFINITE}x`]) expect(() => accountIdToLogin(bad)).toThrow(NadeoInputError);
    // 22 characters whose last carries bits a 16-byte value has not, padding, the standard alphabet, other lengths.
    for (const bad of ['W01C9MLeQH2zZ8v_P-gXvB', 'W01C9MLeQH2zZ8v_P-gXvA==', 'W01C9MLeQH2zZ8v/P+gXvA', 'W01C9MLeQH2zZ8v_P-gXv', 'tooInfinite']) {
      expect(() => loginToAccountId(bad)).toThrow(/login must be an account login/);
    }
  });
});

describe('caches shared through a SharedStore', () => {
  it('a second instance on the same store (another process, with RedisStore) finds display names, zones and map info without a request', async () => {
    const emulators = await startEmulators();
    try {
      const store = new MemoryStore();
      const first = emulators.api({ cacheStore: store });
      await first.getDisplayNames([TOO_INFINITE]);
      await first.getZones();
      await first.getMapsInfo(['olsKnq_qAghcVAnEkoeUnVHFZei']);
      const before = emulators.dataRequests();
      const second = emulators.api({ cacheStore: store });
      expect((await second.getDisplayNames([TOO_INFINITE])).get(TOO_INFINITE)).toBe('tooInfinite');
      expect((await second.getZones()).length).toBeGreaterThan(0);
      expect((await second.getMapsInfo(['olsKnq_qAghcVAnEkoeUnVHFZei'])).size).toBe(1);
      expect(emulators.dataRequests()).toBe(before);
      // A cache turned off asks every time.
      const uncached = emulators.api({ cacheStore: store, cacheTtl: { displayNames: 0 } });
      await uncached.getDisplayNames([TOO_INFINITE]);
      expect(emulators.dataRequests()).toBe(before + 1);
    } finally {
      await emulators.close();
    }
  });

  it("instances on other hosts (another emulator) do not read each other's entries", async () => {
    const [one, two] = await Promise.all([startEmulators(), startEmulators()]);
    try {
      const store = new MemoryStore();
      await one.api({ cacheStore: store }).getMapsInfo(['olsKnq_qAghcVAnEkoeUnVHFZei']);
      two.nadeo.maps.splice(0, two.nadeo.maps.length, ...two.nadeo.maps.filter((m) => m.uid !== 'olsKnq_qAghcVAnEkoeUnVHFZei'));
      expect((await two.api({ cacheStore: store }).getMapsInfo(['olsKnq_qAghcVAnEkoeUnVHFZei'])).size).toBe(0);
      expect(two.nadeo.requestsTo('map-info-multiple')).toHaveLength(1);
    } finally {
      await one.close();
      await two.close();
    }
  });

  it('a store that fails is a miss, not a failure (fails open)', async () => {
    const emulators = await startEmulators();
    try {
      const broken = new MemoryStore();
      broken.get = () => Promise.reject(new StoreError('store: get timed out', 'ETIMEDOUT'));
      broken.set = () => Promise.reject(new StoreError('store: set failed', 'ESTORE'));
      const failures: StoreFailure[] = [];
      const listener = (message: unknown) => failures.push(message as StoreFailure);
      subscribe(CHANNELS.storeError, listener);
      try {
        const api = emulators.api({ cacheStore: broken });
        expect((await api.getDisplayNames([TOO_INFINITE])).get(TOO_INFINITE)).toBe('tooInfinite');
        expect((await api.getZones()).length).toBeGreaterThan(0);
      } finally {
        unsubscribe(CHANNELS.storeError, listener);
      }
      expect(failures).toContainEqual({ component: 'nadeo-api:cache', operation: 'get', code: 'ETIMEDOUT', failed: 'open' });
      expect(failures).toContainEqual({ component: 'nadeo-api:cache', operation: 'set', code: 'ESTORE', failed: 'open' });
    } finally {
      await emulators.close();
    }
  });
});
