import { EmulatorServer, startNadeoEmulator, startOpenplanetEmulator } from '../src';

const BODY = 'x'.repeat(250 * 1024);
const recordedChars = (server: EmulatorServer) => server.requests.reduce((sum, r) => sum + r.body.length + JSON.stringify(r.headers).length + r.path.length, 0);

async function flood(url: string, count: number): Promise<void> {
  for (let i = 0; i < count; i += 10) {
    await Promise.all(
      Array.from({ length: 10 }, () =>
        fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: BODY }).then((r) => r.arrayBuffer()),
      ),
    );
  }
}

describe('recorded requests are bounded by size, not only by count', () => {
  it('an emulator that keeps 100,000 requests keeps at most maxRecordedBytes of them (the Nadeo and Openplanet emulators)', async () => {
    const nadeo = await startNadeoEmulator();
    const openplanet = await startOpenplanetEmulator();
    try {
      // 120 bodies of 250 KB (30 MB) on any path: the record stays within 16 MiB.
      await flood(`${nadeo.url}/any/path`, 120);
      await flood(`${openplanet.url}/any/path`, 120);
      for (const server of [nadeo.core, openplanet]) {
        expect(server.requests.length).toBeGreaterThan(0);
        expect(server.requests.length).toBeLessThan(120);
        expect(recordedChars(server)).toBeLessThanOrEqual(server.maxRecordedBytes);
        // The newest requests are the ones kept.
        expect(server.requests[server.requests.length - 1]!.body).toBe(BODY);
      }
    } finally {
      await nadeo.close();
      await openplanet.close();
    }
  });

  it('a lower maxRecordedBytes applies at once, and a record emptied by a test is counted from zero again', async () => {
    const server = await new EmulatorServer([{ endpoint: 'echo', method: 'POST', path: '/echo', handler: () => ({ body: {} }) }]).start();
    try {
      server.maxRecordedBytes = 1024 * 1024;
      await flood(`${server.url}/echo`, 20);
      expect(server.requests.length).toBe(4);
      server.requests.length = 0;
      await flood(`${server.url}/echo`, 10);
      expect(server.requests.length).toBe(4);
    } finally {
      await server.close();
    }
  });
});
