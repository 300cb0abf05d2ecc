// The network code (network.ts: the transports, the agents, the deadlines' timer), loaded with the first request,
// preconnect or deadline, and what the package exports of it. A package's cold start, part of every server's
// start, compiles none of it; the build gives network.ts a file of its own (scripts/bundle.mjs).
import type * as Network from './network';
import type { Watched } from './deadlines';

let loaded: typeof Network | undefined;

/** The network code, loaded on first use. */
export function network(): typeof Network {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use, on purpose (see above)
  return (loaded ??= require('./network') as typeof Network);
}

/**
 * Opens `sockets` connections (default 1, at most `MAX_PRECONNECTED`) to the host of `url` for requests about to
 * be made, without sending anything: DNS, TCP and TLS are done by the time they go out. Connections already idle
 * in the pool for that host count, so nothing is opened when enough are. An unused one is closed after
 * `KEEP_ALIVE_MS` idle, or when the server closes it. Never fails: a host that cannot be reached is reported by the
 * request itself. With an injected `fetch` (ProviderClient), nothing is opened: the fetch implementation owns its
 * connections.
 */
export function preconnect(url: string, sockets = 1): void {
  network().preconnect(url, sockets);
}

/**
 * Calls `entry.expire()` once `performance.now()` passes `entry.at`, unless `unwatchDeadline(entry)` comes first.
 * Every deadline (each request's timeout, each sign-in's `loginTimeout`) is watched by one shared timer.
 */
export function watchDeadline(entry: Watched): void {
  network().watch(entry);
}

/** Drops a deadline (its work ended in time). */
export function unwatchDeadline(entry: Watched): void {
  network().unwatch(entry);
}
