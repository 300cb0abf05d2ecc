// The JavaScript of each package: one CommonJS file, dist/index.js, from src/index.ts, its dependencies (the
// collection's other packages, passport-oauth2, Node's built-ins) left as `require` calls. tsc writes the
// declarations beside it (`emitDeclarationOnly`). One file instead of one per module: a cold `require` of a
// strategy resolves, reads and compiles three files (strategy, core, HTTP layer) instead of about twenty.
// Three rules:
// - `import` bundles a module in; `require('./x')` of a sibling does not: the sibling gets a file of its own,
//   dist/x.js, loaded when that require runs: code a cold start does not run, such as the HTTP layer's masking
//   (only failures use it) and network code, and the core's sign-in legs (the first sign-in loads them).
// - The provider definitions (@maniapass/providers) are data and pure functions, with no state and no class of
//   their own: each package's bundle carries the ones it uses (a strategy, its own provider's) instead of requiring
//   all four. Their types still come from @maniapass/providers, a dependency of each package that uses them.
// - Each bundle's entry is a CommonJS module written here from the module's export names, `exports.name = name;`
//   one per name, as tsc and hand-written CommonJS do, instead of esbuild's ESM entry, which defines a getter per
//   export and a second one on top (`__toCommonJS`). The getters cost a strategy's cold require about 0.06x of
//   passport-oauth2's (three packages' worth) and every cross-package call two extra calls. Node reads the names
//   for `import` from these assignments (cjs-module-lexer), as from tsc's output. Like passport-oauth2's own
//   files, a bundle sets no `__esModule` marker: a default import from TypeScript or Babel gets the whole module.
// The output is esbuild's own, unchanged. `node scripts/bundle.mjs` bundles every package;
// `node scripts/bundle.mjs <package dir>...` the ones given.
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { build } from 'esbuild';

const root = new URL('..', import.meta.url).pathname;
const given = process.argv.slice(2).map((dir) => resolve(dir));
const dirs = given.length ? given : readdirSync(join(root, 'packages')).map((dir) => join(root, 'packages', dir));

/**
 * How each import resolves: `@maniapass/providers` to its sources (bundled, only what is used), every other bare
 * import to a require, a relative `require()` to the sibling's own file (its source added to `sources`).
 */
function resolver(sources) {
  return {
    name: 'maniapass-packages',
    setup(build) {
      build.onResolve({ filter: /^[^./]/ }, ({ path }) =>
        path === '@maniapass/providers' ? { path: join(root, 'packages', 'providers', 'src', 'index.ts') } : { path, external: true },
      );
      build.onResolve({ filter: /^\.\.?\// }, ({ path, kind, resolveDir }) => {
        if (kind !== 'require-call') return undefined;
        if (!/^\.\/[\w-]+$/.test(path)) throw new Error(`require('${path}') in ${resolveDir}: only a sibling module (./name) can be loaded on use`);
        sources.add(join(resolveDir, `${path}.ts`));
        return { path: `./${basename(path)}.js`, external: true };
      });
    },
  };
}

for (const dir of dirs) {
  const entry = join(dir, 'src', 'index.ts');
  if (!existsSync(entry)) continue;
  const dist = join(dir, 'dist');
  const written = new Set();
  // The modules each bundle of the package carries, by bundle: see checkSharedModules.
  const carried = new Map();
  // The entry, then each sibling a bundle loads on use (a Set's loop sees what is added while it runs).
  const sources = new Set([entry]);
  for (const source of sources) {
    if (dirname(source) !== join(dir, 'src')) throw new Error(`${source}: a module loaded on use must be in src/`);
    const name = basename(source, '.ts');
    written.add(name);
    const { metafile } = await build({
      stdin: { contents: await commonJSEntry(source, dir), resolveDir: dirname(source), sourcefile: `${name}.exports.js`, loader: 'js' },
      outfile: join(dist, `${name}.js`),
      bundle: true,
      plugins: [resolver(sources)],
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      tsconfig: join(dir, 'tsconfig.json'),
      // Whitespace and syntax minified, identifiers not: V8 compiles each file at require time in proportion to
      // its size, and this is about 0.1 ms per package of a strategy's cold require. No `keepNames`: it wraps every
      // function, closures made per call included, in a call that sets its name (about 3% of a sign-in's CPU); a
      // class keeps its name as long as its body does not name it (see checkExports). The source map carries
      // the TypeScript, so that `node --enable-source-maps` and debuggers show the sources, lines and names as
      // written.
      minifyWhitespace: true,
      minifySyntax: true,
      sourcemap: true,
      sourcesContent: true,
      metafile: true,
      logLevel: 'warning',
    });
    const output = metafile.outputs[relative(process.cwd(), join(dist, `${name}.js`))];
    carried.set(
      name,
      Object.keys(output.inputs).filter((input) => input !== '<stdin>'),
    );
  }
  checkSharedModules(dir, carried);
  // The JavaScript in dist/ is these bundles' alone: files an older build left there would be packed.
  for (const file of readdirSync(dist)) {
    const match = /^(.+)\.js(\.map)?$/.exec(file);
    if (match && !written.has(match[1])) rmSync(join(dist, file));
  }
}

