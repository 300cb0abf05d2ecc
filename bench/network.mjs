// Sign-in over an emulated network: the provider 25 ms away each way (50 ms round trip) over TLS, the app's
// connection to it cold (closed, as after an idle period) or warm (open), each strategy beside the hand-written
// passport-oauth2 baseline in the same run. `node bench/network.mjs` runs it alone (BENCH_QUICK=1: fewer sign-ins);
// bench/run.mjs adds it to BENCHMARKS.md.
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { makeCertificate, startDelayLink, startTlsTerminator } from './netlink.mjs';
import { PROVIDERS, load, tryLoad } from './providers.mjs';
import { closeAgent, cookieOf, fmt, get, median, percentile, table } from './lib.mjs';

export const ONE_WAY_MS = 25;
export const RTT_MS = 2 * ONE_WAY_MS;
/** The visitor's time at the provider's consent page: enough for a connection opened at the redirect to be ready. */
const CONSENT_MS = 4 * RTT_MS;
/** After dropping the connections, time for the app to see them closed (loopback: well under a millisecond). */
const SETTLE_MS = 20;
/** The whole run gives up after this; a full run takes about a minute. */
const DEADLINE_MS = 5 * 60_000;

/** `iterations` per side and case after `warmUp`; the quick run is for trying changes. */
export function networkSettings(quick) {
  return quick ? { iterations: 6, warmUp: 1 } : { iterations: 24, warmUp: 2 };
}

/**
 * The cases, run in this order by each side in turn (the warm case reuses the connection the first one opened):
 * - `cold-after-authorize`: every connection closed, then the authorize redirect in the same process, the
 *   consent time, the callback. A strategy that opens the token host's connection at the redirect gains here.
 * - `warm`: the connection of the previous sign-in is still open.
 * - `cold-no-authorize`: the authorize redirect and the consent time, then every connection closed, then the
 *   callback: as when the callback reaches a process that did not send the redirect, or after a long consent.
 */
export const CASES = [
  { id: 'cold-after-authorize', label: 'cold, after an authorize redirect' },
  { id: 'warm', label: 'warm' },
  { id: 'cold-no-authorize', label: 'cold, no preceding authorize' },
];

/** Strategies and options measured: every OAuth strategy, ManiaPlanet also with its second call for the e-mail. */
const VARIANTS = [
  { provider: 'trackmania' },
  { provider: 'maniaplanet' },
  { provider: 'maniaplanet', scope: ['basic', 'email'], email: true },
  { provider: 'trackmage' },
  { provider: 'toornament' },
];

const SIDES = ['collection', 'baseline'];

