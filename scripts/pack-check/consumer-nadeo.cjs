// nadeo-auth from `require` in an empty folder: it loads no passport, and a service account gets its
// NadeoServices and NadeoLiveServices tokens from the Nadeo emulator.
const { NadeoClient } = require('nadeo-auth');
const { startNadeoEmulator, DEFAULT_SERVICE_ACCOUNT } = require('@maniapass/emulators');

async function main() {
  const loaded = Object.keys(require.cache).filter((m) => /[\\/]node_modules[\\/](passport[^\\/]*|oauth)[\\/]/.test(m));
  if (loaded.length) throw new Error(`nadeo-auth loaded ${loaded.join(', ')}`);
  const emulator = await startNadeoEmulator();
  try {
    const nadeo = new NadeoClient({
      ...emulator.clientOptions(),
      account: { login: DEFAULT_SERVICE_ACCOUNT.login, password: DEFAULT_SERVICE_ACCOUNT.password },
      userAgent: 'maniapass pack check / ci@example.com',
    });
    for (const audience of ['core', 'live']) {
      const { accessToken } = await nadeo.token(audience);
      const claims = JSON.parse(Buffer.from(accessToken.split('.')[1], 'base64url').toString('utf8'));
      console.log(`require nadeo-auth: ${audience} token for ${claims.aud}`);
    }
  } finally {
    await emulator.close();
  }
}
main().catch((err) => {
  console.error(err);
  process.exit(1);
});