/**
 * The entry of `source`'s bundle: its value exports (as esbuild finds them, re-exports included), imported and
 * assigned to `exports` one by one, once the module has run.
 */
async function commonJSEntry(source, dir) {
  const { metafile } = await build({
    entryPoints: [source],
    bundle: true,
    write: false,
    outdir: join(dir, 'dist'),
    plugins: [resolver(new Set())],
    platform: 'node',
    format: 'esm',
    tsconfig: join(dir, 'tsconfig.json'),
    metafile: true,
    logLevel: 'warning',
  });
  const names = Object.values(metafile.outputs).find((output) => output.entryPoint)?.exports ?? [];
  if (names.includes('default')) throw new Error(`${source}: a default export has no CommonJS name; export it by name`);
  return `import { ${names.join(', ')} } from './${basename(source, '.ts')}';\n${names.map((n) => `exports.${n} = ${n};\n`).join('')}`;
}

// Once every package is bundled: a bundle requires the others' when it loads.
for (const dir of dirs) if (existsSync(join(dir, 'src', 'index.ts'))) checkExports(dir);

/**
 * Fails the build when an export is not a plain property (see the entry above), or when a class the package exports
 * has lost its name. esbuild bundles a top-level class as `X = class {...}`, which keeps the name `X`, but a class
 * whose body names itself (`new X()` in a static method, `v instanceof X`) as `X = class _X {...}`, named `_X`: such a
 * reference belongs outside the body (`new this()`, or a function beside the class). Every exported class must carry
 * a name some class of the sources declares.
 */
function checkExports(dir) {
  const exports = createRequire(import.meta.url)(join(dir, 'dist', 'index.js'));
  for (const [key, descriptor] of Object.entries(Object.getOwnPropertyDescriptors(exports))) {
    if (!('value' in descriptor)) throw new Error(`${dir}: the export ${key} is an accessor, not a plain property`);
    const { value } = descriptor;
    if (typeof value !== 'function' || !/^class\b/.test(Function.prototype.toString.call(value))) continue;
    if (!declaredClasses().has(value.name))
      throw new Error(`${dir}: the exported class ${key} is named ${JSON.stringify(value.name)} in the bundle, a name no source declares`);
  }
}

/**
 * Fails the build when a module bundled into two files of one package (the main bundle and one loaded on use) holds
 * a class or state of its own: each file would have its copy, and an instance of one would not be an instance of
 * the other. Such a module is imported by one of them only; the other reaches it through the first.
 */
function checkSharedModules(dir, carried) {
  const seen = new Map();
  for (const [bundle, inputs] of carried) {
    for (const input of inputs) {
      const first = seen.get(input);
      if (first === undefined) {
        seen.set(input, bundle);
        continue;
      }
      // Its code without comments, which may well speak of classes.
      const source = readFileSync(resolve(input), 'utf8')
        .replace(/\/\*[\s\S]*?\*\//g, '')
        .replace(/^\s*\/\/.*$/gm, '');
      // A class anywhere (a factory's too), a top-level `let`, or a top-level binding to a call or a `new`; not to
      // a `require()`, whose module both files share through require's cache.
      if (/\bclass\s|^(export )?let |^(export )?const \w+(: [^=]+)? = (new |(?!require\()[\w.]+\()/m.test(source))
        throw new Error(`${dir}: ${input} is bundled into both dist/${first}.js and dist/${bundle}.js, and it holds a class or state of its own`);
    }
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
