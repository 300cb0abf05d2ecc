// `npm run bench`: sign-in cost beside a hand-written passport-oauth2 baseline on loopback, the same sign-ins over
// an emulated 50 ms TLS link (cold and warm), token sources under 1000 concurrent callers, install footprint and
// cold require time, all in one run. Prints the tables and writes BENCHMARKS.md.
// Runs against the built dist/ of each package (the `bench` script builds first). BENCH_QUICK=1 runs less.
import os from 'node:os';
import { writeFileSync } from 'node:fs';
import { PROVIDERS, tryLoad } from './providers.mjs';
import { benchSignIn } from './signin.mjs';
import { RTT_MS, benchNetwork, networkIntro, networkMarkdown, networkSettings, networkSummary } from './network.mjs';
import { benchClientCredentials, benchNadeoClient } from './tokens.mjs';
import { benchFootprint } from './footprint.mjs';
import { rmSync } from 'node:fs';
import { benchRequire, installForRequire, pairedCpuRatio, pairedRatio } from './require-time.mjs';
import { benchOpenplanet, benchOpenplanetProcesses, benchPluginSessions, openplanetTable, processesTable, sessionsTable } from './openplanet.mjs';
import { benchSharedLimiter, sharedLimiterTable } from './shared-limiter.mjs';
import { benchNadeoApi, nadeoApiTable } from './nadeo-api.mjs';
import { closeAgent, fmt, median, table } from './lib.mjs';

const quick = process.env.BENCH_QUICK === '1';
const SIGN_IN = quick ? { signIns: 100, warmUp: 20 } : { signIns: 1000, warmUp: 100 };
const REQUIRE_RUNS = quick ? 7 : 31;
const NETWORK = networkSettings(quick);
const OPENPLANET = quick ? { rounds: 4, perRound: 50, warmUp: 50 } : { rounds: 10, perRound: 100, warmUp: 200 };
const OPENPLANET_PROCESSES = quick ? { processes: 3, tokens: 100 } : { processes: 4, tokens: 300 };

const PACKAGES = [
  { name: '@maniapass/http', dir: 'packages/http' },
  { name: '@maniapass/oauth2-core', dir: 'packages/oauth2-core' },
  ...PROVIDERS.map((p) => ({ name: p.package, dir: `packages/${p.package}` })),
  { name: 'passport-openplanet', dir: 'packages/passport-openplanet' },
  { name: 'nadeo-auth', dir: 'packages/nadeo-auth' },
  { name: 'nadeo-api', dir: 'packages/nadeo-api' },
  { name: '@maniapass/emulators', dir: 'packages/emulators' },
  { name: '@maniapass/providers', dir: 'packages/providers' },
  { name: '@maniapass/client', dir: 'packages/client' },
  { name: '@maniapass/authjs', dir: 'packages/authjs' },
  { name: '@maniapass/better-auth', dir: 'packages/better-auth' },
  { name: '@maniapass/redis-store', dir: 'packages/redis-store' },
];

const log = (text) => process.stdout.write(`${text}\n`);
const sections = [];
const started = Date.now();

function machine() {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model?.trim() ?? 'unknown',
    cores: cpus.length,
    memory: `${(os.totalmem() / 1024 ** 3).toFixed(1)} GB`,
    node: process.version,
    os: `${os.type()} ${os.release()} (${process.arch})`,
    date: new Date().toISOString(),
  };
}

async function section(title, intro, fn) {
  log(`\n## ${title}\n`);
  let body;
  try {
    body = await fn();
  } catch (err) {
    body = `Not measured: ${err.message}`;
  }
  log(body);
  sections.push(`## ${title}\n\n${intro}\n\n${body}\n`);
}

const available = PROVIDERS.filter((p) => {
  const loaded = tryLoad(p.package);
  if (loaded.error) log(`${p.package}: not built (${loaded.error.message.split('\n')[0]}), left out`);
  return !loaded.error;
});

