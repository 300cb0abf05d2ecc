import { readFileSync } from 'node:fs';
import { basicCredentialForms, endpointURLOption, type FetchFunction, type ProviderProfile, type TokenResponse } from '@maniapass/http';
import { checkScopes, scopeList, type Endpoints, type OAuthProviderDefinition } from '@maniapass/providers';
import type { StateStore } from './passport-oauth2';

/**
 * The options every strategy of the collection takes. `passReqToCallback` is added by the constructor's
 * signatures, so that TypeScript matches it to the verify function's form.
 */
export interface ProviderStrategyOptions {
  /** Required. */
  clientID: string;
  /** Required. Sent in the token request body only; never in a message. */
  clientSecret: string;
  /** Required. Absolute, or relative to the request's own URL (see `proxy`). */
  callbackURL: string;
  /** Space- or comma-separated string, or array. Checked against the provider's documented scopes. */
  scope?: string | readonly string[];
  /**
   * CSRF protection through a session-bound `state`. Default `true`. While it is on, `authenticate()` refuses a
   * string `state` (it would be sent instead of the checked one): give application state as an object with
   * `store: true`, or turn `state` off and check your string yourself.
   */
  state?: boolean;
  /** A passport-oauth2 state store, or `true` for its session store with application state. */
  store?: StateStore | boolean;
  /** Passed to passport-oauth2 (`true` = S256). Needs `state`. Off unless the provider documents PKCE. */
  pkce?: boolean | 'S256' | 'plain';
  /** Milliseconds for each outbound request (token, profile, refresh, client credentials). Default 10000. */
  timeout?: number;
  /**
   * Milliseconds one sign-in's callback may take, counted from its arrival: the state check, the code exchange,
   * every profile call and the verify function together. Past it the login fails with a `ProviderError` whose
   * `code` is `ETIMEDOUT`, and whatever the verify function does later is ignored. Default 30000.
   */
  loginTimeout?: number;
  /** `User-Agent` of every outbound request. Default: the package's name and version. */
  userAgent?: string;
  /** The provider's authorization endpoint (emulators, sandboxes, proxies). */
  authorizationURL?: string;
  /** The provider's token endpoint. */
  tokenURL?: string;
  /** The provider's profile endpoint. */
  userProfileURL?: string;
  /** A `fetch` used for every outbound request instead of `node:http(s)` (proxies, recording). */
  fetch?: FetchFunction;
  /** As in passport-oauth2: a boolean, `() => boolean`, or `(accessToken, done)` calling `done(err, skip)`. */
  skipUserProfile?: boolean | (() => boolean) | ((accessToken: string, done: (err: unknown, skip?: boolean) => void) => void);
  /** Headers added to every outbound request. */
  customHeaders?: Record<string, string>;
  /** Session key of the state store. Default `oauth2:<provider name>`. */
  sessionKey?: string;
  /** The strategy's name for `passport.authenticate()`. Default: the provider's name. */
  name?: string;
  /**
   * Trust `X-Forwarded-Proto` and `X-Forwarded-Host` from every peer when building a relative callback URL, as
   * passport-oauth2's `proxy: true` does. Without it, they are trusted as Express trusts them (its `trust proxy`
   * setting, for the peer the request came from).
   */
  proxy?: boolean;
  /** Only `' '`: every provider here wants space-separated scopes. Any other value throws a `TypeError`. */
  scopeSeparator?: ' ';
  /**
   * Open the connection to the token host (DNS, TCP, TLS; no request) when the authorize redirect goes out, so that
   * the callback, seconds later, finds it ready. Default `true`. Nothing is opened with `fetch`.
   */
  preconnect?: boolean;
}

/** Default of `loginTimeout`: the most one sign-in's callback may take. */
export const DEFAULT_LOGIN_TIMEOUT = 30_000;

/** The options once checked: what the constructor hands passport-oauth2, the HTTP client and the sign-in legs. */
export interface CheckedOptions<S> {
  name: string;
  /** The provider's own settings (a base URL, an API key), as its definition resolved them. */
  settings: S;
  clientID: string;
  clientSecret: string;
  callbackURL: string;
  authorizationURL: string;
  tokenURL: string;
  userProfileURL: string;
  scope: readonly string[];
  timeout: number;
  loginTimeout: number;
  sessionKey: string;
  state: boolean;
  /** Whether the state store checks `state` (on unless `state: false` without a `store`). */
  checksState: boolean;
  passReqToCallback: boolean;
  preconnect: boolean;
  userAgent: string;
  /** `customHeaders`, with the headers the provider wants on every call (Toornament's API key) in place of any spelled otherwise. */
  headers: Record<string, string> | undefined;
  /** The values no error may show: the secret, as sent and as an echoed Basic header carries it, and secret provider options. */
  secrets: string[];
}

/**
 * Checks a strategy's options against its provider's definition; every mistake is a `TypeError` that names the
 * option, thrown at construction. The provider's own options (Toornament's `apiKey`, TrackMage's `baseURL`) are
 * checked first, by the definition. `packageDir` is the provider package's folder, for the default `User-Agent`.
 */
