// Token sources under 1000 concurrent callers: how many token requests reach the emulator (one is the goal)
// and how long until every caller has its token.
import { load } from './providers.mjs';

const CALLERS = 1000;

async function timed(fn) {
  const started = process.hrtime.bigint();
  const result = await fn();
  return { result, ms: Number(process.hrtime.bigint() - started) / 1e6 };
}

/** `strategy.clientCredentialsSource()`: 1000 concurrent `get()`. */
export async function benchClientCredentials(provider) {
  const emulators = load('@maniapass/emulators');
  const { Strategy } = load(provider.package);
  const emulator = await emulators[provider.emulator]();
  try {
    const strategy = new Strategy({ ...emulator.strategyOptions(), callbackURL: 'http://127.0.0.1:1/cb' }, () => undefined);
    const source = strategy.clientCredentialsSource();
    const before = emulator.requestsTo('token').length;
    const { result, ms } = await timed(() => Promise.all(Array.from({ length: CALLERS }, () => source.get())));
    return {
      subject: `${provider.package} clientCredentialsSource().get()`,
      callers: CALLERS,
      requests: emulator.requestsTo('token').length - before,
      distinctTokens: new Set(result.map((t) => t.accessToken)).size,
      ms,
    };
  } finally {
    await emulator.close();
  }
}

/** `NadeoClient.token()`: 1000 concurrent callers for the same audience. */
export async function benchNadeoClient() {
  const emulators = load('@maniapass/emulators');
  const { NadeoClient } = load('nadeo-auth');
  const emulator = await emulators.startNadeoEmulator();
  try {
    const account = emulators.DEFAULT_SERVICE_ACCOUNT;
    const client = new NadeoClient({
      ...emulator.clientOptions(),
      account: { login: account.login, password: account.password },
      userAgent: 'maniapass-bench / bench@example.com',
    });
    const before = emulator.tokenRequests();
    const { result, ms } = await timed(() => Promise.all(Array.from({ length: CALLERS }, () => client.token('NadeoServices'))));
    const after = emulator.tokenRequests();
    return {
      subject: 'nadeo-auth NadeoClient.token()',
      callers: CALLERS,
      requests: after.basic - before.basic + (after.refresh - before.refresh),
      distinctTokens: new Set(result.map((t) => t.accessToken ?? JSON.stringify(t))).size,
      ms,
    };
  } finally {
    await emulator.close();
  }
}
