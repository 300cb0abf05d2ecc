// The release, rehearsed against a local registry (run after `npm run build`):
// 1. starts Verdaccio on loopback with an empty storage; the collection's names are served only from what is
//    published to it, every other package through it from the usual registry;
// 2. in a copy of the tree (a git repository of one commit, `fix: release rehearsal`), runs the release workflow's
//    two commands but the push: `lerna version --conventional-commits` (new versions, CHANGELOG entries, a commit,
//    tags) and `lerna publish from-git`, which publishes every package under packages/ to that registry;
// 3. installs passport-trackmania, nadeo-auth and passport-openplanet, each alone with the emulators, into an
//    empty project from that registry, checks that the installed package carries its new CHANGELOG entry, and
//    signs in through the emulators from `require` and `import`.
import { spawn, execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CONSUMER_DEPENDENCIES, prepareConsumer, run, runConsumer } from './pack-check/consumer.mjs';

const root = new URL('..', import.meta.url).pathname;
const INSTALLED = ['passport-trackmania', 'nadeo-auth', 'passport-openplanet'];
const START_TIMEOUT_MS = 60_000;

const freePort = () =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });

const packages = readdirSync(join(root, 'packages'))
  .filter((dir) => existsSync(join(root, 'packages', dir, 'package.json')))
  .map((dir) => ({ dir, manifest: JSON.parse(readFileSync(join(root, 'packages', dir, 'package.json'), 'utf8')) }))
  .filter(({ manifest }) => !manifest.private);
for (const { dir } of packages) if (!existsSync(join(root, 'packages', dir, 'dist', 'index.js'))) throw new Error(`${dir} is not built: run npm run build`);

