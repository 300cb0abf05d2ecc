// The JavaScript of each package: one CommonJS file, dist/index.js, from src/index.ts, its dependencies (the
// collection's other packages, passport-oauth2, Node's built-ins) left as `require` calls. tsc writes the
// declarations beside it (`emitDeclarationOnly`). One file instead of one per module: a cold `require` of a
// strategy resolves, reads and compiles three files (strategy, core, HTTP layer) instead of about twenty.
// The output is esbuild's own, unchanged (its export getters included). `node scripts/bundle.mjs` bundles every
// package; `node scripts/bundle.mjs <package dir>...` the ones given.
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
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
    // Whitespace and syntax minified, identifiers not: V8 compiles each file at require time in proportion to its
    // size, and this is about 0.1 ms per package of a strategy's cold require. No `keepNames`: it wraps every
    // function, closures made per call included, in a call that sets its name (about 3% of a sign-in's CPU); a
    // class keeps its name as long as its body does not name it (see checkClassNames). The source map carries the
    // TypeScript, so that `node --enable-source-maps` and debuggers show the sources, lines and names as written.
    minifyWhitespace: true,
    minifySyntax: true,
    sourcemap: true,
    sourcesContent: true,
    logLevel: 'warning',
  });
}
// Once every package is bundled: a bundle requires the others' when it loads.
for (const dir of dirs) if (existsSync(join(dir, 'src', 'index.ts'))) checkClassNames(dir);

/**
 * Fails the build when a class the package exports has lost its name. esbuild bundles a top-level class as
 * `X = class {...}`, which keeps the name `X`, but a class whose body names itself (`new X()` in a static method,
 * `v instanceof X`) as `X = class _X {...}`, named `_X`: such a reference belongs outside the body (`new this()`,
 * or a function beside the class). Every exported class must carry a name some class of the sources declares.
 */
function checkClassNames(dir) {
  const exports = createRequire(import.meta.url)(join(dir, 'dist', 'index.js'));
  for (const [key, value] of Object.entries(exports)) {
    if (typeof value !== 'function' || !/^class\b/.test(Function.prototype.toString.call(value))) continue;
    if (!declaredClasses().has(value.name))
      throw new Error(`${dir}: the exported class ${key} is named ${JSON.stringify(value.name)} in the bundle, a name no source declares`);
  }
}

/** The names of every class the packages' sources declare. */
function declaredClasses() {
  if (declaredClasses.names) return declaredClasses.names;
  const declared = (declaredClasses.names = new Set());
  const visit = (path) => {
    for (const entry of readdirSync(path, { withFileTypes: true })) {
      const full = join(path, entry.name);
      if (entry.isDirectory()) visit(full);
      else if (entry.name.endsWith('.ts')) for (const [, name] of readFileSync(full, 'utf8').matchAll(/\bclass\s+([A-Za-z_$][\w$]*)/g)) declared.add(name);
    }
  };
  for (const pkg of readdirSync(join(root, 'packages'))) if (existsSync(join(root, 'packages', pkg, 'src'))) visit(join(root, 'packages', pkg, 'src'));
  return declared;
}
