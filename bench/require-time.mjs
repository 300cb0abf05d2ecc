// Time to `require` each package in a fresh process (modules not yet loaded), beside passport-oauth2 alone, from
// an install of the packed packages: what a user's process pays. Each require is timed twice: wall time, and the
// process's CPU time (user and system), which leaves out the moments the process waited for a CPU that another
// process held: on a shared machine the wall-time ratio swings several hundredths from run to run, the CPU-time one
// much less. Through the workspace's links each package of the
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
const script = `const c = process.cpuUsage(); const t = process.hrtime.bigint(); require(process.argv[1]);
const wall = Number(process.hrtime.bigint() - t) / 1e6; const used = process.cpuUsage(c);
process.stdout.write(JSON.stringify([wall, (used.user + used.system) / 1000]));`;

/** One require of `name` in a fresh process: `[wall ms, CPU ms]`. */
async function once(name, cwd) {
  const { stdout } = await run(process.execPath, ['-e', script, name], { cwd });
  return JSON.parse(stdout);
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
 * `runs` fresh-process requires of each target (`{ name, cwd }`), each taken right beside a require of `base` in
 * the same folder (before it on even runs, after it on odd ones), the targets in turn each run. Each target gets its
 * wall times and CPU times and the base's taken beside them, in run order (`samples`, `baseSamples`, `cpu`,
 * `baseCpu`), so that each ratio divides by a time taken moments apart; `median` is the wall time's.
 */
export async function benchRequire(targets, runs, base = 'passport-oauth2') {
  const taken = targets.map(() => ({ samples: [], baseSamples: [], cpu: [], baseCpu: [] }));
  const keep = (entry, [wall, cpu], isBase) => {
    (isBase ? entry.baseSamples : entry.samples).push(wall);
    (isBase ? entry.baseCpu : entry.cpu).push(cpu);
  };
  // Let the OS cache the files first.
  for (const t of targets) {
    await once(base, t.cwd);
    await once(t.name, t.cwd);
  }
  for (let r = 0; r < runs; r++) {
    const order = targets.map((_t, i) => i);
    if (r % 2) order.reverse();
    for (const i of order) {
      const { name, cwd } = targets[i];
      if (r % 2) {
        keep(taken[i], await once(name, cwd), false);
        keep(taken[i], await once(base, cwd), true);
      } else {
        keep(taken[i], await once(base, cwd), true);
        keep(taken[i], await once(name, cwd), false);
      }
    }
  }
  return targets.map((t, i) => ({ ...t, ...taken[i], median: median(taken[i].samples), cpuMedian: median(taken[i].cpu), runs }));
}

/** The median over runs of `target`'s wall time divided by the base's taken beside it. */
export function pairedRatio(target) {
  return median(target.samples.map((ms, run) => ms / target.baseSamples[run]));
}

/** The same for CPU time. */
export function pairedCpuRatio(target) {
  return median(target.cpu.map((ms, run) => ms / target.baseCpu[run]));
}
