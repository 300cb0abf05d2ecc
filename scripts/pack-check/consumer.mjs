// An empty project that uses the packages as a user would: the pack check fills one from `npm pack` tarballs,
// the release check one per package from a registry. `prepareConsumer` copies the consumer scripts and says which
// packages to exercise; `runConsumer` signs in from `require` and `import` and type-checks the TypeScript consumers.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const here = new URL('.', import.meta.url).pathname;
const root = new URL('../..', import.meta.url).pathname;

/** Each provider of @maniapass/providers' registry (built): its Passport package and its emulator's starter. */
export const STARTERS = Object.fromEntries(
  createRequire(join(root, 'package.json'))('@maniapass/providers').PROVIDERS.map(({ id }) => [
    `passport-${id}`,
    `start${id[0].toUpperCase()}${id.slice(1)}Emulator`,
  ]),
);

/** What the consumer folder needs beside the packages under test. */
export const CONSUMER_DEPENDENCIES = [
  'express@5.3.0',
  'express-session@1.19.0',
  'passport@0.7.0',
  '@types/express@5.0.6',
  '@types/express-session@1.19.0',
  '@types/passport@1.0.17',
  '@types/node@20',
];

export const run = (cmd, args, cwd, env = process.env) => execFileSync(cmd, args, { cwd, env, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });

/** Creates `dir` with the consumer scripts for `names` (package names); returns what `runConsumer` needs. */
export function prepareConsumer(dir, names) {
  mkdirSync(dir, { recursive: true });
  cpSync(here, dir, { recursive: true, filter: (src) => !/(run|consumer)\.mjs$/.test(src) });
  const providers = names.filter((name) => STARTERS[name]).map((pkg) => ({ pkg, starter: STARTERS[pkg] }));
  const openplanet = names.includes('passport-openplanet');
  const nadeo = names.includes('nadeo-auth');
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', private: true }));
  writeFileSync(join(dir, 'providers.json'), JSON.stringify(providers));
  writeFileSync(join(dir, 'packages.json'), JSON.stringify(names));
  // A typed consumer compiles only where its package is installed.
  const tsconfig = JSON.parse(readFileSync(join(dir, 'tsconfig.json'), 'utf8'));
  const typed = { 'typed-consumer.ts': providers.some((p) => p.pkg === 'passport-trackmania'), 'typed-openplanet.ts': openplanet };
  for (const [file, keep] of Object.entries(typed)) if (!keep) rmSync(join(dir, file));
  tsconfig.files = tsconfig.files.filter((file) => typed[file]);
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify(tsconfig));
  return { dir, providers, openplanet, nadeo, typed: tsconfig.files.length > 0 };
}

/** Signs in with every package the consumer holds, from require and import, then compiles its typed consumers. */
export function runConsumer({ dir, providers, openplanet, nadeo, typed }, env = process.env) {
  const node = (script) => process.stdout.write(run('node', [script], dir, env));
  if (providers.length) {
    node('cold-start.cjs');
    node('consumer-login.cjs');
    node('consumer-login.mjs');
  }
  node('esm-names.mjs');
  if (openplanet) {
    node('consumer-openplanet.cjs');
    node('consumer-openplanet.mjs');
  }
  if (nadeo) node('consumer-nadeo.cjs');
  if (typed) {
    run(join(root, 'node_modules', '.bin', 'tsc'), ['-p', 'tsconfig.json'], dir, env);
    console.log('typed consumer compiles against the installed declarations');
  }
}
