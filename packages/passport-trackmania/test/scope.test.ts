import { startTrackmaniaEmulator, type TrackmaniaEmulator } from '@maniapass/emulators';
import { Strategy } from 'passport-trackmania';
import { startTestApp, type TestApp } from '../../../test-support/harness';

let emulator: TrackmaniaEmulator;
let app: TestApp | undefined;
beforeAll(async () => {
  emulator = await startTrackmaniaEmulator();
});
afterAll(() => emulator.close());
afterEach(async () => {
  await app?.close();
  app = undefined;
});

const start = async (scope: unknown, constructorScope?: string) => {
  app = await startTestApp({
    authOptions: scope === undefined ? {} : { scope },
    strategy: (url) => new Strategy({ ...emulator.strategyOptions(), callbackURL: `${url}/cb`, scope: constructorScope }, async () => false),
  });
  const res = await app.agent.get('/auth/trackmania');
  return new URL(res.headers.location as string).searchParams.get('scope');
};

describe('scope on the authorize redirect', () => {
  it('sends a per-request scope space-separated, however it was written', async () => {
    expect(await start('clubs,read_favorite')).toBe('clubs read_favorite');
    await app!.close();
    expect(await start(['write_favorite', 'clubs'])).toBe('write_favorite clubs');
  });

  it('sends the constructor scope when the request has none, and no scope parameter when there is none', async () => {
    expect(await start(undefined, 'clubs, read_favorite')).toBe('clubs read_favorite');
    await app!.close();
    expect(await start(undefined)).toBeNull();
  });
});
