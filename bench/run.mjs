// `npm run bench`: sign-in round trips beside a hand-written passport-oauth2 baseline, the same over an emulated
// 50 ms TLS link (cold and warm), token sources under 1000 concurrent callers, install footprint and cold require
// time. Prints the tables and writes BENCHMARKS.md.
// Runs against the built dist/ of each package (the `bench` script builds first). BENCH_QUICK=1 runs less.
import os from 'node:os';
import { writeFileSync } from 'node:fs';
import { PROVIDERS, tryLoad } from './providers.mjs';
import { benchSignIn } from './signin.mjs';
import { RTT_MS, benchNetwork, networkIntro, networkMarkdown, networkSettings, networkSummary } from './network.mjs';
import { benchClientCredentials, benchNadeoClient } from './tokens.mjs';
import { benchFootprint } from './footprint.mjs';
import { benchRequire } from './require-time.mjs';
import { closeAgent, fmt, table } from './lib.mjs';

const quick = process.env.BENCH_QUICK === '1';
const SIGN_IN = quick ? { rounds: 4, perRound: 20, warmUp: 10 } : { rounds: 10, perRound: 50, warmUp: 50 };
const REQUIRE_RUNS = quick ? 5 : 15;
const NETWORK = networkSettings(quick);

const PACKAGES = [
  { name: '@maniapass/http', dir: 'packages/http' },
  { name: '@maniapass/oauth2-core', dir: 'packages/oauth2-core' },
  ...PROVIDERS.map((p) => ({ name: p.package, dir: `packages/${p.package}` })),
  { name: 'nadeo-auth', dir: 'packages/nadeo-auth' },
  { name: '@maniapass/emulators', dir: 'packages/emulators' },
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
log(`# Benchmarks\n\n${Object.entries(info).map(([k, v]) => `${k}: ${v}`).join('\n')}`);

const ratios = [];
await section(
  'Sign-in round trip, per strategy, beside a hand-written passport-oauth2 strategy',
  [
    `Each sign-in is the browser's three requests (start route, emulator authorize with auto-approve, callback with the code exchange and the profile call), through the same Express 5 + express-session + passport app, against the same emulator, in the same process.`,
    `The baseline is the minimal passport-oauth2 subclass a developer would write (\`useAuthorizationHeaderforGET(true)\`, \`userProfile\` through \`this._oauth2.get\` and \`JSON.parse\`, \`state: true\`).`,
    `After ${SIGN_IN.warmUp} warm-up sign-ins per side, ${SIGN_IN.rounds} rounds of ${SIGN_IN.perRound} sequential sign-ins per side, the sides alternating which goes first. Ratio = collection median / baseline median (below 1: the collection is cheaper).`,
  ].join(' '),
  async () => {
    const rows = [];
    for (const provider of available) {
      const r = await benchSignIn(provider, SIGN_IN);
      ratios.push({ provider: provider.package, ratio: r.ratio });
      rows.push([provider.package, fmt.ms(r.collection.median), fmt.ms(r.baseline.median), `**${fmt.ratio(r.ratio)}**`, fmt.ms(r.collection.p90), fmt.ms(r.baseline.p90), String(r.collection.n)]);
    }
    return table(['strategy', 'median sign-in', 'baseline median', 'ratio', 'p90', 'baseline p90', 'sign-ins per side'], rows);
  },
);

let networkLine = '';
await section(`Sign-in over a ${RTT_MS} ms round trip with TLS, cold and warm, beside the hand-written passport-oauth2 strategy`, networkIntro(NETWORK), async () => {
  const result = await benchNetwork(available, NETWORK);
  networkLine = ` ${networkSummary(result)}`;
  return networkMarkdown(result);
});

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
  'Install footprint',
  '`npm pack` of each package (after the build), installed with `npm install --omit=peer --no-audit --no-fund` into an empty folder, with the core\'s tarball beside it where the package depends on it (the core is not published). Packages and bytes on disk are those of the resulting `node_modules`. passport is a peer dependency and is not counted.',
  async () => {
    const results = await benchFootprint(PACKAGES);
    const rows = results.map((r) =>
      r.error ? [r.subject, 'n/a', 'n/a', 'n/a', r.error.replace(/\|/g, '/')] : [r.subject, r.tarballBytes ? fmt.bytes(r.tarballBytes) : '-', String(r.packages), fmt.bytes(r.bytes), r.names.join(', ')],
    );
    return table(['package', 'tarball', 'packages installed', 'bytes on disk', 'top-level node_modules'], rows);
  },
);

await section(
  'Cold require',
  `Time for \`require('<package>')\` in a fresh \`node\` process (measured inside it, startup excluded), median of ${REQUIRE_RUNS} runs, the packages taken in turn each run; resolved through the workspace links to the built dist/.`,
  async () => {
    const names = ['passport-oauth2', ...PACKAGES.map((p) => p.name).filter((n) => !tryLoad(n).error)];
    const results = await benchRequire(names, REQUIRE_RUNS);
    const base = results[0].median;
    return table(
      ['package', 'median', 'min', 'vs passport-oauth2'],
      results.map((r) => [r.name, fmt.ms(r.median), fmt.ms(r.min), r.name === 'passport-oauth2' ? '-' : fmt.ratio(r.median / base)]),
    );
  },
);

closeAgent();

const summary = ratios.length
  ? `Sign-in cost relative to the hand-written passport-oauth2 baseline (median, same run): ${ratios.map((r) => `${r.provider} ${fmt.ratio(r.ratio)}`).join(', ')}.`
  : 'Sign-in ratios: not measured.';
const headline = `${summary}${networkLine}`;
log(`\n${headline}\nDone in ${((Date.now() - started) / 1000).toFixed(0)} s.`);

const markdown = [
  '# Benchmarks',
  '',
  `Written by \`npm run bench\` (bench/run.mjs); rerun it to measure your own machine. ${headline}`,
  '',
  '## Machine',
  '',
  table(['', ''], Object.entries(info).map(([k, v]) => [k, String(v)])),
  '',
  ...sections,
].join('\n');
writeFileSync(new URL('../BENCHMARKS.md', import.meta.url), markdown);
log('Wrote BENCHMARKS.md');