const work = mkdtempSync(join(tmpdir(), 'maniapass-release-'));
let verdaccio;
try {
  // The registry: our names local only, everything else proxied from the registry npm uses here.
  const upstream = execFileSync('npm', ['config', 'get', 'registry'], { encoding: 'utf8' }).trim();
  const port = await freePort();
  const registry = `http://127.0.0.1:${port}/`;
  const own = packages.map(({ manifest }) => `  '${manifest.name}':\n    access: $all\n    publish: $authenticated\n`).join('');
  writeFileSync(
    join(work, 'config.yaml'),
    `storage: ${join(work, 'storage')}\nauth:\n  htpasswd:\n    file: ${join(work, 'htpasswd')}\n    max_users: 1\n` +
      `uplinks:\n  upstream:\n    url: ${upstream}\n    timeout: 60s\npackages:\n${own}` +
      `  '**':\n    access: $all\n    publish: $authenticated\n    proxy: upstream\n` +
      `log:\n  type: stdout\n  format: pretty\n  level: warn\n`,
  );
  verdaccio = spawn(
    process.execPath,
    [join(root, 'node_modules', 'verdaccio', 'bin', 'verdaccio'), '--config', join(work, 'config.yaml'), '--listen', `127.0.0.1:${port}`],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let log = '';
  verdaccio.stdout.on('data', (chunk) => (log += chunk));
  verdaccio.stderr.on('data', (chunk) => (log += chunk));
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    const up = await fetch(`${registry}-/ping`).then(
      (res) => res.ok,
      () => false,
    );
    if (up) break;
    if (verdaccio.exitCode !== null || Date.now() > deadline) throw new Error(`Verdaccio did not start:\n${log}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  console.log(`Verdaccio at ${registry}, proxying ${upstream} for other packages`);

  // A publisher account, and an npm configuration of its own (the user's ~/.npmrc is never read or written).
  const password = `release-check-${process.pid}-${Date.now()}`;
  const added = await fetch(`${registry}-/user/org.couchdb.user:release-check`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'release-check', password }),
  });
  const { token } = await added.json();
  if (!added.ok || !token) throw new Error(`Verdaccio refused the publisher account: ${added.status}`);
  const npmrc = join(work, '.npmrc');
  writeFileSync(npmrc, `registry=${registry}\n//127.0.0.1:${port}/:_authToken=${token}\n`);
  // npm settings inherited from a parent npm (`npm test`, npx) would override these: they are dropped.
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_(config|package|lifecycle)_/i.test(key)));
  const env = { ...inherited, npm_config_userconfig: npmrc, npm_config_registry: registry };

  // The tree lerna publishes from: the root manifest, lerna.json and each package as npm would pack it.
  const tree = join(work, 'tree');
  mkdirSync(join(tree, 'packages'), { recursive: true });
  for (const file of ['package.json', 'lerna.json']) cpSync(join(root, file), join(tree, file));
  for (const { dir } of packages) {
    cpSync(join(root, 'packages', dir), join(tree, 'packages', dir), { recursive: true, filter: (src) => !src.includes('node_modules') });
  }
  symlinkSync(join(root, 'node_modules'), join(tree, 'node_modules'), 'dir');
  run('git', ['init', '--quiet', '--initial-branch=main'], tree);
  run('git', ['config', 'user.name', 'release check'], tree);
  run('git', ['config', 'user.email', 'release-check@localhost'], tree);
  run('git', ['add', '--all'], tree);
  run('git', ['commit', '--quiet', '--no-verify', '-m', 'fix: release rehearsal'], tree);
  const lerna = (...args) =>
    process.stdout.write(run(process.execPath, [join(root, 'node_modules', 'lerna', 'dist', 'cli.js'), ...args, '--loglevel', 'warn'], tree, env));
  lerna('version', '--conventional-commits', '--no-push', '--yes');
  const commit = run('git', ['rev-parse', 'HEAD'], tree).trim();
  lerna('publish', 'from-git', '--yes', '--registry', registry);

  const published = [];
  const versions = new Map();
  for (const { dir, manifest } of packages) {
    const expected = JSON.parse(readFileSync(join(tree, 'packages', dir, 'package.json'), 'utf8')).version;
    if (expected === manifest.version) throw new Error(`${manifest.name}: lerna version left it at ${expected}`);
    const version = run('npm', ['view', manifest.name, 'version'], work, env).trim();
    if (version !== expected) throw new Error(`${manifest.name}: the registry has ${version || 'nothing'}, not ${expected}`);
    published.push(`${manifest.name}@${version}`);
    versions.set(manifest.name, version);
  }
  console.log(`published to the local registry: ${published.join(', ')}`);

  for (const name of INSTALLED) {
    const consumer = prepareConsumer(join(work, `uses-${name.replace(/\W/g, '-')}`), [name, '@maniapass/emulators']);
    run(
      'npm',
      ['install', '--no-audit', '--no-fund', '--loglevel=error', '--prefer-online', name, '@maniapass/emulators', ...CONSUMER_DEPENDENCIES],
      consumer.dir,
      env,
    );
    // lerna stamps what it publishes with the commit it published from: the copy's, here.
    const installed = JSON.parse(readFileSync(join(consumer.dir, 'node_modules', name, 'package.json'), 'utf8'));
    if (installed.gitHead !== commit)
      throw new Error(`${name} was not installed from the local registry (gitHead ${installed.gitHead}, published from ${commit})`);
    const changelog = readFileSync(join(consumer.dir, 'node_modules', name, 'CHANGELOG.md'), 'utf8');
    if (!changelog.includes(`## ${versions.get(name)} (`) || !changelog.includes('release rehearsal'))
      throw new Error(`${name}'s CHANGELOG.md has no entry for ${versions.get(name)}:\n${changelog}`);
    console.log(`installed ${name}@${installed.version} from the local registry into an empty project, its CHANGELOG entry included`);
    runConsumer(consumer, env);
  }
  console.log(`release check passed: ${packages.length} packages published, ${INSTALLED.join(', ')} installed and signed in`);
} finally {
  verdaccio?.kill();
  rmSync(work, { recursive: true, force: true });
}
