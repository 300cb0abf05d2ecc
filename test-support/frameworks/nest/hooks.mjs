// Module hooks for the Nest app's process (registered by register.mjs).
// - The app's .mts files are compiled by TypeScript with the decorator options Nest needs (esbuild has no
//   emitDecoratorMetadata); `./x.mjs` imports find `./x.mts`, as tsc's output would be found.
// - A workspace package imported from ESM (`import { Strategy } from 'passport-trackmania'`) is its src/index.ts
//   compiled to CommonJS by esbuild for Node's platform, which annotates the named exports so that Node sees
//   them; what it requires goes through register-sources.cjs.
// - The app's bare imports (@nestjs/*, passport, express-session) resolve from `depsFrom`, a Nest workspace.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const ts = require('typescript');
const esbuild = require('esbuild');

const appDir = new URL('./', import.meta.url).href;
const packagesDir = new URL('../../../packages/', import.meta.url);
const workspacePackages = new Map();
for (const dir of readdirSync(packagesDir)) {
  const manifest = new URL(`${dir}/package.json`, packagesDir);
  const entry = new URL(`${dir}/src/index.ts`, packagesDir);
  if (existsSync(manifest) && existsSync(entry)) workspacePackages.set(JSON.parse(readFileSync(manifest, 'utf8')).name, entry.href);
}

let depsFrom;
export function initialize(data) {
  depsFrom = data?.depsFrom;
}

const isBare = (specifier) => !/^(\.|\/|[a-z][a-z\d+.-]*:)/i.test(specifier);

export async function resolve(specifier, context, next) {
  const entry = workspacePackages.get(specifier);
  if (entry) return { url: entry, format: 'commonjs', shortCircuit: true };
  const fromApp = context.parentURL?.startsWith(appDir) ?? false;
  if (fromApp && specifier.startsWith('.') && specifier.endsWith('.mjs')) {
    const source = new URL(specifier.replace(/\.mjs$/, '.mts'), context.parentURL);
    if (existsSync(source)) return { url: source.href, format: 'module', shortCircuit: true };
  }
  if (fromApp && depsFrom && isBare(specifier)) return next(specifier, { ...context, parentURL: depsFrom });
  return next(specifier, context);
}

export async function load(url, context, next) {
  if (url.startsWith(appDir) && url.endsWith('.mts')) {
    const fileName = fileURLToPath(url);
    const { outputText } = ts.transpileModule(readFileSync(fileName, 'utf8'), {
      fileName,
      compilerOptions: {
        module: ts.ModuleKind.ESNext,
        target: ts.ScriptTarget.ES2022,
        experimentalDecorators: true,
        emitDecoratorMetadata: true,
        inlineSourceMap: true,
        inlineSources: true,
      },
    });
    return { format: 'module', source: outputText, shortCircuit: true };
  }
  if (url.startsWith(packagesDir.href) && url.endsWith('.ts')) {
    const sourcefile = fileURLToPath(url);
    const { code } = esbuild.transformSync(readFileSync(sourcefile, 'utf8'), { loader: 'ts', format: 'cjs', platform: 'node', target: 'node20', sourcefile });
    return { format: 'commonjs', source: code, shortCircuit: true };
  }
  return next(url, context);
}
