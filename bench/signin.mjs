// A full sign-in round trip per strategy against its emulator, beside the hand-written passport-oauth2
// baseline against the same emulator, in the same process and run, interleaved.
import { startApp } from './app.mjs';
import { baselineFactory, load } from './providers.mjs';
import { cookieOf, get, median, percentile } from './lib.mjs';

const verify = (_accessToken, _refreshToken, profile, done) => done(null, { provider: profile.provider, id: profile.id });

/** One sign-in: start → emulator (auto-approve) → callback. Returns its duration in ms; throws unless it lands on /me. */
async function signInOnce(app) {
  const started = process.hrtime.bigint();
  const start = await get(`${app.url}/auth/start`);
  const cookie = cookieOf(start);
  const authorize = await get(start.location);
  const callbackURL = new URL(authorize.location);
  const callback = await get(`${app.url}${callbackURL.pathname}${callbackURL.search}`, cookie);
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (callback.status !== 302 || callback.location !== '/me') throw new Error(`sign-in failed: ${callback.status} ${callback.location} ${callback.body.slice(0, 200)}`);
  return ms;
}

async function batch(app, count, into) {
  for (let i = 0; i < count; i++) into.push(await signInOnce(app));
}

export async function benchSignIn(provider, { rounds, perRound, warmUp }) {
  const emulators = load('@maniapass/emulators');
  const { Strategy } = load(provider.package);
  const emulator = await emulators[provider.emulator]({ autoApprove: true });
  const options = emulator.strategyOptions();
  const collection = await startApp((callbackURL) => new Strategy({ ...options, callbackURL }, verify));
  const baseline = await startApp(baselineFactory(provider, options, verify));
  try {
    await batch(collection, warmUp, []);
    await batch(baseline, warmUp, []);
    const a = [];
    const b = [];
    for (let r = 0; r < rounds; r++) {
      // Alternate which side goes first, so that neither always runs on a warmer process.
      if (r % 2 === 0) {
        await batch(collection, perRound, a);
        await batch(baseline, perRound, b);
      } else {
        await batch(baseline, perRound, b);
        await batch(collection, perRound, a);
      }
    }
    return {
      provider: provider.name,
      collection: { median: median(a), p90: percentile(a, 90), n: a.length },
      baseline: { median: median(b), p90: percentile(b, 90), n: b.length },
      ratio: median(a) / median(b),
    };
  } finally {
    await collection.close();
    await baseline.close();
    await emulator.close();
  }
}
