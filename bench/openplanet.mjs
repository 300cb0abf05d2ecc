// passport-openplanet's validate round trip against the Openplanet emulator, beside the hand-written `fetch` POST
// of the same form that plugin servers write today; then the cache and single flight; then N processes sharing one
// Redis (each token validated once across them, beside the in-memory default) and the cost of verifying the app's
// own session token beside the validation round trip. `node bench/openplanet.mjs` runs it alone (after
// `npm run build`); bench/run.mjs runs it as sections.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { load } from './providers.mjs';
import { startRedis } from './redis.mjs';
import { fmt, median, percentile, table } from './lib.mjs';

/** What community servers write by hand: POST the form with fetch, read the JSON, refuse on `error`. */
async function handWritten(url, token, secret) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'User-Agent': 'bench / bench@example.com' },
    body: new URLSearchParams({ token, secret }),
  });
  const json = await res.json();
  if (json.error || !json.account_id) throw new Error(`refused: ${json.error}`);
  return json.account_id;
}

async function timeEach(count, fn, into) {
  for (let i = 0; i < count; i++) {
    const started = process.hrtime.bigint();
    await fn();
    into.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
}

/**
 * Sequential validations of one token, interleaved rounds: the strategy's `check()` with the cache off (every call
 * reaches the emulator) vs the hand-written fetch; then `check()` with the cache on, and 1000 concurrent `check()`
 * calls with a fresh token (validations that reach the emulator: one is the goal).
 */
export async function benchOpenplanet({ rounds, perRound, warmUp }) {
  const { startOpenplanetEmulator } = load('@maniapass/emulators');
  const { Strategy } = load('passport-openplanet');
  const emulator = await startOpenplanetEmulator();
  try {
    const { secret, validateURL } = emulator.strategyOptions();
    const verify = async (profile) => profile;
    const uncached = new Strategy({ secret, validateURL, cache: false, userAgent: 'bench / bench@example.com' }, verify);
    const cached = new Strategy({ secret, validateURL, userAgent: 'bench / bench@example.com' }, verify);
    const token = emulator.issuePluginToken(undefined, { lifetime: 3600 });
    const viaStrategy = async () => {
      const outcome = await uncached.check(token);
      if (!outcome.profile) throw new Error(`refused: ${outcome.failure.message}`);
    };
    const viaFetch = () => handWritten(validateURL, token, secret);

    await timeEach(warmUp, viaStrategy, []);
    await timeEach(warmUp, viaFetch, []);
    const a = [];
    const b = [];
    for (let r = 0; r < rounds; r++) {
      // Alternate which side goes first, so that neither always runs on a warmer process.
      if (r % 2 === 0) {
        await timeEach(perRound, viaStrategy, a);
        await timeEach(perRound, viaFetch, b);
      } else {
        await timeEach(perRound, viaFetch, b);
        await timeEach(perRound, viaStrategy, a);
      }
    }
    const hits = [];
    await cached.check(token);
    await timeEach(rounds * perRound, () => cached.check(token), hits);

    const fresh = emulator.issuePluginToken(undefined, { lifetime: 3600 });
    const before = emulator.requestsTo('validate').length;
    const started = process.hrtime.bigint();
    const answers = await Promise.all(Array.from({ length: 1000 }, () => cached.check(fresh)));
    const concurrentMs = Number(process.hrtime.bigint() - started) / 1e6;
    const validations = emulator.requestsTo('validate').length - before;
    if (answers.some((o) => !o.profile)) throw new Error('a concurrent check was refused');

    return {
      strategy: { median: median(a), p90: percentile(a, 90), n: a.length },
      fetch: { median: median(b), p90: percentile(b, 90), n: b.length },
      ratio: median(a) / median(b),
      cached: { median: median(hits), p90: percentile(hits, 90), n: hits.length },
      concurrent: { callers: 1000, validations, ms: concurrentMs },
    };
  } finally {
    await emulator.close();
  }
}

/** The section's Markdown table. */
export function openplanetTable(r) {
  return table(
    ['validation', 'median', 'p90', 'calls', 'vs hand-written fetch'],
    [
      [
        'passport-openplanet `check()`, cache off (each call reaches the emulator)',
        fmt.ms(r.strategy.median),
        fmt.ms(r.strategy.p90),
        String(r.strategy.n),
        `**${fmt.ratio(r.ratio)}**`,
      ],
      ['hand-written `fetch` POST of the same form, `res.json()`', fmt.ms(r.fetch.median), fmt.ms(r.fetch.p90), String(r.fetch.n), '-'],
      [
        'passport-openplanet `check()`, cached token',
        fmt.ms(r.cached.median),
        fmt.ms(r.cached.p90),
        String(r.cached.n),
        fmt.ratio(r.cached.median / r.fetch.median),
      ],
      [
        `${r.concurrent.callers} concurrent \`check()\` of one new token`,
        `${fmt.ms(r.concurrent.ms)} for all`,
        '-',
        `${r.concurrent.validations} validation(s) reached the emulator`,
        '-',
      ],
    ],
  );
}

/** One process of the multi-process run: checks every token at once, on a shared Redis or on its own memory. */
async function worker() {
  const { Strategy } = load('passport-openplanet');
  const { RedisStore } = load('@maniapass/redis-store');
  const { createClient } = load('redis');
  const { validateURL, secret, redisURL, tokens, startAt } = JSON.parse(process.env.OPENPLANET_BENCH_WORKER);
  let client;
  const options = { secret, validateURL, userAgent: 'bench / bench@example.com', holdOff: 0, maxConcurrent: 1000 };
  if (redisURL) {
    client = createClient({ url: redisURL });
    await client.connect();
    options.store = new RedisStore(client);
  }
  const strategy = new Strategy(options, async (profile) => profile);
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, startAt - Date.now())));
  const started = performance.now();
  const answers = await Promise.allSettled(tokens.map((token) => strategy.check(token)));
  const ms = performance.now() - started;
  await client?.quit();
  const valid = answers.filter((a) => a.status === 'fulfilled' && a.value.profile).length;
  process.stdout.write(JSON.stringify({ valid, ms }));
}

