// A real Express 5 app on @auth/express with every provider of @maniapass/authjs, run in its own process (Auth.js is
// ESM only, which jest cannot load): options from APP_OPTIONS, one JSON line with its URL once listening, SIGTERM
// closes it. `/me` answers the session; `/logged` what Auth.js's logger received, as a user's logs would show it.
import { createRequire } from 'node:module';
import { inspect } from 'node:util';
import express from 'express';
import { ExpressAuth, getSession } from '@auth/express';

const require = createRequire(import.meta.url);
// Workspace packages from their TypeScript sources, as jest runs them.
require('../../../../test-support/register-sources.cjs');
const { Trackmania, ManiaPlanet, TrackMage, Toornament } = require('@maniapass/authjs');

const FACTORIES = { trackmania: Trackmania, maniaplanet: ManiaPlanet, trackmage: TrackMage, toornament: Toornament };
const options = JSON.parse(process.env.APP_OPTIONS ?? '{}');
const logged = [];
const config = {
  secret: 'authjs-test-secret-authjs-test-secret',
  trustHost: true,
  providers: Object.entries(options.providers).map(([id, provider]) => FACTORIES[id](provider)),
  logger: {
    error: (error) => logged.push(inspect(error, { depth: 8 })),
    warn: (code) => logged.push(String(code)),
    debug: () => undefined,
  },
};

const app = express();
app.set('trust proxy', true);
// Express 5: a regular expression, so that @auth/express finds its base path in `req.params[0]` as under Express 4's '/auth/*'.
app.use(/^\/auth\/(.*)$/, ExpressAuth(config));
app.get('/me', async (req, res) => res.json({ session: (await getSession(req, config)) ?? null }));
app.get('/logged', (_req, res) => res.json({ logged }));
const server = app.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${server.address().port}` })}\n`);
});
process.once('SIGTERM', () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