export function networkIntro({ iterations, warmUp }) {
  return [
    `Each provider's emulator behind TLS (a self-signed certificate for \`localhost\` from \`selfsigned\`, trusted only by the app process through \`NODE_EXTRA_CA_CERTS\`) and a TCP proxy that delays every chunk ${ONE_WAY_MS} ms each way (round trip ${RTT_MS} ms), and holds a connection's first bytes one round trip more for the TCP handshake, which the kernel completes at once on loopback.`,
    `The strategies (the collection's and the hand-written passport-oauth2 baseline) run in one child process with their endpoint options at \`https://localhost:<proxy port>\`, each in its own Express 5 + express-session + passport app; the driver, the proxies, TLS and emulators run in the parent. The browser's visit to the consent page goes to the emulator directly and is not measured.`,
    `Measured: the callback leg (\`GET /auth/<name>/callback?code=…&state=…\` until the app's redirect to \`/me\`: token request, profile call, and for ManiaPlanet with \`email\` the e-mail call), and the authorize-redirect leg (\`GET /auth/<name>\` until its redirect to the provider).`,
    `Cold: the proxy closes every connection, as a provider does once its keep-alive timeout has passed (waiting past the clients' keep-alive, 5 s for Node's global agent, would make the run minutes long), so the callback pays TCP and TLS before the token request. "Cold, after an authorize redirect": closed, then the authorize redirect in the same process, ${CONSENT_MS} ms at the consent page, then the callback. "Warm": right after, the connection still open. "Cold, no preceding authorize": the redirect and the consent time, then closed, then the callback. Name resolution is not delayed (\`localhost\` comes from /etc/hosts); a resolver miss would add to the cold cases.`,
    `The least a callback can take: 2 round trips (the token, then the profile: the profile call needs the token, ManiaPlanet's e-mail call too but not the profile, so it runs beside the profile call), once the connection is open; 4 on a connection opened by the callback (TCP, TLS, token, profile). The rest is processing, TLS's cryptography included, and the proxy's timers.`,
    `The collection opens the token host's connection (DNS, TCP, TLS; no request) as the authorize redirect goes out (\`preconnect\`, on by default; two connections for ManiaPlanet with \`email\`, whose profile and e-mail calls run at once), so that after an authorize redirect in the same process the callback finds it open: cold = warm. The hand-written baseline opens its connections when the callback needs them.`,
    `TLS 1.3; a client that reconnects resumes its cached TLS session, which still costs the handshake's round trip.`,
    `Each side runs the three cases in turn, the sides alternating which goes first, ${warmUp} warm-up round${warmUp === 1 ? '' : 's'} then ${iterations} sign-ins per side and case; the strategies run concurrently, each on its own emulator and proxy. Round trips = wall time / ${RTT_MS} ms. Connections opened: mean new connections to the proxy during the callback, and between the authorize redirect and the callback.`,
    `Where the baseline opens two, node-oauth sends the profile call from the token response's \`end\` handler, before Node's agent has put the socket back in its pool, so the profile call waits for a second TCP and TLS handshake.`,
  ].join(' ');
}

const labelOf = (variant, provider) => (variant.scope ? `${provider.package} (scope ${variant.scope.join(' ')})` : provider.package);

async function startLane(variant, provider, certificate) {
  const emulators = load('@maniapass/emulators');
  const emulator = await emulators[provider.emulator]({ autoApprove: true });
  const terminator = await startTlsTerminator({ ...certificate, target: { host: '127.0.0.1', port: Number(new URL(emulator.url).port) } });
  const link = await startDelayLink({ target: terminator, oneWayMs: ONE_WAY_MS });
  const base = `https://localhost:${link.port}`;
  // The emulator's own options (client, endpoints or baseURL, Toornament's apiKey), with its URL moved behind TLS.
  const options = Object.fromEntries(
    Object.entries(emulator.strategyOptions()).map(([k, v]) => [k, typeof v === 'string' ? v.replaceAll(emulator.url, base) : v]),
  );
  return {
    variant,
    provider,
    label: labelOf(variant, provider),
    emulator,
    link,
    base,
    options,
    apps: undefined,
    samples: Object.fromEntries(
      SIDES.map((side) => [side, Object.fromEntries(CASES.map((c) => [c.id, { authorize: [], callback: [], connections: [], openedAhead: [] }]))]),
    ),
    close: async () => {
      await link.close();
      await terminator.close();
      await emulator.close();
    },
  };
}

function startApps(certFile, lanes) {
  const child = fork(fileURLToPath(new URL('./network-apps.mjs', import.meta.url)), [], {
    env: { ...process.env, NODE_EXTRA_CA_CERTS: certFile },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const ready = new Promise((resolve, reject) => {
    child.once('message', (m) => (m.type === 'ready' ? resolve(m.apps) : reject(new Error(`app process: ${m.message}`))));
    exited.then((code) => reject(new Error(`app process exited (${code})`)));
  });
  child.send({ type: 'start', lanes: lanes.map((l) => ({ provider: l.provider.name, options: l.options, scope: l.variant.scope, email: l.variant.email })) });
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      if (child.connected) child.disconnect();
      const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(killer);
    }
  };
  return { ready, stop };
}

const elapsed = (since) => performance.now() - since;

