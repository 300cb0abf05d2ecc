// Every installed package's ESM named exports are its CommonJS exports: Node reads the names of a CommonJS
// module from its source (cjs-module-lexer), re-exports included, and a build step that hid one would break
// `import { ProviderClient } from '@maniapass/oauth2-core'` and the like. Provider packages are imported first,
// so that the core and the HTTP layer are already loaded through `require` when they are imported.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const packages = require('./packages.json');
const providersFirst = [...packages.filter((p) => p.startsWith('passport-')), ...packages.filter((p) => !p.startsWith('passport-'))];
for (const pkg of providersFirst) {
  const esm = await import(pkg);
  const names = Object.keys(require(pkg));
  const missing = names.filter((name) => !(name in esm) || esm[name] !== require(pkg)[name]);
  if (missing.length) throw new Error(`import ${pkg}: named exports missing or different: ${missing.join(', ')}`);
  console.log(`import ${pkg}: ${names.length} named exports, the same as require`);
}
