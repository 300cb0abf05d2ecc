// Starts the example app as main.ts does (every provider on its emulator), on a free loopback port.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { MemoryStore, type Store } from 'express-session';
import { createApp } from '../src/app';
import { loadConfig } from '../src/config';
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

export async function startExampleApp(options: { store?: Store; trustProxy?: boolean; timeout?: number } = {}): Promise<ExampleApp> {
  const config = loadConfig({ SESSION_SECRET });
  const { providers, close: closeProviders } = await startProviders(config, { strategyOptions: { timeout: options.timeout ?? 5000 } });
  const demos = await startDemos(config, providers);
  const logged: string[] = [];
  const store = options.store ?? new MemoryStore();
  const app = createApp({
    providers,
    sessionSecret: SESSION_SECRET,
    demos: demos.demos,
    log: (line) => logged.push(line),
    ...(options.trustProxy ? { trustProxy: true } : {}),
    store,
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
