// The strategy as a service uses it, under Express 5 and Express 4, against the Openplanet emulator.
import { startOpenplanetEmulator, OPENPLANET_LEGACY_VALIDATE_PATH, type OpenplanetEmulator } from '@maniapass/emulators';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { Strategy, VALIDATION_CHANNEL, type OpenplanetProfile, type OpenplanetStrategyOptions, type ValidationEnd } from 'passport-openplanet';
import { startApiApp, type ApiApp } from './app';

const PLAYER = { accountId: '5b4d42f4-c2de-407d-b367-cbff3fe817bc', displayName: 'tooInfinite' };

let emulator: OpenplanetEmulator;
beforeAll(async () => {
  emulator = await startOpenplanetEmulator();
});
afterAll(() => emulator.close());
afterEach(() => {
  emulator.clearFaults();
  emulator.requests.length = 0;
});

/** What Openplanet said of each refusal, as the strategy publishes it for server-side logs. */
const details: string[] = [];
const onValidation = (message: unknown) => {
  const { detail } = message as ValidationEnd;
  if (detail !== undefined) details.push(detail);
};
beforeAll(() => subscribe(VALIDATION_CHANNEL, onValidation));
afterAll(() => unsubscribe(VALIDATION_CHANNEL, onValidation));
beforeEach(() => {
  details.length = 0;
});
const REFUSED = 'Openplanet refused the token: get a new one from Auth::GetToken()';

const toUser = async (profile: OpenplanetProfile) => ({ id: profile.id, name: profile.displayName, tokenTime: profile.tokenTime, provider: profile.provider });

