// The reliability app in its own process (started with --expose-gc), so that its heap can be measured apart
// from the emulators and the load driver. Reads `{ providers: [{ name, options }] }` from RELIABILITY_APP,
// prints `READY <url>`, and adds `/__heap` (collects garbage, answers heapUsed and unhandled rejections).
import { appVerify, startApp } from './app';
import { providerNamed } from './providers';

const gc = (globalThis as { gc?: () => void }).gc;
let unhandled = 0;
// RELIABILITY_LEAK=1 keeps every login's token response, as a strategy that forgot its per-login state would:
// the control that shows the load test's memory check catches such a leak.
const leaked: unknown[] = [];
const leak = process.env.RELIABILITY_LEAK === '1';
const verify = leak
  ? async (accessToken: string, refreshToken: string | undefined, params: unknown, profile: { provider: string; id: string }) => {
      leaked.push(params);
      return appVerify(accessToken, refreshToken, params, profile);
    }
  : appVerify;
process.on('unhandledRejection', () => {
  unhandled += 1;
});

async function main(): Promise<void> {
  const config = JSON.parse(process.env.RELIABILITY_APP ?? '{}') as { providers: Array<{ name: string; options: Record<string, unknown> }> };
  const app = await startApp(
    (url) =>
      config.providers.map(({ name, options }) =>
        providerNamed(name).createStrategy({ ...options, callbackURL: `${url}/auth/${name}/callback` }, verify as never),
      ),
    (express) => {
      express.get('/__heap', async (_req, res) => {
        // Several passes: weak references and finalizers free more on the second.
        for (let i = 0; i < 4; i++) {
          gc?.();
          await new Promise((resolve) => setImmediate(resolve));
        }
        res.json({ heapUsed: process.memoryUsage().heapUsed, gc: typeof gc === 'function', unhandled });
      });
    },
  );
  process.stdout.write(`READY ${app.url}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`app failed to start: ${(err as Error).message}\n`);
  process.exit(1);
});
