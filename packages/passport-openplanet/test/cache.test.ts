// A token is validated once: kept (by its hash) until it is too old, shared by concurrent requests, never kept
// when refused or when Openplanet failed.
import { createHash } from 'node:crypto';
import { inspect } from 'node:util';
import { startOpenplanetEmulator, type OpenplanetEmulator } from '@maniapass/emulators';
import { Strategy, type OpenplanetStrategyOptions } from 'passport-openplanet';
import { startApiApp, type ApiApp } from './app';

let emulator: OpenplanetEmulator;
let app: ApiApp | undefined;
beforeAll(async () => {
  emulator = await startOpenplanetEmulator();
});
afterAll(() => emulator.close());
afterEach(async () => {
  jest.restoreAllMocks();
  emulator.clearFaults();
  emulator.singleUse = false;
  emulator.requests.length = 0;
  await app?.close();
  app = undefined;
});

async function start(options: Partial<OpenplanetStrategyOptions> = {}) {
  const strategy = new Strategy({ ...emulator.strategyOptions(), ...options }, async (profile) => ({ id: profile.id }));
  app = await startApiApp(strategy);
  return { strategy, post: (token: string) => app!.agent.post('/api/session').send({ token }) };
}
const validations = () => emulator.requestsTo('validate').length;
const now = () => Math.floor(Date.now() / 1000);

describe('the validation cache', () => {
  it('validates a token once: later requests with it are answered from the cache', async () => {
    // The emulator refuses a second validation: only the cache can make the later requests succeed.
    emulator.singleUse = true;
    const { post } = await start();
    const token = emulator.issuePluginToken();
    for (let i = 0; i < 3; i++) expect((await post(token)).body.user?.id).toBe(emulator.users[0]!.accountId);
    expect(validations()).toBe(1);
  });

  it('concurrent requests with one token share one validation', async () => {
    const { post } = await start();
    const token = emulator.issuePluginToken();
    emulator.fault('validate', { type: 'delay', ms: 100 }, { times: 1 });
    const answers = await Promise.all(Array.from({ length: 20 }, () => post(token)));
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(200));
    expect(validations()).toBe(1);
  });

  it('remembers a refused token for rememberRefusals seconds; keeps no failure of Openplanet', async () => {
    const { post } = await start({ holdOff: 0 });
    expect((await post('x-unknown-token')).status).toBe(401);
    expect((await post('x-unknown-token')).status).toBe(401);
    expect(validations()).toBe(1);
    const refusedAt = Date.now();
    jest.spyOn(Date, 'now').mockReturnValue(refusedAt + 61_000);
    expect((await post('x-unknown-token')).status).toBe(401);
    expect(validations()).toBe(2);
    jest.restoreAllMocks();
    const token = emulator.issuePluginToken();
    emulator.fault('validate', { type: 'status', status: 502 }, { times: 1 });
    expect((await post(token)).status).toBe(500);
    expect((await post(token)).status).toBe(200);
    expect((await post(token)).status).toBe(200);
    expect(validations()).toBe(4);
  });

  it('rememberRefusals: 0 asks again for every refused token', async () => {
    const { post } = await start({ rememberRefusals: 0 });
    expect((await post('x-unknown-token')).status).toBe(401);
    expect((await post('x-unknown-token')).status).toBe(401);
    expect(validations()).toBe(2);
  });

  it('keeps a token until it is maxTokenAge old, then asks again (and refuses it as too old)', async () => {
    const { post } = await start({ maxTokenAge: 300 });
    const issuedAt = now();
    const token = emulator.issuePluginToken(undefined, { issuedAt, lifetime: 1000 });
    expect((await post(token)).status).toBe(200);
    const clock = jest.spyOn(Date, 'now').mockReturnValue((issuedAt + 299) * 1000);
    expect((await post(token)).status).toBe(200);
    expect(validations()).toBe(1);
    clock.mockReturnValue((issuedAt + 301) * 1000);
    const late = await post(token);
    expect([late.status, late.body.reason]).toEqual([401, 'too_old']);
    expect(validations()).toBe(2);
  });

  it('keeps an entry at most cache.maxAge seconds, and at most cache.max entries (the oldest go first)', async () => {
    const { post } = await start({ cache: { max: 2, maxAge: 10 } });
    const issuedAt = now();
    const [a, b, c] = [0, 1, 2].map(() => emulator.issuePluginToken(undefined, { issuedAt }));
    for (const token of [a!, b!, c!]) await post(token);
    expect(validations()).toBe(3);
    await post(c!);
    expect(validations()).toBe(3);
    await post(a!); // evicted by c
    expect(validations()).toBe(4);
    jest.spyOn(Date, 'now').mockReturnValue((issuedAt + 11) * 1000);
    await post(a!);
    expect(validations()).toBe(5);
  });

  it('cache: false validates every request', async () => {
    const { post } = await start({ cache: false });
    const token = emulator.issuePluginToken();
    await post(token);
    await post(token);
    expect(validations()).toBe(2);
  });

  it('keeps no answer without token_time (its age is unknown)', async () => {
    const { post } = await start();
    for (let i = 0; i < 2; i++) {
      emulator.fault('validate', { type: 'status', status: 200, body: '{"account_id":"a-b","display_name":"x"}' }, { times: 1 });
      expect((await post('any-token-at-all')).body.user).toEqual({ id: 'a-b' });
    }
    expect(validations()).toBe(2);
  });

  it('holds tokens only as SHA-256 hashes, and the strategy never shows the secret', async () => {
    const { strategy, post } = await start();
    const token = emulator.issuePluginToken();
    await post(token);
    const shown = `${inspect(strategy, { depth: Infinity })} ${JSON.stringify(strategy)}`;
    expect(shown).toContain(createHash('sha256').update(token).digest('base64url'));
    expect(shown).not.toContain(token);
    expect(shown).not.toContain(emulator.plugins[0]!.secret);
  });

  it('check() gives the same answers outside a passport route, sharing the cache', async () => {
    const { strategy, post } = await start({ holdOff: 0 });
    const token = emulator.issuePluginToken();
    const checked = await strategy.check(token);
    expect(checked).toEqual({ profile: expect.objectContaining({ provider: 'openplanet', id: emulator.users[0]!.accountId }) });
    await post(token);
    expect(validations()).toBe(1);
    expect(await strategy.check('x-unknown-token')).toEqual({
      failure: { message: 'Openplanet refused the token: get a new one from Auth::GetToken()', reason: 'refused' },
    });
    await expect(strategy.check('')).rejects.toThrow(TypeError);
    emulator.fault('validate', { type: 'status', status: 503 }, { times: 1 });
    await expect(strategy.check(emulator.issuePluginToken())).rejects.toMatchObject({ name: 'ProviderError', upstreamStatus: 503 });
  });
});
