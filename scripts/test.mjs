// The test command: type-checks the whole tree once, runs every jest test, and ends with the line
// `N passed, N failed` that CI reads. Extra arguments go to jest (a path filter, `-t name`...).
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';

const bin = (name) => new URL(`../node_modules/.bin/${name}`, import.meta.url).pathname;
const results = new URL('../.jest-results.json', import.meta.url).pathname;

const typecheck = spawnSync(bin('tsc'), ['-p', 'tsconfig.test.json'], { stdio: 'inherit' });
if (typecheck.status !== 0) {
  console.log('\ntype check failed');
  console.log('0 passed, 1 failed');
  process.exit(1);
}

rmSync(results, { force: true });
const jest = spawnSync(bin('jest'), ['--json', `--outputFile=${results}`, ...process.argv.slice(2)], { stdio: 'inherit' });
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
console.log('');
if (failedSuites && !summary.numFailedTests) console.log(`${failedSuites} test file(s) failed to run`);
console.log(`${summary.numPassedTests} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(jest.status === 0 && failed === 0 ? 0 : 1);
