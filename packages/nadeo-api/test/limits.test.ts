import fc from 'fast-check';
import { DEFAULT_SERVICE_ACCOUNT, NADEO_SAMPLE_MAPS, generatedNadeoMaps } from '@maniapass/emulators';
import { MemoryStore } from '@maniapass/http';
import { AudienceError } from 'nadeo-auth';
import { AccountTypeError, MAX_URI_LENGTH, NadeoAPI, NadeoApiError, NadeoInputError, splitIds } from '../src';
import { TOO_INFINITE, startEmulators, type Emulators } from './support';

let emulators: Emulators;
let api: NadeoAPI;
const SNOW = NADEO_SAMPLE_MAPS[3]!;
const SERVICE = DEFAULT_SERVICE_ACCOUNT.accountId;
const MAPS = generatedNadeoMaps(1000);
const uuid = (i: number) => `${i.toString(16).padStart(8, '0')}-0000-4000-8000-000000000000`;

beforeAll(async () => {
  emulators = await startEmulators();
  api = emulators.api();
});
afterAll(() => emulators.close());

/** The error a call fails with, and how many data requests it sent. */
async function refusal(run: () => Promise<unknown>): Promise<{ error: unknown; sent: number }> {
  const before = emulators.dataRequests();
  const error = await run().then(
    () => undefined,
    (e: unknown) => e,
  );
  return { error, sent: emulators.dataRequests() - before };
}

describe('bad input is refused before any request, with an error that names it', () => {
  const cases: Array<[string, () => Promise<unknown>, RegExp]> = [
    ['a map UID with a comma', () => api.getMapsInfo(['abc,def']), /mapUids must be a map UID/],
    ['a map UID with a slash', () => api.getLeaderboardTop({ mapUid: '../zones' }), /mapUid must be a map UID/],
    ['a map id that is a UID', () => api.getMapRecords({ mapId: SNOW.uid, accountIds: [SERVICE] }), /mapId must be a map id/],
    ['an account id that is not a UUID', () => api.getDisplayNames(['tooInfinite']), /accountIds must be an account id/],
    ['a page past 100 records', () => api.getLeaderboardTop({ mapUid: SNOW.uid, length: 101 }), /length must be a whole number from 1 to 100/],
    ['a page past the 10,000th record', () => api.getLeaderboardTop({ mapUid: SNOW.uid, length: 100, offset: 9901 }), /offset \+ length must be at most 10000/],
    ['more than 5 records without onlyWorld', () => api.getLeaderboardTop({ mapUid: SNOW.uid, length: 10, onlyWorld: false }), /onlyWorld must be true/],
    ['a negative offset', () => api.getClubs({ offset: -1 }), /offset must be a whole number/],
    ['a club page of 251', () => api.getClubMembers(9, { length: 251 }), /length must be a whole number from 1 to 250/],
    ['a competition leaderboard page of 256', () => api.getCompetitionLeaderboard(9263, { length: 256 }), /from 1 to 255/],
    ['surround past one record', () => api.getLeaderboardSurround({ mapUid: SNOW.uid, score: 1, upper: 2 }), /upper must be a whole number from 0 to 1/],
    ['a competition id with a slash', () => api.getCompetition('1/rounds'), /competitionId must be a competition id/],
    ['account records with both lists', () => api.getAccountRecords({ accountId: SERVICE, mapIds: [SNOW.mapId], seasonIds: [SNOW.mapId] }), /not both/],
    ['a path with a query', () => api.get('live', '/api/token/club?length=1'), /path must be a path/],
  ];

  it.each(cases)('%s', async (_name, run, message) => {
    const { error, sent } = await refusal(run);
    expect(error).toBeInstanceOf(NadeoInputError);
    expect((error as Error).message).toMatch(message);
    expect(sent).toBe(0);
  });

  it('a client made for other hosts, at construction', () => {
    expect(() => new NadeoAPI({ client: api.client })).toThrow(/coreURL "https:\/\/prod\.trackmania\.core\.nadeo\.online" is not a host of the given client/);
    expect(() => new NadeoAPI({ client: api.client, ...emulators.nadeo.clientOptions(), oauthURL: 'https://api.trackmania.com' })).toThrow(/oauthURL/);
    expect(new NadeoAPI({ client: api.client, ...emulators.nadeo.clientOptions() }).client).toBe(api.client);
    expect(
      () => new NadeoAPI({ ...emulators.nadeo.clientOptions(), userAgent: 'x / y', account: { login: 'a', password: 'b' }, cacheTtl: { zones: -1 } }),
    ).toThrow(/cacheTtl.zones must be a whole number/);
  });

  it('an unknown audience', async () => {
    const { error, sent } = await refusal(async () => api.get('nadeo-club-services', '/api/token/club'));
    expect(error).toBeInstanceOf(AudienceError);
    expect((error as Error).message).toMatch(/invalid audience 'nadeo-club-services'/);
    expect(sent).toBe(0);
  });

  it('any string that is not a map UID or an account id (property)', async () => {
    const notUid = fc.string({ minLength: 1, maxLength: 60 }).filter((s) => !/^[A-Za-z0-9_-]{1,40}$/.test(s));
    const notId = fc.string({ maxLength: 40 }).filter((s) => !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s));
    await fc.assert(
      fc.asyncProperty(notUid, notId, async (uid, id) => {
        expect((await refusal(() => api.getMapsInfo([SNOW.uid, uid]))).error).toBeInstanceOf(NadeoInputError);
        expect((await refusal(() => api.getPlayerZones([id]))).error).toBeInstanceOf(NadeoInputError);
        return true;
      }),
      { numRuns: 100 },
    );
  });
});

