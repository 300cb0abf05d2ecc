// Starts the example app: reads the environment, starts the emulators of the providers that have no real
// credentials (or uses those of EMULATORS_URL), connects Redis, listens, and on SIGTERM or SIGINT drains the
// requests in flight before it closes Redis and the emulators.
import type { AddressInfo } from 'node:net';
import { redact } from '@maniapass/http';
import { createApp } from './app';
import { ConfigError, loadConfig } from './config';
import { startDemos } from './demos';
import { emulatorURL } from './emulator-urls';
import { reachable, readinessOf, type ReadinessCheck } from './health';
import { createMetrics } from './metrics';
import { startOpenplanetDemo } from './openplanet';
import { startProviders } from './providers';
import { connectRedis } from './redis';
import { drainable } from './shutdown';

export interface RunningApp {
  /** The URL to print: `BASE_URL`, or the real address when `PORT=0`. */
  url: string;
  /** The longest `close()` should take: the drain's bound and some seconds to close the rest. */
  closeBoundMs: number;
  /**
   * Stops accepting, lets the requests in flight finish (at most LOGIN_TIMEOUT_SECONDS), then closes every
   * connection, Redis and the emulators.
   */
  close(): Promise<void>;
}

type Log = Pick<Console, 'log' | 'warn' | 'error'>;

/** Everything `npm start` runs, without the signal handling: tests start it with their own environment. */
export async function startServer(env: Record<string, string | undefined> = process.env, log: Log = console): Promise<RunningApp> {
  const config = loadConfig(env);
  for (const warning of config.warnings) log.warn(`warning: ${warning}`);
  // No log line carries a secret the app knows, whatever an error says (a Redis URL's password, client secrets).
  const secrets = [
    config.sessionSecret,
    config.redisURL ? decodeURIComponent(new URL(config.redisURL).password) : undefined,
    ...Object.values(config.credentials).flatMap((c) => [c?.clientSecret, c?.apiKey]),
    config.nadeo?.password,
    config.openplanet?.secret,
  ].filter((s): s is string => typeof s === 'string' && s.length > 0);
  const logLine = (line: string): void => log.error(redact(line, secrets));

  const closers: Array<() => Promise<void>> = [];
  const closeAll = async (): Promise<void> => {
    for (const close of closers.splice(0).reverse()) await close().catch((err: Error) => logLine(`WARN app while stopping: ${err.message}`));
  };
  try {
    const metrics = createMetrics();
    closers.push(async () => metrics.close());
    const { providers, close: closeProviders } = await startProviders(config);
    closers.push(closeProviders);
    const redis = config.redisURL ? await connectRedis(config.redisURL, { timeoutMs: config.redisTimeoutMs, log: logLine }) : undefined;
    if (redis) closers.push(redis.close);
    const demos = await startDemos(config, providers, redis?.shared);
    closers.push(demos.close);
    const openplanet = await startOpenplanetDemo(config, {
      log: logLine,
      ...(redis ? { store: redis.shared, rateLimitStore: redis.rateLimitStore('openplanet') } : {}),
      ...(config.emulatorsURL ? { emulatorURL: emulatorURL(config.emulatorsURL, 'openplanet') } : {}),
    });
    closers.push(openplanet.close);

    const checks: ReadinessCheck[] = [];
    if (redis) checks.push({ name: 'redis', check: redis.ping });
    for (const p of providers) {
      const url = p.emulatorURL ?? p.strategy.userProfileURL;
      checks.push(reachable(p.entry.name, url, Math.min(2000, config.redisTimeoutMs * 2)));
    }
    let shutdown: ReturnType<typeof drainable> | undefined;
    const app = createApp({
      providers,
      sessionSecret: config.sessionSecret,
      trustProxy: config.trustProxy,
      demos: demos.demos,
      limits: config.limits,
      log: logLine,
      openplanet,
      health: { readiness: readinessOf(checks), draining: () => shutdown?.draining ?? false },
      metrics: metrics.handler,
      ...(redis ? { store: redis.sessions, rateLimitStore: redis.rateLimitStore } : {}),
    });
    const server = app.listen(config.port, config.host);
    shutdown = drainable(server);
    await new Promise<void>((resolve, reject) => {
      server.once('listening', resolve);
      server.once('error', reject);
    });
    const drain = shutdown;
    // Closed first when stopping (closers run in reverse): the requests in flight still have Redis and the emulators.
    closers.push(async () => {
      const outcome = await drain.drain(config.loginTimeoutMs);
      if (outcome === 'timed out') logLine(`WARN app shutdown: requests still in flight after ${config.loginTimeoutMs / 1000} s were cut`);
    });

    const port = (server.address() as AddressInfo).port;
    const url = config.port === 0 ? `http://${config.host}:${port}/` : `${config.baseURL}/`;
    for (const p of providers) log.log(`  ${p.entry.label.padEnd(12)} ${p.emulated ? `emulated at ${p.emulatorURL}` : 'real endpoints'}`);
    for (const line of demos.summary) log.log(`  ${line}`);
    log.log(`  ${openplanet.summary}`);
    log.log(`  ${'Sessions'.padEnd(12)} ${config.redisURL ? 'Redis' : 'memory'}`);
    log.log(`maniapass example app listening on ${url}  (Ctrl-C to stop)`);
    return { url, closeBoundMs: config.loginTimeoutMs + 10_000, close: closeAll };
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
    console.log(`\n${signal}: stopping (requests in flight may finish)`);
    // If something refuses to close, do not hang forever.
    setTimeout(() => process.exit(1), running.closeBoundMs).unref();
    void running.close().then(() => console.log('stopped'));
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

if (require.main === module) void main();
