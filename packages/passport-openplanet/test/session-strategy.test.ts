// The whole plugin ↔ backend exchange as the README shows it: the plugin posts its Openplanet token once, gets the
// app's own token, and calls with `Authorization: Bearer`; the second strategy verifies it.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import passportModule from 'passport';
import request from 'supertest';
import { startOpenplanetEmulator, type OpenplanetEmulator } from '@maniapass/emulators';
import type { SharedStore } from '@maniapass/http';
import { PluginSessions, SessionStrategy, Strategy, type PluginSession } from 'passport-openplanet';

let emulator: OpenplanetEmulator;
let server: Server;
let agent: ReturnType<typeof request.agent>;
let sessions: PluginSessions;
let failingStore = false;

beforeAll(async () => {
  emulator = await startOpenplanetEmulator();
  const memory = new Map<string, string>();
  const store = {
    get: async (key: string) => (failingStore ? Promise.reject(new Error('down')) : memory.get(key)),
    set: async (key: string, value: string) => void memory.set(key, value),
    add: async () => true,
    delete: async () => undefined,
  } as unknown as SharedStore;
  sessions = new PluginSessions({ audience: 'my-service', issuer: 'https://my-service.example', keys: [{ id: 'k1', secret: 'k'.repeat(32) }], store });

  const passport = new passportModule.Passport();
  passport.use(new Strategy({ ...emulator.strategyOptions(), singleUse: true }, async (profile) => profile));
  passport.use(new SessionStrategy({ sessions }));
  passport.use(
    'with-verify',
    new SessionStrategy({ sessions, passReqToCallback: true }, async (req, session) =>
      session.displayName === 'Wirtual' ? false : { id: session.accountId, path: req.path },
    ),
  );
  const app = express();
  app.post('/api/session', express.json(), passport.authenticate('openplanet', { session: false }), async (req, res) =>
    res.json(await sessions.issue(req.user as { id: string })),
  );
  app.post('/api/refresh', passport.authenticate('openplanet-session', { session: false }), async (req, res) =>
    res.json(await sessions.refresh(/^Bearer (.+)$/.exec(req.headers.authorization!)![1])),
  );
  app.get('/api/me', passport.authenticate('openplanet-session', { session: false }), (req, res) => res.json(req.user));
  app.get('/api/verified', passport.authenticate('with-verify', { session: false }), (req, res) => res.json(req.user));
  app.use((err: Error, _req: express.Request, res: express.Response, _next: express.NextFunction) => res.status(500).json({ error: err.name }));
  server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  agent = request.agent(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await emulator.close();
});

const signIn = async (player = emulator.users[0]!) =>
  (await agent.post('/api/session').send({ token: emulator.issuePluginToken(player) })).body as { token: string; session: PluginSession };

describe('SessionStrategy', () => {
  it('exchanges a plugin token for the app token; the bearer strategy makes the session req.user', async () => {
    const { token, session } = await signIn();
    const me = await agent.get('/api/me').set('Authorization', `Bearer ${token}`);
    expect([me.status, me.body]).toEqual([200, session]);
    const verified = await agent.get('/api/verified').set('Authorization', `bearer  ${token}`);
    expect(verified.body).toEqual({ id: session.accountId, path: '/api/verified' });
    const refused = await agent.get('/api/verified').set('Authorization', `Bearer ${(await signIn(emulator.users[1])).token}`);
    expect(refused.status).toBe(401);
  });

  it('refuses a replayed plugin token once its session was issued', async () => {
    const pluginToken = emulator.issuePluginToken();
    expect((await agent.post('/api/session').send({ token: pluginToken })).status).toBe(200);
    const replay = await agent.post('/api/session').send({ token: pluginToken });
    expect([replay.status, replay.text]).toEqual([401, 'Unauthorized']);
    expect(emulator.validations(pluginToken)).toBe(1);
  });

  it('answers RFC 6750 challenges: 401 without a token, 400 for a malformed header, 401 invalid_token with the reason', async () => {
    const none = await agent.get('/api/me');
    expect([none.status, none.headers['www-authenticate']]).toEqual([401, 'Bearer realm="my-service"']);
    for (const header of ['Basic abc', 'Bearer', 'Bearer a b', `Bearer ${'x'.repeat(5000)}`]) {
      const res = await agent.get('/api/me').set('Authorization', header);
      // passport writes challenges on a 401 only; a custom callback gets this one as info.
      expect([res.status, res.text]).toEqual([400, 'Bad Request']);
    }
    const { token, session } = await signIn();
    const tampered = await agent.get('/api/me').set('Authorization', `Bearer ${token.slice(0, -2)}AA`);
    expect([tampered.status, tampered.headers['www-authenticate']]).toEqual([
      401,
      'Bearer realm="my-service", error="invalid_token", error_description="The session token is not valid"',
    ]);
    await sessions.revokeSession(session.sessionId);
    const revoked = await agent.get('/api/me').set('Authorization', `Bearer ${token}`);
    expect(revoked.headers['www-authenticate']).toContain('error_description="The session was ended: sign in again"');
    expect((await agent.post('/api/refresh').set('Authorization', `Bearer ${token}`)).status).toBe(401);
  });

  it('refreshes a valid token into a new one of the same session', async () => {
    const { token, session } = await signIn();
    const renewed = await agent.post('/api/refresh').set('Authorization', `Bearer ${token}`);
    expect(renewed.status).toBe(200);
    expect(renewed.body.session.sessionId).toBe(session.sessionId);
    expect((await agent.get('/api/me').set('Authorization', `Bearer ${renewed.body.token}`)).status).toBe(200);
  });

  it('is an error (500), not a failure, when the store cannot say whether the session was revoked', async () => {
    const { token } = await signIn();
    failingStore = true;
    try {
      const res = await agent.get('/api/me').set('Authorization', `Bearer ${token}`);
      expect([res.status, res.body]).toEqual([500, { error: 'StoreError' }]);
    } finally {
      failingStore = false;
    }
  });

  it('checks its options', () => {
    expect(() => new SessionStrategy({} as never)).toThrow('requires { sessions }');
    expect(() => new SessionStrategy({ sessions, realm: 'a"b' })).toThrow('realm must be printable ASCII');
    expect(new SessionStrategy({ sessions, name: 'plugin' }).name).toBe('plugin');
  });
});
