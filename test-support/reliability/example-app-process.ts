// The example app (examples/express-app) in its own process, started with --expose-gc so that its heap can
// be measured apart from the emulators and the load driver. Its strategies point at emulators that the test
// runs: RELIABILITY_APP = `{ providers: [{ name, options }] }`. Prints `READY <url>`; adds `/__heap` in front
// of the app (collects garbage, answers heapUsed, the sessions in the store and the unhandled rejections).
import express from 'express';
import session from 'express-session';
import type { AddressInfo } from 'node:net';
import { getHeapSpaceStatistics } from 'node:v8';
import { createExampleApp, type ExampleAppProvider } from './example-app';

const gc = (globalThis as { gc?: () => void }).gc;
let unhandled = 0;
process.on('unhandledRejection', () => {
  unhandled += 1;
});
// RELIABILITY_LEAK=1 keeps every login's token response and profile, as code that forgot its per-login state would:
// the control that shows the load test's memory check catches such a leak.
const leaked: unknown[] = [];
const IDLE_WAIT_MS = 5500;
const leak = process.env.RELIABILITY_LEAK === '1';

async function main(): Promise<void> {
  const config = JSON.parse(process.env.RELIABILITY_APP ?? '{}') as { providers: ExampleAppProvider[] };
  // express-session's default store, made here so that `/__heap` can count the sessions it holds.
  const store = new session.MemoryStore();
  const outer = express();
  outer.get('/__heap', async (_req, res) => {
    // Idle keep-alive connections are live objects whose number depends on timing: close the app's own, and
    // wait for the emulators to close theirs (Node's server keep-alive timeout is 5 s).
    server.closeIdleConnections();
    await new Promise((resolve) => setTimeout(resolve, IDLE_WAIT_MS));
    // Several passes: weak references and finalizers free more on the second.
    for (let i = 0; i < 4; i++) {
      gc?.();
      await new Promise((resolve) => setImmediate(resolve));
    }
    const sessions = await new Promise<number>((resolve) => store.length((_err, n) => resolve(n ?? -1)));
    const spaces = Object.fromEntries(getHeapSpaceStatistics().map((space) => [space.space_name, space.space_used_size]));
    res.json({ heapUsed: process.memoryUsage().heapUsed, spaces, gc: typeof gc === 'function', unhandled, sessions });
  });
  outer.use(
    createExampleApp(config.providers, {
      store,
      log: (line) => process.stderr.write(`${line}\n`),
      onLogin: (params, profile) => {
        if (leak) leaked.push({ params, profile });
      },
    }),
  );
  const server = outer.listen(0, '127.0.0.1', () => {
    process.stdout.write(`READY http://127.0.0.1:${(server.address() as AddressInfo).port}\n`);
  });
}

main().catch((err: unknown) => {
  process.stderr.write(`app failed to start: ${(err as Error).message}\n`);
  process.exit(1);
});