/** One sign-in of `side` in case `caseId`: `{ authorizeMs, callbackMs, connections, openedAhead }`; throws unless it lands on /me. */
async function signIn(lane, side, caseId) {
  const app = lane.apps[side];
  const name = lane.provider.name;
  if (caseId === 'cold-after-authorize') {
    lane.link.dropAll();
    await sleep(SETTLE_MS);
  }
  const openedBefore = lane.link.opened;
  let started = performance.now();
  const start = await get(`${app}/auth/${name}`);
  const authorizeMs = elapsed(started);
  if (start.status !== 302 || !start.location.startsWith(`${lane.base}/`))
    throw new Error(`${lane.label} ${side}: authorize redirect ${start.status} ${start.location}`);
  const consent = await get(`${lane.emulator.url}${start.location.slice(lane.base.length)}`);
  if (consent.status !== 302 || !consent.location.startsWith(`${app}/`))
    throw new Error(`${lane.label} ${side}: consent ${consent.status} ${consent.location}`);
  if (caseId !== 'warm') await sleep(CONSENT_MS);
  if (caseId === 'cold-no-authorize') {
    lane.link.dropAll();
    await sleep(SETTLE_MS);
  }
  const opened = lane.link.opened;
  const openedAhead = opened - openedBefore;
  started = performance.now();
  const callback = await get(`${consent.location}`, cookieOf(start));
  const callbackMs = elapsed(started);
  if (callback.status !== 302 || callback.location !== '/me')
    throw new Error(`${lane.label} ${side}: callback ${callback.status} ${callback.location} ${callback.body.slice(0, 300)}`);
  return { authorizeMs, callbackMs, connections: lane.link.opened - opened, openedAhead };
}

async function runLane(lane, { iterations, warmUp }) {
  const calls = () => ({ token: lane.emulator.requestsTo('token').length, email: lane.emulator.requestsTo('email').length });
  const before = calls();
  for (let i = 0; i < warmUp + iterations; i++) {
    for (const side of i % 2 === 0 ? SIDES : [...SIDES].reverse()) {
      for (const { id } of CASES) {
        const r = await signIn(lane, side, id);
        if (i < warmUp) continue;
        const s = lane.samples[side][id];
        s.authorize.push(r.authorizeMs);
        s.callback.push(r.callbackMs);
        s.connections.push(r.connections);
        s.openedAhead.push(r.openedAhead);
      }
    }
  }
  // Both sides did the same calls: one token request per sign-in, and the e-mail call only with the `email` scope.
  const after = calls();
  const signIns = (warmUp + iterations) * SIDES.length * CASES.length;
  if (after.token - before.token !== signIns) throw new Error(`${lane.label}: ${after.token - before.token} token requests for ${signIns} sign-ins`);
  if (after.email - before.email !== (lane.variant.email ? signIns : 0))
    throw new Error(`${lane.label}: ${after.email - before.email} e-mail calls for ${signIns} sign-ins`);
}

/** Runs every variant of the given providers; `{ lanes, meanLateMs, seconds }`. */
export async function benchNetwork(providers, settings) {
  const started = performance.now();
  const certificate = await makeCertificate();
  const dir = mkdtempSync(join(tmpdir(), 'maniapass-netbench-'));
  const certFile = join(dir, 'localhost.pem');
  writeFileSync(certFile, certificate.cert);
  const lanes = [];
  let apps;
  let deadline;
  try {
    for (const variant of VARIANTS) {
      const provider = providers.find((p) => p.name === variant.provider);
      if (provider) lanes.push(await startLane(variant, provider, certificate));
    }
    apps = startApps(certFile, lanes);
    const urls = await apps.ready;
    lanes.forEach((lane, i) => (lane.apps = urls[i]));
    const run = Promise.all(lanes.map((lane) => runLane(lane, settings)));
    run.catch(() => undefined);
    await Promise.race([
      run,
      new Promise((_resolve, reject) => {
        deadline = setTimeout(() => reject(new Error(`network benchmark still running after ${DEADLINE_MS / 1000} s, stopped`)), DEADLINE_MS);
      }),
    ]);
    const late = lanes.map((l) => l.link.meanLateMs);
    return { lanes, meanLateMs: late.reduce((a, b) => a + b, 0) / late.length, seconds: elapsed(started) / 1000 };
  } finally {
    clearTimeout(deadline);
    await apps?.stop();
    await Promise.all(lanes.map((lane) => lane.close()));
    rmSync(dir, { recursive: true, force: true });
  }
}

