// One sign-in through an Express app, driven with fetch and a one-cookie jar.
exports.signInOnce = async function signInOnce({ express, session, passport: passportModule, Strategy, emulator }) {
  const passport = new passportModule.Passport();
  const app = express();
  app.use(session({ secret: 'pack-check', resave: false, saveUninitialized: false }));
  app.use(passport.initialize());
  app.use(passport.session());
  passport.serializeUser((u, done) => done(null, u));
  passport.deserializeUser((u, done) => done(null, u));
  const server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const base = `http://127.0.0.1:${server.address().port}`;
  const strategy = new Strategy({ ...emulator.strategyOptions(), callbackURL: `${base}/cb` }, async (_at, _rt, profile) => ({
    id: profile.id,
    displayName: profile.displayName,
  }));
  passport.use(strategy);
  app.get('/login', passport.authenticate(strategy.name));
  app.get('/cb', passport.authenticate(strategy.name, { failureRedirect: '/failed' }), (_req, res) => res.redirect('/me'));
  app.get('/me', (req, res) => res.json(req.user ?? null));

  let cookie = '';
  const visit = async (url) => {
    const res = await fetch(url, { redirect: 'manual', headers: cookie && url.startsWith(base) ? { cookie } : {} });
    const set = res.headers.get('set-cookie');
    if (set && url.startsWith(base)) cookie = set.split(';')[0];
    return res;
  };
  try {
    const toProvider = await visit(`${base}/login`);
    const back = await visit(toProvider.headers.get('location'));
    const done = await visit(back.headers.get('location'));
    if (done.headers.get('location') !== '/me') throw new Error(`sign-in failed: ${done.status} ${await done.text()}`);
    const user = await (await visit(`${base}/me`)).json();
    if (!user || typeof user.id !== 'string') throw new Error('no user in the session');
    return user;
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
};
