// What an operator meets: a session store that fails or hangs, kept-alive connections, malformed request-targets,
// the proxy setting, probes and metrics. Each finding has a test that failed on the app as it was.
import { channel } from 'node:diagnostics_channel';
import { Agent, request as httpRequest, type IncomingMessage } from 'node:http';
import { connect } from 'node:net';
import fc from 'fast-check';
import { MemoryStore, Store, type SessionData } from 'express-session';
import request from 'supertest';
import { CHANNELS } from '@maniapass/oauth2-core';
import { NADEO_CHANNELS } from 'nadeo-auth';
import { createApp } from '../src/app';
import { ConfigError, loadConfig } from '../src/config';
import { logLine } from '../src/errors';
import { readinessOf, reachable } from '../src/health';
import { OPENPLANET_VALIDATION_CHANNEL, createMetrics } from '../src/metrics';
import { SessionStoreError } from '../src/session-store';
import { SESSION_SECRET, approve, startExampleApp, type ExampleApp } from './helpers';

/** A store that can refuse writes, or stop answering altogether (a frozen Redis). */
class UnreliableStore extends Store {
  private readonly inner = new MemoryStore();
  failSets = false;
  hang = false;
  override get(sid: string, callback: (err: unknown, session?: SessionData | null) => void): void {
    if (this.hang) return;
    this.inner.get(sid, callback);
  }
  override set(sid: string, session: SessionData, callback?: (err?: unknown) => void): void {
    if (this.hang) return;
    if (this.failSets) return void setImmediate(() => callback?.(new Error('')));
    this.inner.set(sid, session, callback);
  }
  override destroy(sid: string, callback?: (err?: unknown) => void): void {
    if (this.hang) return;
    this.inner.destroy(sid, callback);
  }
}

/** A raw request (any request-target) on a new connection: the status line's code. */
function rawStatus(url: string, method: string, target: string): Promise<number> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.write(`${method} ${target} HTTP/1.1\r\nHost: ${hostname}\r\nConnection: close\r\n\r\n`));
    let data = '';
    socket.on('data', (chunk) => (data += chunk.toString('latin1')));
    socket.on('end', () => resolve(Number(/^HTTP\/1\.1 (\d{3})/.exec(data)?.[1] ?? 0)));
    socket.on('error', reject);
  });
}

describe('a session store that fails or hangs', () => {
  let app: ExampleApp;
  let store: UnreliableStore;
  beforeAll(async () => {
    store = new UnreliableStore();
    app = await startExampleApp({ store, storeTimeoutMs: 300 });
  });
  afterAll(() => app.close());
  afterEach(() => {
    store.failSets = false;
    store.hang = false;
  });

  it('a sign-in start whose session cannot be saved answers 503 with Retry-After, and redirects nobody', async () => {
    store.failSets = true;
    const start = await request(app.url).get('/auth/trackmania');
    expect(start.status).toBe(503);
    expect(start.headers['retry-after']).toBe('5');
    expect(start.headers.location).toBeUndefined();
    expect(start.text).toContain('The sign-in could not be started just now');
    // One line, naming the store, never empty after the name.
    expect(app.logged.at(-1)).toBe('ERROR session store GET /auth/trackmania: SessionStoreError: session set failed: Error');
  });

  it('a store that does not answer: every request is answered within the deadline (503), none waits for the store', async () => {
    const agent = request.agent(app.url);
    expect((await agent.get('/auth/trackmania')).status).toBe(302); // a session to read back
    store.hang = true;
    for (const path of ['/', '/profile', '/auth/trackmania', '/auth/failure']) {
      const started = Date.now();
      const res = await agent.get(path).timeout(10_000);
      expect(res.status).toBe(503);
      expect(res.headers['retry-after']).toBe('5');
      // The deadline is 300 ms; a busy machine adds to it, never by seconds.
      expect(Date.now() - started).toBeLessThan(3000);
    }
    expect(app.logged.at(-1)).toMatch(/^ERROR session store GET \/auth\/failure: SessionStoreError: session get did not answer within 300 ms$/);
    // Without a session, pages that need none still answer at once.
    expect((await request(app.url).get('/').timeout(3000)).status).toBe(200);
  });
});

