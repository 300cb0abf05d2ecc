// Install footprint: each package's `npm pack` tarball installed into an empty folder (with the tarballs of the
// collection's own packages it depends on, those being unpublished), counted in packages and bytes; passport-oauth2
// alone beside.
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, lstatSync, writeFileSync, existsSync, rmSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = new URL('..', import.meta.url).pathname;
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/** Packages in a node_modules tree (scoped and nested ones included) and the bytes of all its files. */
function measure(nodeModules) {
  let packages = 0;
  let bytes = 0;
  const walk = (dir, isModulesDir) => {
    for (const entry of readdirSync(dir)) {
      const path = join(dir, entry);
      const stat = lstatSync(path);
      if (stat.isSymbolicLink()) continue;
      if (stat.isDirectory()) {
        if (isModulesDir && entry.startsWith('@')) {
          walk(path, true);
          continue;
        }
        if (isModulesDir && entry !== '.bin' && existsSync(join(path, 'package.json'))) packages += 1;
        walk(path, entry === 'node_modules');
      } else {
        bytes += stat.size;
      }
    }
  };
  if (existsSync(nodeModules)) walk(nodeModules, true);
  return { packages, bytes };
}

async function pack(workspaceDir, into) {
  const { stdout } = await run(npm, ['pack', `./${workspaceDir}`, '--pack-destination', into, '--json', '--silent'], {
    cwd: root,
    maxBuffer: 16 * 1024 * 1024,
  });
  const [info] = JSON.parse(stdout);
  return { file: join(into, info.filename), size: info.size, unpackedSize: info.unpackedSize };
}

async function install(specs) {
  const dir = await installInto(specs);
  try {
    const measured = measure(join(dir, 'node_modules'));
    const names = [];
    for (const entry of readdirSync(join(dir, 'node_modules'))) {
      if (entry.startsWith('.')) continue;
      if (entry.startsWith('@')) for (const sub of readdirSync(join(dir, 'node_modules', entry))) names.push(`${entry}/${sub}`);
      else names.push(entry);
    }
    return { ...measured, names };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `npm pack` of every package of the collection into `packDir`: name → `{ dir, manifest, tarball }`. */
export async function packAll(packDir) {
  const local = new Map();
  for (const dir of readdirSync(join(root, 'packages'))) {
    const manifestPath = join(root, 'packages', dir, 'package.json');
    if (!existsSync(manifestPath)) continue;
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
    local.set(manifest.name, { dir: `packages/${dir}`, manifest, tarball: await pack(`packages/${dir}`, packDir) });
  }
  return local;
}

/** `npm install` of `specs` (tarballs, registry names) into a new folder, as a user's app would: its path. */
export async function installInto(specs) {
  const dir = mkdtempSync(join(tmpdir(), 'maniapass-install-'));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'install', version: '1.0.0', private: true }));
  try {
    await run(npm, ['install', '--no-audit', '--no-fund', '--omit=peer', '--no-package-lock', '--loglevel=error', ...specs], {
      cwd: dir,
      maxBuffer: 16 * 1024 * 1024,
    });
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  return dir;
}

/** `{ subject, tarballBytes, packages, bytes, names }` per package, plus passport-oauth2 alone. */
export async function benchFootprint(packages) {
  const packDir = mkdtempSync(join(tmpdir(), 'maniapass-pack-'));
  try {
    // The collection's own packages are not published: each subject installs with the tarballs of the local
    // packages it depends on, directly or through another (a strategy: the core and the HTTP layer).
    const local = await packAll(packDir);
    const withLocalDeps = (name, seen = new Set()) => {
      if (seen.has(name) || !local.has(name)) return seen;
      seen.add(name);
      for (const dep of Object.keys(local.get(name).manifest.dependencies ?? {})) withLocalDeps(dep, seen);
      return seen;
    };
    const jobs = [{ subject: 'passport-oauth2 1.8 (alone)', specs: ['passport-oauth2@1.8.0'], tarballBytes: undefined }];
    for (const { name } of packages) {
      const specs = [...withLocalDeps(name)].map((n) => local.get(n).tarball.file);
      jobs.push({ subject: name, specs, tarballBytes: local.get(name).tarball.size });
    }
    const results = [];
    // Two installs at a time: most of their time is the registry's.
    for (let i = 0; i < jobs.length; i += 2) {
      const pair = jobs.slice(i, i + 2);
      results.push(
        ...(await Promise.all(
          pair.map(async (job) => {
            try {
              return { subject: job.subject, tarballBytes: job.tarballBytes, ...(await install(job.specs)) };
            } catch (err) {
              return {
                subject: job.subject,
                error: String(err.stderr || err.message)
                  .split('\n')
                  .slice(0, 3)
                  .join(' '),
              };
            }
          }),
        )),
      );
    }
    return results;
  } finally {
    rmSync(packDir, { recursive: true, force: true });
  }
}
