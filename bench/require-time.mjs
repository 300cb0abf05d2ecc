// Time to `require` each package in a fresh process (modules not yet loaded), beside passport-oauth2 alone.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { median } from './lib.mjs';

const run = promisify(execFile);
const root = new URL('..', import.meta.url).pathname;
const script = `const t = process.hrtime.bigint(); require(process.argv[1]); process.stdout.write(String(Number(process.hrtime.bigint() - t) / 1e6));`;

async function once(name) {
  const { stdout } = await run(process.execPath, ['-e', script, name], { cwd: root });
  return Number(stdout);
}

/** Median (and min) of `runs` fresh-process requires per package, the packages taken in turn each run. */
export async function benchRequire(names, runs) {
  const samples = new Map(names.map((n) => [n, []]));
  for (const name of names) await once(name); // let the OS cache the files first
  for (let r = 0; r < runs; r++) {
    for (const name of names) samples.get(name).push(await once(name));
  }
  return names.map((name) => ({ name, median: median(samples.get(name)), min: Math.min(...samples.get(name)), runs }));
}
