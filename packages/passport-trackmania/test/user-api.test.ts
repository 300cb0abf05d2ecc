import { startTrackmaniaEmulator, trackmaniaSpec, type TrackmaniaEmulator, type TrackmaniaUser } from '@maniapass/emulators';
import { InternalOAuthError, ProviderError, Strategy, type TrackmaniaClub, type TrackmaniaFavoriteMap, type TrackmaniaMapRecord } from 'passport-trackmania';

const drivers: TrackmaniaUser[] = Array.from({ length: 120 }, (_, i) => ({
  id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
  displayName: `Driver${i}`,
}));
const player = trackmaniaSpec.sampleUsers[0]!; // tooInfinite: an admin club, two favorites, a record
const WINTER = 'JlxlB7KbrCfhjAf5ld89ByXR987';
const FALL = 'olsKnq_qAghcVAnEkoeUnVHFZei';
const SHOWCASE = 'dXUr5yVqTRW3K6hAnfKwcSCKXKa';

let emulator: TrackmaniaEmulator;
beforeEach(async () => {
  emulator = await startTrackmaniaEmulator({ users: [...trackmaniaSpec.sampleUsers, ...drivers] });
});
afterEach(() => emulator.close());

const strategy = (options: { timeout?: number } = {}) =>
  new Strategy({ ...emulator.strategyOptions(), callbackURL: 'http://127.0.0.1:1/cb', ...options }, async () => false);
const userToken = (scope: string[], userId = player.id) => emulator.issueAccessToken({ userId, scope });
const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('expected a failure');
    },
    (err: unknown) => err as ProviderError,
  );

describe('accountIds()', () => {
  it('looks ids up by name with one cached client-credentials token, 50 names per request', async () => {
    const s = strategy();
    const names = [...drivers.map((d) => d.displayName), 'nobody-has-this-name'];
    const ids = await s.accountIds(names);
    expect(Object.keys(ids)).toHaveLength(120);
    expect(ids.Driver7).toBe(drivers[7]!.id);
    expect(ids['nobody-has-this-name']).toBeUndefined();
    const lookups = emulator.requestsTo('account-ids');
    expect(lookups.map((r) => r.path)).toEqual(['/api/display-names/account-ids', '/api/display-names/account-ids', '/api/display-names/account-ids']);
    expect(lookups.map((r) => r.query.getAll('displayName[]').length)).toEqual([50, 50, 21]);
    await s.accountIds(['tooInfinite']);
    expect(await s.displayNames([player.id])).toEqual({ [player.id]: 'tooInfinite' });
    const tokenRequests = emulator.requestsTo('token');
    expect(tokenRequests).toHaveLength(1);
    expect(tokenRequests[0]!.form!.grant_type).toBe('client_credentials');
    expect(emulator.lastRequest('account-ids')!.headers.authorization).toMatch(/^Bearer \S+$/);
  });

  it('asks once per distinct name and reads an empty answer written as [] (PHP)', async () => {
    emulator.fault('account-ids', { type: 'status', status: 200, body: '[]' }, { times: 1 });
    expect(await strategy().accountIds(['Driver1', 'Driver1'])).toEqual({});
    expect(emulator.lastRequest('account-ids')!.query.getAll('displayName[]')).toEqual(['Driver1']);
  });

  it.each([
    ['a string', 'Driver1'],
    ['an empty list', []],
    ['a list with a number', ['Driver1', 7]],
    ['a list with an empty name', ['']],
    ['nothing', undefined],
  ])('refuses %s with a TypeError before any request, as displayNames() does', async (_what, value) => {
    const s = strategy();
    await expect(s.accountIds(value as never)).rejects.toThrow(
      new TypeError('trackmania: accountIds() takes a non-empty array of display names (non-empty strings)'),
    );
    await expect(s.displayNames(value as never)).rejects.toThrow(
      new TypeError('trackmania: displayNames() takes a non-empty array of account ids (non-empty strings)'),
    );
    expect(emulator.requests).toHaveLength(0);
  });
});

