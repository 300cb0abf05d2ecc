// Local binaries some suites need (chromium, redis-server): found or not, skipped or failed, started and stopped.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { chromium, type Browser } from 'playwright-core';
import { createClient } from 'redis';

/** A binary's path when installed, for suites that need chromium or redis-server. */
export function findBinary(candidates: string[]): string | undefined {
  return candidates.find((path) => existsSync(path));
}

/**
 * Whether a suite that needs `binary` runs. Missing binary: skipped with a message saying how to install it,
 * except under `CI=true`, where the suite runs and fails (CI must install it).
 */
export function needsBinary(binary: string | undefined, what: string, install: string): boolean {
  if (binary) return true;
  if (process.env.CI === 'true') return true;
  console.warn(`${what} not found: these tests are skipped. Install it with: ${install}`);
  return false;
}

/** Debian's chromium, for the browser suites. */
export const CHROMIUM = findBinary(['/usr/bin/chromium', '/usr/bin/chromium-browser']);

/**
 * Chromium's flags for a headless run here: no sandbox (root), and none of the background connections a closed
 * network refuses, many at a time.
 */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** `describe` for a suite that needs chromium (skipped without it, except under CI), as `needsBinary` says. */
export const describeBrowser = (): jest.Describe => (needsBinary(CHROMIUM, 'chromium', 'apt-get install -y chromium') ? describe : describe.skip);

/** Launches the installed chromium headless with `CHROMIUM_ARGS`. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM ?? '/usr/bin/chromium', args: CHROMIUM_ARGS, timeout: 20_000 });
}

export const REDIS_SERVER = findBinary(['/usr/bin/redis-server', '/usr/local/bin/redis-server']);

/** `describe` for a suite that needs redis-server (skipped without it, except under CI), as `needsBinary` says. */
export const describeRedis = (): jest.Describe => (needsBinary(REDIS_SERVER, 'redis-server', 'apt-get install -y redis-server') ? describe : describe.skip);

/**
 * A redis-server and a connected node-redis client for the suite it is called in: started before its tests, closed
 * after them. Returns the client's getter.
 */
export function redisClientForSuite(): () => ReturnType<typeof createClient> {
  let server: RedisServer | undefined;
  let client: ReturnType<typeof createClient> | undefined;
  beforeAll(async () => {
    server = await startRedisServer();
    client = createClient({ url: server.url });
    await client.connect();
  });
  afterAll(async () => {
    await client?.quit().catch(() => undefined);
    await server?.stop();
  });
  return () => client!;
}

/** A free TCP port on loopback. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface RedisServer {
  url: string;
  stop(): Promise<void>;
}

/** Starts a throwaway redis-server on a free loopback port (no persistence) and waits until it is ready. */
export async function startRedisServer(): Promise<RedisServer> {
  const port = await freePort();
  const child = spawn(REDIS_SERVER ?? 'redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('redis-server did not start within 10 s')), 10_000);
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Ready to accept connections')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`redis-server exited with ${code}: ${output.slice(-500)}`));
    });
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
  return {
    url: `redis://127.0.0.1:${port}`,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
