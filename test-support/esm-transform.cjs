// Jest runs CommonJS: ESM-only dependencies (jose) are turned into CommonJS for the tests, as Node's own
// require(esm) and the packages' dynamic import() load them outside jest.
const { transformSync } = require('esbuild');

module.exports = {
  process(source, filename) {
    const { code, map } = transformSync(source, { format: 'cjs', target: 'node20', loader: 'js', sourcefile: filename, sourcemap: 'external' });
    return { code, map };
  },
};
