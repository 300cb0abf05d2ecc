import { createClient } from 'redis';
import { RedisStore } from '@maniapass/redis-store';
import { startRedisServer, type RedisServer, describeRedis } from '../../../test-support/services';
import { TOO_INFINITE, startEmulators, type Emulators } from './support';

describeRedis()('caches in Redis, shared by processes', () => {
  let server: RedisServer;
  let emulators: Emulators;
  const clients: Array<{ quit(): Promise<unknown> }> = [];

  beforeAll(async () => {
    server = await startRedisServer();
    emulators = await startEmulators();
  });
  afterAll(async () => {
    for (const client of clients) await client.quit().catch(() => undefined);
    await emulators?.close();
    await server?.stop();
  });

  /** A NadeoAPI with its own Redis connection, as another process has. */
  async function process(): Promise<ReturnType<Emulators['api']>> {
    const client = createClient({ url: server.url });
    await client.connect();
    clients.push(client);
    return emulators.api({ cacheStore: new RedisStore(client as never) });
  }

  it('what one looked up, the other finds without a request', async () => {
    const first = await process();
    const second = await process();
    await first.getDisplayNames([TOO_INFINITE]);
    await first.getPlayerZonePath(TOO_INFINITE);
    await first.getMapsInfo(['olsKnq_qAghcVAnEkoeUnVHFZei']);
    const before = emulators.dataRequests();
    expect((await second.getDisplayNames([TOO_INFINITE])).get(TOO_INFINITE)).toBe('tooInfinite');
    expect((await second.getPlayerZonePath(TOO_INFINITE))![0]).toBe('World');
    expect((await second.getMapsInfo(['olsKnq_qAghcVAnEkoeUnVHFZei'])).size).toBe(1);
    expect(emulators.dataRequests()).toBe(before);
  });
});
