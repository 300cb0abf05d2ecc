// Lets a child `node` process run the TypeScript sources directly, as jest does: workspace package names
// resolve to their src/index.ts, and esbuild transpiles .ts on require.
const Module = require('node:module');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const map = new Map();
for (const dir of fs.readdirSync(path.join(root, 'packages'))) {
  const manifest = path.join(root, 'packages', dir, 'package.json');
  const entry = path.join(root, 'packages', dir, 'src', 'index.ts');
  if (fs.existsSync(manifest) && fs.existsSync(entry)) map.set(JSON.parse(fs.readFileSync(manifest, 'utf8')).name, entry);
}
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  return resolve.call(this, map.get(request) ?? request, ...rest);
};
require('esbuild-register/dist/node').register({ target: 'node20' });