describe('adminClubs()', () => {
  it('lists the clubs the user is an admin of, with the user token as a Bearer token', async () => {
    const accessToken = userToken(['clubs']);
    const clubs: TrackmaniaClub[] = await strategy().adminClubs(accessToken);
    expect(clubs).toEqual([{ id: 12730, name: 'TM SCENERY HUB' }]);
    const request = emulator.lastRequest('clubs-admin')!;
    expect(request.path).toBe('/api/user/clubs/admin');
    expect(request.headers.authorization).toBe(`Bearer ${accessToken}`);
    expect(await strategy().adminClubs(userToken(['clubs'], drivers[0]!.id))).toEqual([]);
  });

  it('without the clubs scope: the provider refuses with 403, a ProviderError with its message and status', async () => {
    const err = await failure(strategy().adminClubs(userToken(['read_favorite'])));
    expect(err).toBeInstanceOf(ProviderError);
    expect(err).toBeInstanceOf(InternalOAuthError);
    expect(err).toMatchObject({ provider: 'trackmania', upstreamStatus: 403, code: 'EHTTPSTATUS', url: `${emulator.url}/api/user/clubs/admin` });
    expect(err.message).toContain('Missing scope clubs');
  });

  it('with a client-credentials token: 401, as the endpoint needs a user', async () => {
    const s = strategy();
    const { accessToken } = await s.clientCredentials({ scope: 'clubs' });
    expect(await failure(s.adminClubs(accessToken))).toMatchObject({ name: 'ProviderError', upstreamStatus: 401 });
  });
});

describe('favorites', () => {
  it('favoriteMaps() gives one page, 10 maps from the first by default, with the documented fields', async () => {
    const page: TrackmaniaFavoriteMap[] = await strategy().favoriteMaps(userToken(['read_favorite']));
    expect(page.map((m) => m.uid)).toEqual([WINTER, FALL]);
    expect(page[0]).toEqual({
      uid: WINTER,
      name: 'Winter 2022 - 01',
      author: 'd2372a08-a8a1-46cb-97fb-23a161d85ad0',
      thumbnailUrl: 'https://prod.trackmania.core.nadeo.online/storageObjects/3ddb465d-0357-41c0-9946-394b96836577.jpg',
    });
    const request = emulator.lastRequest('favorites')!;
    expect(request.path).toBe('/api/user/maps/favorite');
    expect(Object.fromEntries(request.query)).toEqual({ length: '10', offset: '0' });
  });

  it('favoriteMaps() pages with length and offset', async () => {
    const s = strategy();
    const accessToken = userToken(['read_favorite']);
    expect((await s.favoriteMaps(accessToken, { length: 1 })).map((m) => m.uid)).toEqual([WINTER]);
    expect((await s.favoriteMaps(accessToken, { length: 1, offset: 1 })).map((m) => m.uid)).toEqual([FALL]);
    expect(await s.favoriteMaps(accessToken, { offset: 2 })).toEqual([]);
    expect(Object.fromEntries(emulator.requestsTo('favorites')[1]!.query)).toEqual({ length: '1', offset: '1' });
  });

  it('addFavoriteMap() and removeFavoriteMap() post {"uid"} as JSON and resolve on 204', async () => {
    const s = strategy();
    const accessToken = userToken(['read_favorite', 'write_favorite']);
    await expect(s.addFavoriteMap(accessToken, SHOWCASE)).resolves.toBeUndefined();
    const add = emulator.lastRequest('favorite-add')!;
    expect(add).toMatchObject({ method: 'POST', path: '/api/user/maps/favorite/add', json: { uid: SHOWCASE } });
    expect(add.headers['content-type']).toBe('application/json');
    expect(add.headers.authorization).toBe(`Bearer ${accessToken}`);
    expect((await s.favoriteMaps(accessToken)).map((m) => m.uid)).toEqual([WINTER, FALL, SHOWCASE]);
    await s.removeFavoriteMap(accessToken, WINTER);
    expect(emulator.lastRequest('favorite-remove')).toMatchObject({ method: 'POST', path: '/api/user/maps/favorite/remove', json: { uid: WINTER } });
    expect((await s.favoriteMaps(accessToken)).map((m) => m.uid)).toEqual([FALL, SHOWCASE]);
  });

  it('each needs its scope: 403 from the provider otherwise', async () => {
    const s = strategy();
    expect(await failure(s.favoriteMaps(userToken(['write_favorite'])))).toMatchObject({
      upstreamStatus: 403,
      message: expect.stringContaining('Missing scope read_favorite'),
    });
    expect(await failure(s.addFavoriteMap(userToken(['read_favorite']), SHOWCASE))).toMatchObject({
      upstreamStatus: 403,
      url: `${emulator.url}/api/user/maps/favorite/add`,
    });
    expect(await failure(s.removeFavoriteMap(userToken(['read_favorite']), WINTER))).toMatchObject({
      upstreamStatus: 403,
      url: `${emulator.url}/api/user/maps/favorite/remove`,
    });
    // Nothing changed.
    expect((await s.favoriteMaps(userToken(['read_favorite']))).map((m) => m.uid)).toEqual([WINTER, FALL]);
  });

  it('a map the provider does not know: its 404 as a ProviderError', async () => {
    expect(await failure(strategy().addFavoriteMap(userToken(['write_favorite']), 'NoSuchMapUid'))).toMatchObject({ upstreamStatus: 404, code: 'EHTTPSTATUS' });
  });

  it.each([
    [{ length: 0 }, /length must be a positive integer, got 0/],
    [{ length: 2.5 }, /length must be a positive integer, got 2.5/],
    [{ length: '5' }, /length must be a positive integer, got 5/],
    [{ offset: -1 }, /offset must be a non-negative integer, got -1/],
    [{ offset: Number.NaN }, /offset must be a non-negative integer, got NaN/],
    [null, /takes an options object/],
  ])('favoriteMaps() refuses %p with a TypeError', async (options, message) => {
    const err = await failure(strategy().favoriteMaps(userToken(['read_favorite']), options as never));
    expect(err).toBeInstanceOf(TypeError);
    expect(err.message).toMatch(message);
    expect(emulator.requests).toHaveLength(0);
  });

  it('refuses a missing token or map uid with a TypeError', async () => {
    const s = strategy();
    await expect(s.addFavoriteMap(userToken(['write_favorite']), '')).rejects.toThrow(
      new TypeError('trackmania: addFavoriteMap() takes the map uid (a non-empty string)'),
    );
    await expect(s.removeFavoriteMap(userToken(['write_favorite']), 42 as never)).rejects.toThrow(TypeError);
    await expect(s.favoriteMaps('')).rejects.toThrow(new TypeError("trackmania: favoriteMaps() takes the user's access token (a non-empty string)"));
    await expect(s.addFavoriteMap(undefined as never, WINTER)).rejects.toThrow(TypeError);
    expect(emulator.requests).toHaveLength(0);
  });
});