const info = machine();
log(
  `# Benchmarks\n\n${Object.entries(info)
    .map(([k, v]) => `${k}: ${v}`)
    .join('\n')}`,
);

const ratios = [];
await section(
  'Sign-in on loopback, per strategy, beside a hand-written passport-oauth2 strategy',
  [
    `Each sign-in is the browser's three requests (start route, emulator authorize with auto-approve, callback with the code exchange and the profile call), through the same Express 5 + express-session + passport app, against the same emulator, in the same process.`,
    `The baseline is the minimal passport-oauth2 subclass a developer would write (\`useAuthorizationHeaderforGET(true)\`, \`userProfile\` through \`this._oauth2.get\` and \`JSON.parse\`, \`state: true\`).`,
    `After ${SIGN_IN.warmUp} warm-up sign-ins per side, ${SIGN_IN.signIns} sign-ins per side, the two sides taking turns sign-in by sign-in (A B, B A, ...). CPU: the process's user + system time during the sign-in (the driver, the app and the emulator all run in this process), the steadier measure on a shared machine; wall: its duration. Ratio: the median over the pairs of sign-ins (one per side, back to back) of the collection's CPU time divided by the baseline's (below 1: the collection is cheaper); the wall ratio likewise.`,
  ].join(' '),
  async () => {
    const rows = [];
    for (const provider of available) {
      const r = await benchSignIn(provider, SIGN_IN);
      ratios.push({ provider: provider.package, ratio: r.ratio });
      rows.push([
        provider.package,
        fmt.ms(r.collection.cpu),
        fmt.ms(r.baseline.cpu),
        `**${fmt.ratio(r.ratio)}**`,
        fmt.ms(r.collection.median),
        fmt.ms(r.baseline.median),
        fmt.ratio(r.wallRatio),
        `${fmt.ms(r.collection.p90)} / ${fmt.ms(r.baseline.p90)}`,
        String(r.collection.n),
      ]);
    }
    return table(
      [
        'strategy',
        'CPU per sign-in',
        'baseline CPU',
        'ratio (CPU)',
        'wall',
        'baseline wall',
        'ratio (wall)',
        'wall p90 (collection / baseline)',
        'sign-ins per side',
      ],
      rows,
    );
  },
);

let networkLine = '';
await section(
  `Sign-in over a ${RTT_MS} ms round trip with TLS, cold and warm, beside the hand-written passport-oauth2 strategy`,
  networkIntro(NETWORK),
  async () => {
    const result = await benchNetwork(available, NETWORK);
    networkLine = ` ${networkSummary(result)}`;
    return networkMarkdown(result);
  },
);

await section(
  'Token sources under 1000 concurrent callers',
  'Every caller asks at once, with nothing cached; one token request is the goal. Time: until every caller has its token.',
  async () => {
    const rows = [];
    for (const provider of available) {
      const r = await benchClientCredentials(provider);
      rows.push([r.subject, String(r.callers), String(r.requests), String(r.distinctTokens), fmt.ms(r.ms)]);
    }
    if (!tryLoad('nadeo-auth').error) {
      const r = await benchNadeoClient();
      rows.push([r.subject, String(r.callers), String(r.requests), String(r.distinctTokens), fmt.ms(r.ms)]);
    }
    return table(['source', 'callers', 'token requests', 'distinct tokens', 'time to serve all'], rows);
  },
);

await section(
  'nadeo-auth: N processes sharing one limiter, beside the in-memory default',
  [
    `4 processes of one account, each a \`NadeoClient\` with \`minInterval: 50\` (20 requests a second) keeping 4 requests in flight for ${quick ? 4 : 6} s against the Nadeo emulator, first with \`shared: new RedisStore(redis)\` (a redis-server started for the run), then with the in-memory default.`,
    'The emulator counts the arrivals (sampled every 10 ms). Steady rate: the arrivals between the first and the last half second; most in any 1 s window: the largest count in a sliding window of one second (a window that starts on a turn holds one more than the rate).',
    'Goal: shared, never above the configured rate and at least 90 % of it.',
  ].join(' '),
  async () => {
    if (tryLoad('nadeo-auth').error) throw new Error('nadeo-auth is not built');
    return sharedLimiterTable(await benchSharedLimiter({ processes: 4, durationMs: quick ? 4000 : 6000 }));
  },
);