const rt = (ms) => (Number.isFinite(ms) ? (ms / RTT_MS).toFixed(1) : 'n/a');
const mean = (values) => values.reduce((a, b) => a + b, 0) / values.length;

/** Rows per strategy and case; the callback leg also gets the ratio and the connections opened. */
function legTable(result, leg) {
  const callback = leg === 'callback';
  const rows = [];
  for (const lane of result.lanes) {
    for (const c of CASES) {
      const [a, b] = SIDES.map((side) => lane.samples[side][c.id]);
      const [ma, mb] = [median(a[leg]), median(b[leg])];
      const [pa, pb] = [percentile(a[leg], 90), percentile(b[leg], 90)];
      const row = [lane.label, c.label, fmt.ms(ma), fmt.ms(pa), `${rt(ma)} / ${rt(pa)}`, fmt.ms(mb), fmt.ms(pb), `${rt(mb)} / ${rt(pb)}`];
      if (callback) row.push(`**${fmt.ratio(ma / mb)}**`, `${mean(a.connections).toFixed(1)} / ${mean(b.connections).toFixed(1)}`);
      else row.push(`${mean(a.openedAhead).toFixed(1)} / ${mean(b.openedAhead).toFixed(1)}`);
      rows.push(row);
    }
  }
  const header = ['strategy', 'case', 'median', 'p90', 'round trips (median / p90)', 'baseline median', 'baseline p90', 'baseline round trips'];
  if (callback) header.push('ratio', 'connections opened (collection / baseline)');
  else header.push('connections opened before the callback (collection / baseline)');
  return table(header, rows);
}

/** The section's body: the callback leg, then the authorize-redirect leg. */
export function networkMarkdown(result) {
  const n = result.lanes[0]?.samples.collection.warm.callback.length ?? 0;
  return [
    `Callback leg, ${n} sign-ins per side and case (median, p90; ratio = collection median / baseline median). The proxy's timers delivered each chunk ${result.meanLateMs.toFixed(2)} ms after its due time on average. Run time ${result.seconds.toFixed(0)} s.`,
    '',
    legTable(result, 'callback'),
    '',
    '### Authorize redirect',
    '',
    'The same sign-ins, `GET /auth/<name>` until the redirect to the provider. No request to the provider is made; the collection opens its connections just after the redirect is written (the cold case after an authorize redirect opens them; the others find them open).',
    '',
    legTable(result, 'authorize'),
  ].join('\n');
}

/** One sentence for the top of BENCHMARKS.md: median callback round trips per strategy and case, beside the baseline's. */
export function networkSummary(result) {
  const parts = result.lanes.map((lane) => {
    const [ours, theirs] = SIDES.map((side) => CASES.map((c) => rt(median(lane.samples[side][c.id].callback))).join(' / '));
    return `${lane.label} ${ours} (baseline ${theirs})`;
  });
  return `Sign-in callback over a ${RTT_MS} ms round trip with TLS, in round trips (median; cold after an authorize redirect / warm / cold without one): ${parts.join(', ')}.`;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const settings = networkSettings(process.env.BENCH_QUICK === '1');
  const providers = PROVIDERS.filter((p) => !tryLoad(p.package).error);
  process.stdout.write(`${networkIntro(settings)}\n\n`);
  try {
    const result = await benchNetwork(providers, settings);
    process.stdout.write(`${networkMarkdown(result)}\n\n${networkSummary(result)}\n`);
  } finally {
    closeAgent();
  }
}