describe('mapRecords()', () => {
  const mapId = player.mapRecords![0]!.mapId;

  it("gives the user's records on the given maps, map ids sent indexed", async () => {
    const accessToken = userToken([]);
    const records: TrackmaniaMapRecord[] = await strategy().mapRecords(accessToken, [mapId, '11111111-2222-4333-8444-555555555555']);
    expect(records).toEqual([player.mapRecords![0]]);
    expect(records[0]).toMatchObject({ accountId: player.id, mapId, time: 44571, medal: 3 });
    const request = emulator.lastRequest('map-records')!;
    expect(request.path).toBe('/api/user/map-records');
    expect([...request.query]).toEqual([
      ['mapId[0]', mapId],
      ['mapId[1]', '11111111-2222-4333-8444-555555555555'],
    ]);
    expect(request.headers.authorization).toBe(`Bearer ${accessToken}`);
  });

  it('asks 50 maps at a time and joins the answers', async () => {
    const ids = [...Array.from({ length: 119 }, (_, i) => `00000000-0000-4000-9000-${String(i).padStart(12, '0')}`), mapId];
    expect(await strategy().mapRecords(userToken([]), ids)).toEqual(player.mapRecords);
    expect(emulator.requestsTo('map-records').map((r) => [...r.query.keys()].length)).toEqual([50, 50, 20]);
    expect([...emulator.lastRequest('map-records')!.query.keys()].at(-1)).toBe('mapId[19]');
  });

  it('needs a user token: 401 with a client-credentials one; a non-empty list of ids', async () => {
    const s = strategy();
    const { accessToken } = await s.clientCredentials();
    expect(await failure(s.mapRecords(accessToken, [mapId]))).toMatchObject({ upstreamStatus: 401 });
    await expect(s.mapRecords(userToken([]), [])).rejects.toThrow(
      new TypeError('trackmania: mapRecords() takes a non-empty array of map ids (non-empty strings)'),
    );
    await expect(s.mapRecords(userToken([]), mapId as never)).rejects.toThrow(TypeError);
  });
});

