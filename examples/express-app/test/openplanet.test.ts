// The plugin API, driven as an Openplanet plugin drives it: a token from Auth::GetToken() (the emulator's), posted
// once for the app's own token, which the later calls carry.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { createApp } from '../src/app';
import { loadConfig } from '../src/config';
import { startServer } from '../src/main';
import { APP_TOKEN_LIFETIME, startOpenplanetDemo, type OpenplanetDemo } from '../src/openplanet';
import { SESSION_SECRET } from './helpers';

let demo: OpenplanetDemo;
let server: Server;
let agent: ReturnType<typeof request.agent>;
const logged: string[] = [];

beforeAll(async () => {
  const config = loadConfig({ SESSION_SECRET });
  demo = await startOpenplanetDemo(config, { log: (line) => logged.push(line), timeout: 300 });
  const app = createApp({ providers: [], sessionSecret: SESSION_SECRET, openplanet: demo, log: (line) => logged.push(line) });
  server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  agent = request.agent(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await demo.close();
});
afterEach(() => {
  jest.restoreAllMocks();
  demo.emulator!.clearFaults();
  logged.length = 0;
});

const emulator = () => demo.emulator!;
const signIn = (token: unknown) => agent.post('/api/openplanet/session').send({ token });
const me = (appToken?: string) => (appToken === undefined ? agent.get('/api/openplanet/me') : agent.get('/api/openplanet/me').set('Authorization', `Bearer ${appToken}`));

describe('the plugin API (Openplanet)', () => {
  it('explains itself on the home page, with the way to get an emulated token', async () => {
    const home = await agent.get('/');
    expect(home.status).toBe(200);
    expect(home.text).toContain('<h2>Plugin API (Openplanet)</h2>');
    expect(home.text).toContain('<code>POST /api/openplanet/session</code>');
    expect(home.text).toContain(`<code>curl -X POST ${emulator().url}/emulator/plugin-token</code>`);
  });

  it('exchanges a plugin token for the app token, which the next call carries', async () => {
    const player = emulator().users[1]!;
    const pluginToken = emulator().issuePluginToken(player);
    const session = await signIn(pluginToken);
    expect(session.status).toBe(200);
    expect(session.headers['cache-control']).toBe('no-store');
    expect(session.headers['set-cookie']).toBeUndefined();
    expect(session.body).toEqual({ token: expect.stringMatching(/^[\w-]+\.[\w-]+$/), tokenType: 'Bearer', expiresAt: expect.any(Number), accountId: player.accountId, displayName: player.displayName });
    expect(session.body.expiresAt - Date.now() / 1000).toBeGreaterThan(APP_TOKEN_LIFETIME - 60);
    expect(session.body.token).not.toContain(pluginToken);

    for (let i = 0; i < 2; i++) {
      const res = await me(session.body.token);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ accountId: player.accountId, displayName: player.displayName, expiresAt: session.body.expiresAt });
    }
    // Openplanet was asked once; the later calls never sent an Openplanet token.
    expect(emulator().validations(pluginToken)).toBe(1);
  });

  it('validates a plugin token once, even when the plugin posts it again', async () => {
    const pluginToken = emulator().issuePluginToken();
    const before = emulator().requestsTo('validate').length;
    expect((await signIn(pluginToken)).status).toBe(200);
    expect((await signIn(pluginToken)).status).toBe(200);
    expect(emulator().requestsTo('validate').length - before).toBe(1);
  });

  it('answers JSON failures: 400 without a token, 401 for a refused or old one', async () => {
    const none = await agent.post('/api/openplanet/session').send({});
    expect([none.status, none.body]).toEqual([400, { error: 'Missing Openplanet token', reason: 'missing_token' }]);
    const refused = await signIn('never-issued-token');
    expect([refused.status, refused.body]).toEqual([401, { error: 'Openplanet refused the token: Invalid token', reason: 'refused' }]);
    const old = await signIn(emulator().issuePluginToken(undefined, { issuedAt: Math.floor(Date.now() / 1000) - 400 }));
    expect([old.status, old.body.reason]).toEqual([401, 'refused']);
    const notJSON = await agent.post('/api/openplanet/session').set('Content-Type', 'application/json').send('{"token":');
    expect(notJSON.status).toBe(400);
  });

  it('refuses a missing, forged or expired app token with 401 and WWW-Authenticate', async () => {
    const { body } = await signIn(emulator().issuePluginToken());
    const [claims, mac] = (body.token as string).split('.');
    const forged = `${Buffer.from(JSON.stringify({ sub: 'someone-else', name: 'x', exp: 9_999_999_999 })).toString('base64url')}.${mac}`;
    for (const token of [undefined, '', 'x', forged, `${claims}.${mac}x`, `${claims}.${mac}.${mac}`]) {
      const res = await me(token);
      expect(res.status).toBe(401);
      expect(res.headers['www-authenticate']).toBe('Bearer');
      expect(res.body.error).toMatch(/sign in again/);
    }
    jest.spyOn(Date, 'now').mockReturnValue((body.expiresAt + 1) * 1000);
    expect((await me(body.token)).status).toBe(401);
  });

  it('answers 502 when Openplanet fails and 504 when it does not answer, logging no token', async () => {
    const pluginToken = emulator().issuePluginToken();
    emulator().fault('validate', { type: 'status', status: 503 }, { times: 1 });
    const down = await signIn(pluginToken);
    expect([down.status, down.body.error]).toEqual([502, `openplanet: POST ${emulator().url}/auth/validate answered HTTP 503`]);
    emulator().fault('validate', { type: 'hang' }, { times: 1 });
    const hung = await signIn(pluginToken);
    expect([hung.status, hung.body.error]).toEqual([504, `openplanet: POST ${emulator().url}/auth/validate timed out after 300 ms`]);
    expect(logged).toHaveLength(2);
    for (const line of logged) expect(line).not.toContain(pluginToken);
    // Openplanet is back: the same token still works (failures are not kept).
    expect((await signIn(pluginToken)).status).toBe(200);
  });

  it('runs in npm start on the emulator: a token from the emulator route works as a plugin would use it', async () => {
    const lines: string[] = [];
    const log = { log: (line: string) => lines.push(line), warn: () => {}, error: (line: string) => lines.push(line) };
    const running = await startServer({ PORT: '0', HOST: '127.0.0.1', SESSION_SECRET }, log);
    try {
      const summary = lines.find((line) => line.startsWith(`  ${'Openplanet'.padEnd(12)} emulated at `));
      const emulatorURL = /emulated at (http:\/\/127\.0\.0\.1:\d+)/.exec(summary ?? '')?.[1];
      expect(emulatorURL).toBeDefined();
      const issued = (await (await fetch(`${emulatorURL}/emulator/plugin-token`, { method: 'POST' })).json()) as { token: string; account_id: string };
      const app = request(running.url.replace(/\/$/, ''));
      const session = await app.post('/api/openplanet/session').send({ token: issued.token });
      expect(session.body.accountId).toBe(issued.account_id);
      const res = await app.get('/api/openplanet/me').set('Authorization', `Bearer ${session.body.token}`);
      expect(res.body.accountId).toBe(issued.account_id);
    } finally {
      await running.close();
    }
  });

  it('uses the real Openplanet with OPENPLANET_SECRET (no emulator), and refuses a user agent without it', async () => {
    const real = await startOpenplanetDemo(loadConfig({ SESSION_SECRET, OPENPLANET_SECRET: 'plugin-secret', OPENPLANET_USER_AGENT: 'my-service / me@example.com' }));
    expect([real.emulated, real.emulator]).toEqual([false, undefined]);
    expect(real.summary).toBe(`${'Openplanet'.padEnd(12)} real endpoint (https://api.openplanet.dev/auth/validate)`);
    await real.close();
    expect(() => loadConfig({ OPENPLANET_USER_AGENT: 'x' })).toThrow('Openplanet: OPENPLANET_USER_AGENT is set, but OPENPLANET_SECRET is not');
  });
});
