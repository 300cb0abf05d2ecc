// Starts the example app as main.ts does (every provider on its emulator), on a free loopback port.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { MemoryStore, type Store } from 'express-session';
import { pathOf, visitEmulator } from '../../../test-support/harness';
import type { EmulatedUser, OAuthEmulator } from '@maniapass/emulators';
import { createApp } from '../src/app';
import { loadConfig, type AppLimits } from '../src/config';
import { startDemos } from '../src/demos';
import { startProviders, type ActiveProvider } from '../src/providers';

export const SESSION_SECRET = 'test-session-secret-that-is-long-enough-0123456789';

export interface ExampleApp {
  url: string;
  agent: ReturnType<typeof request.agent>;
  providers: ActiveProvider[];
  /** The session store (a MemoryStore unless one was given). */
  store: Store;
  /** Server-side error lines the app logged. */
  logged: string[];
  close(): Promise<void>;
}

/**
 * Tests sign in many times from one address: the per-address limits are off unless `limits` sets them (their own
 * tests do); every other limit has its default.
 */
export const NO_RATE_LIMITS: Partial<AppLimits> = { authRateLimit: 0, demoRateLimit: 0 };

export interface ExampleAppOptions {
  store?: Store;
  /** Express `trust proxy` (a hop count). */
  trustProxy?: number;
  /** Every strategy's `timeout`. Default 5000. */
  timeout?: number;
  /** Added to every strategy's options (a `fetch` that plays a hostile provider...). */
  strategyOptions?: Record<string, unknown>;
  limits?: Partial<AppLimits>;
  /** The deadline of every session store call. */
  storeTimeoutMs?: number;
}

export async function startExampleApp(options: ExampleAppOptions = {}): Promise<ExampleApp> {
  const config = loadConfig({ SESSION_SECRET });
  const { providers, close: closeProviders } = await startProviders(config, {
    strategyOptions: { timeout: options.timeout ?? 5000, ...options.strategyOptions },
  });
  const demos = await startDemos(config, providers);
  const logged: string[] = [];
  const store = options.store ?? new MemoryStore();
  const app = createApp({
    providers,
    sessionSecret: SESSION_SECRET,
    demos: demos.demos,
    limits: { ...NO_RATE_LIMITS, ...options.limits },
    log: (line) => logged.push(line),
    ...(options.trustProxy ? { trustProxy: options.trustProxy } : {}),
    store,
    ...(options.storeTimeoutMs === undefined ? {} : { storeTimeoutMs: options.storeTimeoutMs }),
  });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    agent: request.agent(server),
    providers,
    store,
    logged,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await demos.close();
      await closeProviders();
    },
  };
}

/** A provider's emulator, with the test controls (`fault`, `requestsTo`...). */
export function emulatorOf(app: ExampleApp, name: string): OAuthEmulator<EmulatedUser> {
  const provider = app.providers.find((p) => p.entry.name === name);
  if (!provider?.emulator) throw new Error(`no emulator for ${name}`);
  return provider.emulator as unknown as OAuthEmulator<EmulatedUser>;
}

/** The session cookie a response set (`maniapass.sid=...; Expires=...`), or undefined. */
export function sessionCookie(res: { headers: Record<string, unknown> }): string | undefined {
  const cookies = (res.headers['set-cookie'] as string[] | undefined) ?? [];
  return cookies.find((c) => c.startsWith('maniapass.sid='));
}

/** The CSRF token of the POST forms on a page. */
export function csrfFrom(html: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!match?.[1]) throw new Error('no CSRF field on the page');
  return match[1];
}

/** Every session in a store, as stored. */
export function allSessions(store: Store): Promise<Array<Record<string, unknown>>> {
  return new Promise((resolve, reject) => {
    store.all!((err, sessions) => {
      if (err) return reject(err as Error);
      resolve(Object.values(sessions ?? {}) as unknown as Array<Record<string, unknown>>);
    });
  });
}

/** Approves the emulator's consent page of `authorizeURL` as a browser would: the callback path and query it redirects to. */
export async function approve(authorizeURL: string): Promise<string> {
  let hop = await visitEmulator(authorizeURL);
  if (hop.status === 200) {
    const decode = (v: string) => v.replace(/&#(\d+);/g, (_m, c: string) => String.fromCharCode(Number(c))).replace(/&amp;/g, '&');
    const fields = new URLSearchParams(
      [...hop.body.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map(([, k, v]): [string, string] => [k!, decode(v!)]),
    );
    fields.set('decision', 'approve');
    const action = new URL(decode(/<form method="post" action="([^"]+)"/.exec(hop.body)![1]!), authorizeURL);
    hop = await visitEmulator(action.toString(), { method: 'POST', body: fields.toString() });
  }
  return pathOf(hop.location);
}
