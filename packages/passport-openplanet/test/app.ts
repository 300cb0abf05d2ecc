// A service as users of the strategy write one: a JSON API route with `{ session: false }` (the common case),
// the same route with passport's own failure answer, and a route that starts a session. Express 5 or 4.
import { inspect } from 'node:util';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express5 from 'express';
import session from 'express-session';
import passportModule from 'passport';
import request from 'supertest';

// eslint-disable-next-line @typescript-eslint/no-require-imports -- an npm alias: typed as Express 5, whose API the tests use
const express4 = require('express4') as typeof express5;

export interface ApiApp {
  url: string;
  agent: ReturnType<typeof request.agent>;
  /** What the app's error handler logged of each error: String(), stack, JSON and util.inspect. */
  logged: string[];
  close(): Promise<void>;
}

type Info = { message?: string; reason?: string } | undefined;

/**
 * `POST /api/session`: custom callback, answers `{ user }`, or `{ error, reason }` with the failure's status.
 * `POST /api/plain`: passport's own failure answer (status and its text). `POST /login` + `GET /me`: a session.
 * Errors answer `{ error: { name, message, status, upstreamStatus, code } }` with the error's status.
 */
export async function startApiApp(strategy: passportModule.Strategy, options: { express4?: boolean } = {}): Promise<ApiApp> {
  const express = options.express4 ? express4 : express5;
  const app = express();
  const passport = new passportModule.Passport();
  passport.use(strategy);
  passport.serializeUser((user, done) => done(null, JSON.stringify(user)));
  passport.deserializeUser((json: string, done) => done(null, JSON.parse(json)));
  const name = (strategy as { name?: string }).name ?? 'openplanet';
  const logged: string[] = [];

  app.use(express.json({ limit: '64kb' }));
  app.use(express.urlencoded({ extended: false, limit: '64kb' }));
  app.post('/api/session', (req, res, next) => {
    passport.authenticate(name, { session: false }, (err: unknown, user: Express.User | false, info: Info, status?: number) => {
      if (err) return next(err);
      if (!user) return res.status(status ?? 401).json({ error: info?.message, reason: info?.reason });
      res.json({ user });
    })(req, res, next);
  });
  app.post('/api/plain', passport.authenticate(name, { session: false }), (req, res) => {
    res.json({ user: req.user });
  });

  const withSession = express.Router();
  withSession.use(session({ secret: 'test-session-secret', resave: false, saveUninitialized: false }));
  withSession.use(passport.session());
  withSession.post('/login', passport.authenticate(name, { failureMessage: true }), (req, res) => {
    res.json({ user: req.user });
  });
  withSession.get('/me', (req, res) => {
    res.json({ user: req.user ?? null, messages: (req.session as unknown as { messages?: string[] }).messages ?? [] });
  });
  app.use(withSession);

  app.use(
    (
      err: Error & { status?: number; upstreamStatus?: number; code?: string },
      _req: express5.Request,
      res: express5.Response,
      _next: express5.NextFunction,
    ) => {
      logged.push(String(err), err.stack ?? '', JSON.stringify(err), inspect(err, { depth: 5 }));
      const status = err.status && err.status >= 400 && err.status < 600 ? err.status : 500;
      res.status(status).json({ error: { name: err.name, message: err.message, status: err.status, upstreamStatus: err.upstreamStatus, code: err.code } });
    },
  );

  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    agent: request.agent(server),
    logged,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
