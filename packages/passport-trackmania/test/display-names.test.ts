import { startTrackmaniaEmulator, type TrackmaniaEmulator } from '@maniapass/emulators';
import { Strategy } from 'passport-trackmania';

let emulator: TrackmaniaEmulator;
beforeAll(async () => {
  emulator = await startTrackmaniaEmulator({
    users: Array.from({ length: 120 }, (_, i) => ({ id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, displayName: `Driver${i}` })),
  });
});
afterAll(() => emulator.close());

const strategy = () => new Strategy({ ...emulator.strategyOptions(), callbackURL: 'http://127.0.0.1:1/cb' }, async () => false);

describe('displayNames()', () => {
  it('looks names up with one cached client-credentials token, 50 ids per request', async () => {
    const s = strategy();
    const ids = emulator.users.map((u) => u.id);
    const names = await s.displayNames([...ids, 'unknown-id']);
    expect(Object.keys(names)).toHaveLength(120);
    expect(names[ids[7]!]).toBe('Driver7');
    expect(names['unknown-id']).toBeUndefined();
    const lookups = emulator.requestsTo('display-names');
    expect(lookups.map((r) => r.query.getAll('accountId[]').length)).toEqual([50, 50, 21]);
    await s.displayNames([ids[0]!]);
    expect(emulator.requestsTo('token').filter((r) => r.form?.grant_type === 'client_credentials')).toHaveLength(1);
  });

  it('keeps only the ids asked for, as own keys: a lookup by any id finds a name or nothing', async () => {
    const s = strategy();
    const asked = emulator.users[0]!.id;
    const body = `{"${asked}":"Driver0","__proto__":"proto","constructor":"ctor","not-asked":"x","toString":"42"}`;
    emulator.fault('display-names', { type: 'status', status: 200, body, headers: { 'Content-Type': 'application/json' } }, { times: 1 });
    const names = await s.displayNames([asked, '__proto__']);
    expect(Object.keys(names)).toEqual([asked, '__proto__']);
    expect(names['__proto__']).toBe('proto');
    for (const id of ['constructor', 'toString', 'hasOwnProperty', 'not-asked']) expect(names[id]).toBeUndefined();
    // An array is not the documented answer: refused, not read by index.
    emulator.fault('display-names', { type: 'status', status: 200, body: '["a","b"]', headers: { 'Content-Type': 'application/json' } }, { times: 1 });
    await expect(s.displayNames(['0', '1'])).rejects.toMatchObject({ name: 'ProviderError', code: 'EBADRESPONSE' });
  });

  it('refuses what is not a list of ids', async () => {
    await expect(strategy().displayNames('abc' as never)).rejects.toThrow(TypeError);
  });

  it('the user endpoint does not accept a client-credentials token', async () => {
    const s = strategy();
    const { accessToken } = await s.clientCredentials();
    const error = await new Promise<unknown>((resolve) => s.userProfile(accessToken, (err) => resolve(err)));
    expect(error).toMatchObject({ name: 'ProviderError', upstreamStatus: 401 });
  });
});
