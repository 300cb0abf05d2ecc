// Runs in the consumer folder: what a strategy's cold `require` loads of the collection. Each loads its own file,
// the core's and the HTTP layer's main files, and nothing else: the sign-in legs (oauth2-core's dist/legs.js), the
// network code (the HTTP layer's dist/network.js) and the masking (dist/mask.js) load with the first sign-in.
const { execFileSync } = require('node:child_process');

const probe = `require(process.argv[1]);
const files = Object.keys(require.cache).filter((f) => /node_modules[\\\\/](@maniapass[\\\\/][^\\\\/]+|passport-[^\\\\/]+)[\\\\/]dist[\\\\/]/.test(f));
process.stdout.write(JSON.stringify(files.map((f) => f.slice(f.lastIndexOf('node_modules') + 13).replace(/\\\\/g, '/')).sort()));`;

for (const { pkg } of require('./providers.json')) {
  const loaded = JSON.parse(execFileSync(process.execPath, ['-e', probe, pkg], { cwd: __dirname, encoding: 'utf8' }));
  const expected = [`${pkg}/dist/index.js`, '@maniapass/http/dist/index.js', '@maniapass/oauth2-core/dist/index.js'].sort();
  if (JSON.stringify(loaded) !== JSON.stringify(expected)) {
    console.error(`require ${pkg} loaded ${JSON.stringify(loaded)}, expected ${JSON.stringify(expected)}`);
    process.exit(1);
  }
  console.log(`require ${pkg}: loads ${loaded.length} files of the collection (${loaded.join(', ')})`);
}
