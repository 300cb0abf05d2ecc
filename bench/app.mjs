// The Express app both sides of the sign-in benchmark run in: express-session, passport, one strategy.
import express from 'express';
import session from 'express-session';
import passportModule from 'passport';

/** `paths`: the start and callback routes, `/auth/start` and `/auth/callback` unless given. */
export async function startApp(makeStrategy, { startPath = '/auth/start', callbackPath = '/auth/callback' } = {}) {
  const app = express();
  const passport = new passportModule.Passport();
  passport.serializeUser((user, done) => done(null, JSON.stringify(user)));
  passport.deserializeUser((json, done) => done(null, JSON.parse(json)));
  app.use(session({ secret: 'bench-session-secret', resave: false, saveUninitialized: false }));
  app.use(passport.initialize());
  app.use(passport.session());
  let name = '';
  app.get(startPath, (req, res, next) => passport.authenticate(name)(req, res, next));
  app.get(
    callbackPath,
    (req, res, next) => passport.authenticate(name, { failureRedirect: '/failed' })(req, res, next),
    (_req, res) => res.redirect('/me'),
  );
  app.get('/me', (req, res) => res.json({ user: req.user ?? null }));
  app.use((err, _req, res, _next) => res.status(500).json({ error: err.message }));
  const server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const url = `http://127.0.0.1:${server.address().port}`;
  const strategy = makeStrategy(`${url}${callbackPath}`);
  name = strategy.name;
  passport.use(strategy);
  return {
    url,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
