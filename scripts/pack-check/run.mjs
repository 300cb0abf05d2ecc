// Packs every package with `npm pack`, installs the tarballs into an empty folder beside express,
// express-session and passport, and signs in through each provider's emulator from `require` and from
// `import` (passport-openplanet: a plugin token posted to a JSON API route), then type-checks TypeScript consumers
// against the packed declarations. Run after `npm run build`.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const root = new URL('../..', import.meta.url).pathname;
const here = new URL('.', import.meta.url).pathname;
// Every provider of @maniapass/providers' registry (built): its Passport package and its emulator's starter.
const STARTERS = Object.fromEntries(
  createRequire(join(root, 'package.json'))('@maniapass/providers').PROVIDERS.map(({ id }) => [`passport-${id}`, `start${id[0].toUpperCase()}${id.slice(1)}Emulator`]),
);

// `node run.mjs passport-trackmania` checks only the named providers (the HTTP layer, the core and the emulators always).
const only = process.argv.slice(2);
const work = mkdtempSync(join(tmpdir(), 'maniapass-pack-'));
const run = (cmd, args, cwd) => execFileSync(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
try {
  const tarballs = [];
  const providers = [];
  const names = [];
  let openplanet = false;
  for (const dir of readdirSync(join(root, 'packages'))) {
    const pkgDir = join(root, 'packages', dir);
    if (only.length && !['http', 'oauth2-core', 'emulators'].includes(dir) && !only.includes(dir)) continue;
    if (!existsSync(join(pkgDir, 'dist', 'index.js'))) throw new Error(`${dir} is not built: run npm run build`);
    const name = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')).name;
    const file = run('npm', ['pack', '--silent', '--pack-destination', work], pkgDir).trim().split('\n').pop();
    tarballs.push(join(work, file));
    names.push(name);
    if (STARTERS[name]) providers.push({ pkg: name, starter: STARTERS[name] });
    if (name === 'passport-openplanet') openplanet = true;
  }
  const consumer = join(work, 'consumer');
  cpSync(here, consumer, { recursive: true, filter: (src) => !src.endsWith('run.mjs') });
  writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true }));
  writeFileSync(join(consumer, 'providers.json'), JSON.stringify(providers));
  writeFileSync(join(consumer, 'packages.json'), JSON.stringify(names));
  // The typed consumer of passport-openplanet compiles only where it is packed.
  if (!openplanet) {
    rmSync(join(consumer, 'typed-openplanet.ts'));
    const tsconfig = JSON.parse(readFileSync(join(consumer, 'tsconfig.json'), 'utf8'));
    tsconfig.files = tsconfig.files.filter((f) => f !== 'typed-openplanet.ts');
    writeFileSync(join(consumer, 'tsconfig.json'), JSON.stringify(tsconfig));
  }
  console.log(`installing ${tarballs.length} tarballs into an empty folder...`);
  run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', ...tarballs, 'express@5.3.0', 'express-session@1.19.0', 'passport@0.7.0', '@types/express@5.0.6', '@types/express-session@1.19.0', '@types/passport@1.0.17', '@types/node@20'], consumer);

  process.stdout.write(run('node', ['consumer-login.cjs'], consumer));
  process.stdout.write(run('node', ['consumer-login.mjs'], consumer));
  process.stdout.write(run('node', ['esm-names.mjs'], consumer));
  if (openplanet) {
    process.stdout.write(run('node', ['consumer-openplanet.cjs'], consumer));
    process.stdout.write(run('node', ['consumer-openplanet.mjs'], consumer));
  }
  run(join(root, 'node_modules', '.bin', 'tsc'), ['-p', 'tsconfig.json'], consumer);
  console.log('typed consumer compiles against the packed declarations');
  console.log(`pack check passed for ${[...providers.map((p) => p.pkg), ...(openplanet ? ['passport-openplanet'] : [])].join(', ')}`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
