import { startTrackmaniaEmulator, trackmaniaSpec, type TrackmaniaEmulator } from '@maniapass/emulators';

let emulator: TrackmaniaEmulator;
beforeEach(async () => {
  emulator = await startTrackmaniaEmulator();
});
afterEach(() => emulator.close());

const [player, other] = trackmaniaSpec.sampleUsers as [(typeof trackmaniaSpec.sampleUsers)[0], (typeof trackmaniaSpec.sampleUsers)[0]];
const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
const user = (scope: string[], userId = player.id) => bearer(emulator.issueAccessToken({ userId, scope }));
const app = () => bearer(emulator.issueAccessToken({ scope: ['clubs', 'read_favorite', 'write_favorite'] }));
const get = async (path: string, headers: Record<string, string>) => {
  const res = await fetch(`${emulator.url}${path}`, { headers });
  // Bodies are asserted field by field, whatever their shape.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the tests read the bodies field by field, whatever their shape
  return { status: res.status, body: (res.status === 204 ? undefined : await res.json()) as any };
};
const post = async (path: string, headers: Record<string, string>, body: unknown) => {
  const res = await fetch(`${emulator.url}${path}`, {
    method: 'POST',
    headers: { ...headers, 'Content-Type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, text, body: text ? (JSON.parse(text) as unknown) : undefined };
};

describe('display names and account ids', () => {
  it('GET /api/display-names/account-ids maps names to ids, as documented, for application tokens too', async () => {
    expect(await get('/api/display-names/account-ids?displayName[]=tooInfinite', app())).toEqual({ status: 200, body: { tooInfinite: player.id } });
    const both = await get('/api/display-names/account-ids?displayName[]=tooInfinite&displayName[]=Wirtual&displayName[]=nobody', user([]));
    expect(both.body).toEqual({ tooInfinite: player.id, Wirtual: other.id });
  });

  it('both lookups read every array form clients send (name[], name[0], name) and take at most 50 values', async () => {
    expect((await get(`/api/display-names?accountId[0]=${player.id}&accountId[1]=${other.id}`, app())).body).toEqual({
      [player.id]: 'tooInfinite',
      [other.id]: 'Wirtual',
    });
    expect((await get('/api/display-names/account-ids?displayName=Wirtual', app())).body).toEqual({ Wirtual: other.id });
    const many = Array.from({ length: 51 }, (_, i) => `displayName[]=n${i}`).join('&');
    expect(await get(`/api/display-names/account-ids?${many}`, app())).toEqual({
      status: 400,
      body: { error: 'invalid_request', message: 'At most 50 values of displayName[] per request' },
    });
    expect((await get('/api/display-names/account-ids', app())).status).toBe(400);
    expect((await get('/api/display-names/account-ids?displayName[]=x', {})).status).toBe(401);
  });
});

describe('GET /api/user/clubs/admin', () => {
  it('lists the admin clubs as {"clubs":[{"id","name"}]} with the clubs scope', async () => {
    expect(await get('/api/user/clubs/admin', user(['clubs']))).toEqual({ status: 200, body: { clubs: [{ id: 12730, name: 'TM SCENERY HUB' }] } });
    expect(await get('/api/user/clubs/admin', user(['clubs'], other.id))).toEqual({ status: 200, body: { clubs: [] } });
  });

  it('answers 403 without the scope, 401 to an application token or no token', async () => {
    expect(await get('/api/user/clubs/admin', user(['read_favorite']))).toEqual({ status: 403, body: { error: 'error', message: 'Missing scope clubs' } });
    expect((await get('/api/user/clubs/admin', app())).status).toBe(401);
    expect(await get('/api/user/clubs/admin', {})).toEqual({ status: 401, body: { error: 'unauthorized', message: 'Missing bearer token' } });
  });
});

describe('favorites', () => {
  it('GET /api/user/maps/favorite answers {"list":[{uid,name,author,thumbnailUrl}]}, 10 from offset 0 by default', async () => {
    const { status, body } = await get('/api/user/maps/favorite', user(['read_favorite']));
    expect(status).toBe(200);
    expect(Object.keys(body)).toEqual(['list']);
    expect(body.list).toHaveLength(2);
    expect(Object.keys(body.list[0])).toEqual(['uid', 'name', 'author', 'thumbnailUrl']);
    expect((await get('/api/user/maps/favorite?length=1&offset=1', user(['read_favorite']))).body.list.map((m: { uid: string }) => m.uid)).toEqual([
      'olsKnq_qAghcVAnEkoeUnVHFZei',
    ]);
    for (const query of ['length=0', 'length=x', 'offset=-1'])
      expect((await get(`/api/user/maps/favorite?${query}`, user(['read_favorite']))).status).toBe(400);
  });

  it('POST /add and /remove take {"uid"} and answer 204 with write_favorite; the list follows', async () => {
    const write = user(['write_favorite']);
    const add = await post('/api/user/maps/favorite/add', write, { uid: 'dXUr5yVqTRW3K6hAnfKwcSCKXKa' });
    expect(add).toEqual({ status: 204, text: '', body: undefined });
    expect((await post('/api/user/maps/favorite/add', write, { uid: 'dXUr5yVqTRW3K6hAnfKwcSCKXKa' })).status).toBe(204);
    expect((await post('/api/user/maps/favorite/remove', write, { uid: 'JlxlB7KbrCfhjAf5ld89ByXR987' })).status).toBe(204);
    const uids = (await get('/api/user/maps/favorite', user(['read_favorite']))).body.list.map((m: { uid: string }) => m.uid);
    expect(uids).toEqual(['olsKnq_qAghcVAnEkoeUnVHFZei', 'dXUr5yVqTRW3K6hAnfKwcSCKXKa']);
  });

  it('each emulator starts from the sample favorites: changes do not leak into another one', async () => {
    await post('/api/user/maps/favorite/remove', user(['write_favorite']), { uid: 'JlxlB7KbrCfhjAf5ld89ByXR987' });
    const fresh = await startTrackmaniaEmulator();
    try {
      const res = await fetch(`${fresh.url}/api/user/maps/favorite`, {
        headers: bearer(fresh.issueAccessToken({ userId: player.id, scope: ['read_favorite'] })),
      });
      expect(((await res.json()) as { list: unknown[] }).list).toHaveLength(2);
    } finally {
      await fresh.close();
    }
  });

  it('refuses without the scope (403), unknown maps (404) and bodies without a uid (400)', async () => {
    expect((await post('/api/user/maps/favorite/add', user(['read_favorite']), { uid: 'JlxlB7KbrCfhjAf5ld89ByXR987' })).status).toBe(403);
    expect((await get('/api/user/maps/favorite', user(['write_favorite']))).status).toBe(403);
    expect((await post('/api/user/maps/favorite/add', user(['write_favorite']), { uid: 'nope' })).status).toBe(404);
    expect((await post('/api/user/maps/favorite/add', user(['write_favorite']), '{"uid":')).status).toBe(400);
    expect((await post('/api/user/maps/favorite/remove', user(['write_favorite']), {})).status).toBe(400);
    expect((await post('/api/user/maps/favorite/remove', app(), { uid: 'x' })).status).toBe(401);
  });

  it('takes your own map catalogue', async () => {
    const own = await startTrackmaniaEmulator({
      maps: [{ uid: 'MyMap', name: 'Mine', author: player.id, thumbnailUrl: 'https://example.com/t.jpg' }],
      users: [{ id: player.id, displayName: 'tooInfinite', favorites: ['MyMap'] }],
    });
    try {
      const res = await fetch(`${own.url}/api/user/maps/favorite`, { headers: bearer(own.issueAccessToken({ userId: player.id, scope: ['read_favorite'] })) });
      expect(await res.json()).toEqual({ list: [{ uid: 'MyMap', name: 'Mine', author: player.id, thumbnailUrl: 'https://example.com/t.jpg' }] });
    } finally {
      await own.close();
    }
  });
});

describe('GET /api/user/map-records', () => {
  it("lists the user's records on the maps asked for, indexed or not; a user token, no scope", async () => {
    const record = player.mapRecords![0]!;
    expect(await get(`/api/user/map-records?mapId[0]=${record.mapId}&mapId[1]=other`, user([]))).toEqual({ status: 200, body: [record] });
    expect((await get(`/api/user/map-records?mapId[]=${record.mapId}`, user([]))).body).toEqual([record]);
    expect((await get(`/api/user/map-records?mapId[]=${record.mapId}`, user([], other.id))).body).toEqual([]);
    expect((await get('/api/user/map-records', user([]))).status).toBe(400);
    expect((await get(`/api/user/map-records?mapId[]=${record.mapId}`, app())).status).toBe(401);
  });
});
