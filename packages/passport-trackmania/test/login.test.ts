import { startTrackmaniaEmulator, type TrackmaniaEmulator, DEFAULT_CLIENT } from '@maniapass/emulators';
import { Strategy, type TrackmaniaProfile, type TrackmaniaStrategyOptions } from 'passport-trackmania';
import { startTestApp, signIn, type TestApp } from '../../../test-support/harness';

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

function options(baseURL: string, extra: Partial<TrackmaniaStrategyOptions> = {}): TrackmaniaStrategyOptions {
  return {
    clientID: DEFAULT_CLIENT.clientId,
    clientSecret: DEFAULT_CLIENT.clientSecret,
    callbackURL: `${baseURL}/auth/trackmania/callback`,
    authorizationURL: `${emulator.url}/oauth/authorize`,
    tokenURL: `${emulator.url}/api/access_token`,
    userProfileURL: `${emulator.url}/api/user`,
    ...extra,
  };
}

describe('sign-in through the Trackmania emulator', () => {
  it('redirects with the exact authorize parameters, exchanges the code and passes the profile to verify', async () => {
    const seen: TrackmaniaProfile[] = [];
    app = await startTestApp({
      strategy: (url) =>
        new Strategy(options(url, { scope: ['clubs', 'read_favorite'] }), async (_at, _rt, profile) => {
          seen.push(profile);
          return { id: profile.id, name: profile.displayName };
        }),
    });
    const { start, callback, authorizeURL } = await signIn(app, 'trackmania');
    expect(start.status).toBe(302);
    const url = new URL(authorizeURL!);
    expect(`${url.origin}${url.pathname}`).toBe(`${emulator.url}/oauth/authorize`);
    expect(Object.fromEntries(url.searchParams)).toEqual({
      response_type: 'code',
      client_id: DEFAULT_CLIENT.clientId,
      redirect_uri: `${app.url}/auth/trackmania/callback`,
      scope: 'clubs read_favorite',
      state: expect.stringMatching(/^[A-Za-z0-9]{24}$/),
    });

    expect(callback!.body).toEqual({});
    expect(callback!.status).toBe(302);
    expect(callback!.headers.location).toBe('/me');
    const token = emulator.lastRequest('token')!;
    expect(token.method).toBe('POST');
    expect(token.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(token.form).toEqual({
      grant_type: 'authorization_code',
      code: expect.any(String),
      redirect_uri: `${app.url}/auth/trackmania/callback`,
      client_id: DEFAULT_CLIENT.clientId,
      client_secret: DEFAULT_CLIENT.clientSecret,
    });
    const profileRequest = emulator.lastRequest('user')!;
    expect(profileRequest.headers.authorization).toMatch(/^Bearer ey/);
    expect(profileRequest.query.toString()).toBe('');
    expect(profileRequest.headers.accept).toBe('application/json');
    expect(profileRequest.headers['user-agent']).toMatch(/^passport-trackmania\/\d+\.\d+\.\d+/);

    expect(seen).toEqual([
      {
        provider: 'trackmania',
        id: '5b4d42f4-c2de-407d-b367-cbff3fe817bc',
        displayName: 'tooInfinite',
        username: 'tooInfinite',
        _raw: '{"accountId":"5b4d42f4-c2de-407d-b367-cbff3fe817bc","displayName":"tooInfinite"}',
        _json: { accountId: '5b4d42f4-c2de-407d-b367-cbff3fe817bc', displayName: 'tooInfinite' },
      },
    ]);
    const me = await app.agent.get('/me');
    expect(me.body.user).toEqual({ id: '5b4d42f4-c2de-407d-b367-cbff3fe817bc', name: 'tooInfinite' });
  });
});
