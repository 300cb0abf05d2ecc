// The architecture as users install it: the HTTP layer depends on nothing, machine-to-machine packages and the
// provider definitions sit on it alone (no passport), the passport-oauth2 base on both, and the strategies on the
// base. Nothing reaches back up.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');
const packagesDir = join(root, 'packages');

interface Manifest {
  name: string;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}
const manifests = new Map<string, { dir: string; manifest: Manifest }>();
for (const dir of readdirSync(packagesDir)) {
  const file = join(packagesDir, dir, 'package.json');
  if (existsSync(file)) manifests.set(dir, { dir, manifest: JSON.parse(readFileSync(file, 'utf8')) as Manifest });
}

/** Every module specifier a package's sources import or require, other than relative ones and node built-ins. */
function importsOf(dir: string): Set<string> {
  const found = new Set<string>();
  const walk = (folder: string): void => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts')) {
        const text = readFileSync(path, 'utf8');
        for (const m of text.matchAll(/(?:from\s+|require\(\s*|import\(\s*)'([^']+)'/g)) {
          const spec = m[1]!;
          if (!spec.startsWith('.') && !spec.startsWith('node:')) found.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!);
        }
      }
    }
  };
  walk(join(packagesDir, dir, 'src'));
  return found;
}

// What each layer may use at run time (type-only imports of express are erased and allowed for the passport side).
const ALLOWED: Record<string, string[]> = {
  http: [],
  providers: ['@maniapass/http'],
  'oauth2-core': ['@maniapass/http', '@maniapass/providers', 'passport-oauth2', 'express'],
  'nadeo-auth': ['@maniapass/http', 'redis'],
};

describe('package layers', () => {
  it('the HTTP layer has no runtime dependency and imports only Node built-ins', () => {
    const http = manifests.get('http')!.manifest;
    expect(http.name).toBe('@maniapass/http');
    expect(http.dependencies ?? {}).toEqual({});
    expect(http.peerDependencies ?? {}).toEqual({});
    expect([...importsOf('http')]).toEqual([]);
  });

  it.each(Object.entries(ALLOWED))('%s imports only what its layer allows', (dir, allowed) => {
    expect([...importsOf(dir)].filter((spec) => !allowed.includes(spec))).toEqual([]);
  });

  it('nadeo-auth depends on the HTTP layer alone, never on passport or passport-oauth2', () => {
    const nadeo = manifests.get('nadeo-auth')!.manifest;
    expect(Object.keys(nadeo.dependencies ?? {})).toEqual(['@maniapass/http']);
    expect(Object.keys(nadeo.peerDependencies ?? {})).not.toContain('passport');
  });

  it('every strategy depends on the passport base, which depends on the HTTP layer', () => {
    const core = manifests.get('oauth2-core')!.manifest;
    expect(Object.keys(core.dependencies ?? {}).sort()).toEqual(['@maniapass/http', '@maniapass/providers', 'passport-oauth2']);
    const strategies = [...manifests.keys()].filter((dir) => dir.startsWith('passport-') && importsOf(dir).has('@maniapass/oauth2-core'));
    expect(strategies.length).toBeGreaterThanOrEqual(4);
    for (const dir of strategies) expect(manifests.get(dir)!.manifest.dependencies).toHaveProperty('@maniapass/oauth2-core');
  });

  it('nothing reaches back up: no lower layer imports a higher one', () => {
    for (const dir of ['http', 'providers', 'nadeo-auth']) expect([...importsOf(dir)]).not.toContain('@maniapass/oauth2-core');
    for (const [dir] of manifests) {
      if (dir.startsWith('passport-')) continue;
      for (const spec of importsOf(dir)) expect(spec.startsWith('passport-') && spec !== 'passport-oauth2' ? `${dir} imports ${spec}` : '').toBe('');
    }
  });

  it('loading nadeo-auth loads no passport module', () => {
    const loaded = execFileSync(
      process.execPath,
      [
        '-r',
        join(root, 'test-support', 'register-sources.cjs'),
        '-e',
        "require('nadeo-auth'); process.stdout.write(JSON.stringify(Object.keys(require.cache)))",
      ],
      { cwd: root, encoding: 'utf8' },
    );
    const modules = JSON.parse(loaded) as string[];
    expect(modules.some((m) => m.includes(`${join('packages', 'http', 'src')}`))).toBe(true);
    expect(modules.filter((m) => /[\\/](passport|passport-oauth2|oauth)[\\/]/.test(m) || m.includes(join('packages', 'oauth2-core')))).toEqual([]);
  });
});
