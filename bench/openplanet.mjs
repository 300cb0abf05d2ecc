// passport-openplanet's validate round trip against the Openplanet emulator, beside the hand-written `fetch` POST
// of the same form that plugin servers write today; then the cache and single flight. `node bench/openplanet.mjs`
// runs it alone (after `npm run build`); bench/run.mjs runs it as one section.
import { load } from './providers.mjs';
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
      ['passport-openplanet `check()`, cache off (each call reaches the emulator)', fmt.ms(r.strategy.median), fmt.ms(r.strategy.p90), String(r.strategy.n), `**${fmt.ratio(r.ratio)}**`],
      ['hand-written `fetch` POST of the same form, `res.json()`', fmt.ms(r.fetch.median), fmt.ms(r.fetch.p90), String(r.fetch.n), '-'],
      ['passport-openplanet `check()`, cached token', fmt.ms(r.cached.median), fmt.ms(r.cached.p90), String(r.cached.n), fmt.ratio(r.cached.median / r.fetch.median)],
      [`${r.concurrent.callers} concurrent \`check()\` of one new token`, `${fmt.ms(r.concurrent.ms)} for all`, '-', `${r.concurrent.validations} validation(s) reached the emulator`, '-'],
    ],
  );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const quick = process.env.BENCH_QUICK === '1';
  const result = await benchOpenplanet(quick ? { rounds: 4, perRound: 50, warmUp: 50 } : { rounds: 10, perRound: 100, warmUp: 200 });
  process.stdout.write(`${openplanetTable(result)}\n`);
}
