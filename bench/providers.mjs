// Every provider the benchmarks cover: the registry's, each with what `baseline`, the hand-written passport-oauth2
// strategy it is compared with, needs: where its profile is, and how to read the id.
import { createRequire } from 'node:module';
import { BaselineStrategy } from './baseline.mjs';

const require = createRequire(import.meta.url);

/** What the baseline needs to know of each provider of the registry. */
const BASELINES = {
  trackmania: { id: (json) => json.accountId },
  maniaplanet: { scope: 'basic', id: (json) => json.login, headers: () => ({ Accept: 'application/json' }) },
  // The profile URL needs the user id from the token response.
  trackmage: { profileURL: (url, params) => url.replace('{id}', encodeURIComponent(params.user_id)), id: (json) => json.id },
  toornament: { scope: 'user:info', id: (json) => json.id, headers: (opts) => ({ 'X-Api-Key': opts.apiKey }) },
};

/** Every provider of @maniapass/providers' registry (built), with its Passport package and emulator. */
export const PROVIDERS = require('@maniapass/providers').PROVIDERS.map(({ id }) => ({
  name: id,
  package: `passport-${id}`,
  emulator: `start${id[0].toUpperCase()}${id.slice(1)}Emulator`,
  baseline: BASELINES[id],
}));

/** The endpoints the provider's strategy derives from `options` (a `baseURL`, or the three URLs), for the baseline, which has no baseURL option. */
export function endpointsOf(provider, options) {
  const strategy = new (load(provider.package).Strategy)({ ...options, callbackURL: 'http://127.0.0.1:1/cb' }, () => undefined);
  return { authorizationURL: strategy.authorizationURL, tokenURL: strategy.tokenURL, userProfileURL: strategy.userProfileURL };
}

/**
 * `(callbackURL) => BaselineStrategy` for the provider, with the endpoints of the collection's `options`.
 * `emailURL`: also fetch the e-mail after the profile (ManiaPlanet's `email` scope), `scope` replacing the default.
 */
export function baselineFactory(provider, options, verify, { scope, emailURL } = {}) {
  const endpoints = endpointsOf(provider, options);
  return (callbackURL) =>
    new BaselineStrategy(
      {
        name: provider.name,
        authorizationURL: endpoints.authorizationURL,
        tokenURL: endpoints.tokenURL,
        clientID: options.clientID,
        clientSecret: options.clientSecret,
        callbackURL,
        scope: scope ?? provider.baseline.scope,
        headers: provider.baseline.headers?.(options),
        profileURL: (params) => (provider.baseline.profileURL ? provider.baseline.profileURL(endpoints.userProfileURL, params) : endpoints.userProfileURL),
        idOf: provider.baseline.id,
        emailURL,
      },
      verify,
    );
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
