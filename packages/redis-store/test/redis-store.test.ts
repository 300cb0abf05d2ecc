import { StoreError } from '@maniapass/http';
import { RedisStore } from '@maniapass/redis-store';
import { storeContract } from '../../../test-support/store-contract';
import { describeRedis, redisClientForSuite } from '../../../test-support/services';

describeRedis()('RedisStore', () => {
  const redis = redisClientForSuite();

  storeContract(() => new RedisStore(redis() as never));

  test('an operation on a Redis that does not answer fails within its timeout, as a StoreError', async () => {
    // A client whose commands never settle stands for a frozen Redis: node-redis waits forever once a command is written.
    const frozen = {
      get: () => new Promise(() => undefined),
      set: () => new Promise(() => undefined),
      del: () => new Promise(() => undefined),
      eval: () => new Promise(() => undefined),
    };
    const store = new RedisStore(frozen, { timeout: 50 });
    const started = Date.now();
    const err = await store.get('x').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StoreError);
    expect((err as StoreError).code).toBe('ETIMEDOUT');
    expect((err as Error).message).toBe('Redis store: get did not answer within 50 ms');
    // The bound holds under load: far less than a frozen Redis would hold the caller.
    expect(Date.now() - started).toBeLessThan(5000);
  });

  test('a failing Redis is a StoreError with a one-line message', async () => {
    const failing = { get: () => Promise.reject(new Error('The client is closed\n    at stack')), set: jest.fn(), del: jest.fn(), eval: jest.fn() };
    const err = await new RedisStore(failing as never).get('x').catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'StoreError', code: 'ESTORE', message: 'Redis store: get failed: The client is closed' });
  });

  test('refuses what is not a client, and a bad timeout', () => {
    expect(() => new RedisStore({} as never)).toThrow(/needs a connected client/);
    expect(() => new RedisStore(redis() as never, { timeout: -1 })).toThrow(/timeout must be a positive number/);
  });
});