describe('documented limits: any number of ids in, one answer out', () => {
  it('map info: 1,000 UIDs in 10 Live requests of at most 100', async () => {
    const fresh = emulators.api();
    const before = emulators.nadeo.requestsTo('map-info-multiple').length;
    const maps = await fresh.getMapsInfo(MAPS.map((m) => m.uid));
    const sent = emulators.nadeo.requestsTo('map-info-multiple').slice(before);
    expect(maps.size).toBe(1000);
    expect(sent).toHaveLength(10);
    for (const request of sent) expect(request.query.get('mapUidList')!.split(',').length).toBeLessThanOrEqual(100);
  });

  it('Core map info and zones: split so that no URI reaches 8,220 characters (the emulator answers 414 there)', async () => {
    const fresh = emulators.api();
    const before = emulators.nadeo.requestsTo('maps-by-uid').length;
    const maps = await fresh.getMapsInfoCore(MAPS.map((m) => m.uid));
    expect(maps.size).toBe(1000);
    const sent = emulators.nadeo.requestsTo('maps-by-uid').slice(before);
    expect(sent.length).toBeGreaterThan(1);
    for (const request of sent) expect(request.target.length).toBeLessThan(8220);
    const ids = Array.from({ length: 700 }, (_, i) => uuid(i));
    const zones = await fresh.getPlayerZones(ids);
    expect(zones.size).toBe(700);
    for (const request of emulators.nadeo.requestsTo('player-zones')) expect(request.target.length).toBeLessThan(8220);
    // With every other parameter at its longest: the split counts them.
    const records = await fresh.getMapRecords({ mapId: SNOW.mapId, accountIds: ids, seasonId: uuid(99), gameMode: 'TimeAttackClone'.padEnd(40, 'x') });
    expect(records).toHaveLength(700);
    const ranks = await fresh.getPlayerRanks(2, ids);
    expect(ranks.results).toHaveLength(700);
    for (const endpoint of ['map-records-by-account', 'player-ranks']) {
      const sent = emulators.nadeo.requestsTo(endpoint);
      expect(sent.length).toBeGreaterThan(1);
      for (const request of sent) expect(request.target.length).toBeLessThan(8220);
    }
  });

  it('splitIds keeps every id, in order, within the count and the URI length (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ minLength: 1, maxLength: 300 }), { maxLength: 200 }), fc.integer({ min: 1, max: 120 }), (ids, maxCount) => {
        const chunks = splitIds(ids, { maxCount, baseLength: 100, costOf: (id) => id.length });
        expect(chunks.flat()).toEqual(ids);
        for (const chunk of chunks) {
          expect(chunk.length).toBeLessThanOrEqual(maxCount);
          if (chunk.length > 1) expect(100 + chunk.reduce((n, id) => n + id.length, 0)).toBeLessThanOrEqual(MAX_URI_LENGTH);
        }
      }),
    );
  });

  it('position by time: 120 scores in requests of at most 50 maps, one list', async () => {
    const before = emulators.nadeo.requestsTo('position-by-time').length;
    const positions = await api.getPositionsByTime(MAPS.slice(0, 120).map((m) => ({ mapUid: m.uid, score: 40000 })));
    expect(positions).toHaveLength(120);
    const sent = emulators.nadeo.requestsTo('position-by-time').slice(before);
    expect(sent.map((r) => (r.json as { maps: unknown[] }).maps.length)).toEqual([50, 50, 20]);
  });

  it('display names: 120 ids in requests of at most 50', async () => {
    const fresh = emulators.api();
    const before = emulators.trackmania.requestsTo('display-names').length;
    await fresh.getDisplayNames([TOO_INFINITE, ...Array.from({ length: 119 }, (_, i) => uuid(i))]);
    const sent = emulators.trackmania.requestsTo('display-names').slice(before);
    expect(sent.map((r) => r.query.getAll('accountId[]').length)).toEqual([50, 50, 20]);
  });

  it('concurrent lookups of the same ids share one request and one cache read per id (coalescing)', async () => {
    const store = new MemoryStore();
    let reads = 0;
    const get = store.get.bind(store);
    store.get = (key) => {
      reads += 1;
      return get(key);
    };
    const fresh = emulators.api({ cacheStore: store });
    const ids = MAPS.slice(0, 50).map((m) => m.uid);
    const before = emulators.nadeo.requestsTo('map-info-multiple').length;
    const answers = await Promise.all(Array.from({ length: 200 }, () => fresh.getMapsInfo(ids)));
    expect(emulators.nadeo.requestsTo('map-info-multiple').length - before).toBe(1);
    expect(reads).toBe(50);
    for (const answer of answers) expect(answer.size).toBe(50);
  });

  it('a cached lookup costs no request', async () => {
    const fresh = emulators.api();
    // An id without a name is known to have none, for as long as a name is kept.
    await fresh.getDisplayNames([TOO_INFINITE, uuid(1)]);
    await fresh.getZones();
    await fresh.getMapsInfo([SNOW.uid]);
    const before = emulators.dataRequests();
    expect(await fresh.getDisplayNames([TOO_INFINITE, uuid(1)])).toEqual(new Map([[TOO_INFINITE, 'tooInfinite']]));
    expect((await fresh.getZones()).length).toBeGreaterThan(0);
    expect((await fresh.getMapsInfo([SNOW.uid])).size).toBe(1);
    expect(emulators.dataRequests()).toBe(before);
  });

  it('a lookup needing more requests than the client queues fails with its QueueError, the rest unsent', async () => {
    const paced = emulators.api({ minInterval: 20, maxQueueWait: 50 });
    await paced.client.token('live');
    const before = emulators.nadeo.requestsTo('map-info-multiple').length;
    const uids = generatedNadeoMaps(2000).map((m) => m.uid);
    expect(await paced.getMapsInfo(uids).catch((e: unknown) => e)).toMatchObject({ name: 'QueueError', code: 'EQUEUEWAIT' });
    await new Promise((resolve) => setTimeout(resolve, 200));
    // 20 batches were due; only those whose turn was within 50 ms went out.
    expect(emulators.nadeo.requestsTo('map-info-multiple').length - before).toBeLessThan(20);
  });

  it('a failed batch fails each of its callers, and the next lookup asks again', async () => {
    const fresh = emulators.api();
    emulators.nadeo.fault('map-info-multiple', { type: 'status', status: 503 }, { times: 1 });
    const failures = await Promise.all([fresh.getMapsInfo([SNOW.uid]), fresh.getMapsInfo([SNOW.uid])].map((p) => p.catch((e: unknown) => e)));
    for (const failure of failures) expect(failure).toMatchObject({ upstreamStatus: 503 });
    expect((await fresh.getMapsInfo([SNOW.uid])).size).toBe(1);
  });
});

