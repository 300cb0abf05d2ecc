import { MemoryStore } from '@maniapass/http';
import { storeContract } from '../../../test-support/store-contract';

describe('MemoryStore', () => {
  storeContract(() => new MemoryStore());

  test('keeps at most maxEntries keys, dropping the oldest', async () => {
    const store = new MemoryStore({ maxEntries: 2 });
    await store.set('a', '1', 60_000);
    await store.set('b', '2', 60_000);
    await store.set('c', '3', 60_000);
    expect(await store.get('a')).toBeUndefined();
    expect(await store.get('c')).toBe('3');
  });

  test('refuses a bad maxEntries at construction', () => {
    expect(() => new MemoryStore({ maxEntries: 0 })).toThrow(/maxEntries must be a positive integer/);
  });
});
