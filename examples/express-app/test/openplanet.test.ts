// The plugin API, driven as an Openplanet plugin drives it: a token from Auth::GetToken() (the emulator's), posted
// once for the app's own token (a JWT of PluginSessions), which the later calls carry as `Authorization: Bearer`.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import type { OpenplanetEmulator } from '@maniapass/emulators';
import { PluginSessions, type SessionKey } from 'passport-openplanet';
import { signIn as webSignIn } from '../../../test-support/harness';
import { createApp } from '../src/app';
import { loadConfig } from '../src/config';
import { startServer } from '../src/main';
import { APP_TOKEN_LIFETIME, PLUGIN_AUDIENCE, startOpenplanetDemo, type OpenplanetDemo, type OpenplanetDemoOptions } from '../src/openplanet';
import { startProviders } from '../src/providers';
import { NO_RATE_LIMITS, SESSION_SECRET } from './helpers';

const KEY: SessionKey = { id: 'test-key', secret: randomBytes(32) };
/** Fake timers that fake the clock only: servers, sockets and timeouts keep running. */
const ONLY_DATE: Parameters<typeof jest.useFakeTimers>[0] = {
  doNotFake: [
    'nextTick',
    'setImmediate',
    'clearImmediate',
    'setTimeout',
    'clearTimeout',
    'setInterval',
    'clearInterval',
    'queueMicrotask',
    'hrtime',
    'performance',
  ],
};

interface PluginApi {
  demo: OpenplanetDemo;
  agent: ReturnType<typeof request.agent>;
  url: string;
  logged: string[];
  close(): Promise<void>;
}

/** The example app with the plugin API (and every provider on its emulator, for the web sign-in). */
async function startPluginApi(options: OpenplanetDemoOptions = {}): Promise<PluginApi> {
  const config = loadConfig({ SESSION_SECRET });
  const logged: string[] = [];
  const { providers, close: closeProviders } = await startProviders(config);
  const demo = await startOpenplanetDemo(config, { log: (line) => logged.push(line), timeout: 5000, sessionKeys: [KEY], rateLimit: 0, ...options });
  const app = createApp({ providers, sessionSecret: SESSION_SECRET, openplanet: demo, limits: NO_RATE_LIMITS, log: (line) => logged.push(line) });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    demo,
    agent: request.agent(url),
    url,
    logged,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await demo.close();
      await closeProviders();
    },
  };
}

let api: PluginApi;
/** Every plugin token, app token and secret the suite handled: none may appear in any answer to a failure or log line. */
const credentials = new Set<string>();
const failureTexts: string[] = [];

beforeAll(async () => {
  api = await startPluginApi();
  credentials.add(api.demo.emulator!.plugins[0]!.secret);
  credentials.add(Buffer.from(KEY.secret as Uint8Array).toString('base64url'));
});
afterAll(async () => {
  // No credential, in any encoding, in what a failure answered or what was logged.
  const texts = [...failureTexts, ...api.logged].join('\n');
  for (const value of credentials) {
    const forms = [
      value,
      encodeURIComponent(value),
      JSON.stringify(value).slice(1, -1),
      Buffer.from(value).toString('base64'),
      Buffer.from(value).toString('base64url'),
      Buffer.from(value).toString('hex'),
    ];
    for (const form of forms) if (form.length >= 8) expect(texts).not.toContain(form);
  }
  await api.close();
});
afterEach(() => {
  jest.useRealTimers();
  jest.restoreAllMocks();
  api.demo.emulator!.clearFaults();
});

const emulator = () => api.demo.emulator!;
const pluginToken = (...args: Parameters<OpenplanetEmulator['issuePluginToken']>) => {
  const token = emulator().issuePluginToken(...args);
  credentials.add(token);
  return token;
};
async function record(res: request.Response): Promise<request.Response> {
  if (res.status >= 400) failureTexts.push(res.text, JSON.stringify(res.headers));
  if (typeof res.body?.token === 'string') credentials.add(res.body.token);
  return res;
}
const exchange = async (token: unknown, on = api) => record(await on.agent.post('/api/openplanet/session').send({ token }));
const me = async (appToken?: string, on = api) =>
  record(await (appToken === undefined ? on.agent.get('/api/openplanet/me') : on.agent.get('/api/openplanet/me').set('Authorization', `Bearer ${appToken}`)));
/** Another PluginSessions with the app's key and audience unless told otherwise: tokens as an attacker or a misconfiguration would make them. */
const minter = (options: Partial<ConstructorParameters<typeof PluginSessions>[0]> = {}) =>
  new PluginSessions({ audience: PLUGIN_AUDIENCE, issuer: PLUGIN_AUDIENCE, keys: [KEY], ...options });
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