describe('quirks, made regular', () => {
  it('an invalid group answers {}: null', async () => {
    expect(await api.getLeaderboardTop({ mapUid: SNOW.uid, groupUid: 'No_Such_Group' })).toBeNull();
    expect(await api.getLeaderboardSurround({ mapUid: SNOW.uid, groupUid: 'No_Such_Group', score: 30000 })).toBeNull();
  });

  it('an error as a bare array of strings is a NadeoApiError with its code, whatever the status', async () => {
    const notFound = await api.getClub(424242).catch((e: unknown) => e);
    expect(notFound).toBeInstanceOf(NadeoApiError);
    expect(notFound).toMatchObject({
      code: 'club:error-notFound',
      codes: ['club:error-notFound'],
      upstreamStatus: 404,
      endpoint: 'GET /api/token/club/424242',
    });
    emulators.nadeo.fault(
      'club',
      { type: 'status', status: 200, body: '["club_Join:error-notAllowed"]', headers: { 'Content-Type': 'application/json' } },
      { times: 1 },
    );
    expect(await api.getClub(9).catch((e: unknown) => e)).toMatchObject({ name: 'NadeoApiError', code: 'club_Join:error-notAllowed', upstreamStatus: 200 });
  });

  it("Core's coded errors are NadeoApiErrors too", async () => {
    const forbidden = await api.getAccountRecords({ accountId: TOO_INFINITE, mapIds: [SNOW.mapId] }).catch((e: unknown) => e);
    expect(forbidden).toMatchObject({ name: 'NadeoApiError', code: 'C-AA-00-19', upstreamStatus: 403 });
  });

  it('endpoints a dedicated server account cannot use are refused before the request, naming the account to use', async () => {
    const dedicated = emulators.api({ dedicated: true });
    for (const run of [
      () => dedicated.getPlayerZones([TOO_INFINITE]),
      () => dedicated.getPlayerZonePath(TOO_INFINITE),
      () => dedicated.getAccountRecords({ accountId: SERVICE, mapIds: [SNOW.mapId] }),
      () => dedicated.getPlayerClubRecord({ mapUid: SNOW.uid, clubId: 9 }),
    ]) {
      const { error, sent } = await refusal(run);
      expect(error).toBeInstanceOf(AccountTypeError);
      expect((error as Error).message).toMatch(/service account/);
      expect(sent).toBe(0);
    }
    // What it may use, it uses.
    expect((await dedicated.getZones()).length).toBeGreaterThan(0);
  });
});

