// Test harness shared by every package's tests: a real Express app with express-session and passport,
// driven over HTTP by supertest, signing in against the emulators.
import express5 from 'express';
import session from 'express-session';
import passportModule from 'passport';
import request from 'supertest';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

// eslint-disable-next-line @typescript-eslint/no-require-imports -- an npm alias: typed as Express 5, whose API the tests use
const express4 = require('express4') as typeof express5;

type PassportStrategy = passportModule.Strategy & { name?: string };

export interface TestApp {
  /** `http://127.0.0.1:<port>` */
  url: string;
  agent: ReturnType<typeof request.agent>;
  /** Every user the verify function produced, in order. */
  close(): Promise<void>;
}

export interface TestAppOptions {
  /** Builds the strategy once the app's URL (for `callbackURL`) is known. */
  strategy(baseURL: string): PassportStrategy;
  /** Options of `passport.authenticate()` on the start route. */
  authOptions?: Record<string, unknown>;
  /** Options of `passport.authenticate()` on the callback route. */
  callbackOptions?: Record<string, unknown>;
  /** Run under Express 4 instead of 5. */
  express4?: boolean;
  /** Replaces the callback route's success handler (a redirect to `/me`), e.g. to answer `req.authInfo`. */
  afterCallback?: (req: express5.Request, res: express5.Response) => void;
  /** Runs the callback route with passport's custom callback form, `authenticate(name, options, callback)`. */
  customCallback?: (res: express5.Response, err: unknown, user: unknown, info: unknown) => void;
  /** Sees every error that reaches the app's error handler, as thrown. */
  onError?: (err: unknown) => void;
}

/**
 * Starts an app with `/auth/:provider` and `/auth/:provider/callback`; a successful login lands on `/me`
 * (the user as JSON), a failed one on `/failed` (the flash messages as JSON); errors answer
 * `{ error: { name, message, status, code } }` with the error's status.
 */
export async function startTestApp(options: TestAppOptions): Promise<TestApp> {
  const express = options.express4 ? express4 : express5;
  const app = express();
  const passport = new passportModule.Passport();
  passport.serializeUser((user, done) => done(null, JSON.stringify(user)));
  passport.deserializeUser((json: string, done) => done(null, JSON.parse(json)));
  app.use(session({ secret: 'test-session-secret', resave: false, saveUninitialized: false }));
  app.use(passport.initialize());
  app.use(passport.session());

  let name = '';
  app.get('/auth/:provider', (req, res, next) => passport.authenticate(name, options.authOptions ?? {})(req, res, next));
  const callbackOptions = () => ({ failureRedirect: '/failed', failureMessage: true, ...options.callbackOptions });
  const customCallback = options.customCallback;
  if (customCallback) {
    app.get('/auth/:provider/callback', (req, res, next) =>
      passport.authenticate(name, callbackOptions(), (err: unknown, user: unknown, info: unknown) => customCallback(res, err, user, info))(req, res, next),
    );
  } else {
    app.get(
      '/auth/:provider/callback',
      (req, res, next) => passport.authenticate(name, callbackOptions())(req, res, next),
      options.afterCallback ?? ((_req, res) => res.redirect('/me')),
    );
  }
  app.get('/me', (req, res) => {
    res.json({ user: req.user ?? null });
  });
  app.get('/failed', (req, res) => {
    res.json({ messages: (req.session as unknown as { messages?: string[] }).messages ?? [] });
  });
  // Answers with the status an Express error handler reads from the error, as Express's own handler does.
  app.use(
    (
      err: Error & { status?: number; upstreamStatus?: number; code?: string; uri?: string },
      _req: express5.Request,
      res: express5.Response,
      _next: express5.NextFunction,
    ) => {
      options.onError?.(err);
      const status = err.status && err.status >= 400 && err.status < 600 ? err.status : 500;
      res
        .status(status)
        .json({ error: { name: err.name, message: err.message, status: err.status, upstreamStatus: err.upstreamStatus, code: err.code, uri: err.uri } });
    },
  );

  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const strategy = options.strategy(url);
  name = strategy.name ?? '';
  passport.use(strategy);
  return {
    url,
    agent: request.agent(server),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Follows one redirect hop to the emulator without following further, returning the Location header. */
export async function visitEmulator(
  location: string,
  init: { method?: string; body?: string } = {},
): Promise<{ status: number; location: string; body: string }> {
  const res = await fetch(location, {
    method: init.method ?? 'GET',
    redirect: 'manual',
    headers: init.body ? { 'Content-Type': 'application/x-www-form-urlencoded' } : {},
    body: init.body,
  });
  return { status: res.status, location: res.headers.get('location') ?? '', body: await res.text() };
}

/** The path and query of an absolute URL, for replaying a callback against the app's agent. */
export function pathOf(url: string): string {
  const u = new URL(url);
  return u.pathname + u.search;
}

export interface AuthorizeOptions {
  decision?: 'approve' | 'deny';
  consent?: boolean;
  startPath?: string;
  /** Headers of the start request (`X-Forwarded-*`...). */
  headers?: Record<string, string>;
}

/**
 * The first half of a sign-in: start route → emulator (auto-approve, or the consent page's Approve/Deny).
 * `emulatorRedirect` is where the emulator sends the browser back to (the callback URL with its query).
 */
export async function authorize(app: TestApp, provider: string, opts: AuthorizeOptions = {}) {
  const start = await app.agent.get(opts.startPath ?? `/auth/${provider}`).set(opts.headers ?? {});
  if (start.status !== 302) return { start, authorizeURL: undefined, emulatorRedirect: undefined };
  const authorizeURL = start.headers.location as string;
  let hop = await visitEmulator(authorizeURL);
  if (hop.status === 200 && opts.consent !== false) {
    // The consent page: submit its form as a browser would.
    const fields = [...hop.body.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map(([, k, v]): [string, string] => [k!, decodeHtml(v!)]);
    const form = new URLSearchParams(fields);
    form.set('decision', opts.decision ?? 'approve');
    const action = /<form method="post" action="([^"]+)"/.exec(hop.body)?.[1] ?? new URL(authorizeURL).pathname;
    hop = await visitEmulator(new URL(decodeHtml(action), authorizeURL).toString(), { method: 'POST', body: form.toString() });
  }
  return { start, authorizeURL, emulatorRedirect: hop.location || undefined };
}

/**
 * A whole sign-in: start route → emulator (auto-approve, or the consent page's Approve/Deny) → callback.
 * Returns the final response of the callback route.
 */
export async function signIn(app: TestApp, provider: string, opts: AuthorizeOptions = {}) {
  const { start, authorizeURL, emulatorRedirect } = await authorize(app, provider, opts);
  if (!authorizeURL) return { start, callback: undefined, authorizeURL: undefined };
  const callback = emulatorRedirect ? await app.agent.get(pathOf(emulatorRedirect)).set(opts.headers ?? {}) : undefined;
  return { start, callback, authorizeURL, emulatorRedirect };
}

function decodeHtml(text: string): string {
  return text.replace(/&#(\d+);/g, (_m, code: string) => String.fromCharCode(Number(code))).replace(/&amp;/g, '&');
}
