// What installing passport-openplanet brings: the HTTP layer, passport-strategy and jose, never passport-oauth2.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..', '..', '..');
const manifest = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
  peerDependencies: Record<string, string>;
};

describe('install', () => {
  it('depends on the HTTP layer, passport-strategy and jose (no dependency of its own) alone; passport is a peer', () => {
    expect(manifest.dependencies).toEqual({ '@maniapass/http': '^0.1.0', jose: '6.2.18', 'passport-strategy': '^1.0.0' });
    expect(Object.keys(manifest.peerDependencies)).toEqual(['passport']);
  });

  it('loads neither passport-oauth2 nor the OAuth2 core, nor jose until a session is used', () => {
    const loaded = JSON.parse(
      execFileSync(
        process.execPath,
        [
          '-r',
          join(root, 'test-support', 'register-sources.cjs'),
          '-e',
          "require('passport-openplanet'); process.stdout.write(JSON.stringify(Object.keys(require.cache)))",
        ],
        {
          cwd: root,
          encoding: 'utf8',
        },
      ),
    ) as string[];
    expect(loaded.some((m) => m.includes(join('packages', 'passport-openplanet', 'src')))).toBe(true);
    expect(loaded.some((m) => m.includes(join('node_modules', 'passport-strategy')))).toBe(true);
    expect(loaded.filter((m) => /[\\/](passport-oauth2|oauth)[\\/]/.test(m) || m.includes(join('packages', 'oauth2-core')))).toEqual([]);
    // jose is loaded by the first session issued or verified, not by the strategy.
    expect(loaded.filter((m) => m.includes(join('node_modules', 'jose')))).toEqual([]);
  });
});
