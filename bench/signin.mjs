// A full sign-in round trip per strategy against its emulator, beside the hand-written passport-oauth2
// baseline against the same emulator, in the same process and run, the two sides taking turns sign-in by sign-in.
// Each sign-in's CPU time (the process's user + system time: the driver, the app and the emulator all run here)
// and wall time are recorded; on a shared machine the CPU time is the steadier of the two.
import { startApp } from './app.mjs';
import { baselineFactory, load } from './providers.mjs';
import { cookieOf, get, median, percentile } from './lib.mjs';

const verify = (_accessToken, _refreshToken, profile, done) => done(null, { provider: profile.provider, id: profile.id });

/** One sign-in: start → emulator (auto-approve) → callback. `{ cpuMs, wallMs }`; throws unless it lands on /me. */
async function signInOnce(app) {
  const cpu = process.cpuUsage();
  const started = process.hrtime.bigint();
  const start = await get(`${app.url}/auth/start`);
  const cookie = cookieOf(start);
  const authorize = await get(start.location);
  const callbackURL = new URL(authorize.location);
  const callback = await get(`${app.url}${callbackURL.pathname}${callbackURL.search}`, cookie);
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  const used = process.cpuUsage(cpu);
  if (callback.status !== 302 || callback.location !== '/me')
    throw new Error(`sign-in failed: ${callback.status} ${callback.location} ${callback.body.slice(0, 200)}`);
  return { cpuMs: (used.user + used.system) / 1000, wallMs };
}

const summary = (samples) => {
  const cpu = samples.map((s) => s.cpuMs);
  const wall = samples.map((s) => s.wallMs);
  return { cpu: median(cpu), cpuP90: percentile(cpu, 90), median: median(wall), p90: percentile(wall, 90), n: samples.length };
};

/** `signIns` per side after `warmUp` per side, alternating A B / B A so that neither side always goes first. */
export async function benchSignIn(provider, { signIns, warmUp }) {
  const emulators = load('@maniapass/emulators');
  const { Strategy } = load(provider.package);
  const emulator = await emulators[provider.emulator]({ autoApprove: true });
  const options = emulator.strategyOptions();
  const collection = await startApp((callbackURL) => new Strategy({ ...options, callbackURL }, verify));
  const baseline = await startApp(baselineFactory(provider, options, verify));
  try {
    const a = [];
    const b = [];
    for (let i = 0; i < warmUp + signIns; i++) {
      const order =
        i % 2 === 0
          ? [
              [collection, a],
              [baseline, b],
            ]
          : [
              [baseline, b],
              [collection, a],
            ];
      for (const [app, into] of order) {
        const sample = await signInOnce(app);
        if (i >= warmUp) into.push(sample);
      }
    }
    const [ca, cb] = [summary(a), summary(b)];
    // Sign-in i of each side ran back to back: the median of their ratios divides out the machine's slow phases.
    const paired = (key) => median(a.map((sample, i) => sample[key] / b[i][key]));
    return { provider: provider.name, collection: ca, baseline: cb, ratio: paired('cpuMs'), wallRatio: paired('wallMs') };
  } finally {
    await collection.close();
    await baseline.close();
    await emulator.close();
  }
}
