// Starts the example app: reads the environment, starts the emulators of the providers that have no real
// credentials, connects the session store, listens, and stops all of it cleanly on Ctrl-C.
import type { AddressInfo } from 'node:net';
import { createApp } from './app';
import { ConfigError, loadConfig } from './config';
import { startDemos } from './demos';
import { startOpenplanetDemo } from './openplanet';
import { startProviders } from './providers';
import { createSessionStore } from './session-store';

export interface RunningApp {
  /** The URL to print: `BASE_URL`, or the real address when `PORT=0`. */
  url: string;
  /** Stops the server (open connections included), the session store and the emulators. */
  close(): Promise<void>;
}

/** Everything `npm start` runs, without the signal handling: tests start it with their own environment. */
export async function startServer(env: Record<string, string | undefined> = process.env, log: Pick<Console, 'log' | 'warn' | 'error'> = console): Promise<RunningApp> {
  const config = loadConfig(env);
  for (const warning of config.warnings) log.warn(`warning: ${warning}`);

  const closers: Array<() => Promise<void>> = [];
  const closeAll = async (): Promise<void> => {
    for (const close of closers.splice(0).reverse()) await close().catch((err: Error) => log.warn(`while stopping: ${err.message}`));
  };
  try {
    const { providers, close: closeProviders } = await startProviders(config);
    closers.push(closeProviders);
    const demos = await startDemos(config, providers);
    closers.push(demos.close);
    const openplanet = await startOpenplanetDemo(config, { log: (line) => log.error(line) });
    closers.push(openplanet.close);
    const sessions = await createSessionStore(config.redisURL);
    closers.push(sessions.close);

    const app = createApp({
      providers,
      sessionSecret: config.sessionSecret,
      trustProxy: config.trustProxy,
      demos: demos.demos,
      limits: config.limits,
      log: (line) => log.error(line),
      openplanet,
      ...(sessions.store ? { store: sessions.store } : {}),
    });
    const server = app.listen(config.port, config.host);
    await new Promise<void>((resolve, reject) => {
      server.once('listening', resolve);
      server.once('error', reject);
    });
    closers.push(
      () =>
        new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        }),
    );

    const port = (server.address() as AddressInfo).port;
    const url = config.port === 0 ? `http://${config.host}:${port}/` : `${config.baseURL}/`;
    for (const p of providers) log.log(`  ${p.entry.label.padEnd(12)} ${p.emulated ? `emulated at ${p.emulator!.url}` : 'real endpoints'}`);
    for (const line of demos.summary) log.log(`  ${line}`);
    log.log(`  ${openplanet.summary}`);
    log.log(`  ${'Sessions'.padEnd(12)} ${config.redisURL ? 'Redis' : 'memory'}`);
    log.log(`maniapass example app listening on ${url}  (Ctrl-C to stop)`);
    return { url, close: closeAll };
  } catch (err) {
    await closeAll();
    throw err;
  }
}

async function main(): Promise<void> {
  let running: RunningApp;
  try {
    running = await startServer();
  } catch (err) {
    const message = err instanceof ConfigError ? `Configuration error: ${err.message}` : `Could not start: ${(err as Error).message}`;
    console.error(message);
    process.exitCode = 1;
    return;
  }
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping`);
    // If something refuses to close, do not hang forever.
    setTimeout(() => process.exit(1), 5000).unref();
    void running.close().then(() => console.log('stopped'));
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

if (require.main === module) void main();
