// The error rules as an app meets them: a subclass's parseErrorResponse is honoured on every grant, what it returns
// is masked, and whatever the provider answered, the status an error handler reads is 500.
import { startTrackmaniaEmulator, type TrackmaniaEmulator } from '@maniapass/emulators';
import { Strategy, TokenError } from 'passport-trackmania';
import { InternalOAuthError, TokenError as PassportTokenError } from 'passport-oauth2';
import { signIn, startTestApp, type TestApp } from '../../../test-support/harness';

let emulator: TrackmaniaEmulator;
let app: TestApp | undefined;
beforeAll(async () => {
  emulator = await startTrackmaniaEmulator();
});
afterAll(() => emulator.close());
afterEach(async () => {
  emulator.clearFaults();
  emulator.autoApprove = false;
  await app?.close();
  app = undefined;
});

class CustomError extends Error {
  constructor(
    message: string,
    readonly upstream: number,
  ) {
    super(message);
    this.name = 'CustomError';
  }
}

const calls: Array<{ body: string; status: number }> = [];
class WithOwnErrors extends Strategy {
  override parseErrorResponse(body: string, status: number): Error | null {
    calls.push({ body, status });
    const json = JSON.parse(body) as { error?: string; error_description?: string };
    if (json.error === 'use_default') return null;
    return new CustomError(`custom: ${json.error_description ?? ''}`, status);
  }
}

const secret = () => emulator.clients[0]!.clientSecret;
const echoBody = (text: string) => JSON.stringify({ error: 'invalid_request', error_description: text });

describe('parseErrorResponse overrides', () => {
  beforeEach(() => {
    calls.length = 0;
  });

  it('is called with the masked body and the status on the code exchange; its error fails the login, masked', async () => {
    app = await startTestApp({
      strategy: (url) => new WithOwnErrors({ ...emulator.strategyOptions(), callbackURL: `${url}/auth/trackmania/callback` }, async () => false),
    });
    emulator.autoApprove = true;
    emulator.fault('token', { type: 'status', status: 400, body: echoBody(`client_secret=${secret()} was wrong`) });
    const { callback } = await signIn(app, 'trackmania');
    expect(calls).toEqual([{ body: expect.stringContaining('[redacted]'), status: 400 }]);
    expect(calls[0]!.body).not.toContain(secret());
    expect(callback!.status).toBe(500);
    expect(callback!.body.error).toMatchObject({ name: 'CustomError', message: 'custom: client_secret=[redacted] was wrong' });
  });

  it('is honoured by refresh() and clientCredentials() too', async () => {
    const strategy = new WithOwnErrors({ ...emulator.strategyOptions(), callbackURL: 'http://app/cb' }, async () => false);
    emulator.fault('token', { type: 'status', status: 401, body: echoBody(`nope ${secret()}`) }, { times: 2 });
    const refreshed = await strategy.refresh('some-refresh-token').catch((e: unknown) => e);
    const granted = await strategy.clientCredentials().catch((e: unknown) => e);
    for (const err of [refreshed, granted]) {
      expect(err).toBeInstanceOf(CustomError);
      expect(err).toMatchObject({ message: 'custom: nope [redacted]', upstream: 401 });
      expect(String((err as Error).stack)).not.toContain(secret());
    }
    expect(calls.map((c) => c.status)).toEqual([401, 401]);
  });

  it('returning null gives a ProviderError (an InternalOAuthError) with the masked body as its cause', async () => {
    const strategy = new WithOwnErrors({ ...emulator.strategyOptions(), callbackURL: 'http://app/cb' }, async () => false);
    emulator.fault('token', { type: 'status', status: 400, body: JSON.stringify({ error: 'use_default', echo: secret() }) }, { times: 1 });
    const err = (await strategy.clientCredentials().catch((e: unknown) => e)) as InternalOAuthError & { oauthError: { statusCode: number; data: string } };
    expect(err).toBeInstanceOf(InternalOAuthError);
    expect(err).toMatchObject({ name: 'ProviderError', status: 500, upstreamStatus: 400, code: 'EHTTPSTATUS', oauthError: { statusCode: 400 } });
    expect(err.oauthError.data).toContain('[redacted]');
    expect(JSON.stringify(err) + String(err) + err.stack).not.toContain(secret());
  });

  it("without an override, the default is the collection's TokenError, an instance of passport-oauth2's", async () => {
    const strategy = new Strategy({ ...emulator.strategyOptions(), callbackURL: 'http://app/cb' }, async () => false);
    emulator.fault(
      'token',
      { type: 'status', status: 400, body: JSON.stringify({ error: 'invalid_scope', error_description: 'Bad scope', error_uri: 'https://docs/scopes' }) },
      { times: 1 },
    );
    const err = await strategy.clientCredentials().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TokenError);
    expect(err).toBeInstanceOf(PassportTokenError);
    expect(err).toMatchObject({
      code: 'invalid_scope',
      uri: 'https://docs/scopes',
      status: 500,
      statusCode: 500,
      upstreamStatus: 400,
      provider: 'trackmania',
      message: 'trackmania: Bad scope',
    });
  });
});

describe('the status a visitor gets', () => {
  it.each([400, 401, 403, 404, 429])('is 500 when the token endpoint answers %i (the provider status stays as upstreamStatus)', async (status) => {
    app = await startTestApp({
      strategy: (url) => new Strategy({ ...emulator.strategyOptions(), callbackURL: `${url}/auth/trackmania/callback` }, async () => false),
    });
    emulator.autoApprove = true;
    emulator.fault('token', { type: 'status', status }, { times: 1 });
    const { callback } = await signIn(app, 'trackmania');
    expect(callback!.status).toBe(500);
    expect(callback!.body.error).toMatchObject({ name: 'TokenError', status: 500, upstreamStatus: status });
  });

  it.each([401, 403, 404])('is 500 when the profile endpoint answers %i', async (status) => {
    app = await startTestApp({
      strategy: (url) => new Strategy({ ...emulator.strategyOptions(), callbackURL: `${url}/auth/trackmania/callback` }, async () => false),
    });
    emulator.autoApprove = true;
    emulator.fault('user', { type: 'status', status }, { times: 1 });
    const { callback } = await signIn(app, 'trackmania');
    expect(callback!.status).toBe(500);
    expect(callback!.body.error).toMatchObject({ name: 'ProviderError', status: 500, upstreamStatus: status, code: 'EHTTPSTATUS' });
  });
});
