// Commit subjects against the convention in CONTRIBUTING.md (Conventional Commits, which lerna reads to choose
// versions and write the changelogs): `type(scope)!: summary`, at most 100 characters.
// `node scripts/check-commits.mjs origin/main..HEAD` checks the commits of a branch.
import { execFileSync } from 'node:child_process';

const TYPES = ['feat', 'fix', 'perf', 'refactor', 'docs', 'test', 'build', 'ci', 'chore', 'revert', 'style'];
const SUBJECT = new RegExp(`^(${TYPES.join('|')})(\\([a-z0-9@/-]+\\))?!?: \\S`);
const MAX = 100;

const range = process.argv[2] ?? 'origin/main..HEAD';
const log = execFileSync('git', ['log', '--no-merges', '--format=%h %s', range], { encoding: 'utf8' }).trim();
const bad = [];
for (const line of log ? log.split('\n') : []) {
  const [hash, ...words] = line.split(' ');
  const subject = words.join(' ');
  if (!SUBJECT.test(subject)) bad.push(`${hash} "${subject}": not "type(scope): summary" with a type among ${TYPES.join(', ')}`);
  else if (subject.length > MAX) bad.push(`${hash} "${subject.slice(0, 40)}...": ${subject.length} characters, more than ${MAX}`);
}
if (bad.length) console.log(bad.join('\n'));
console.log(bad.length ? `${bad.length} commit subject(s) do not follow CONTRIBUTING.md` : `commit subjects in ${range} follow CONTRIBUTING.md`);
process.exit(bad.length ? 1 : 0);
