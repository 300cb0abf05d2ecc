// The release, rehearsed: `lerna version --conventional-commits` and `lerna publish from-git` in a copy of the tree,
// to a Verdaccio started for the test, then passport-trackmania, nadeo-auth and passport-openplanet installed from it
// into empty projects that sign in through the emulators (scripts/release-check.mjs). Slow (a registry, three npm installs): in
// `npm run test:all` only.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');

jest.setTimeout(15 * 60_000);

it('publishes every package to a local registry, and what it serves installs and signs in', () => {
  const build = spawnSync('npm', ['run', 'build'], { cwd: root, encoding: 'utf8' });
  expect({ build: build.status, output: build.status === 0 ? '' : build.stdout + build.stderr }).toEqual({ build: 0, output: '' });

  const check = spawnSync(process.execPath, [join(root, 'scripts', 'release-check.mjs')], { cwd: root, encoding: 'utf8' });
  const output = check.stdout + check.stderr;
  expect({ status: check.status, output: check.status === 0 ? '' : output }).toEqual({ status: 0, output: '' });
  expect(output).toMatch(/published to the local registry: .*passport-trackmania@/);
  for (const name of ['passport-trackmania', 'nadeo-auth', 'passport-openplanet']) {
    expect(output).toMatch(new RegExp(`installed ${name}@\\S+ from the local registry into an empty project, its CHANGELOG entry included`));
  }
  expect(output).toMatch(/require passport-trackmania: signed in as \S+/);
  expect(output).toMatch(/import passport-trackmania: signed in as \S+/);
  expect(output).toMatch(/require passport-openplanet: signed in as \S+/);
  expect(output).toMatch(/require nadeo-auth: live token for NadeoLiveServices/);
});
