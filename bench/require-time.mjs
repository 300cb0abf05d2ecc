// Time to `require` each package in a fresh process (modules not yet loaded), beside passport-oauth2 alone, from
// an install of the packed packages: what a user's process pays. Through the workspace's links each package of the
// collection also pays the resolution of a symbolic link per file, which no install has and passport-oauth2
// (installed, not linked) does not pay either.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { installInto, packAll } from './footprint.mjs';
import { median } from './lib.mjs';

const run = promisify(execFile);
const script = `const t = process.hrtime.bigint(); require(process.argv[1]); process.stdout.write(String(Number(process.hrtime.bigint() - t) / 1e6));`;

async function once(name, cwd) {
  const { stdout } = await run(process.execPath, ['-e', script, name], { cwd });
  return Number(stdout);
}

/** Every package of the collection packed and installed together into one folder, with passport-oauth2: its path. */
export async function installForRequire() {
  const packDir = mkdtempSync(join(tmpdir(), 'maniapass-pack-'));
  try {
    const local = await packAll(packDir);
    return await installInto([...[...local.values()].map((p) => p.tarball.file), 'passport-oauth2@1.8.0']);
  } finally {
    rmSync(packDir, { recursive: true, force: true });
  }
}

/**
 * Median (and min) of `runs` fresh-process requires per package and folder (`{ name, cwd }` targets), all taken in
 * turn each run, so that a busy moment of the machine falls on all of them alike; `samples` in run order.
 */
export async function benchRequire(targets, runs) {
  const samples = targets.map(() => []);
  for (const t of targets) await once(t.name, t.cwd); // let the OS cache the files first
  for (let r = 0; r < runs; r++) {
    const order = targets.map((_t, i) => i);
    if (r % 2) order.reverse();
    for (const i of order) samples[i].push(await once(targets[i].name, targets[i].cwd));
  }
  return targets.map((t, i) => ({ ...t, median: median(samples[i]), min: Math.min(...samples[i]), runs, samples: samples[i] }));
}

/**
 * The median over runs of `target`'s time divided by `base`'s in the same run: the two were taken moments apart,
 * so a slow phase of a shared machine divides out, where a ratio of two medians keeps it.
 */
export function pairedRatio(target, base) {
  return median(target.samples.map((ms, run) => ms / base.samples[run]));
}
