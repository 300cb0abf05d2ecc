// The apps of the network benchmark, in a child process of bench/network.mjs: its NODE_EXTRA_CA_CERTS is the
// benchmark's self-signed certificate, so that only these strategies trust the emulated HTTPS provider.
// Message `{ type: 'start', lanes }` → `{ type: 'ready', apps }` (or `{ type: 'failed', message }`); exits when the
// parent disconnects.
import { startApp } from './app.mjs';
import { PROVIDERS, baselineFactory, endpointsOf, load } from './providers.mjs';

const verify = (_accessToken, _refreshToken, profile, done) => done(null, { provider: profile.provider, id: profile.id, emails: profile.emails?.length ?? 0 });

const running = [];

/** One app per side for a lane: `{ collection, baseline }` URLs, both with `/auth/<name>` and `/auth/<name>/callback`. */
async function startLane({ provider: name, options, scope, email }) {
  const provider = PROVIDERS.find((p) => p.name === name);
  const { Strategy } = load(provider.package);
  const paths = { startPath: `/auth/${name}`, callbackPath: `/auth/${name}/callback` };
  const collection = await startApp((callbackURL) => new Strategy({ ...options, ...(scope ? { scope } : {}), callbackURL }, verify), paths);
  running.push(collection);
  // The hand-written one fetches the e-mail after the profile, at the provider's path.
  const emailURL = email ? `${endpointsOf(provider, options).userProfileURL}/email` : undefined;
  const baseline = await startApp(baselineFactory(provider, options, verify, { scope: scope?.join(' '), emailURL }), paths);
  running.push(baseline);
  return { collection: collection.url, baseline: baseline.url };
}

process.on('message', async (message) => {
  if (message?.type !== 'start') return;
  try {
    const apps = [];
    for (const lane of message.lanes) apps.push(await startLane(lane));
    process.send({ type: 'ready', apps });
  } catch (err) {
    process.send({ type: 'failed', message: err.stack ?? String(err) });
  }
});

process.on('disconnect', async () => {
  await Promise.all(running.map((app) => app.close()));
  process.exit(0);
});