async function refused(appToken: string, on = api): Promise<string> {
  const res = await me(appToken, on);
  expect(res.status).toBe(401);
  expect(res.headers['www-authenticate']).toMatch(/^Bearer realm="maniapass-example-plugin-api", error="invalid_token"/);
  return res.body.error as string;
}

describe('the plugin API (Openplanet)', () => {
  it('explains itself on the home page, with the way to get an emulated token', async () => {
    const home = await api.agent.get('/');
    expect(home.status).toBe(200);
    expect(home.text).toContain('<h2>Plugin API (Openplanet)</h2>');
    expect(home.text).toContain('<code>POST /api/openplanet/session</code>');
    expect(home.text).toContain(`<code>curl -X POST ${emulator().url}/emulator/plugin-token</code>`);
  });

  it('exchanges a plugin token for the app token (a JWT), which the next calls carry', async () => {
    const player = emulator().users[1]!;
    const token = pluginToken(player);
    const session = await exchange(token);
    expect(session.status).toBe(200);
    expect(session.headers['cache-control']).toBe('no-store');
    expect(session.headers['set-cookie']).toBeUndefined();
    expect(session.body).toEqual({
      token: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/),
      tokenType: 'Bearer',
      expiresAt: expect.any(Number),
      refreshAfter: expect.any(Number),
      accountId: player.accountId,
      displayName: player.displayName,
      web: null,
    });
    expect(JSON.parse(Buffer.from(session.body.token.split('.')[0], 'base64url').toString())).toEqual({ alg: 'HS256', kid: KEY.id, typ: 'JWT' });
    expect(session.body.expiresAt - Date.now() / 1000).toBeGreaterThan(APP_TOKEN_LIFETIME - 60);
    for (let i = 0; i < 2; i++) {
      const res = await me(session.body.token);
      expect([res.status, res.body]).toEqual([
        200,
        { accountId: player.accountId, displayName: player.displayName, expiresAt: session.body.expiresAt, web: null },
      ]);
    }
    expect(emulator().validations(token)).toBe(1);
  });

  it('refuses the replay of a plugin token whose session was issued, without asking Openplanet again', async () => {
    const token = pluginToken();
    expect((await exchange(token)).status).toBe(200);
    const replay = await exchange(token);
    expect([replay.status, replay.body]).toEqual([
      401,
      { error: 'The Openplanet token was already used: get a new one from Auth::GetToken()', reason: 'replayed' },
    ]);
    expect(emulator().validations(token)).toBe(1);
  });

  it('answers fixed JSON failures: 400 without a token, 401 for a refused or old one, never Openplanet own text', async () => {
    const none = await record(await api.agent.post('/api/openplanet/session').send({}));
    expect([none.status, none.body]).toEqual([400, { error: 'Missing Openplanet token', reason: 'missing_token' }]);
    const refusedToken = `never-issued-${randomBytes(8).toString('hex')}`;
    credentials.add(refusedToken);
    const refusal = await exchange(refusedToken);
    expect([refusal.status, refusal.body]).toEqual([401, { error: 'Openplanet refused the token: get a new one from Auth::GetToken()', reason: 'refused' }]);
    const old = await exchange(pluginToken(undefined, { issuedAt: Math.floor(Date.now() / 1000) - 400 }));
    expect([old.status, old.body.reason]).toEqual([401, 'refused']);
    const notJSON = await record(await api.agent.post('/api/openplanet/session').set('Content-Type', 'application/json').send('{"token":'));
    expect(notJSON.status).toBe(400);
  });

  it("an Openplanet that echoes the token and the secret in its refusal: the plugin gets the fixed text, nothing of Openplanet's", async () => {
    const secret = emulator().plugins[0]!.secret;
    for (const encode of [
      (v: string) => v,
      encodeURIComponent,
      (v: string) => Buffer.from(v).toString('base64'),
      (v: string) => Buffer.from(v).toString('hex'),
    ]) {
      const token = pluginToken();
      emulator().fault(
        'validate',
        { type: 'status', status: 200, body: JSON.stringify({ error: `bad ${encode(token)} with ${encode(secret)}` }) },
        { times: 1 },
      );
      const res = await exchange(token);
      expect([res.status, res.body]).toEqual([401, { error: 'Openplanet refused the token: get a new one from Auth::GetToken()', reason: 'refused' }]);
    }
  });

  it('refuses app tokens that are missing, tampered, expired, for another audience, or signed with another key', async () => {
    const { body } = await exchange(pluginToken());
    const none = await me();
    expect([none.status, none.headers['www-authenticate']]).toEqual([401, 'Bearer realm="maniapass-example-plugin-api"']);
    const [h, p, s] = (body.token as string).split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(p, 'base64url').toString()) as Record<string, unknown>;
    expect(await refused(`${h}.${b64({ ...claims, sub: emulator().users[1]!.accountId })}.${s}`)).toBe('The session token is not valid');
    expect(await refused(`${h}.${p}.${s.slice(0, -1)}${s.endsWith('A') ? 'Q' : 'A'}`)).toBe('The session token is not valid');

    jest.useFakeTimers({ now: Date.now() - 2 * APP_TOKEN_LIFETIME * 1000, ...ONLY_DATE });
    const expired = (await minter().issue({ id: emulator().users[0]!.accountId })).token;
    jest.useRealTimers();
    expect(await refused(expired)).toBe('The session token expired: refresh it, or sign in again');
    expect(await refused((await minter({ audience: 'another-service' }).issue({ id: 'x' })).token)).toBe('The session token is not valid');
    expect(await refused((await minter({ keys: [{ id: KEY.id, secret: randomBytes(32) }] }).issue({ id: 'x' })).token)).toBe('The session token is not valid');
    expect(await refused((await minter({ keys: [{ id: 'other-key', secret: randomBytes(32) }] }).issue({ id: 'x' })).token)).toBe(
      'The session token is not valid',
    );
  });

  it('refuses algorithm confusion: alg none, an RS256 token for the HS key, HS256 signed with the RS public key', async () => {
    const { body } = await exchange(pluginToken());
    const p = (body.token as string).split('.')[1];
    expect(await refused(`${b64({ alg: 'none', kid: KEY.id, typ: 'JWT' })}.${p}.`)).toBe('The session token is not valid');
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
    expect(await refused((await minter({ keys: [{ id: KEY.id, privateKey: rsa.privateKey, algorithm: 'RS256' }] }).issue({ id: 'x' })).token)).toBe(
      'The session token is not valid',
    );

    // An app that signs with RS256: HS256 keyed with its public key (as the verifier holds it) is refused.
    const rsApi = await startPluginApi({ sessionKeys: [{ id: 'rs', privateKey: rsa.privateKey, algorithm: 'RS256' }] });
    try {
      const issued = await exchange(rsApi.demo.emulator!.issuePluginToken(), rsApi);
      expect(issued.status).toBe(200);
      expect((await me(issued.body.token, rsApi)).status).toBe(200);
      const claims = JSON.parse(Buffer.from((issued.body.token as string).split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;
      expect(claims.aud).toBe(PLUGIN_AUDIENCE);
      for (const secret of [rsa.publicKey.export({ type: 'spki', format: 'pem' }), rsa.publicKey.export({ type: 'spki', format: 'der' })]) {
        // The attacker's HS256 token, keyed with the public key, named after the app's RS key.
        const forged = (await minter({ keys: [{ id: 'rs', secret: new Uint8Array(Buffer.from(secret)) }] }).issue({ id: String(claims.sub) })).token;
        expect(JSON.parse(Buffer.from(forged.split('.')[0]!, 'base64url').toString())).toMatchObject({ alg: 'HS256', kid: 'rs' });
        expect(await refused(forged, rsApi)).toBe('The session token is not valid');
      }
    } finally {
      await rsApi.close();
    }
  });

  it('refreshes before expiry, and a sign-out or a revocation ends the session', async () => {
    const player = emulator().users[0]!;
    const { body } = await exchange(pluginToken(player));
    const renewed = await record(await api.agent.post('/api/openplanet/refresh').set('Authorization', `Bearer ${body.token}`));
    expect(renewed.status).toBe(200);
    expect(renewed.body).toMatchObject({ tokenType: 'Bearer', accountId: player.accountId });
    expect(renewed.body.token).not.toBe(body.token);
    expect((await me(renewed.body.token)).status).toBe(200);
    expect((await record(await api.agent.post('/api/openplanet/logout').set('Authorization', `Bearer ${renewed.body.token}`))).status).toBe(204);
    expect(await refused(renewed.body.token)).toBe('The session was ended: sign in again');
    expect(await refused(body.token)).toBe('The session was ended: sign in again');

    const again = await exchange(pluginToken(player));
    await api.demo.sessions.revoke(player.accountId);
    expect(await refused(again.body.token)).toBe('The session was ended: sign in again');
    const other = await exchange(pluginToken(emulator().users[1]!));
    await api.demo.sessions.revokeAll();
    expect(await refused(other.body.token)).toBe('The session was ended: sign in again');
    expect((await me((await exchange(pluginToken(player))).body.token)).status).toBe(200);
  });

  it('recognises a player who signed in on the web with Trackmania when their plugin calls: one user, two ways in', async () => {
    const web = await webSignIn(api, 'trackmania');
    expect(web.callback!.headers.location).toBe('/profile');
    const profile = await api.agent.get('/profile');
    const accountId = emulator().users.find((u) => profile.text.includes(u.accountId))?.accountId;
    expect(accountId).toBeDefined();
    const session = await exchange(pluginToken(accountId));
    expect(session.body.web).toEqual({ displayName: expect.any(String), signedInAt: expect.any(Number) });
    expect((await me(session.body.token)).body.web).toEqual(session.body.web);
    // Another player's plugin is not that web user.
    const other = emulator().users.find((u) => u.accountId !== accountId)!;
    expect((await exchange(pluginToken(other))).body.web).toBeNull();
  });

  it('answers 502 when Openplanet fails, 503 while holding off after it (no call), 504 when it does not answer; logs no token', async () => {
    const token = pluginToken();
    emulator().fault('validate', { type: 'status', status: 503 }, { times: 1 });
    const down = await exchange(token);
    expect([down.status, down.body]).toEqual([502, { error: 'Openplanet could not validate the token.' }]);
    const before = emulator().requestsTo('validate').length;
    const held = await exchange(pluginToken());
    expect([held.status, held.body]).toEqual([503, { error: 'Openplanet cannot be asked right now: try again shortly.' }]);
    expect(Number(held.headers['retry-after'])).toBeGreaterThan(0);
    expect(emulator().requestsTo('validate').length).toBe(before);

    const fresh = await startPluginApi({ timeout: 300 });
    try {
      fresh.demo.emulator!.fault('validate', { type: 'hang' }, { times: 1 });
      const hung = await exchange(fresh.demo.emulator!.issuePluginToken(), fresh);
      expect([hung.status, hung.body]).toEqual([504, { error: 'Openplanet did not answer in time.' }]);
      expect(fresh.logged).toEqual([
        expect.stringMatching(
          /^POST \/api\/openplanet\/session: ProviderError: openplanet: POST http:\/\/127\.0\.0\.1:\d+\/auth\/validate timed out after 300 ms$/,
        ),
      ]);
    } finally {
      await fresh.close();
    }
  });

  it('bounds POST /api/openplanet/session: per address, validations in flight, refusals remembered', async () => {
    const bounded = await startPluginApi({ rateLimit: 5, maxConcurrentValidations: 2 });
    try {
      const op = bounded.demo.emulator!;
      // Long enough that every request of the burst arrives while the first two are in flight, even on a busy machine.
      op.fault('validate', { type: 'delay', ms: 1500 });
      const burst = await Promise.all(Array.from({ length: 4 }, () => exchange(`random-${randomBytes(8).toString('hex')}`, bounded)));
      expect(burst.map((r) => r.status).sort()).toEqual([401, 401, 503, 503]);
      op.clearFaults();
      // A refused token is remembered: asked once however often it comes back.
      const calls = op.requestsTo('validate').length;
      expect((await exchange('random-token-again', bounded)).status).toBe(401);
      expect(op.requestsTo('validate').length).toBe(calls + 1);
      const limited = await exchange('random-token-again', bounded);
      expect([limited.status, limited.body]).toEqual([429, { error: 'Too many requests from your address: wait a moment, then try again.' }]);
      expect(op.requestsTo('validate').length).toBe(calls + 1);
      expect(limited.headers.ratelimit).toBeDefined();
    } finally {
      await bounded.close();
    }
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
    const real = await startOpenplanetDemo(
      loadConfig({ SESSION_SECRET, OPENPLANET_SECRET: 'plugin-secret', OPENPLANET_USER_AGENT: 'my-service / me@example.com' }),
    );
    expect([real.emulated, real.emulator]).toEqual([false, undefined]);
    expect(real.summary).toBe(`${'Openplanet'.padEnd(12)} real endpoint (https://api.openplanet.dev/auth/validate)`);
    await real.close();
    expect(() => loadConfig({ OPENPLANET_USER_AGENT: 'x' })).toThrow('Openplanet: OPENPLANET_USER_AGENT is set, but OPENPLANET_SECRET is not');
  });
});