describe('a kept-alive connection survives a session write that fails after an error page', () => {
  // express-session's own memory store, as the app uses it by default: no deadline wrapper in between.
  class RefusingMemoryStore extends MemoryStore {
    failSets = false;
    override set(sid: string, session: SessionData, callback?: (err?: unknown) => void): void {
      if (this.failSets) return void setImmediate(() => callback?.(new Error('store unavailable')));
      super.set(sid, session, callback);
    }
  }
  let app: ExampleApp;
  let store: RefusingMemoryStore;
  beforeAll(async () => {
    store = new RefusingMemoryStore();
    app = await startExampleApp({ store });
  });
  afterAll(() => app.close());

  it('the callback fails on the store, its error page goes out, and the next request on the same connection is answered', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const get = (path: string, cookie = ''): Promise<{ res: IncomingMessage; body: string }> =>
      new Promise((resolve, reject) => {
        const req = httpRequest(`${app.url}${path}`, { agent, headers: cookie ? { cookie } : {} }, (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => (body += c));
          res.on('end', () => resolve({ res, body }));
        });
        req.on('error', reject);
        req.end();
      });
    try {
      for (let i = 0; i < 5; i++) {
        store.failSets = false;
        const start = await get('/auth/trackmania');
        const cookie = (start.res.headers['set-cookie'] ?? [])[0]!.split(';')[0]!;
        const callbackPath = await approve(start.res.headers.location!);
        store.failSets = true;
        const callback = await get(callbackPath, cookie);
        expect(callback.res.statusCode).toBe(500);
        const socket = callback.res.socket;
        // The same connection, right after: before, it was destroyed under this request (ECONNRESET).
        const next = await get('/');
        expect(next.res.statusCode).toBe(200);
        expect(next.res.socket).toBe(socket);
      }
    } finally {
      store.failSets = false;
      agent.destroy();
    }
  });
});

describe('request-targets that are not a path', () => {
  let app: ExampleApp;
  beforeAll(async () => {
    app = await startExampleApp();
  });
  afterAll(() => app.close());

  it.each(['GET', 'OPTIONS', 'HEAD', 'POST'])('%s * answers 400, with nothing logged', async (method) => {
    const logged = app.logged.length;
    expect(await rawStatus(app.url, method, '*')).toBe(400);
    expect(app.logged.slice(logged)).toEqual([]);
  });

  it('any request-target that does not start with "/": a 400 (or the parser\'s own 400), never a 5xx, nothing logged (property)', async () => {
    const target = fc.oneof(
      fc.constantFrom(
        '*',
        '**',
        '*/',
        '*?x',
        '?a=1',
        '#x',
        'x',
        '%',
        '%2F',
        '\\',
        'http://evil.example/',
        'HTTP://127.0.0.1/auth/trackmania',
        '127.0.0.1:80',
        '.',
      ),
      fc.stringMatching(/^[!-.0-~][!-~]{0,40}$/),
    );
    const logged = app.logged.length;
    await fc.assert(
      fc.asyncProperty(target, fc.constantFrom('GET', 'OPTIONS'), async (t, method) => {
        expect(await rawStatus(app.url, method, t)).toBe(400);
      }),
      { numRuns: 150 },
    );
    expect(app.logged.slice(logged)).toEqual([]);
  });
});

