import { readFileSync } from 'node:fs';
import { ProviderClient, type FetchFunction } from '@maniapass/oauth2-core';

export const CORE_URL = 'https://prod.trackmania.core.nadeo.online';
export const LIVE_URL = 'https://live-services.trackmania.nadeo.live';
export const MEET_URL = 'https://meet.trackmania.nadeo.club';
export const OAUTH_URL = 'https://api.trackmania.com';

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

export function makeClient(settings: HttpSettings, userAgent: string, secrets: ReadonlyArray<string | undefined>): ProviderClient {
  return new ProviderClient({ provider: 'nadeo', timeout: settings.timeout ?? DEFAULT_TIMEOUT, userAgent, fetch: settings.fetch, secrets });
}
