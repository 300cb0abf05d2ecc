// The Nest app (../app.mts) in its own process, once per `validate` form, on the Nest major of one workspace,
// signing in through each emulator. Nest 12 is ESM only, so the app is an ES module whatever the major.
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

const register = join(__dirname, '../register.mjs');
const main = join(__dirname, '../main.mts');

const FORMS = ['profile', 'arity-profile', 'arity-params'] as const;

export function describeNestApp(workspace: 'nest11' | 'nest12', coreVersion: string): void {
  let emulators: Emulators;
  const apps = {} as Record<(typeof FORMS)[number], AppProcess<{ nest: string }>>;

  beforeAll(async () => {
    emulators = await startEmulators();
    await Promise.all(
      FORMS.map(async (form) => {
        apps[form] = await startAppProcess<{ nest: string }>(
          ['--enable-source-maps', '--import', register, main],
          { validate: form, strategies: emulators.strategyOptions() },
          {
            NEST_WORKSPACE: join(__dirname, '..', '..', workspace),
          },
        );
      }),
    );
  }, 120_000);
  afterAll(async () => {
    await Promise.all(Object.values(apps).map((app) => app.close()));
    await emulators?.close();
  });

  describe(`NestJS ${coreVersion} + @nestjs/passport, express-session`, () => {
    it(`runs on @nestjs/core ${coreVersion}`, () => {
      expect(FORMS.map((form) => apps[form].info.nest)).toEqual(FORMS.map(() => coreVersion));
    });

    describe.each(PROVIDERS)('%s', (provider) => {
      it('validate(accessToken, refreshToken, profile): signs in through the consent page, the profile reaches the app', async () => {
        expect(await signInThroughConsent(apps.profile.visitor(), provider)).toEqual(SAMPLE_USERS[provider]);
      });

      it('callbackArity, validate(accessToken, refreshToken, profile): the profile reaches the app', async () => {
        expect(await signInThroughConsent(apps['arity-profile'].visitor(), provider)).toEqual(SAMPLE_USERS[provider]);
      });

      it('callbackArity, validate(accessToken, refreshToken, params, profile): the token response, then the profile', async () => {
        expect(await signInThroughConsent(apps['arity-params'].visitor(), provider)).toEqual({ ...SAMPLE_USERS[provider], tokenResponse: true });
      });

      it('a denial on the consent page lands on the failure redirect with the message', async () => {
        await expectDenyFails(apps.profile.visitor(), provider);
      });
    });
  });
}