describe('behind a proxy', () => {
  it('TRUST_PROXY=true is refused, at start and in createApp, with what to set instead', () => {
    for (const value of ['true', 'TRUE', 'yes', '*']) {
      expect(() => loadConfig({ TRUST_PROXY: value })).toThrow(ConfigError);
      expect(() => loadConfig({ TRUST_PROXY: value })).toThrow(/set the number of proxies in front of the app \(1 behind one proxy\)/);
    }
    expect(loadConfig({ TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(loadConfig({ TRUST_PROXY: 'loopback, 10.0.0.0/8' }).trustProxy).toBe('loopback, 10.0.0.0/8');
    expect(() => createApp({ providers: [], sessionSecret: SESSION_SECRET, trustProxy: true as unknown as number })).toThrow(TypeError);
  });

  it('with TRUST_PROXY=1, a client cannot pick its address: the proxy appends the real one, the rate limit counts it', async () => {
    const app = await startExampleApp({ trustProxy: 1, limits: { authRateLimit: 3 } });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++) {
        // What a proxy sends on: the client's own header, then the address the proxy saw.
        const res = await request(app.url).get('/auth/failure').set('X-Forwarded-For', `10.9.${i}.${i}, 203.0.113.7`);
        statuses.push(res.status);
      }
      expect(statuses).toEqual([401, 401, 401, 429, 429, 429]);
    } finally {
      await app.close();
    }
  });
});

describe('health, readiness and metrics', () => {
  it('/healthz answers while the process serves; /readyz says which check fails', async () => {
    const up = reachable('up', 'http://127.0.0.1:1', 200);
    let draining = false;
    const app = createApp({
      providers: [],
      sessionSecret: SESSION_SECRET,
      health: { readiness: readinessOf([{ name: 'redis', check: async () => undefined }, up], 0), draining: () => draining },
    });
    expect((await request(app).get('/healthz')).body).toEqual({ status: 'ok' });
    const notReady = await request(app).get('/readyz');
    expect(notReady.status).toBe(503);
    expect(notReady.body).toEqual({ ready: false, checks: { redis: 'ok', up: '127.0.0.1:1 ECONNREFUSED' } });
    expect(notReady.headers['set-cookie']).toBeUndefined();
    draining = true;
    expect((await request(app).get('/readyz')).body).toEqual({ ready: false, checks: { app: 'shutting down' } });
  });

  it('/metrics counts what the libraries publish: sign-ins, failures, provider latency, store errors, Nadeo tokens, Openplanet cache', async () => {
    const metrics = createMetrics();
    try {
      const app = createApp({ providers: [], sessionSecret: SESSION_SECRET, metrics: metrics.handler });
      const publish = (name: string, message: object) => channel(name).publish(message);
      publish(CHANNELS.signInEnd, { provider: 'trackmania', leg: 'callback', outcome: 'success', durationMs: 120 });
      publish(CHANNELS.signInEnd, { provider: 'trackmania', leg: 'callback', outcome: 'error', durationMs: 2000, errorKind: 'ETIMEDOUT' });
      publish(CHANNELS.requestEnd, { provider: 'trackmania', method: 'POST', url: 'https://api.trackmania.com/api/access_token', status: 200, durationMs: 80 });
      publish(CHANNELS.requestError, {
        provider: 'maniaplanet',
        method: 'GET',
        url: 'https://x/',
        durationMs: 10_000,
        code: 'ETIMEDOUT',
        error: new Error('t'),
      });
      publish(CHANNELS.storeError, { component: 'example-app:sessions', operation: 'get', code: 'ETIMEDOUT', failed: 'closed' });
      publish(NADEO_CHANNELS.tokenRequest, { audience: 'NadeoLiveServices', grant: 'login', outcome: 'rate_limited', status: 429, durationMs: 30 });
      publish(NADEO_CHANNELS.holdOff, { scope: 'token-core', seconds: 2, streak: 2 });
      publish(OPENPLANET_VALIDATION_CHANNEL, { source: 'cache', outcome: 'valid', durationMs: 1 });
      publish(OPENPLANET_VALIDATION_CHANNEL, { source: 'openplanet', outcome: 'refused', durationMs: 40 });
      const res = await request(app).get('/metrics');
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
      for (const line of [
        'maniapass_signin_legs_total{provider="trackmania",leg="callback",outcome="success"} 1',
        'maniapass_signin_failures_total{provider="trackmania",kind="ETIMEDOUT"} 1',
        'maniapass_signin_duration_seconds_count{provider="trackmania",leg="callback"} 2',
        'maniapass_provider_request_duration_seconds_count{provider="trackmania",method="POST",outcome="2xx"} 1',
        'maniapass_provider_request_duration_seconds_count{provider="maniaplanet",method="GET",outcome="ETIMEDOUT"} 1',
        'maniapass_store_errors_total{component="example-app:sessions",operation="get",code="ETIMEDOUT",failed="closed"} 1',
        'nadeo_token_requests_total{audience="NadeoLiveServices",grant="login",outcome="rate_limited"} 1',
        'nadeo_holdoffs_total{scope="token-core"} 1',
        'openplanet_validations_total{source="cache",outcome="valid"} 1',
        'openplanet_validations_total{source="openplanet",outcome="refused"} 1',
      ]) {
        expect(res.text).toContain(line);
      }
      expect(res.text).toContain('process_cpu_user_seconds_total');
    } finally {
      metrics.close();
    }
  });
});

describe('log lines', () => {
  it('one line naming the component, with a message even when the error has none, never a stack', () => {
    expect(logLine('GET /auth/trackmania', new SessionStoreError('redis', 'session set failed: The client is closed', 'ESTORE'))).toBe(
      'ERROR redis GET /auth/trackmania: SessionStoreError: session set failed: The client is closed',
    );
    expect(logLine('GET /x', new Error(''))).toBe('ERROR app GET /x: Error: (no message)');
    expect(logLine('GET /x', Object.assign(new Error(''), { code: 'ECONNRESET' }))).toBe('ERROR app GET /x: Error: ECONNRESET');
    expect(logLine('GET /x', new Error('a\n    at f (file.js:1:2)'))).not.toContain('\n');
  });
});
