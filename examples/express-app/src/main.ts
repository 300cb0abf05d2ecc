// Starts the example app: reads the environment, starts the emulators of the providers that have no real
// credentials, connects the session store, listens, and stops all of it cleanly on Ctrl-C.
import type { AddressInfo } from 'node:net';
import { createApp } from './app';
import { ConfigError, loadConfig } from './config';
import { startDemos } from './demos';
import { startProviders } from './providers';
import { createSessionStore } from './session-store';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`Configuration error: ${err.message}`);
      process.exitCode = 1;
      return;
    }
    throw err;
  }
  for (const warning of config.warnings) console.warn(`warning: ${warning}`);

  const closers: Array<() => Promise<void>> = [];
  const closeAll = async (): Promise<void> => {
    for (const close of closers.reverse()) await close().catch((err: Error) => console.error(`while stopping: ${err.message}`));
  };
  try {
    const { providers, close: closeProviders } = await startProviders(config);
    closers.push(closeProviders);
    const demos = await startDemos(config, providers);
    closers.push(demos.close);
    const sessions = await createSessionStore(config.redisURL);
    closers.push(sessions.close);

    const app = createApp({
      providers,
      sessionSecret: config.sessionSecret,
      trustProxy: config.trustProxy,
      demos: demos.demos,
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
    for (const p of providers) console.log(`  ${p.entry.label.padEnd(12)} ${p.emulated ? `emulated at ${p.emulator!.url}` : 'real endpoints'}`);
    for (const line of demos.summary) console.log(`  ${line}`);
    console.log(`maniapass example app listening on ${url}  (Ctrl-C to stop)`);

    let stopping = false;
    const stop = (signal: string): void => {
      if (stopping) return;
      stopping = true;
      console.log(`\n${signal}: stopping`);
      // If something refuses to close, do not hang forever.
      setTimeout(() => process.exit(1), 5000).unref();
      void closeAll().then(() => console.log('stopped'));
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  } catch (err) {
    await closeAll();
    throw err;
  }
}

main().catch((err: Error) => {
  console.error(`Could not start: ${err.message}`);
  process.exitCode = 1;
});
