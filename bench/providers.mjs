// Every provider the benchmarks cover: adding a provider is one entry here. `baseline` describes the
// hand-written passport-oauth2 strategy it is compared with: where its profile is, and how to read the id.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export const PROVIDERS = [
  {
    name: 'trackmania',
    package: 'passport-trackmania',
    emulator: 'startTrackmaniaEmulator',
    baseline: { id: (json) => json.accountId },
  },
  {
    name: 'maniaplanet',
    package: 'passport-maniaplanet',
    emulator: 'startManiaplanetEmulator',
    baseline: { scope: 'basic', id: (json) => json.login, headers: () => ({ Accept: 'application/json' }) },
  },
  {
    name: 'trackmage',
    package: 'passport-trackmage',
    emulator: 'startTrackmageEmulator',
    // The profile URL needs the user id from the token response.
    baseline: { profileURL: (url, params) => url.replace('{id}', encodeURIComponent(params.user_id)), id: (json) => json.id },
  },
  {
    name: 'toornament',
    package: 'passport-toornament',
    emulator: 'startToornamentEmulator',
    baseline: { scope: 'user:info', id: (json) => json.id, headers: (opts) => ({ 'X-Api-Key': opts.apiKey }) },
  },
];

/** The provider's endpoints as the emulator serves them, for the baseline (which has no baseURL option). */
export function baselineEndpoints(provider, emulator) {
  const strategy = new (load(provider.package).Strategy)({ ...emulator.strategyOptions(), callbackURL: 'http://127.0.0.1:1/cb' }, () => undefined);
  return { authorizationURL: strategy.authorizationURL, tokenURL: strategy.tokenURL, userProfileURL: strategy.userProfileURL };
}

/** Loads a workspace package from its built dist/ (through node_modules); undefined when it is not built. */
export function load(name) {
  return require(name);
}

export function tryLoad(name) {
  try {
    return require(name);
  } catch (err) {
    return { error: err };
  }
}