describe('an answer of the wrong shape fails one call cleanly', () => {
  const json = (body: string) => ({ type: 'status' as const, status: 200, body, headers: { 'Content-Type': 'application/json' } });

  it('a list that is not a list, an object that is not one: a ProviderError EBADRESPONSE, and the next call works', async () => {
    const fresh = emulators.api();
    for (const [endpoint, body, run] of [
      ['map-info-multiple', '{"mapList":"x","itemCount":1}', () => fresh.getMapsInfo([SNOW.uid])],
      ['leaderboard-top', '{"groupUid":"Personal_Best","tops":{"top":1}}', () => fresh.getLeaderboardTop({ mapUid: SNOW.uid })],
      ['zones', '{"zones":[]}', () => fresh.getZones()],
      ['maps-by-id', '"text"', () => fresh.getMapsInfoById([SNOW.mapId])],
      ['player-ranks', '[1,2]', () => fresh.getPlayerRanks(2, [TOO_INFINITE])],
    ] as Array<[string, string, () => Promise<unknown>]>) {
      emulators.nadeo.fault(endpoint, json(body), { times: 1 });
      expect(await run().catch((e: unknown) => e)).toMatchObject({ name: 'ProviderError', code: 'EBADRESPONSE' });
    }
    expect((await fresh.getMapsInfo([SNOW.uid])).size).toBe(1);
    expect((await fresh.getZones()).length).toBeGreaterThan(0);
  });
});