describe('provider failures of every call', () => {
  type Call = (s: InstanceType<typeof Strategy>, accessToken: string) => Promise<unknown>;
  // name, emulator endpoint, scope of the user token, call, a 200 body of the wrong shape ('' where no body is read)
  const calls: Array<[string, string, string[], Call, string]> = [
    ['accountIds', 'account-ids', [], (s) => s.accountIds(['tooInfinite']), '{"tooInfinite": 7}'],
    ['adminClubs', 'clubs-admin', ['clubs'], (s, t) => s.adminClubs(t), '{"clubs": [{"id": "12730", "name": "x"}]}'],
    ['favoriteMaps', 'favorites', ['read_favorite'], (s, t) => s.favoriteMaps(t), '{"list": {"uid": "x"}}'],
    ['addFavoriteMap', 'favorite-add', ['write_favorite'], (s, t) => s.addFavoriteMap(t, SHOWCASE), ''],
    ['removeFavoriteMap', 'favorite-remove', ['write_favorite'], (s, t) => s.removeFavoriteMap(t, WINTER), ''],
    ['mapRecords', 'map-records', [], (s, t) => s.mapRecords(t, ['b1c3a9f2-6e4d-4b8a-9c2e-3f5a7d9e1b20']), '[{"time": 1}]'],
  ];
  const path = (endpoint: string) => emulator.lastRequest(endpoint)!.path;

  it.each(calls)('%s: a non-2xx answer is a ProviderError with the status and the URL without its query', async (_name, endpoint, scope, call) => {
    emulator.fault(endpoint, { type: 'status', status: 503 });
    const err = await failure(call(strategy(), userToken(scope)));
    expect(err).toBeInstanceOf(ProviderError);
    expect(err).toMatchObject({ provider: 'trackmania', upstreamStatus: 503, code: 'EHTTPSTATUS', url: `${emulator.url}${path(endpoint)}` });
    expect(err.message).toContain('HTTP 503');
  });

  it.each(calls.filter((c) => c[4] !== ''))('%s: a body that is not the documented JSON is EBADRESPONSE', async (_name, endpoint, scope, call, wrongShape) => {
    emulator.fault(endpoint, { type: 'malformed' }, { times: 1 });
    expect(await failure(call(strategy(), userToken(scope)))).toMatchObject({
      name: 'ProviderError',
      code: 'EBADRESPONSE',
      upstreamStatus: 200,
      url: `${emulator.url}${path(endpoint)}`,
    });
    emulator.fault(endpoint, { type: 'status', status: 200, body: wrongShape }, { times: 1 });
    const err = await failure(call(strategy(), userToken(scope)));
    expect(err).toMatchObject({ name: 'ProviderError', code: 'EBADRESPONSE' });
    expect(err).toBeInstanceOf(InternalOAuthError);
  });

  it.each(calls)('%s: no answer within the timeout is ETIMEDOUT with the limit in the message', async (_name, endpoint, scope, call) => {
    emulator.fault(endpoint, { type: 'hang' });
    const err = await failure(call(strategy({ timeout: 150 }), userToken(scope)));
    expect(err).toMatchObject({ name: 'ProviderError', code: 'ETIMEDOUT' });
    expect(err.message).toContain('150 ms');
    expect(err.url).not.toContain('?');
  });

  it.each(calls.filter((c) => c[0] !== 'accountIds'))(
    '%s: an error body that echoes the access token is shown masked',
    async (_name, endpoint, scope, call) => {
      const accessToken = userToken(scope);
      emulator.fault(endpoint, { type: 'status', status: 400, body: JSON.stringify({ error: 'invalid_request', message: `bad token ${accessToken}` }) });
      const err = await failure(call(strategy(), accessToken));
      expect(err.message).toContain('bad token [redacted]');
      expect(`${err.message} ${JSON.stringify(err)}`).not.toContain(accessToken);
    },
  );
});
