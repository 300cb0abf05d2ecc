import { ProviderClient, basicCredentialForms, endpointURLOption, type FetchFunction, type ProviderProfile, type TokenResponse } from '@maniapass/http';
import type { Endpoints, OAuthProviderDefinition } from './definition';
import { checkScopes, scopeList } from './scopes';

/** The options every adapter of a definition takes (Auth.js, better-auth, the plain client). */
export interface ProviderOptions {
  /** Required. */
  clientID: string;
  /** Required. Sent in the token request body only; never in a message. */
  clientSecret: string;
  /** Space- or comma-separated string, or array; checked against the documented scopes. Default: the provider's default scope. */
  scope?: string | readonly string[];
  /** Override the provider's authorization endpoint (emulators, sandboxes, proxies). */
  authorizationURL?: string;
  /** Override the provider's token endpoint. */
  tokenURL?: string;
  /** Override the provider's profile endpoint. */
  userProfileURL?: string;
}

/** A definition made concrete by a user's options: what every adapter needs, checked once. */
export interface ConfiguredProvider<P extends ProviderProfile, T extends TokenResponse, S> {
  /** The provider's definition. */
  definition: OAuthProviderDefinition<P, T, S>;
  /** The application's client id. */
  clientID: string;
  /** The application's client secret. */
  clientSecret: string;
  /** The provider's own settings. */
  settings: S;
  /** The endpoints, overrides included. */
  endpoints: Endpoints;
  /** The scope asked for by default. */
  scope: readonly string[];
  /** Headers every call to the provider carries. */
  headers: Record<string, string>;
  /** Every value no error may show, in the forms a provider may echo it in. */
  secrets: string[];
}

/**
 * Checks a user's options against a definition and resolves everything an adapter needs. Misconfiguration throws a
 * `TypeError` that names the option, prefixed with `label` (`trackmania client`).
 */
export function configureProvider<P extends ProviderProfile, T extends TokenResponse, S>(
  definition: OAuthProviderDefinition<P, T, S>,
  options: ProviderOptions,
  label: string,
): ConfiguredProvider<P, T, S> {
  if (options === null || typeof options !== 'object') throw new TypeError(`${label} requires an options object`);
  const opts = options as unknown as Record<string, unknown>;
  for (const key of ['clientID', 'clientSecret', ...definition.requiredOptions]) {
    const value = opts[key];
    if (typeof value !== 'string' || value.trim() === '') throw new TypeError(`${label} requires the ${key} option (a non-empty string)`);
  }
  const settings = definition.settings(opts, label);
  const defaults = definition.endpoints(settings);
  const endpoints: Endpoints = {
    authorizationURL: endpointURLOption(definition.id, 'authorizationURL', options.authorizationURL, defaults.authorizationURL),
    tokenURL: endpointURLOption(definition.id, 'tokenURL', options.tokenURL, defaults.tokenURL),
    userProfileURL: endpointURLOption(definition.id, 'userProfileURL', options.userProfileURL, defaults.userProfileURL),
  };
  const scope = options.scope === undefined ? [...definition.defaultScope] : scopeList(options.scope);
  checkScopes(definition.id, scope, definition.scopes);
  const secretOptions = definition.secretOptions.map((key) => opts[key]).filter((v): v is string => typeof v === 'string');
  return {
    definition,
    clientID: options.clientID,
    clientSecret: options.clientSecret,
    settings,
    endpoints,
    scope,
    headers: definition.headers?.(settings) ?? {},
    secrets: [options.clientSecret, ...basicCredentialForms(options.clientID, options.clientSecret), ...secretOptions],
  };
}

/** The HTTP options every adapter takes besides the provider's. */
export interface ProviderHttpOptions {
  /** Milliseconds for each call to the provider. Default 10000. */
  timeout?: number;
  /** `User-Agent` of every call. Default: the adapter's name and version. */
  userAgent?: string;
  /** A `fetch` used for every call to the provider instead of `node:http(s)`. */
  fetch?: FetchFunction;
}

/**
 * The HTTP client of a configured provider: its headers on every call, its secrets masked in every error, `timeout`
 * (default 10000 ms) and `fetch` checked (a bad one throws a `TypeError` prefixed with `label`), `User-Agent`
 * defaulting to `adapter` (`@maniapass/client/0.1.0`) and the Node.js version.
 */
export function providerClient<P extends ProviderProfile, T extends TokenResponse, S>(
  config: ConfiguredProvider<P, T, S>,
  options: ProviderHttpOptions,
  adapter: string,
  label: string,
): ProviderClient {
  const timeout = options.timeout ?? 10_000;
  if (typeof timeout !== 'number' || !Number.isFinite(timeout) || timeout <= 0)
    throw new TypeError(`${label}: timeout must be a positive number of milliseconds, got ${String(options.timeout)}`);
  if (options.fetch !== undefined && typeof options.fetch !== 'function') throw new TypeError(`${label}: fetch must be a function`);
  return new ProviderClient({
    provider: config.definition.id,
    timeout,
    userAgent: options.userAgent ?? `${adapter} (Node.js ${process.version})`,
    headers: config.headers,
    fetch: options.fetch,
    secrets: config.secrets,
  });
}
