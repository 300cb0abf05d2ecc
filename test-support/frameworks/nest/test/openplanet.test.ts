// passport-openplanet under NestJS 11 (CommonJS) and 12 (ESM only) through @nestjs/passport, against the
// Openplanet emulator: validate(profile) with and without callbackArity, and a guard keeping the strategy's status.
import { join } from 'node:path';
import { startOpenplanetEmulator, type OpenplanetEmulator } from '@maniapass/emulators';
import { startAppProcess, type AppProcess } from '../../support';

const register = join(__dirname, '../register.mjs');
const main = join(__dirname, '../openplanet-main.mts');

let emulator: OpenplanetEmulator;
beforeAll(async () => {
  emulator = await startOpenplanetEmulator();
});
afterAll(() => emulator?.close());
afterEach(() => emulator.clearFaults());

describe.each([
  ['nest11', '11.2.10'],
  ['nest12', '12.5.1'],
])('NestJS %s + @nestjs/passport: passport-openplanet', (workspace, version) => {
  let app: AppProcess<{ nest: string }>;
  beforeAll(async () => {
    app = await startAppProcess<{ nest: string }>(
      ['--enable-source-maps', '--import', register, main],
      { ...emulator.strategyOptions(), timeout: 500 },
      {
        NEST_WORKSPACE: join(__dirname, '..', '..', workspace),
      },
    );
  }, 120_000);
  afterAll(() => app?.close());

  const player = () => ({ provider: 'openplanet', id: emulator.users[0]!.accountId, displayName: emulator.users[0]!.displayName });

  it(`runs on @nestjs/core ${version}`, () => {
    expect(app.info.nest).toBe(version);
  });

  it('validate(profile): a plugin token in a JSON body signs the player in', async () => {
    const res = await app.visitor().agent.post('/api/session').send({ token: emulator.issuePluginToken() });
    expect([res.status, res.body]).toEqual([201, { user: player() }]);
  });

  it('callbackArity, validate(profile): the profile reaches validate', async () => {
    const res = await app.visitor().agent.post('/api/arity').send({ token: emulator.issuePluginToken() });
    expect([res.status, res.body]).toEqual([201, { user: { ...player(), arity: true } }]);
  });

  it("a guard with handleRequest keeps the strategy's 400 and 401 and their messages; AuthGuard alone answers 401", async () => {
    const { agent } = app.visitor();
    const missing = await agent.post('/api/session').send({});
    expect([missing.status, missing.body]).toEqual([400, { error: 'Missing Openplanet token', reason: 'missing_token' }]);
    const refused = await agent.post('/api/session').send({ token: 'never-issued-token' });
    expect([refused.status, refused.body]).toEqual([401, { error: 'Openplanet refused the token: get a new one from Auth::GetToken()', reason: 'refused' }]);
    expect((await agent.post('/api/plain').send({})).status).toBe(401);
  });

  it("a failure of Openplanet is a 500, from the ProviderError's statusCode (Nest 11 shows its message, Nest 12 its own)", async () => {
    emulator.fault('validate', { type: 'status', status: 503 }, { times: 1 });
    const res = await app.visitor().agent.post('/api/session').send({ token: emulator.issuePluginToken() });
    const message = workspace === 'nest11' ? `openplanet: POST ${emulator.url}/auth/validate answered HTTP 503` : 'Internal server error';
    expect([res.status, res.body]).toEqual([500, { statusCode: 500, message }]);
  });
});
