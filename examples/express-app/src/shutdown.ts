// Graceful shutdown of the HTTP server: stop accepting, let the requests in flight finish (bounded), close every
// connection as soon as its last response is out, and only then let the caller close what the requests use (Redis,
// the emulators).
import type { Server } from 'node:http';

export interface Drain {
  /** True once `drain()` was called. */
  readonly draining: boolean;
  /** Requests in flight now. */
  inFlight(): number;
  /**
   * Stops accepting connections and waits for the requests in flight, at most `boundMs`; then closes every
   * connection. Resolves to how it ended.
   */
  drain(boundMs: number): Promise<'drained' | 'timed out'>;
}

/** Follows the requests of `server` so that it can be drained. Call before the server gets its first request. */
export function drainable(server: Server): Drain {
  let active = 0;
  let draining = false;
  let onIdle: (() => void) | undefined;
  server.on('request', (req, res) => {
    active += 1;
    // Once draining, every response closes its connection: kept-alive clients open a new one elsewhere.
    if (draining) res.setHeader('Connection', 'close');
    res.once('close', () => {
      active -= 1;
      if (draining) server.closeIdleConnections();
      if (active === 0) onIdle?.();
    });
  });
  return {
    get draining() {
      return draining;
    },
    inFlight: () => active,
    drain: async (boundMs) => {
      draining = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const outcome = await new Promise<'drained' | 'timed out'>((resolve) => {
        if (active === 0) return resolve('drained');
        const timer = setTimeout(() => resolve('timed out'), boundMs);
        timer.unref();
        onIdle = () => {
          clearTimeout(timer);
          resolve('drained');
        };
      });
      server.closeAllConnections();
      await closed;
      return outcome;
    },
  };
}