function runWorker(config) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [fileURLToPath(import.meta.url)], {
      env: { ...process.env, OPENPLANET_BENCH_WORKER: JSON.stringify(config) },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.once('exit', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`worker exited with ${code}`))));
  });
}

/**
 * N processes check the same tokens at the same moment (each token by every process), with the emulator answering
 * after 20 ms: on one Redis (`store: RedisStore`), then each on its own memory (the default). Counts the
 * validations that reach the emulator: one per token is the goal with Redis; N per token is what memory gives.
 */
export async function benchOpenplanetProcesses({ processes, tokens: count }) {
  const { startOpenplanetEmulator } = load('@maniapass/emulators');
  const emulator = await startOpenplanetEmulator();
  const redis = await startRedis();
  try {
    const { secret, validateURL } = emulator.strategyOptions();
    emulator.fault('validate', { type: 'delay', ms: 20 });
    const rows = [];
    for (const shared of [true, false]) {
      const tokens = Array.from({ length: count }, () => emulator.issuePluginToken(undefined, { lifetime: 3600 }));
      const before = emulator.requestsTo('validate').length;
      const startAt = Date.now() + 1500;
      const results = await Promise.all(
        Array.from({ length: processes }, () => runWorker({ validateURL, secret, tokens, startAt, ...(shared ? { redisURL: redis.url } : {}) })),
      );
      const validations = emulator.requestsTo('validate').length - before;
      rows.push({
        store: shared ? 'one Redis (RedisStore)' : 'memory, per process (default)',
        processes,
        tokens: count,
        checks: processes * count,
        valid: results.reduce((n, r) => n + r.valid, 0),
        validations,
        ms: Math.max(...results.map((r) => r.ms)),
      });
    }
    return rows;
  } finally {
    await redis.stop();
    await emulator.close();
  }
}

/** The multi-process section's Markdown table. */
export function processesTable(rows) {
  return table(
    [
      'store',
      'processes',
      'tokens',
      'checks (every process, every token, at once)',
      'valid answers',
      'validations reaching Openplanet',
      'per token',
      'slowest process',
    ],
    rows.map((r) => [
      r.store,
      String(r.processes),
      String(r.tokens),
      String(r.checks),
      String(r.valid),
      String(r.validations),
      `**${(r.validations / r.tokens).toFixed(2)}**`,
      fmt.ms(r.ms),
    ]),
  );
}

/**
 * The app's own session token beside the validation it replaces: sequential `sessions.verify()` of a JWT (memory
 * store, then Redis for the revocation reads), `issue()`, and the uncached validation round trip (what a plugin
 * call would cost if every call carried an Openplanet token) to an emulator on loopback (the least a validation
 * can cost) and to one that answers after 20 ms (Openplanet is across the internet), interleaved in rounds.
 */
