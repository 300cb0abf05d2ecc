import { channel, type Channel } from 'node:diagnostics_channel';

/**
 * What the packages publish on `node:diagnostics_channel`, after undici's convention: named channels, a start, an
 * end and an error for each thing that happens, plain objects as messages. An application subscribes to feed
 * OpenTelemetry, Prometheus or its logs; the packages depend on neither. No message carries a secret: URLs come
 * without their query, errors are the collection's masked errors.
 *
 * ```ts
 * import { subscribe } from 'node:diagnostics_channel';
 * subscribe('maniapass:http:request:end', (message) => histogram.observe((message as RequestEnd).durationMs));
 * ```
 */
export const CHANNELS = {
  /** An outbound request goes out: `RequestStart`. */
  requestStart: 'maniapass:http:request:start',
  /** An outbound request was answered (any status): `RequestEnd`. */
  requestEnd: 'maniapass:http:request:end',
  /** An outbound request failed without an answer (timeout, network, too large): `RequestError`. */
  requestError: 'maniapass:http:request:error',
  /** A sign-in leg starts (the authorize redirect, or the callback): `SignInStart`. */
  signInStart: 'maniapass:signin:start',
  /** A sign-in leg ended: `SignInEnd`. */
  signInEnd: 'maniapass:signin:end',
  /** A shared store failed or did not answer in time: `StoreFailure`. */
  storeError: 'maniapass:store:error',
} as const;

/** An outbound request going out. */
export interface RequestStart {
  /** The provider (or package) the request is for: `trackmania`, `nadeo`, `openplanet`... */
  provider: string;
  /** The HTTP method. */
  method: string;
  /** The URL without its query. */
  url: string;
}

/** An outbound request answered. */
export interface RequestEnd extends RequestStart {
  /** The HTTP status of the answer. */
  status: number;
  /** Milliseconds from the start to the end of the body. */
  durationMs: number;
}

/** An outbound request that got no answer. */
export interface RequestError extends RequestStart {
  /** Milliseconds from the start to the failure. */
  durationMs: number;
  /** `ETIMEDOUT`, `ECONNREFUSED`, `ETOOLARGE`...: the error's `code` where it has one. */
  code?: string;
  /** The error, already masked. */
  error: Error;
}

/** A sign-in leg starting. */
export interface SignInStart {
  /** The provider signed in with: `trackmania`, `maniaplanet`... */
  provider: string;
  /** `authorize`: the redirect to the provider; `callback`: the provider's answer. */
  leg: 'authorize' | 'callback';
}

/** A sign-in leg that ended. */
export interface SignInEnd extends SignInStart {
  /** What passport was told: `redirect`, `success`, `fail` (denied, bad state) or `error`. */
  outcome: 'redirect' | 'success' | 'fail' | 'pass' | 'error';
  /** Milliseconds the leg took. */
  durationMs: number;
  /** With `error`: the error's `code` or class name. */
  errorKind?: string;
}

/** A shared store operation that failed. */
export interface StoreFailure {
  /** The package and cache or limit that uses the store, e.g. `nadeo-auth:spacing`. */
  component: string;
  /** What was asked of the store: `get`, `set`, `lock`... */
  operation: string;
  /** The `StoreError`'s code: `ETIMEDOUT` or `ESTORE`. */
  code: string;
  /** What the caller did instead: `open` (went on without the store) or `closed` (refused). */
  failed: 'open' | 'closed';
}

const channels = new Map<string, Channel>();

/** The channel `name` (made once). */
export function diagnosticsChannel(name: string): Channel {
  let found = channels.get(name);
  if (!found) channels.set(name, (found = channel(name)));
  return found;
}

/** Publishes `message()` on `name` when anyone listens; builds nothing otherwise. */
export function publish<M extends object>(name: string, message: () => M): void {
  const target = diagnosticsChannel(name);
  if (target.hasSubscribers) target.publish(message());
}
