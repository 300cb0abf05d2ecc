// The JavaScript of each package: one CommonJS file, dist/index.js, from src/index.ts, its dependencies (the
// collection's other packages, passport-oauth2, Node's built-ins) left as `require` calls. tsc writes the
// declarations beside it (`emitDeclarationOnly`). One file instead of one per module: a cold `require` of a
// strategy resolves, reads and compiles three files (strategy, core, HTTP layer) instead of about twenty.
// `node scripts/bundle.mjs` bundles every package; `node scripts/bundle.mjs <package dir>...` the ones given.
import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
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
  const file = join(dir, 'dist', 'index.js');
  writeFileSync(file, plainExports(readFileSync(file, 'utf8'), file));
}

/**
 * The entry's exports as plain properties of `exports`, set once the module has run, instead of esbuild's getters:
 * esbuild defines one getter per export (and a getter of a getter per re-export) when the module loads, which
 * costs about a third of a millisecond per package of a cold `require`, and every call from a provider package
 * into the core or the HTTP layer then runs two or three of them. Nothing exported is reassigned after load, and
 * the packages do not require each other in a cycle, so values set at the end are what the getters would give.
 * The statements replaced are blanked to the same length, so that the source map stays exact; the annotation
 * esbuild writes for Node's ESM named exports (cjs-module-lexer) is kept. Fails the build if esbuild's output
 * no longer has the shape this expects.
 */
function plainExports(code, file) {
  const toCommonJS = /module\.exports=__toCommonJS\((\w+)\);/.exec(code);
  if (!toCommonJS) throw new Error(`${file}: esbuild's module.exports=__toCommonJS(...) not found`);
  const target = toCommonJS[1];
  const exportBlock = new RegExp(`__export\\(${target},\\{((?:[\\w$]+:\\(\\)=>[\\w$.]+,?)*)\\}\\);`).exec(code);
  if (!exportBlock) throw new Error(`${file}: esbuild's __export(${target}, {...}) not found`);
  const blank = (text) => ' '.repeat(text.length);
  const assignments = exportBlock[1]
    .split(',')
    .filter(Boolean)
    .map((pair) => {
      const [name, value] = pair.split(':()=>');
      return `exports.${name}=${value};`;
    });
  let out = code.replace(exportBlock[0], blank(exportBlock[0])).replace(toCommonJS[0], blank(toCommonJS[0]));
  // `export * from '<package>'`: what the package exports and the entry does not, copied once both have run.
  const reExports = [...out.matchAll(new RegExp(`__reExport\\(${target},(require\\("[^"]+"\\)),module\\.exports\\);`, 'g'))];
  reExports.forEach((match, i) => {
    const statement = `var __reexported${i}=${match[1]};`;
    if (statement.length > match[0].length) throw new Error(`${file}: cannot rewrite ${match[0]}`);
    out = out.replace(match[0], statement + blank(match[0].slice(statement.length)));
    assignments.push(`for(const k in __reexported${i})if(k!=="default"&&!Object.hasOwn(exports,k))exports[k]=__reexported${i}[k];`);
  });
  if (/__reExport\(|__toCommonJS\(\w/.test(out.replace(/var __\w+=[^;]*;/g, ''))) throw new Error(`${file}: esbuild's exports left after the rewrite`);
  // Before the annotation, which ends the code: nothing mapped follows it.
  const tail = out.lastIndexOf('0&&(module.exports=');
  if (tail === -1) throw new Error(`${file}: esbuild's ESM export annotation not found`);
  return `${out.slice(0, tail)}\nObject.defineProperty(exports,"__esModule",{value:true});${assignments.join('')}\n${out.slice(tail)}`;
}