await section(
  'Openplanet token validation, beside a hand-written fetch POST',
  [
    `passport-openplanet's \`check()\` (the validation behind every request the strategy authenticates) against the Openplanet emulator, beside the \`fetch\` POST of the same form with \`res.json()\` that plugin servers write by hand, same emulator, same process.`,
    `After ${OPENPLANET.warmUp} warm-up calls per side, ${OPENPLANET.rounds} rounds of ${OPENPLANET.perRound} sequential calls per side, the sides alternating which goes first; the strategy with its cache off, so that each call reaches the emulator. Then the same token from the cache, and 1000 concurrent calls with one new token (single flight).`,
  ].join(' '),
  async () => {
    if (tryLoad('passport-openplanet').error) throw new Error('passport-openplanet is not built');
    return openplanetTable(await benchOpenplanet(OPENPLANET));
  },
);

await section(
  'Openplanet validations across processes',
  `${OPENPLANET_PROCESSES.processes} processes, each checking the same ${OPENPLANET_PROCESSES.tokens} new plugin tokens at the same moment (every process every token), the emulator answering after 20 ms: passport-openplanet on one Redis (\`store: new RedisStore(redis)\`), then on each process's memory (the default), in one run. The validations that reach the emulator per token: 1 is the goal with a shared store.`,
  async () => processesTable(await benchOpenplanetProcesses(OPENPLANET_PROCESSES)),
);

await section(
  "Plugin sessions: verifying the app's own token beside the validation",
  `Sequential calls, ${OPENPLANET.rounds} interleaved rounds: \`PluginSessions.verify()\` of the app's JWT (HS256; the revocation reads in memory, then in Redis on loopback) and \`issue()\`, beside the uncached validation round trip to the Openplanet emulator on loopback (the least a validation can cost) and to one answering after 20 ms (Openplanet is across the internet).`,
  async () => sessionsTable(await benchPluginSessions(OPENPLANET)),
);

await section(
  'nadeo-api: requests for lookups of many ids',
  `nadeo-api's batching (the documented limits: 100 map UIDs, 50 display names a request), coalescing of concurrent lookups and caches, against the Nadeo emulator (display names: the Trackmania emulator), with no spacing between requests (\`minInterval: 0\`): the figures are the requests that reach the emulator, whatever Nadeo's pace. Tokens are got before, and not counted.`,
  async () => {
    if (tryLoad('nadeo-api').error) throw new Error('nadeo-api is not built');
    return nadeoApiTable(await benchNadeoApi());
  },
);

await section(
  'Install footprint',
  "`npm pack` of each package (after the build), installed with `npm install --omit=peer --no-audit --no-fund` into an empty folder, with the tarballs of the collection's packages it depends on beside it (the HTTP layer, the core: not published yet). Packages and bytes on disk are those of the resulting `node_modules`. passport is a peer dependency and is not counted; nadeo-auth installs no passport package at all.",
  async () => {
    const results = await benchFootprint(PACKAGES);
    const rows = results.map((r) =>
      r.error
        ? [r.subject, 'n/a', 'n/a', 'n/a', r.error.replace(/\|/g, '/')]
        : [r.subject, r.tarballBytes ? fmt.bytes(r.tarballBytes) : '-', String(r.packages), fmt.bytes(r.bytes), r.names.join(', ')],
    );
    return table(['package', 'tarball', 'packages installed', 'bytes on disk', 'top-level node_modules'], rows);
  },
);

