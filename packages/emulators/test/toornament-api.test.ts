import { startToornamentEmulator, toornamentSpec, type ToornamentEmulator, type ToornamentUser } from '@maniapass/emulators';

const player = toornamentSpec.sampleUsers[0]!; // a registration and a participant
const quiet = toornamentSpec.sampleUsers[1]!;
const KEY = { 'X-Api-Key': 'emulator-api-key' };

let emulator: ToornamentEmulator;
beforeAll(async () => {
  emulator = await startToornamentEmulator();
});
afterAll(() => emulator.close());

const as = (scope: string[], userId = player.id) => ({ ...KEY, Authorization: `Bearer ${emulator.issueAccessToken({ userId, scope })}` });
const appToken = (scope: string[]) => ({ ...KEY, Authorization: `Bearer ${emulator.issueAccessToken({ scope })}` });
async function get(path: string, headers: Record<string, string>, target = emulator) {
  const res = await fetch(`${target.url}${path}`, { headers });
  // Bodies are asserted field by field, whatever their shape.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the tests read the bodies field by field, whatever their shape
  return { status: res.status, range: res.headers.get('content-range'), body: (await res.json()) as any };
}

describe.each([
  ['registrations', '/participant/v2/me/registrations', 'participant:manage_registrations', player.registrations!],
  ['participants', '/participant/v2/me/participants', 'participant:manage_participations', player.participants!],
])('GET %s', (unit, path, scope, expected) => {
  it(`answers 206 with the page and Content-Range: ${unit} from-to/total`, async () => {
    const res = await get(path, { ...as([scope]), Range: `${unit}=0-49` });
    expect(res).toEqual({ status: 206, range: `${unit} 0-0/1`, body: expected });
    expect(Object.keys(res.body[0]).sort()).toEqual(Object.keys(expected[0]!).sort());
  });

  it('filters by tournament_ids', async () => {
    expect((await get(`${path}?tournament_ids=1,378426939508809728`, { ...as([scope]), Range: `${unit}=0-49` })).body).toEqual(expected);
    expect(await get(`${path}?tournament_ids=1`, { ...as([scope]), Range: `${unit}=0-49` })).toEqual({ status: 206, range: `${unit} */0`, body: [] });
  });

  it('answers 400 without a Range or with a malformed one, 416 past the end, reversed or over 50 items', async () => {
    expect((await get(path, as([scope]))).status).toBe(400);
    for (const range of [`${unit}=0`, `other=0-49`, `${unit}=a-b`]) expect((await get(path, { ...as([scope]), Range: range })).status).toBe(400);
    for (const range of [`${unit}=50-99`, `${unit}=9-0`, `${unit}=0-50`]) {
      const res = await get(path, { ...as([scope]), Range: range });
      expect(res).toMatchObject({ status: 416, range: `${unit} */1`, body: { errors: [{ message: expect.any(String) }] } });
    }
  });

  it(`needs ${scope} (403), a user token (401) and the API key`, async () => {
    expect(await get(path, { ...as(['user:info']), Range: `${unit}=0-49` })).toMatchObject({
      status: 403,
      body: { errors: [{ message: `Missing scope ${scope}` }] },
    });
    expect((await get(path, { ...appToken([scope]), Range: `${unit}=0-49` })).status).toBe(401);
    const noKey = as([scope]);
    delete (noKey as Partial<typeof noKey>)['X-Api-Key'];
    expect((await get(path, { ...noKey, Range: `${unit}=0-49` })).status).toBe(401);
    expect((await get(path, { ...as([scope], quiet.id), Range: `${unit}=0-49` })).body).toEqual([]);
  });
});

describe('GET /platform/v2/users', () => {
  const users: ToornamentUser[] = Array.from({ length: 60 }, (_, i) => ({
    id: `9${String(i).padStart(17, '0')}`,
    name: `Player${i}`,
    country: null,
    email: `player${i}@example.com`,
    createdAt: new Date(Date.UTC(2024, 0, 1 + i)).toISOString().replace('.000Z', '+00:00'),
    enabled: i % 10 !== 0,
  }));
  let platform: ToornamentEmulator;
  beforeAll(async () => {
    platform = await startToornamentEmulator({ users });
  });
  afterAll(() => platform.close());
  const app = (scope = ['platform:user']) => ({ ...KEY, Authorization: `Bearer ${platform.issueAccessToken({ scope })}` });

  it("lists the platform's users, newest first, in the documented shape, with an application token", async () => {
    const res = await get('/platform/v2/users', { ...app(), Range: 'users=0-49' }, platform);
    expect(res.status).toBe(200);
    expect(res.range).toBe('users 0-49/60');
    expect(res.body).toHaveLength(50);
    expect(res.body[0]).toEqual({
      id: users[59]!.id,
      nickname: 'Player59',
      email: 'player59@example.com',
      enabled: true,
      two_factor_auth_enabled: false,
      timezone: null,
      locale: null,
      expired_at: null,
      created_at: users[59]!.createdAt,
      custom_fields: {},
    });
    const rest = await get('/platform/v2/users', { ...app(), Range: 'users=50-99' }, platform);
    expect(rest.range).toBe('users 50-59/60');
    expect(rest.body.map((u: { nickname: string }) => u.nickname).at(-1)).toBe('Player0');
  });

  it('filters on enabled, created_before and created_after', async () => {
    const disabled = await get('/platform/v2/users?enabled=0', { ...app(), Range: 'users=0-49' }, platform);
    expect(disabled.body.map((u: { nickname: string }) => u.nickname)).toEqual(['Player50', 'Player40', 'Player30', 'Player20', 'Player10', 'Player0']);
    const window = await get(
      '/platform/v2/users?created_after=2024-01-02T00:00:00%2B00:00&created_before=2024-01-03T00:00:00Z',
      { ...app(), Range: 'users=0-49' },
      platform,
    );
    expect(window.body.map((u: { nickname: string }) => u.nickname)).toEqual(['Player2', 'Player1']);
    expect((await get('/platform/v2/users?enabled=yes', { ...app(), Range: 'users=0-49' }, platform)).status).toBe(400);
    expect((await get('/platform/v2/users?created_after=yesterday', { ...app(), Range: 'users=0-49' }, platform)).status).toBe(400);
  });

  it('needs platform:user, in an application token as in a user token', async () => {
    expect(await get('/platform/v2/users', { ...app(['organizer:view']), Range: 'users=0-49' }, platform)).toMatchObject({
      status: 403,
      body: { errors: [{ message: 'Missing scope platform:user' }] },
    });
    const user = { ...KEY, Authorization: `Bearer ${platform.issueAccessToken({ userId: users[0]!.id, scope: ['platform:user'] })}` };
    expect((await get('/platform/v2/users', { ...user, Range: 'users=0-9' }, platform)).range).toBe('users 0-9/60');
    expect((await get('/platform/v2/users', { ...app(), Range: 'users=0-50' }, platform)).status).toBe(416);
    expect((await get('/platform/v2/users', app(), platform)).status).toBe(400);
  });
});
