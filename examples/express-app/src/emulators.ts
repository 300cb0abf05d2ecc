// Every emulator once, for several processes of the app: `npm run emulators -w examples/express-app` starts them on
// consecutive ports from EMULATORS_URL (default http://127.0.0.1:4100) and keeps them running; each app process
// started with the same EMULATORS_URL uses them instead of starting its own. A sign-in started on one process can
// then end on another: the authorization code lives in the one emulator both processes talk to.
import { startNadeoEmulator, startOpenplanetEmulator, type NadeoEmulator, type OpenplanetEmulator } from '@maniapass/emulators';
import { DEFAULT_EMULATORS_URL, emulatorURL, type EmulatorName } from './emulator-urls';
import { PROVIDERS, type ProviderEmulator, type ProviderName } from './providers';

/** The emulators `startAllEmulators()` runs, for a test to fail on purpose or count requests. */
export interface RunningEmulators {
  /** Each emulator's URL, by name. */
  urls: Record<EmulatorName, string>;
  providers: Record<ProviderName, ProviderEmulator>;
  nadeo: NadeoEmulator;
  openplanet: OpenplanetEmulator;
  close(): Promise<void>;
}

/** Starts every emulator on its port under `emulatorsURL` (loopback only); `close()` stops them all. */
export async function startAllEmulators(emulatorsURL: string): Promise<RunningEmulators> {
  const host = new URL(emulatorsURL).hostname;
  const port = (name: EmulatorName) => Number(new URL(emulatorURL(emulatorsURL, name)).port);
  const closers: Array<() => Promise<void>> = [];
  const close = async () => {
    await Promise.all(closers.splice(0).map((c) => c()));
  };
  const urls = {} as Record<EmulatorName, string>;
  const providers = {} as Record<ProviderName, ProviderEmulator>;
  try {
    for (const entry of PROVIDERS) {
      const emulator = await entry.startEmulator({ host, port: port(entry.name) });
      closers.push(() => emulator.close());
      providers[entry.name] = emulator;
      urls[entry.name] = emulator.url;
    }
    const nadeo = await startNadeoEmulator({ host, port: port('nadeo') });
    closers.push(() => nadeo.close());
    urls.nadeo = nadeo.url;
    const openplanet = await startOpenplanetEmulator({ host, port: port('openplanet') });
    closers.push(() => openplanet.close());
    urls.openplanet = openplanet.url;
    return { urls, providers, nadeo, openplanet, close };
  } catch (err) {
    await close();
    throw err;
  }
}

async function main(): Promise<void> {
  const emulatorsURL = (process.env.EMULATORS_URL ?? DEFAULT_EMULATORS_URL).replace(/\/+$/, '');
  const running = await startAllEmulators(emulatorsURL);
  for (const [name, url] of Object.entries(running.urls)) console.log(`  ${name.padEnd(12)} ${url}`);
  console.log(`every emulator is running: start each app process with EMULATORS_URL=${emulatorsURL}  (Ctrl-C to stop)`);
  const stop = () => void running.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(`Could not start the emulators: ${(err as Error).message}`);
    process.exitCode = 1;
  });
}
