// Every strategy under Fastify 5 through @fastify/passport, with @fastify/session, against the emulators.
import { join } from 'node:path';
import {
  PROVIDERS,
  SAMPLE_USERS,
  expectDenyFails,
  signInThroughConsent,
  startAppProcess,
  startEmulators,
  type AppProcess,
  type Emulators,
} from '../../support';

const register = join(__dirname, '../../../register-sources.cjs');
const main = join(__dirname, '../main.ts');

let emulators: Emulators;
beforeAll(async () => {
  emulators = await startEmulators();
});
afterAll(() => emulators.close());

describe('Fastify + @fastify/passport', () => {
  let app: AppProcess<{ fastify: string }>;
  beforeAll(async () => {
    app = await startAppProcess(['-r', register, main], emulators.strategyOptions());
  });
  afterAll(() => app.close());

  it('runs on Fastify 5.12.8', () => {
    expect(app.info.fastify).toBe('5.12.8');
  });

  describe.each(PROVIDERS)('%s', (provider) => {
    it('signs in through the consent page; the profile reaches the app and the session', async () => {
      expect(await signInThroughConsent(app.visitor(), provider)).toEqual(SAMPLE_USERS[provider]);
    });

    it('a denial on the consent page lands on failureRedirect with the message', async () => {
      await expectDenyFails(app.visitor(), provider);
    });
  });
});

describe('Fastify + @fastify/passport: a relative callbackURL', () => {
  let app: AppProcess<{ fastify: string }>;
  beforeAll(async () => {
    const options = emulators.strategyOptions();
    app = await startAppProcess(['-r', register, main], { ...options, trackmania: { ...options.trackmania, proxy: true } });
  });
  afterAll(() => app.close());

  it('follows X-Forwarded-Proto and X-Forwarded-Host with proxy: true, and only then', async () => {
    const { agent } = app.visitor();
    const forwarded = (path: string) => agent.get(path).set('X-Forwarded-Proto', 'https').set('X-Forwarded-Host', 'app.example');
    const trusted = await forwarded('/auth/trackmania');
    expect(trusted.status).toBe(302);
    expect(new URL(trusted.headers.location as string).searchParams.get('redirect_uri')).toBe('https://app.example/auth/trackmania/callback');
    const untrusted = await forwarded('/auth/maniaplanet');
    expect(untrusted.status).toBe(302);
    expect(new URL(untrusted.headers.location as string).searchParams.get('redirect_uri')).toBe(`${app.url}/auth/maniaplanet/callback`);
  });
});
