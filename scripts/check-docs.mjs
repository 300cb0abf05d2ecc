// The API reference check (run after `npm run build`): generates docs/api with TypeDoc and fails
// - on any warning (an export without a doc comment, a broken {@link}, a type used but not exported) that is not
//   listed in scripts/undocumented.txt, the exports that predate the check and still lack a comment (the list only
//   shrinks: a line whose warning is gone is reported, to be deleted);
// - when docs/api differs from what is committed (run `npm run docs` and commit the result).
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const root = new URL('..', import.meta.url).pathname;
const allowed = new Set(
  readFileSync(new URL('undocumented.txt', import.meta.url), 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#')),
);

const typedoc = spawnSync(`${root}node_modules/.bin/typedoc`, ['--logLevel', 'Warn'], { cwd: root, encoding: 'utf8' });
// TypeDoc colours its log; the lines are compared without the colours.
const lines = (typedoc.stdout + typedoc.stderr).replace(/\x1b\[[0-9;]*m/g, '').split('\n');
// Source links are off (`disableSources`), so a checkout without a usable git remote is no warning worth failing on.
const warnings = lines
  .filter((line) => line.startsWith('[warning] ') && !/^\[warning\] (Found \d+ errors|The provided git remote)/.test(line))
  .map((line) => line.slice(10).trim());
const errors = lines.filter((line) => line.startsWith('[error] '));

const unexpected = [...new Set(warnings)].filter((w) => !allowed.has(w));
const fixed = [...allowed].filter((w) => !warnings.includes(w));
let failed = typedoc.status !== 0 || errors.length > 0 || unexpected.length > 0;
if (errors.length) console.log(errors.join('\n'));
if (unexpected.length) {
  console.log(`✗ ${unexpected.length} export(s) without a doc comment, or other TypeDoc warnings:`);
  console.log(unexpected.map((w) => `    ${w}`).join('\n'));
}
if (fixed.length)
  console.log(`note: ${fixed.length} line(s) of scripts/undocumented.txt no longer apply; delete them:\n${fixed.map((w) => `    ${w}`).join('\n')}`);

const status = spawnSync('git', ['status', '--porcelain', '--', 'docs/api'], { cwd: root, encoding: 'utf8' });
if (status.status === 0 && status.stdout.trim()) {
  failed = true;
  console.log('✗ docs/api is not what the sources generate: run `npm run docs` and commit docs/api');
  console.log(status.stdout.trimEnd().replace(/^/gm, '    '));
}
console.log(
  failed ? 'API reference check failed' : `API reference up to date; ${allowed.size - fixed.length} export(s) still listed in scripts/undocumented.txt`,
);
process.exit(failed ? 1 : 0);