describe.each([
  ['Express 5', false],
  ['Express 4', true],
])('%s', (_label, express4) => {
  let app: ApiApp;
  const start = async (options: Partial<OpenplanetStrategyOptions> = {}, verify: (profile: OpenplanetProfile) => Promise<object | false> = toUser) => {
    await app?.close();
    // No hold-off between the failures these tests provoke one after the other (its own test turns it on).
    app = await startApiApp(new Strategy({ ...emulator.strategyOptions(), timeout: 500, holdOff: 0, ...options }, verify), { express4 });
    return app;
  };
  beforeEach(() => start());
  afterAll(() => app.close());

  it('signs a player in from a JSON body: the profile reaches verify, the emulator gets the form Openplanet documents', async () => {
    const before = Math.floor(Date.now() / 1000);
    const token = emulator.issuePluginToken(PLAYER);
    const res = await app.agent.post('/api/session').send({ token });
    expect(res.status).toBe(200);
    expect(res.body.user).toEqual({ id: PLAYER.accountId, name: PLAYER.displayName, tokenTime: expect.any(Number), provider: 'openplanet' });
    expect(res.body.user.tokenTime).toBeGreaterThanOrEqual(before);

    const call = emulator.lastRequest('validate')!;
    expect(call.method).toBe('POST');
    expect(call.path).toBe('/auth/validate');
    expect(call.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(call.form).toEqual({ token, secret: emulator.plugins[0]!.secret });
    expect(call.headers['user-agent']).toMatch(/^passport-openplanet\/\d+\.\d+\.\d+ \(Node\.js v\d+/);
    expect(call.headers.accept).toBe('application/json');
  });

  it('reads the token from a form body, and from Authorization: Openplanet <token>', async () => {
    const form = await app.agent
      .post('/api/session')
      .type('form')
      .send({ token: emulator.issuePluginToken(PLAYER) });
    expect(form.body.user?.id).toBe(PLAYER.accountId);
    const header = await app.agent.post('/api/session').set('Authorization', `Openplanet ${emulator.issuePluginToken(emulator.users[1])}`);
    expect(header.body.user?.id).toBe(emulator.users[1]!.accountId);
    // Another scheme is not an Openplanet token.
    const bearer = await app.agent.post('/api/session').set('Authorization', `Bearer ${emulator.issuePluginToken(PLAYER)}`);
    expect(bearer.status).toBe(400);
  });

  it('starts a session with the player, which later requests read without a token', async () => {
    const login = await app.agent.post('/login').send({ token: emulator.issuePluginToken(PLAYER) });
    expect(login.status).toBe(200);
    expect(login.headers['set-cookie']).toBeDefined();
    const me = await app.agent.get('/me');
    expect(me.body.user).toMatchObject({ id: PLAYER.accountId, name: PLAYER.displayName });
    expect(emulator.requestsTo('validate')).toHaveLength(1);
  });

  it('fails with 400 without a token, or with one that is not a string, never asking Openplanet', async () => {
    expect((await app.agent.post('/api/session').send({})).body).toEqual({ error: 'Missing Openplanet token', reason: 'missing_token' });
    expect((await app.agent.post('/api/session').send({})).status).toBe(400);
    expect((await app.agent.post('/api/session').send({ token: '   ' })).body.reason).toBe('missing_token');
    for (const token of [['a', 'b'], { $ne: 1 }, 42, 'x'.repeat(4097)]) {
      const res = await app.agent.post('/api/session').send({ token });
      expect([res.status, res.body.reason]).toEqual([400, 'malformed_token']);
    }
    const plain = await app.agent.post('/api/plain');
    expect([plain.status, plain.text]).toEqual([400, 'Bad Request']);
    expect(emulator.requestsTo('validate')).toHaveLength(0);
  });

  it("fails with 401 and a fixed message for an unknown, expired or foreign token and a wrong secret; Openplanet's text only server-side", async () => {
    const refused = async (token: string) => {
      const res = await app.agent.post('/api/session').send({ token });
      expect([res.status, res.body]).toEqual([401, { error: REFUSED, reason: 'refused' }]);
      return details.at(-1);
    };
    expect(await refused('not-a-token-Openplanet-ever-issued')).toBe('Invalid token');
    expect(await refused(emulator.issuePluginToken(PLAYER, { issuedAt: Math.floor(Date.now() / 1000) - 301 }))).toBe('Token expired');
    expect(await refused(emulator.issuePluginToken(PLAYER, { siteId: 999 }))).toBe('Invalid token');
    await start({ secret: 'not-the-plugin-secret' });
    expect(await refused(emulator.issuePluginToken(PLAYER))).toBe('Invalid secret');
    const plain = await app.agent.post('/api/plain').send({ token: 'x-unknown-token' });
    expect([plain.status, plain.text]).toEqual([401, 'Unauthorized']);
  });

  it('refuses a token older than maxTokenAge even when Openplanet still accepts it', async () => {
    await start({ maxTokenAge: 60 });
    const token = emulator.issuePluginToken(PLAYER, { issuedAt: Math.floor(Date.now() / 1000) - 120, lifetime: 600 });
    const res = await app.agent.post('/api/session').send({ token });
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: 'The Openplanet token is too old: get a new one from Auth::GetToken()', reason: 'too_old' });
    expect(emulator.validations(token)).toBe(1);
  });

  it('keeps the failure message for failureMessage in a session', async () => {
    const login = await app.agent.post('/login').send({ token: 'x-unknown-token' });
    expect([login.status, login.text]).toEqual([401, 'Unauthorized']);
    expect((await app.agent.get('/me')).body.messages).toEqual([REFUSED]);
  });

  it('also works against the older host path', async () => {
    await start({ validateURL: `${emulator.url}${OPENPLANET_LEGACY_VALIDATE_PATH}` });
    const res = await app.agent.post('/api/session').send({ token: emulator.issuePluginToken(PLAYER) });
    expect(res.body.user?.id).toBe(PLAYER.accountId);
    expect(emulator.lastRequest('validate')!.path).toBe('/api/auth/validate');
  });

  it('sends the configured User-Agent, and goes through an injected fetch', async () => {
    const seen: string[] = [];
    await start({
      userAgent: 'my-service / me@example.com',
      fetch: (url, init) => {
        seen.push(`${init.method} ${url}`);
        return fetch(url, init);
      },
    });
    const res = await app.agent.post('/api/session').send({ token: emulator.issuePluginToken(PLAYER) });
    expect(res.status).toBe(200);
    expect(seen).toEqual([`POST ${emulator.url}/auth/validate`]);
    expect(emulator.lastRequest('validate')!.headers['user-agent']).toBe('my-service / me@example.com');
  });

  describe('when Openplanet fails', () => {
    const providerError = async (expected: Record<string, unknown>) => {
      const res = await app.agent.post('/api/session').send({ token: emulator.issuePluginToken(PLAYER) });
      expect(res.status).toBe(500);
      expect(res.body.error).toMatchObject({ name: 'ProviderError', status: 500, ...expected });
      return res.body.error as { message: string };
    };

    it('a 5xx or 429 is a ProviderError with status 500 and the upstream status', async () => {
      for (const status of [500, 502, 503]) {
        emulator.fault('validate', { type: 'status', status }, { times: 1 });
        const err = await providerError({ code: 'EHTTPSTATUS', upstreamStatus: status });
        expect(err.message).toBe(`openplanet: POST ${emulator.url}/auth/validate answered HTTP ${status}`);
      }
      // Even in Openplanet's refusal shape: a rate limit is no verdict on the token.
      emulator.fault('validate', { type: 'status', status: 429, body: '{"error":"Too many requests"}' }, { times: 1 });
      await providerError({ code: 'EHTTPSTATUS', upstreamStatus: 429 });
    });

    it('a 4xx in the refusal shape is a refused token; a 4xx without it is a ProviderError', async () => {
      emulator.fault('validate', { type: 'status', status: 401, body: '{"error":"Token expired"}' }, { times: 1 });
      const refused = await app.agent.post('/api/session').send({ token: emulator.issuePluginToken(PLAYER) });
      expect([refused.status, refused.body.error, details]).toEqual([401, REFUSED, ['Token expired']]);
      emulator.fault('validate', { type: 'status', status: 404, body: '<html>Not found</html>' }, { times: 1 });
      await providerError({ code: 'EHTTPSTATUS', upstreamStatus: 404 });
    });

    it('a body that is not a JSON object is a ProviderError (EBADRESPONSE)', async () => {
      emulator.fault('validate', { type: 'malformed' }, { times: 1 });
      const err = await providerError({ code: 'EBADRESPONSE', upstreamStatus: 200 });
      expect(err.message).toBe(`openplanet: POST ${emulator.url}/auth/validate: Openplanet validation answer is not JSON`);
      emulator.fault('validate', { type: 'status', status: 200, body: '[1,2]' }, { times: 1 });
      await providerError({ code: 'EBADRESPONSE' });
    });

    it('no answer within the timeout is a ProviderError (ETIMEDOUT) naming the limit; a reset one is ENETWORK', async () => {
      emulator.fault('validate', { type: 'hang' }, { times: 1 });
      const hung = await providerError({ code: 'ETIMEDOUT' });
      expect(hung.message).toBe(`openplanet: POST ${emulator.url}/auth/validate timed out after 500 ms`);
      emulator.fault('validate', { type: 'delay', ms: 1000 }, { times: 1 });
      await providerError({ code: 'ETIMEDOUT' });
      emulator.fault('validate', { type: 'reset' }, { times: 1 });
      await providerError({ code: 'ENETWORK' });
    });

    it('a failed validation is not kept: the same token works once Openplanet is back', async () => {
      const token = emulator.issuePluginToken(PLAYER);
      emulator.fault('validate', { type: 'status', status: 503 }, { times: 1 });
      expect((await app.agent.post('/api/session').send({ token })).status).toBe(500);
      expect((await app.agent.post('/api/session').send({ token })).body.user?.id).toBe(PLAYER.accountId);
    });

    it('after a failure, Openplanet is left alone for holdOff seconds: requests fail at once with a 503-able error', async () => {
      await start({ holdOff: 5 });
      const token = emulator.issuePluginToken(PLAYER);
      emulator.fault('validate', { type: 'status', status: 503 }, { times: 1 });
      expect((await app.agent.post('/api/session').send({ token })).status).toBe(500);
      const before = emulator.requestsTo('validate').length;
      const held = await app.agent.post('/api/session').send({ token });
      expect([held.status, held.body.error.name]).toEqual([500, 'OpenplanetUnavailableError']);
      expect(held.body.error.message).toMatch(/^openplanet: Openplanet failed moments ago; not asked again for [1-5] s$/);
      expect(emulator.requestsTo('validate').length).toBe(before);
      const later = Date.now() + 5001;
      jest.spyOn(Date, 'now').mockReturnValue(later);
      try {
        expect(
          (await app.agent.post('/api/session').send({ token: emulator.issuePluginToken(PLAYER, { issuedAt: Math.floor(later / 1000) }) })).body.user?.id,
        ).toBe(PLAYER.accountId);
      } finally {
        jest.restoreAllMocks();
      }
    });
  });
});