export async function benchPluginSessions({ rounds, perRound, warmUp }) {
  const { startOpenplanetEmulator } = load('@maniapass/emulators');
  const { PluginSessions, Strategy } = load('passport-openplanet');
  const { RedisStore } = load('@maniapass/redis-store');
  const { createClient } = load('redis');
  const emulator = await startOpenplanetEmulator();
  const distant = await startOpenplanetEmulator();
  distant.fault('validate', { type: 'delay', ms: 20 });
  const redis = await startRedis();
  const client = createClient({ url: redis.url });
  await client.connect();
  try {
    const options = { audience: 'bench', issuer: 'https://bench.example', keys: [{ id: 'k1', secret: 'k'.repeat(32) }] };
    const inMemory = new PluginSessions(options);
    const onRedis = new PluginSessions({ ...options, store: new RedisStore(client) });
    const uncached = new Strategy({ ...emulator.strategyOptions(), cache: false, userAgent: 'bench / bench@example.com' }, async (p) => p);
    const pluginToken = emulator.issuePluginToken(undefined, { lifetime: 3600 });
    const uncachedDistant = new Strategy({ ...distant.strategyOptions(), cache: false, userAgent: 'bench / bench@example.com' }, async (p) => p);
    const distantToken = distant.issuePluginToken(undefined, { lifetime: 3600 });
    const player = { id: emulator.users[0].accountId, displayName: emulator.users[0].displayName };
    const { token } = await inMemory.issue(player);
    const sides = {
      'validation round trip (`check()`, cache off), emulator on loopback': async () => {
        if (!(await uncached.check(pluginToken)).profile) throw new Error('refused');
      },
      'validation round trip, emulator answering after 20 ms': async () => {
        if (!(await uncachedDistant.check(distantToken)).profile) throw new Error('refused');
      },
      '`sessions.verify()` of the app token, memory store': () => inMemory.verify(token),
      '`sessions.verify()` of the app token, Redis store': () => onRedis.verify(token),
      '`sessions.issue()` (JWT, HS256)': () => inMemory.issue(player),
    };
    const times = Object.fromEntries(Object.keys(sides).map((name) => [name, []]));
    // The 20 ms side runs a tenth as many calls: its time is the delay, not its count.
    const count = (name, n) => (name.includes('20 ms') ? Math.max(5, Math.round(n / 10)) : n);
    for (const [name, fn] of Object.entries(sides)) await timeEach(count(name, warmUp), fn, []);
    for (let r = 0; r < rounds; r++) {
      const order = Object.entries(sides);
      if (r % 2) order.reverse();
      for (const [name, fn] of order) await timeEach(count(name, perRound), fn, times[name]);
    }
    const loopback = median(times['validation round trip (`check()`, cache off), emulator on loopback']);
    const away = median(times['validation round trip, emulator answering after 20 ms']);
    return Object.entries(times).map(([name, values]) => ({
      name,
      median: median(values),
      p90: percentile(values, 90),
      n: values.length,
      vsLoopback: median(values) / loopback,
      vsAway: median(values) / away,
    }));
  } finally {
    await client.quit();
    await redis.stop();
    await emulator.close();
    await distant.close();
  }
}

/** The session section's Markdown table. */
export function sessionsTable(rows) {
  return table(
    ['call', 'median', 'p90', 'calls', 'vs validation on loopback', 'vs validation 20 ms away'],
    rows.map((r) => [
      r.name,
      fmt.ms(r.median),
      fmt.ms(r.p90),
      String(r.n),
      fmt.ratio(r.vsLoopback),
      r.name.startsWith('`sessions') ? `**${(r.vsAway * 100).toFixed(1)}%**` : fmt.ratio(r.vsAway),
    ]),
  );
}

if (process.env.OPENPLANET_BENCH_WORKER) {
  await worker();
} else if (import.meta.url === `file://${process.argv[1]}`) {
  const quick = process.env.BENCH_QUICK === '1';
  const result = await benchOpenplanet(quick ? { rounds: 4, perRound: 50, warmUp: 50 } : { rounds: 10, perRound: 100, warmUp: 200 });
  process.stdout.write(`${openplanetTable(result)}\n\n`);
  process.stdout.write(`${processesTable(await benchOpenplanetProcesses(quick ? { processes: 3, tokens: 100 } : { processes: 4, tokens: 300 }))}\n\n`);
  process.stdout.write(
    `${sessionsTable(await benchPluginSessions(quick ? { rounds: 4, perRound: 50, warmUp: 50 } : { rounds: 10, perRound: 100, warmUp: 200 }))}\n`,
  );
}
