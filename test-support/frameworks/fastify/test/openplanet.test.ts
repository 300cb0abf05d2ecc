// passport-openplanet under Fastify 5 through @fastify/passport, against the Openplanet emulator.
import { join } from 'node:path';
import { startOpenplanetEmulator, type OpenplanetEmulator } from '@maniapass/emulators';
import { startAppProcess, type AppProcess } from '../../support';

const register = join(__dirname, '../../../register-sources.cjs');
const main = join(__dirname, '../main.ts');

let emulator: OpenplanetEmulator;
let app: AppProcess<{ fastify: string }>;
beforeAll(async () => {
  emulator = await startOpenplanetEmulator();
  app = await startAppProcess(['-r', register, main, 'openplanet'], { ...emulator.strategyOptions(), timeout: 500 });
});
afterAll(async () => {
  await app?.close();
  await emulator?.close();
});
afterEach(() => emulator.clearFaults());

const player = () => ({ provider: 'openplanet', id: emulator.users[0]!.accountId, displayName: emulator.users[0]!.displayName });

describe('Fastify + @fastify/passport: passport-openplanet', () => {
  it('runs on Fastify 5.12.8', () => {
    expect(app.info.fastify).toBe('5.12.8');
  });

  it('signs a player in from a JSON body with { session: false }, through the callback form and without it', async () => {
    const { agent } = app.visitor();
    const res = await agent.post('/api/session').send({ token: emulator.issuePluginToken() });
    expect([res.status, res.body]).toEqual([200, { user: player() }]);
    expect(res.headers['set-cookie']).toBeUndefined();
    const plain = await agent.post('/api/plain').set('Authorization', `Openplanet ${emulator.issuePluginToken()}`);
    expect([plain.status, plain.body]).toEqual([200, { user: player() }]);
  });

  it('fails with 400 without a token and 401 with the fixed message for a refused one', async () => {
    const { agent } = app.visitor();
    expect((await agent.post('/api/session').send({})).body).toEqual({ error: 'Missing Openplanet token', reason: 'missing_token' });
    const refused = await agent.post('/api/session').send({ token: 'never-issued-token' });
    expect([refused.status, refused.body]).toEqual([401, { error: 'Openplanet refused the token: get a new one from Auth::GetToken()', reason: 'refused' }]);
    expect((await agent.post('/api/plain').send({})).status).toBe(400);
    expect((await agent.post('/api/plain').send({ token: 'never-issued-token' })).status).toBe(401);
  });

  it('starts a session with the player', async () => {
    const { agent } = app.visitor();
    expect((await agent.post('/login').send({ token: emulator.issuePluginToken() })).body).toEqual({ user: player() });
    expect((await agent.get('/me')).body).toEqual({ user: player() });
  });

  it("answers a failure of Openplanet with Fastify's 500, from the ProviderError's statusCode", async () => {
    emulator.fault('validate', { type: 'status', status: 503 }, { times: 1 });
    const res = await app.visitor().agent.post('/api/session').send({ token: emulator.issuePluginToken() });
    expect(res.status).toBe(500);
    expect(res.body).toMatchObject({ statusCode: 500, message: `openplanet: POST ${emulator.url}/auth/validate answered HTTP 503` });
  });
});
