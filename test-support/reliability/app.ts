// A small Express app that signs in with several strategies at once, for the load, fault and hostile-input
// tests: real express-session and passport, sessions that can be ended, and an error handler that answers
// JSON without a stack (what a production app shows).
import express from 'express';
import session from 'express-session';
import passportModule from 'passport';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

type PassportStrategy = passportModule.Strategy & { name?: string };

export interface SessionUser {
  provider: string;
  id: string;
  displayName?: string;
}

/** The verify every strategy of the app gets: the session user is the profile's provider and id. */
export const appVerify = async (
  _accessToken: string,
  _refreshToken: string | undefined,
  profile: { provider: string; id: string; displayName?: string },
): Promise<SessionUser> => ({
  provider: profile.provider,
  id: profile.id,
  displayName: profile.displayName,
});

export interface RunningApp {
  url: string;
  server: Server;
  close(): Promise<void>;
}

/**
 * Routes: `/auth/:name` and `/auth/:name/callback` for each strategy (success → `/me`, failure → `/failed`),
 * `/me` (the session user), `/failed` (flash messages), `/logout` (ends the session), `/health`.
 */
export function createApp(strategies: (baseURL: string) => PassportStrategy[], baseURL: () => string): express.Express {
  const app = express();
  const passport = new passportModule.Passport();
  passport.serializeUser((user, done) => done(null, JSON.stringify(user)));
  passport.deserializeUser((json: string, done) => done(null, JSON.parse(json)));
  app.use(session({ secret: 'reliability-session-secret', resave: false, saveUninitialized: false }));
  app.use(passport.initialize());
  app.use(passport.session());

  let names: Set<string> | undefined;
  const known = (name: string): boolean => {
    if (!names) {
      names = new Set();
      for (const strategy of strategies(baseURL())) {
        passport.use(strategy);
        names.add(strategy.name ?? '');
      }
    }
    return names.has(name);
  };

  app.get('/auth/:name', (req, res, next) => {
    if (!known(req.params.name)) return res.status(404).json({ error: { message: 'unknown provider' } });
    return passport.authenticate(req.params.name)(req, res, next);
  });
  app.get(
    '/auth/:name/callback',
    (req, res, next) => {
      if (!known(req.params.name)) return res.status(404).json({ error: { message: 'unknown provider' } });
      return passport.authenticate(req.params.name, { failureRedirect: '/failed', failureMessage: true })(req, res, next);
    },
    (_req, res) => res.redirect('/me'),
  );
  app.get('/me', (req, res) => {
    res.json({ user: req.user ?? null });
  });
  app.get('/failed', (req, res) => {
    res.json({ messages: (req.session as unknown as { messages?: string[] }).messages ?? [] });
  });
  app.get('/logout', (req, res, next) => {
    req.session.destroy((err) => (err ? next(err) : res.status(204).end()));
  });
  app.get('/health', (_req, res) => {
    res.json({ ok: true });
  });
  app.use(
    (err: Error & { status?: number; upstreamStatus?: number; code?: string }, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
      const status = typeof err.status === 'number' && err.status >= 400 && err.status < 600 ? err.status : 500;
      res.status(status).json({ error: { name: err.name, message: err.message, code: err.code, upstreamStatus: err.upstreamStatus } });
    },
  );
  return app;
}

/** Starts an app on a free loopback port; `strategies` is called once the URL (for `callbackURL`) is known. */
export async function startApp(strategies: (baseURL: string) => PassportStrategy[], extend?: (app: express.Express) => void): Promise<RunningApp> {
  let url = '';
  const app = createApp(strategies, () => url);
  extend?.(app);
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
