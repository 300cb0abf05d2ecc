// Prometheus metrics (prom-client), fed from the collection's diagnostics channels: the app counts nothing itself,
// it listens to what the libraries publish on node:diagnostics_channel. `GET /metrics` serves them.
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { RequestHandler } from 'express';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { CHANNELS, type RequestEnd, type RequestError, type SignInEnd } from '@maniapass/oauth2-core';
import { type StoreFailure } from '@maniapass/http';
import { NADEO_CHANNELS, type NadeoHoldOff, type NadeoTokenRequest } from 'nadeo-auth';

/**
 * Where passport-openplanet publishes the end of each token validation: `{ source: 'cache' | 'peer' | 'openplanet',
 * outcome: 'valid' | 'refused' | 'too_old' | 'error', durationMs }`. `cache` is a hit of its shared validation cache,
 * `peer` a validation another process made meanwhile, `openplanet` a call to Openplanet.
 */
export const OPENPLANET_VALIDATION_CHANNEL = 'passport-openplanet:validation:end';

/** A label value as Prometheus should get it: short, from a small alphabet (messages are the libraries', but bounded anyway). */
function label(value: unknown): string {
  if (typeof value !== 'string' && typeof value !== 'number') return 'unknown';
  return (
    String(value)
      .replace(/[^\w:.-]/g, '_')
      .slice(0, 40) || 'unknown'
  );
}

/** An HTTP status as its class (`2xx`...), so that a provider cannot make a label per status it invents. */
function statusClass(status: number): string {
  return Number.isInteger(status) && status >= 100 && status <= 599 ? `${Math.floor(status / 100)}xx` : 'other';
}

export interface AppMetrics {
  registry: Registry;
  /** `GET /metrics`: the text format Prometheus scrapes. */
  handler: RequestHandler;
  /** Stops listening to the channels (tests make several apps in one process). */
  close(): void;
}

/** A registry with Node's default metrics and the sign-in, provider, store, Nadeo and Openplanet metrics. */
export function createMetrics(): AppMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];

  const signIns = new Counter({
    name: 'maniapass_signin_legs_total',
    help: 'Sign-in legs (authorize redirect, callback) by provider, leg and outcome (redirect, success, fail, pass, error).',
    labelNames: ['provider', 'leg', 'outcome'],
    registers,
  });
  const signInFailures = new Counter({
    name: 'maniapass_signin_failures_total',
    help: 'Sign-in legs that failed, by provider and kind (the error code or class, or fail for a refusal such as a denied consent or a bad state).',
    labelNames: ['provider', 'kind'],
    registers,
  });
  const signInDuration = new Histogram({
    name: 'maniapass_signin_duration_seconds',
    help: 'How long a sign-in leg took, by provider and leg.',
    labelNames: ['provider', 'leg'],
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers,
  });
  const providerLatency = new Histogram({
    name: 'maniapass_provider_request_duration_seconds',
    help: 'Outbound requests to providers, by provider, method and outcome (the status class, or the error code when no answer came).',
    labelNames: ['provider', 'method', 'outcome'],
    buckets: [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers,
  });
  const storeErrors = new Counter({
    name: 'maniapass_store_errors_total',
    help: 'Shared store (Redis) calls that failed or timed out, by component, operation, code and what the caller did (open: went on without the store; closed: refused).',
    labelNames: ['component', 'operation', 'code', 'failed'],
    registers,
  });
  const nadeoTokens = new Counter({
    name: 'nadeo_token_requests_total',
    help: 'Token requests of nadeo-auth, by audience, grant (login, refresh, client_credentials) and outcome (success, rate_limited, error).',
    labelNames: ['audience', 'grant', 'outcome'],
    registers,
  });
  const nadeoHoldOffs = new Counter({
    name: 'nadeo_holdoffs_total',
    help: 'Hold-offs nadeo-auth started after a 429, by scope (api, token-core, token-oauth).',
    labelNames: ['scope'],
    registers,
  });
  const openplanetValidations = new Counter({
    name: 'openplanet_validations_total',
    help: "Openplanet token validations of passport-openplanet, by source (cache: a hit of its validation cache; peer: another process's validation; openplanet: a call to Openplanet) and outcome.",
    labelNames: ['source', 'outcome'],
    registers,
  });

  const listeners: Array<[string, (message: unknown) => void]> = [
    [
      CHANNELS.signInEnd,
      (message) => {
        const m = message as SignInEnd;
        const provider = label(m.provider);
        signIns.inc({ provider, leg: label(m.leg), outcome: label(m.outcome) });
        if (typeof m.durationMs === 'number') signInDuration.observe({ provider, leg: label(m.leg) }, m.durationMs / 1000);
        if (m.outcome === 'error' || m.outcome === 'fail')
          signInFailures.inc({ provider, kind: label(m.outcome === 'fail' ? 'fail' : (m.errorKind ?? 'error')) });
      },
    ],
    [
      CHANNELS.requestEnd,
      (message) => {
        const m = message as RequestEnd;
        providerLatency.observe({ provider: label(m.provider), method: label(m.method), outcome: statusClass(m.status) }, m.durationMs / 1000);
      },
    ],
    [
      CHANNELS.requestError,
      (message) => {
        const m = message as RequestError;
        providerLatency.observe({ provider: label(m.provider), method: label(m.method), outcome: label(m.code ?? 'error') }, m.durationMs / 1000);
      },
    ],
    [
      CHANNELS.storeError,
      (message) => {
        const m = message as StoreFailure;
        storeErrors.inc({ component: label(m.component), operation: label(m.operation), code: label(m.code), failed: label(m.failed) });
      },
    ],
    [
      NADEO_CHANNELS.tokenRequest,
      (message) => {
        const m = message as NadeoTokenRequest;
        nadeoTokens.inc({ audience: label(m.audience), grant: label(m.grant), outcome: label(m.outcome) });
      },
    ],
    [NADEO_CHANNELS.holdOff, (message) => nadeoHoldOffs.inc({ scope: label((message as NadeoHoldOff).scope) })],
    [
      OPENPLANET_VALIDATION_CHANNEL,
      (message) => {
        const m = message as { source?: unknown; outcome?: unknown };
        openplanetValidations.inc({ source: label(m.source), outcome: label(m.outcome) });
      },
    ],
  ];
  for (const [name, listener] of listeners) subscribe(name, listener);

  return {
    registry,
    handler: (_req, res, next) => {
      registry.metrics().then((text) => {
        res.set('Content-Type', registry.contentType).set('Cache-Control', 'no-store').send(text);
      }, next);
    },
    close: () => {
      for (const [name, listener] of listeners) unsubscribe(name, listener);
    },
  };
}