const requireRatios = [];
await section(
  'Cold require',
  `Time for \`require('<package>')\` in a fresh \`node\` process (measured inside it, startup excluded), median of ${REQUIRE_RUNS} runs; each package's require is taken right beside one of passport-oauth2 in the same folder (before or after it, in turn), every package in both folders in turn each run. Each is timed as wall time and as the process's CPU time (user and system): CPU time leaves out the moments the process waited for a CPU another process held, so its ratio moves much less from run to run on a shared machine. A ratio is the median over the runs of the package's time divided by the passport-oauth2 time taken beside it (moments apart, so that a slow phase of the machine divides out); passport-oauth2's own line is the median of all those. Installed: every package's \`npm pack\` tarball installed together into an empty folder with \`npm install\` (passport-oauth2 comes from the registry), as in an application: the figure a user's process pays. Workspace links: the same built packages through this repository's node_modules, where each package of the collection is a symbolic link (resolving it costs every file a path lookup an install does not have; passport-oauth2 is installed, not linked).`,
  async () => {
    const names = PACKAGES.map((p) => p.name).filter((n) => !tryLoad(n).error);
    const dir = await installForRequire();
    let results;
    try {
      const linkedDir = new URL('..', import.meta.url).pathname;
      results = await benchRequire([...names.map((name) => ({ name, cwd: dir })), ...names.map((name) => ({ name, cwd: linkedDir }))], REQUIRE_RUNS);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const [installed, linked] = [results.slice(0, names.length), results.slice(names.length)];
    const baseOf = (rows) => ({ median: median(rows.flatMap((r) => r.baseSamples)), cpuMedian: median(rows.flatMap((r) => r.baseCpu)) });
    const [base, linkedBase] = [baseOf(installed), baseOf(linked)];
    for (const r of installed) requireRatios.push({ name: r.name, ratio: pairedRatio(r), cpuRatio: pairedCpuRatio(r) });
    return table(
      ['package', 'installed: wall', 'vs passport-oauth2', 'installed: CPU', 'vs passport-oauth2 (CPU)', 'workspace links: wall', 'vs passport-oauth2'],
      [
        ['passport-oauth2', fmt.ms(base.median), '-', fmt.ms(base.cpuMedian), '-', fmt.ms(linkedBase.median), '-'],
        ...installed.map((r, i) => [
          r.name,
          fmt.ms(r.median),
          `**${fmt.ratio(pairedRatio(r))}**`,
          fmt.ms(r.cpuMedian),
          `**${fmt.ratio(pairedCpuRatio(r))}**`,
          fmt.ms(linked[i].median),
          fmt.ratio(pairedRatio(linked[i])),
        ]),
      ],
    );
  },
);

closeAgent();

const summary = ratios.length
  ? `Sign-in CPU relative to the hand-written passport-oauth2 baseline on loopback (median of back-to-back pairs, same run): ${ratios.map((r) => `${r.provider} ${fmt.ratio(r.ratio)}`).join(', ')}.`
  : 'Sign-in ratios: not measured.';
const requireLine = requireRatios.length
  ? ` Cold require of an installed package relative to passport-oauth2 alone (wall time / CPU time): ${requireRatios.map((r) => `${r.name} ${fmt.ratio(r.ratio)} / ${fmt.ratio(r.cpuRatio)}`).join(', ')}.`
  : '';
const headline = `${summary}${networkLine}${requireLine}`;
log(`\n${headline}\nDone in ${((Date.now() - started) / 1000).toFixed(0)} s.`);

const markdown = [
  '# Benchmarks',
  '',
  `Written by \`npm run bench\` (bench/run.mjs); rerun it to measure your own machine. ${headline}`,
  '',
  '## Machine',
  '',
  table(
    ['', ''],
    Object.entries(info).map(([k, v]) => [k, String(v)]),
  ),
  '',
  ...sections,
].join('\n');
writeFileSync(new URL('../BENCHMARKS.md', import.meta.url), markdown);
log('Wrote BENCHMARKS.md');
