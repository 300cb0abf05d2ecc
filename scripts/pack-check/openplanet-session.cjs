// A plugin's sign-in through passport-openplanet: a JSON API route with `{ session: false }`, a token from the
// Openplanet emulator posted as the plugin would, the player back. Used from require and from import.
exports.pluginSignInOnce = async function pluginSignInOnce({ express, passport: passportModule, Strategy, startOpenplanetEmulator }) {
  const emulator = await startOpenplanetEmulator();
  const passport = new passportModule.Passport();
  passport.use(new Strategy(emulator.strategyOptions(), async (profile) => ({ id: profile.id, displayName: profile.displayName })));
  const app = express();
  app.post('/api/session', express.json(), passport.authenticate('openplanet', { session: false }), (req, res) => res.json(req.user));
  const server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  try {
    const res = await fetch(`http://127.0.0.1:${server.address().port}/api/session`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ token: emulator.issuePluginToken() }),
    });
    const user = await res.json();
    if (res.status !== 200 || user.id !== emulator.users[0].accountId) throw new Error(`plugin sign-in failed: ${res.status} ${JSON.stringify(user)}`);
    return user;
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await emulator.close();
  }
};
