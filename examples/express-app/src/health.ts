// Liveness and readiness, as load balancers and orchestrators probe them: `/healthz` answers while the process
// serves; `/readyz` answers 200 only when Redis and every configured provider are reachable and the app is not
// shutting down. Checks are bounded and cached briefly, so that probes cannot turn into load on the providers.
import { connect } from 'node:net';
import type { Router } from 'express';
import express from 'express';

/** One thing readiness depends on: resolves when it is reachable, rejects with why not. */
export interface ReadinessCheck {
  name: string;
  check(): Promise<void>;
}

export interface Readiness {
  ready: boolean;
  /** `ok`, or what failed, per check (the reason has no secret: an address and an error code). */
  checks: Record<string, string>;
}

/** A TCP connection to the host and port of `url` opens within `timeoutMs` (nothing is sent). */
export function reachable(name: string, url: string, timeoutMs: number): ReadinessCheck {
  const target = new URL(url);
  const port = Number(target.port || (target.protocol === 'https:' ? 443 : 80));
  return {
    name,
    check: () =>
      new Promise<void>((resolve, reject) => {
        const socket = connect({ host: target.hostname, port });
        const fail = (reason: string) => {
          socket.destroy();
          reject(new Error(`${target.hostname}:${port} ${reason}`));
        };
        socket.setTimeout(timeoutMs, () => fail(`did not answer within ${timeoutMs} ms`));
        socket.once('connect', () => {
          socket.destroy();
          resolve();
        });
        socket.once('error', (err: NodeJS.ErrnoException) => fail(err.code ?? 'unreachable'));
      }),
  };
}

/** Runs the checks at most once per `cacheMs` (concurrent probes share one run). */
export function readinessOf(checks: readonly ReadinessCheck[], cacheMs = 2000): () => Promise<Readiness> {
  let last: { at: number; result: Promise<Readiness> } | undefined;
  return () => {
    if (last && Date.now() - last.at < cacheMs) return last.result;
    const result = Promise.all(
      checks.map(async ({ name, check }): Promise<[string, string]> => {
        try {
          await check();
          return [name, 'ok'];
        } catch (err) {
          return [name, (err as Error).message.split('\n')[0]!.slice(0, 200)];
        }
      }),
    ).then((entries) => ({ ready: entries.every(([, state]) => state === 'ok'), checks: Object.fromEntries(entries) }));
    last = { at: Date.now(), result };
    return result;
  };
}

/** `GET /healthz` and `GET /readyz`. `draining()` is true once shutdown has begun: not ready any more. */
export function healthRouter(readiness: () => Promise<Readiness>, draining: () => boolean): Router {
  const router = express.Router();
  router.get('/healthz', (_req, res) => {
    res.set('Cache-Control', 'no-store').json({ status: 'ok' });
  });
  router.get('/readyz', (_req, res, next) => {
    if (draining())
      return void res
        .status(503)
        .set('Cache-Control', 'no-store')
        .json({ ready: false, checks: { app: 'shutting down' } });
    readiness().then(
      (result) =>
        res
          .status(result.ready ? 200 : 503)
          .set('Cache-Control', 'no-store')
          .json(result),
      next,
    );
  });
  return router;
}
