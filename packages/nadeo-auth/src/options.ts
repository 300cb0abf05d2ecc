import { readFileSync } from 'node:fs';
import { ProviderClient, type ApiRequest, type FetchFunction, type HttpResponse } from '@maniapass/http';

/** Nadeo's Core services (`NadeoServices` audience). */
export const CORE_URL = 'https://prod.trackmania.core.nadeo.online';
/** Nadeo's Live services (`NadeoLiveServices` audience). */
export const LIVE_URL = 'https://live-services.trackmania.nadeo.live';
/** Nadeo's Meet services (`NadeoLiveServices` audience). */
export const MEET_URL = 'https://meet.trackmania.nadeo.club';
/** Trackmania's public OAuth API (OAuth application tokens). */
export const OAUTH_URL = 'https://api.trackmania.com';

/** Milliseconds each request may take, unless `timeout` says otherwise. */
export const DEFAULT_TIMEOUT = 10_000;

/** Where requests go and how: every option has a default that reaches Nadeo itself. */
export interface HttpSettings {
  /** Core web services, and the token endpoints of server and service accounts. Default `CORE_URL`. */
  coreURL?: string;
  /** The public Trackmania API, where `OAuthToken` gets its tokens. Default `OAUTH_URL`. */
  oauthURL?: string;
  /** Milliseconds for each request. Default 10000. */
  timeout?: number;
  /** A `fetch` used instead of `node:http(s)` (proxies, recording). */
  fetch?: FetchFunction;
}

const pkg = (() => {
  try {
    return JSON.parse(readFileSync(`${__dirname}/../package.json`, 'utf8')) as { name: string; version: string };
  } catch {
    return { name: 'nadeo-auth', version: '0.0.0' };
  }
})();

/** The package's own `User-Agent`, used where Nadeo does not ask for a descriptive one (api.trackmania.com). */
export const PACKAGE_USER_AGENT = `${pkg.name}/${pkg.version} (Node.js ${process.version})`;

/** A URL without its trailing slashes. */
export function baseURL(url: string | undefined, fallback: string): string {
  // The lookbehind starts a match only at the first slash of a run, which keeps it linear (`/\/+$/` is quadratic).
  return (url ?? fallback).replace(/(?<!\/)\/+$/, '');
}

/**
 * Not part of the public options: settings carrying a function under this key have it called with every answer
 * their requests get. `NadeoClient` reads the token endpoints' 429 and `Retry-After` this way. A symbol key survives
 * the object spreads that pass settings on, and stays out of the public types.
 */
export const ON_RESPONSE = Symbol('nadeo-auth.onResponse');

export interface ObservedSettings extends HttpSettings {
  [ON_RESPONSE]?: (response: HttpResponse) => void;
}

/** A `ProviderClient` that shows every answer to an observer before it is read. */
class ObservedClient extends ProviderClient {
  constructor(
    options: ConstructorParameters<typeof ProviderClient>[0],
    private readonly observe: (response: HttpResponse) => void,
  ) {
    super(options);
  }

  override async send(request: ApiRequest, extraSecrets?: ReadonlyArray<string | undefined>): Promise<HttpResponse> {
    const response = await super.send(request, extraSecrets);
    this.observe(response);
    return response;
  }
}

export function makeClient(settings: HttpSettings, userAgent: string, secrets: ReadonlyArray<string | undefined>): ProviderClient {
  const options = { provider: 'nadeo', timeout: settings.timeout ?? DEFAULT_TIMEOUT, userAgent, fetch: settings.fetch, secrets };
  const observe = (settings as ObservedSettings)[ON_RESPONSE];
  return observe ? new ObservedClient(options, observe) : new ProviderClient(options);
}
