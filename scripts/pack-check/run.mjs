// Packs every package with `npm pack`, installs the tarballs into an empty folder beside express,
// express-session and passport, and signs in through each provider's emulator from `require` and from
// `import` (passport-openplanet: a plugin token posted to a JSON API route; nadeo-auth: service-account tokens),
// then type-checks TypeScript consumers against the packed declarations. Run after `npm run build`.
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CONSUMER_DEPENDENCIES, STARTERS, prepareConsumer, run, runConsumer } from './consumer.mjs';

const root = new URL('../..', import.meta.url).pathname;

// `node run.mjs passport-trackmania` checks only the named providers (with what every strategy installs: the HTTP layer,
// the provider definitions, the core; and the emulators).
const only = process.argv.slice(2);
const work = mkdtempSync(join(tmpdir(), 'maniapass-pack-'));
try {
  const tarballs = [];
  const names = [];
  for (const dir of readdirSync(join(root, 'packages'))) {
    const pkgDir = join(root, 'packages', dir);
    if (!existsSync(join(pkgDir, 'package.json'))) continue;
    if (only.length && !['http', 'providers', 'oauth2-core', 'emulators'].includes(dir) && !only.includes(dir)) continue;
    if (!existsSync(join(pkgDir, 'dist', 'index.js'))) throw new Error(`${dir} is not built: run npm run build`);
    const file = run('npm', ['pack', '--silent', '--pack-destination', work], pkgDir).trim().split('\n').pop();
    tarballs.push(join(work, file));
    names.push(JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')).name);
  }
  const consumer = prepareConsumer(join(work, 'consumer'), names);
  console.log(`installing ${tarballs.length} tarballs into an empty folder...`);
  run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', ...tarballs, ...CONSUMER_DEPENDENCIES], consumer.dir);
  runConsumer(consumer);
  const checked = names.filter((name) => STARTERS[name] || name === 'passport-openplanet' || name === 'nadeo-auth');
  console.log(`pack check passed for ${checked.join(', ')}`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
