// openid-client 6 is published as ECMAScript modules only, which jest's CommonJS runtime cannot load. esbuild (a
// dev dependency already) bundles the installed package, unchanged, into one CommonJS file that jest can require;
// the types are the package's own.
import type * as OpenidClient from 'openid-client' with { 'resolution-mode': 'import' };
import { buildSync } from 'esbuild';
import { mkdirSync, renameSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function load(): typeof OpenidClient {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- read at run time, where the bundle is cached
  const { version } = require('openid-client/package.json') as { version: string };
  const dir = join(tmpdir(), 'maniapass-test-bundles');
  const file = join(dir, `openid-client-${version}.cjs`);
  if (!existsSync(file)) {
    const { outputFiles } = buildSync({
      entryPoints: [require.resolve('openid-client')],
      bundle: true,
      format: 'cjs',
      platform: 'node',
      target: 'node20',
      write: false,
      logLevel: 'silent',
    });
    mkdirSync(dir, { recursive: true });
    // Written beside, then renamed: jest workers that bundle at the same time never read half a file.
    const partial = `${file}.${process.pid}`;
    writeFileSync(partial, outputFiles[0]!.text);
    renameSync(partial, file);
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a file written at run time, loaded once it exists
  return require(file) as typeof OpenidClient;
}

export const openid = load();
export type { OpenidClient };
