// The app the better-auth release test runs in an empty project where @maniapass/better-auth, better-auth and
// better-sqlite3 are installed from tarballs and the registry: better-auth's own Node handler on a SQLite file
// database migrated with better-auth's migration API, the generic OAuth plugin with the four configurations.
// Input (environment): AUTH_DATABASE, the database file; AUTH_PROVIDERS, a JSON object of each provider's options
// (its emulator's URLs and client). Prints `listening <base URL>` once it serves.
import { createServer } from 'node:http';
import { randomBytes } from 'node:crypto';
import Database from 'better-sqlite3';
import { betterAuth } from 'better-auth';
import { getMigrations } from 'better-auth/db/migration';
import { toNodeHandler } from 'better-auth/node';
import { genericOAuth } from 'better-auth/plugins';
import { trackmania, maniaplanet, trackmage, toornament } from '@maniapass/better-auth';

const options = JSON.parse(process.env.AUTH_PROVIDERS ?? '{}');
const server = createServer();
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const baseURL = `http://127.0.0.1:${server.address().port}`;

const authOptions = {
  baseURL,
  secret: randomBytes(32).toString('hex'),
  database: new Database(process.env.AUTH_DATABASE),
  plugins: [
    genericOAuth({
      config: [trackmania(options.trackmania), maniaplanet(options.maniaplanet), trackmage(options.trackmage), toornament(options.toornament)],
    }),
  ],
};
const { runMigrations } = await getMigrations(authOptions);
await runMigrations();
const auth = betterAuth(authOptions);
server.on('request', toNodeHandler(auth));
console.log(`listening ${baseURL}`);
