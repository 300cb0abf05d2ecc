// Checks every package under packages/ as it will be published:
// - its metadata: the fields an npm page and a consumer need, LICENSE, README and CHANGELOG beside package.json,
//   README links that resolve (on GitHub, and on npm through `repository.directory`) and one to the API reference;
// - with `--metadata` only that (no build needed); otherwise also the build: publint --strict, attw, and the files
//   `npm pack` would put in the tarball (LICENSE, README, CHANGELOG in; no declaration maps, no build info).
// A package added later is checked like the others, so a missing field fails here rather than on npm.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const REPOSITORY = 'git+https://github.com/maniapass/maniapass.git';
const ISSUES = 'https://github.com/maniapass/maniapass/issues';
const root = new URL('..', import.meta.url).pathname;
const bin = (name) => join(root, 'node_modules', '.bin', name);
const metadataOnly = process.argv.includes('--metadata');

/** The problems with one package's metadata and documents, as sentences. */
function metadataProblems(dir) {
  const cwd = join(root, 'packages', dir);
  const pkg = JSON.parse(readFileSync(join(cwd, 'package.json'), 'utf8'));
  const problems = [];
  const need = (ok, message) => ok || problems.push(message);
  for (const field of ['name', 'version', 'description', 'main', 'types']) need(typeof pkg[field] === 'string' && pkg[field], `no "${field}"`);
  need(pkg.license === 'MIT', '"license" is not "MIT"');
  need(Array.isArray(pkg.keywords) && pkg.keywords.length > 0, 'no "keywords"');
  need(typeof pkg.engines?.node === 'string', 'no "engines.node"');
  need(pkg.homepage === `https://github.com/maniapass/maniapass/tree/main/packages/${dir}#readme`, `"homepage" is not the package's folder on GitHub`);
  need((pkg.bugs?.url ?? pkg.bugs) === ISSUES, `"bugs" is not ${ISSUES}`);
  need(pkg.repository?.type === 'git' && pkg.repository?.url === REPOSITORY, `"repository" is not { "type": "git", "url": "${REPOSITORY}" }`);
  need(pkg.repository?.directory === `packages/${dir}`, `"repository.directory" is not "packages/${dir}"`);
  if (pkg.name?.startsWith('@')) need(pkg.publishConfig?.access === 'public', 'a scoped name without "publishConfig": { "access": "public" }');
  need(
    Array.isArray(pkg.files) && pkg.files.includes('CHANGELOG.md'),
    '"files" does not list CHANGELOG.md (npm packs LICENSE and README by itself, not the changelog)',
  );
  for (const file of ['LICENSE', 'README.md', 'CHANGELOG.md']) need(existsSync(join(cwd, file)), `no ${file}`);
  if (existsSync(join(cwd, 'README.md'))) problems.push(...readmeProblems(join(cwd, 'README.md')));
  return problems;
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
const slug = (heading) =>
  heading
    .trim()
    .toLowerCase()
    .replace(/`/g, '')
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');

function anchorsOf(markdownFile) {
  const seen = new Map();
  const anchors = new Set();
  const text = readFileSync(markdownFile, 'utf8').replace(/^```[\s\S]*?^```/gm, '');
  for (const [, heading] of text.matchAll(/^#{1,6}\s+(.+)$/gm)) {
    const base = slug(heading.replace(/\[([^\]]*)\]\([^)]*\)/g, '$1'));
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    anchors.add(count ? `${base}-${count}` : base);
  }
  return anchors;
}

/** Relative links must name a file of the repository (npm resolves them against repository.directory). */
function readmeProblems(readme) {
  const problems = [];
  const text = readFileSync(readme, 'utf8').replace(/^```[\s\S]*?^```/gm, '');
  let linksApi = false;
  for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
    if (/^[a-z]+:/i.test(target)) continue;
    const [path, anchor] = target.split('#');
    const file = path ? resolve(dirname(readme), path) : readme;
    if (path.includes('docs/api/')) linksApi = true;
    if (relative(root, file).startsWith('..')) {
      problems.push(`README links outside the repository: ${target}`);
      continue;
    }
    if (!existsSync(file)) {
      problems.push(`README links to a missing file: ${target}`);
      continue;
    }
    const markdown = statSync(file).isDirectory() ? join(file, 'README.md') : file;
    if (anchor && markdown.endsWith('.md') && existsSync(markdown) && !anchorsOf(markdown).has(anchor)) {
      problems.push(`README links to a missing heading: ${target}`);
    }
  }
  if (!linksApi) problems.push(`README does not link to its API reference (docs/api/<package name>.md)`);
  return problems;
}

/** What `npm pack` would ship, checked for the documents and against files that point at unshipped sources. */
function tarballProblems(cwd) {
  const pack = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd, encoding: 'utf8' });
  if (pack.status !== 0) return [`npm pack failed: ${pack.stderr.trim()}`];
  const files = JSON.parse(pack.stdout)[0].files.map((f) => f.path);
  const problems = [];
  for (const file of ['LICENSE', 'README.md', 'CHANGELOG.md', 'package.json']) if (!files.includes(file)) problems.push(`the tarball lacks ${file}`);
  for (const file of files) {
    if (file.endsWith('.d.ts.map')) problems.push(`the tarball ships ${file}, which points at sources it does not ship`);
    if (file.endsWith('.tsbuildinfo')) problems.push(`the tarball ships ${file}`);
  }
  return problems;
}

let failures = 0;
const report = (ok, label, detail) => {
  if (!ok) failures += 1;
  console.log(`${ok ? '✓' : '✗'} ${label}`);
  if (!ok && detail) console.log(detail.replace(/^/gm, '    '));
};
for (const dir of readdirSync(join(root, 'packages'))) {
  const cwd = join(root, 'packages', dir);
  if (!existsSync(join(cwd, 'package.json'))) continue;
  if (JSON.parse(readFileSync(join(cwd, 'package.json'), 'utf8')).private) continue;
  const problems = metadataProblems(dir);
  report(!problems.length, `${dir}: metadata`, problems.join('\n'));
  if (metadataOnly) continue;
  if (!existsSync(join(cwd, 'dist', 'index.js'))) {
    report(false, `${dir}: no dist/ (run npm run build)`);
    continue;
  }
  const shipped = tarballProblems(cwd);
  report(!shipped.length, `${dir}: tarball contents`, shipped.join('\n'));
  for (const [tool, args] of [
    ['publint', ['--strict']],
    ['attw', ['--pack', '.', '--format', 'table-flipped']],
  ]) {
    const run = spawnSync(bin(tool), args, { cwd, encoding: 'utf8' });
    report(run.status === 0, `${dir}: ${tool}`, (run.stdout + run.stderr).trim());
  }
}
const what = metadataOnly ? 'metadata' : 'publint --strict, attw, tarball contents and metadata';
console.log(failures ? `${failures} package check(s) failed` : `every package is clean: ${what}`);
process.exit(failures ? 1 : 0);