export function checkOptions<P extends ProviderProfile, T extends TokenResponse, S>(
  definition: OAuthProviderDefinition<P, T, S>,
  options: ProviderStrategyOptions & { passReqToCallback?: boolean },
  verify: unknown,
  packageDir: string,
): CheckedOptions<S> {
  const provider: string = definition.id;
  if (options === null || typeof options !== 'object') throw new TypeError(`${provider} strategy requires an options object`);
  const opts = options as unknown as Record<string, unknown>;
  const settings = definition.settings(opts, `${provider} strategy`);
  if (typeof verify !== 'function') throw new TypeError(`${provider} strategy requires a verify function`);
  const clientID = requireString(opts, 'clientID', provider);
  const clientSecret = requireString(opts, 'clientSecret', provider);
  const callbackURL = requireString(opts, 'callbackURL', provider);
  const timeout = milliseconds(provider, 'timeout', options.timeout, 10_000);
  const loginTimeout = milliseconds(provider, 'loginTimeout', options.loginTimeout, DEFAULT_LOGIN_TIMEOUT);
  refuseUnsupportedOptions(provider, opts);
  if (options.fetch !== undefined && typeof options.fetch !== 'function') throw new TypeError(`${provider} strategy: fetch must be a function`);
  const scope = options.scope === undefined ? [...definition.defaultScope] : scopeList(options.scope);
  checkScopes(provider, scope, definition.scopes);
  const state = options.state ?? true;
  const defaults: Endpoints = definition.endpoints(settings);
  const pkg = readPackage(packageDir);
  return {
    name: options.name ?? provider,
    settings,
    clientID,
    clientSecret,
    callbackURL,
    authorizationURL: endpointURLOption(provider, 'authorizationURL', options.authorizationURL, defaults.authorizationURL),
    tokenURL: endpointURLOption(provider, 'tokenURL', options.tokenURL, defaults.tokenURL),
    userProfileURL: endpointURLOption(provider, 'userProfileURL', options.userProfileURL, defaults.userProfileURL),
    scope,
    timeout,
    loginTimeout,
    sessionKey: options.sessionKey ?? `oauth2:${provider}`,
    state,
    checksState: Boolean(options.store) || Boolean(state),
    // Truthy, as passport-oauth2 reads it.
    passReqToCallback: Boolean(options.passReqToCallback),
    preconnect: booleanOption(provider, 'preconnect', options.preconnect, true),
    userAgent: options.userAgent ?? `${pkg.name}/${pkg.version} (Node.js ${process.version})`,
    headers: withProviderHeaders(options.customHeaders, definition.headers?.(settings)),
    secrets: [
      clientSecret,
      ...basicCredentialForms(clientID, clientSecret),
      ...definition.secretOptions.map((key) => opts[key]).filter((v): v is string => typeof v === 'string'),
    ],
  };
}

/** `customHeaders` with the provider's own headers in place of any spelled otherwise (header names ignore case). */
function withProviderHeaders(custom: Record<string, string> | undefined, own: Record<string, string> | undefined): Record<string, string> | undefined {
  if (!own) return custom;
  const names = new Set(Object.keys(own).map((name) => name.toLowerCase()));
  const rest = Object.entries(custom ?? {}).filter(([name]) => !names.has(name.toLowerCase()));
  return { ...Object.fromEntries(rest), ...own };
}

function readPackage(dir: string): { name: string; version: string } {
  try {
    const { name, version } = JSON.parse(readFileSync(`${dir}/package.json`, 'utf8')) as { name: string; version: string };
    return { name, version };
  } catch {
    return { name: 'maniapass', version: '0.0.0' };
  }
}

function booleanOption(provider: string, key: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw new TypeError(`${provider} strategy: ${key} must be true or false, got ${String(value)}`);
  return value;
}

function requireString(options: Record<string, unknown>, key: string, provider: string): string {
  const value = options[key];
  if (typeof value !== 'string' || value.trim() === '') {
    throw new TypeError(`${provider} strategy requires the ${key} option (a non-empty string)`);
  }
  return value;
}

function milliseconds(provider: string, key: string, value: unknown, fallback: number): number {
  const ms = value ?? fallback;
  if (typeof ms !== 'number' || !Number.isFinite(ms) || ms <= 0) {
    throw new TypeError(`${provider} strategy: ${key} must be a positive number of milliseconds, got ${String(value)}`);
  }
  return ms;
}

/** The passport-oauth2 options the collection reads differently, refused with the reason (see the README). */
function refuseUnsupportedOptions(provider: string, options: Record<string, unknown>): void {
  const separator = options.scopeSeparator;
  if (separator !== undefined && separator !== ' ') {
    throw new TypeError(
      `${provider} strategy: scopeSeparator ${JSON.stringify(separator)} is not supported: ${provider} takes space-separated scopes ` +
        '(RFC 6749, section 3.3) and the strategy checks and joins them itself. Leave scopeSeparator out and give scope as an array or a space-separated string.',
    );
  }
  const pkce = options.pkce;
  if (pkce !== undefined && pkce !== true && pkce !== false && pkce !== 'S256' && pkce !== 'plain') {
    throw new TypeError(
      `${provider} strategy: pkce must be true, false, 'S256' or 'plain' (the methods passport-oauth2 implements), got ${JSON.stringify(pkce)}`,
    );
  }
}
