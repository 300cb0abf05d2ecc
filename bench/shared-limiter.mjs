// N processes sharing one nadeo-auth limiter (`shared: RedisStore`) beside the in-memory default: each process
// keeps several requests in flight for a few seconds against the Nadeo emulator, and the emulator's arrivals are
// counted. Shared, the processes together must never exceed the configured rate (1000 / minInterval a second) and
// must reach at least 90 % of it; in memory, each process keeps the rate alone, so together they send N times it.
// Run as `node bench/shared-limiter.mjs child` it is one of those processes (started by the benchmark).
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { load } from './providers.mjs';
import { startRedis } from './redis.mjs';
import { fmt, table } from './lib.mjs';

const MIN_INTERVAL = 50; // 20 requests a second for the account
const IN_FLIGHT = 4;

if (process.argv[2] === 'child') await child();

/** One process of the account: IN_FLIGHT requests at a time until the deadline, then `done <count> <errors>`. */
async function child() {
  const { NadeoClient } = load('nadeo-auth');
  const { RedisStore } = load('@maniapass/redis-store');
  const { DEFAULT_SERVICE_ACCOUNT } = load('@maniapass/emulators');
  const settings = JSON.parse(process.env.LIMITER_BENCH);
  let redis;
  if (settings.redisURL) {
    redis = load('redis').createClient({ url: settings.redisURL });
    await redis.connect();
  }
  const client = new NadeoClient({
    ...settings.urls,
    account: { login: DEFAULT_SERVICE_ACCOUNT.login, password: DEFAULT_SERVICE_ACCOUNT.password },
    userAgent: 'maniapass benchmark',
    minInterval: MIN_INTERVAL,
    maxQueueWait: 60_000,
    ...(redis ? { shared: new RedisStore(redis, { keyPrefix: settings.prefix }) } : {}),
  });
  await client.token('live');
  process.stdout.write('ready\n');
  await new Promise((resolve) => process.stdin.once('data', resolve));
  const end = Date.now() + settings.durationMs;
  let done = 0;
  let errors = 0;
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (Date.now() < end) {
        try {
          await client.get(settings.mapURL);
          done += 1;
        } catch {
          errors += 1;
        }
      }
    }),
  );
  process.stdout.write(`done ${done} ${errors}\n`);
  await redis?.close();
  process.exit(0);
}

function startChild(settings) {
  const proc = spawn(process.execPath, [fileURLToPath(import.meta.url), 'child'], {
    env: { ...process.env, LIMITER_BENCH: JSON.stringify(settings) },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  let out = '';
  const ready = new Promise((resolve, reject) => {
    proc.stdout.on('data', (chunk) => {
      out += chunk;
      if (out.includes('ready\n')) resolve();
    });
    proc.once('exit', (code) => reject(new Error(`a benchmark process exited with ${code}`)));
  });
  const finished = new Promise((resolve) =>
    proc.once('exit', () => {
      const match = /done (\d+) (\d+)/.exec(out);
      resolve({ done: Number(match?.[1] ?? 0), errors: Number(match?.[2] ?? 0) });
    }),
  );
  return { proc, ready, finished };
}

/** Runs `processes` clients for `durationMs`: the emulator's arrivals, sampled every 10 ms. */
async function run(emulator, { processes, durationMs, redisURL, prefix }) {
  const urls = emulator.clientOptions();
  const settings = { urls, mapURL: `${urls.liveURL}/api/token/map/olsKnq_qAghcVAnEkoeUnVHFZei`, durationMs, redisURL, prefix };
  const children = Array.from({ length: processes }, () => startChild(settings));
  await Promise.all(children.map((c) => c.ready));
  emulator.clearRequests();
  const samples = [];
  const started = performance.now();
  const sampler = setInterval(() => samples.push([performance.now() - started, emulator.requestsTo('map').length]), 10);
  for (const c of children) c.proc.stdin.write('go\n');
  const results = await Promise.all(children.map((c) => c.finished));
  clearInterval(sampler);
  samples.push([performance.now() - started, emulator.requestsTo('map').length]);
  // The steady part: from the first arrival to the last, without the first and last half second.
  const count = (t) => {
    let last = 0;
    for (const [at, n] of samples) {
      if (at > t) break;
      last = n;
    }
    return last;
  };
  let maxPerSecond = 0;
  for (let t = 0; t + 1000 <= durationMs; t += 10) maxPerSecond = Math.max(maxPerSecond, count(t + 1000) - count(t));
  const steady = (count(durationMs - 500) - count(500)) / ((durationMs - 1000) / 1000);
  return { processes, total: emulator.requestsTo('map').length, steady, maxPerSecond, errors: results.reduce((s, r) => s + r.errors, 0) };
}

/** The benchmark: shared on Redis, and the in-memory default, with `processes` processes each. */
export async function benchSharedLimiter({ processes = 4, durationMs = 6000 } = {}) {
  const { startNadeoEmulator } = load('@maniapass/emulators');
  const emulator = await startNadeoEmulator();
  const redis = await startRedis();
  try {
    const shared = await run(emulator, { processes, durationMs, redisURL: redis.url, prefix: `bench${Date.now()}:` });
    const memory = await run(emulator, { processes, durationMs });
    return { rate: 1000 / MIN_INTERVAL, durationMs, shared, memory };
  } finally {
    await redis.stop();
    await emulator.close();
  }
}

/** The Markdown table of `benchSharedLimiter()`. */
export function sharedLimiterTable(r) {
  const row = (label, x) => [
    label,
    String(x.processes),
    `${r.rate}/s`,
    `${x.steady.toFixed(1)}/s (${((x.steady / r.rate) * 100).toFixed(0)} %)`,
    `${x.maxPerSecond}`,
    String(x.errors),
  ];
  const verdict =
    r.shared.maxPerSecond <= r.rate + 1 && r.shared.steady >= 0.9 * r.rate
      ? `Shared: never above the configured rate (at most ${r.shared.maxPerSecond} in any second, the rate plus the turn that starts the window), ${fmt.ratio(r.shared.steady / r.rate).replace('x', '')} of it reached under load.`
      : `Shared: OUT OF BOUNDS (max ${r.shared.maxPerSecond} in a second, steady ${r.shared.steady.toFixed(1)}/s for a rate of ${r.rate}/s).`;
  return `${table(['limiter', 'processes', 'configured rate', 'steady rate reached', 'most in any 1 s window', 'errors'], [row('shared (RedisStore)', r.shared), row('in memory (default)', r.memory)])}\n\n${verdict}`;
}

if (process.argv[1] === fileURLToPath(import.meta.url) && process.argv[2] !== 'child') {
  const result = await benchSharedLimiter({ durationMs: process.env.BENCH_QUICK === '1' ? 4000 : 6000 });
  process.stdout.write(`${sharedLimiterTable(result)}\n`);
}
