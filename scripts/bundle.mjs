// The JavaScript of each package: one CommonJS file, dist/index.js, from src/index.ts, its dependencies (the
// collection's other packages, passport-oauth2, Node's built-ins) left as `require` calls. tsc writes the
// declarations beside it (`emitDeclarationOnly`). One file instead of one per module: a cold `require` of a
// strategy resolves, reads and compiles three files (strategy, core, HTTP layer) instead of about twenty.
// `node scripts/bundle.mjs` bundles every package; `node scripts/bundle.mjs <package dir>...` the ones given.
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';

const root = new URL('..', import.meta.url).pathname;
const given = process.argv.slice(2).map((dir) => resolve(dir));
const dirs = given.length ? given : readdirSync(join(root, 'packages')).map((dir) => join(root, 'packages', dir));

for (const dir of dirs) {
  const entry = join(dir, 'src', 'index.ts');
  if (!existsSync(entry)) continue;
  // The JavaScript in dist/ is this bundle's alone: files an older per-module build left there would be packed.
  const dist = join(dir, 'dist');
  for (const file of existsSync(dist) ? readdirSync(dist) : []) {
    if (/\.js(\.map)?$/.test(file) && !/^index\.js(\.map)?$/.test(file)) rmSync(join(dist, file));
  }
  await build({
    entryPoints: [entry],
    outfile: join(dir, 'dist', 'index.js'),
    bundle: true,
    // Every bare import (a package, node:*) stays a require: each package is its own, shared by the others.
    packages: 'external',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    tsconfig: join(dir, 'tsconfig.json'),
    // Whitespace and syntax minified, names kept: V8 compiles each file at require time in proportion to its
    // size, and this is about 0.1 ms per package of a strategy's cold require. The source map carries the
    // TypeScript, so that `node --enable-source-maps` and debuggers show the sources, lines and names as written.
    minifyWhitespace: true,
    minifySyntax: true,
    sourcemap: true,
    sourcesContent: true,
    logLevel: 'warning',
  });
}
