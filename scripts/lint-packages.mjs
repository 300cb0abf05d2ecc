// publint --strict and attw on every published package's build (run `npm run build` first).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const bin = (name) => join(root, 'node_modules', '.bin', name);
let failures = 0;
for (const dir of readdirSync(join(root, 'packages'))) {
  const cwd = join(root, 'packages', dir);
  if (!existsSync(join(cwd, 'package.json'))) continue;
  if (!existsSync(join(cwd, 'dist', 'index.js'))) {
    console.log(`✗ ${dir}: no dist/ (run npm run build)`);
    failures += 1;
    continue;
  }
  for (const [tool, args] of [['publint', ['--strict']], ['attw', ['--pack', '.', '--format', 'table-flipped']]]) {
    const run = spawnSync(bin(tool), args, { cwd, encoding: 'utf8' });
    const ok = run.status === 0;
    if (!ok) failures += 1;
    console.log(`${ok ? '✓' : '✗'} ${dir}: ${tool}`);
    if (!ok) console.log((run.stdout + run.stderr).trim().replace(/^/gm, '    '));
  }
}
console.log(failures ? `${failures} package check(s) failed` : 'every package is clean under publint --strict and attw');
process.exit(failures ? 1 : 0);
