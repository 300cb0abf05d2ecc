// The test command: type-checks the whole tree once, runs jest, and ends with the line `N passed, N failed` that
// CI reads. Extra arguments go to jest (a path filter, `-t name`...).
//
//   node scripts/test.mjs         the fast set (`npm test`): unit, contract, compat, frameworks, browser
//   node scripts/test.mjs --all   everything (`npm run test:all`): the fast set and the slow suites below
//   node scripts/test.mjs --slow  the slow suites only (`npm run test:slow`)
//   --no-typecheck                skips the type check (CI runs it once, then the tests on several Node versions)
//
// The slow suites are load, soak, fault and adversarial runs and the publish to a local registry, named
// `*.reliability.test.ts`, `*.hostile.test.ts`, `*.adversarial.test.ts` and `*.release.test.ts`.
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';

export const SLOW_TESTS = '\\.(reliability|hostile|adversarial|release)\\.test\\.ts$';

const bin = (name) => new URL(`../node_modules/.bin/${name}`, import.meta.url).pathname;
const results = new URL('../.jest-results.json', import.meta.url).pathname;
const args = process.argv.slice(2);
const all = args.includes('--all');
const slow = args.includes('--slow');
const jestArgs = args.filter((arg) => !['--all', '--slow', '--no-typecheck'].includes(arg));
const selection = all ? [] : slow ? ['--testPathPatterns', SLOW_TESTS] : ['--testPathIgnorePatterns', '/node_modules/', '/dist/', SLOW_TESTS];

const typecheck = args.includes('--no-typecheck') ? { status: 0 } : spawnSync(bin('tsc'), ['-p', 'tsconfig.test.json'], { stdio: 'inherit' });
if (typecheck.status !== 0) {
  console.log('\ntype check failed');
  console.log('0 passed, 1 failed');
  process.exit(1);
}

rmSync(results, { force: true });
const started = Date.now();
const jest = spawnSync(bin('jest'), ['--json', `--outputFile=${results}`, ...selection, ...jestArgs], { stdio: 'inherit' });
let summary;
try {
  summary = JSON.parse(readFileSync(results, 'utf8'));
} catch {
  console.log('\njest produced no results');
  console.log('0 passed, 1 failed');
  process.exit(1);
}
const failedSuites = summary.numFailedTestSuites ?? 0;
const failed = summary.numFailedTests + (summary.numRuntimeErrorTestSuites ?? 0);
const skipped = summary.numPendingTests + (summary.numTodoTests ?? 0);
const set = all ? 'every test' : slow ? 'the slow suites' : 'the fast set';
console.log(`\n${set}: ${summary.numTotalTestSuites} files in ${Math.round((Date.now() - started) / 1000)} s on Node ${process.versions.node}`);
if (failedSuites && !summary.numFailedTests) console.log(`${failedSuites} test file(s) failed to run`);
console.log(`${summary.numPassedTests} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(jest.status === 0 && failed === 0 ? 0 : 1);
