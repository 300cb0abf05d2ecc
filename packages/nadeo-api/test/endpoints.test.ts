import { DEFAULT_SERVICE_ACCOUNT, NADEO_SAMPLE_MAPS } from '@maniapass/emulators';
import { NadeoApiError, formattingToPlain, type NadeoAPI } from '../src';
import { TOO_INFINITE, WIRTUAL, documented, shapeDifferences, startEmulators, type Emulators } from './support';

let emulators: Emulators;
let api: NadeoAPI;
const [SUMMER, LASERHAWK_LIVE, LASERHAWK, SNOW, SECRET] = NADEO_SAMPLE_MAPS.map((m) => m);
const SERVICE = DEFAULT_SERVICE_ACCOUNT.accountId;

beforeAll(async () => {
  emulators = await startEmulators();
  api = emulators.api();
});
afterAll(() => emulators.close());

describe('the emulator answers in the documented shapes', () => {
  // [documented example, audience, path, query]: the raw answer of the emulator to the documented request.
  const cases: Array<[string, string, string, Record<string, string | number | boolean | string[]>]> = [
    ['live-map-info-multiple', 'live', '/api/token/map/get-multiple', { mapUidList: `${LASERHAWK_LIVE!.uid},${SNOW!.uid}` }],
    ['live-map-info', 'live', `/api/token/map/${SUMMER!.uid}`, {}],
    ['core-maps-by-uid', 'core', '/maps/by-uid/', { mapUidList: `${LASERHAWK!.uid},${SNOW!.uid}` }],
    ['core-maps-by-id', 'core', '/maps/by-id/', { mapIdList: `${LASERHAWK!.mapId},${SNOW!.mapId}` }],
    ['leaderboard-top', 'live', `/api/token/leaderboard/group/Personal_Best/map/${SNOW!.uid}/top`, { onlyWorld: true, length: 10, offset: 50 }],
    ['leaderboard-surround', 'live', `/api/token/leaderboard/group/Personal_Best/map/${SNOW!.uid}/surround/1/1`, { score: 30000 }],
    ['totds', 'live', '/api/token/campaign/month', { offset: 7, length: 1 }],
    ['campaigns-official', 'live', '/api/campaign/official', { offset: 0, length: 1 }],
    ['weekly-shorts', 'live', '/api/campaign/weekly-shorts', { offset: 0, length: 1 }],
    ['club-campaigns', 'live', '/api/token/club/campaign', { length: 1, offset: 0 }],
    ['club-campaign', 'live', '/api/token/club/150/campaign/55781', {}],
    ['club', 'live', '/api/token/club/9', {}],
    ['clubs', 'live', '/api/token/club', { length: 5, offset: 0 }],
    ['club-members', 'live', '/api/token/club/9/member', { length: 3, offset: 0 }],
    ['map-records-by-account', 'core', '/v2/mapRecords/by-account/', { accountIdList: SERVICE, mapId: SNOW!.mapId }],
    ['account-records', 'core', `/v2/accounts/${SERVICE}/mapRecords`, { mapIdList: SNOW!.mapId }],
    ['zones', 'core', '/zones/', {}],
    ['player-zones', 'core', '/accounts/zones/', { accountIdList: `${TOO_INFINITE},${WIRTUAL}` }],
    ['current-cotd', 'meet', '/api/cup-of-the-day/current', {}],
    ['competition', 'meet', '/api/competitions/3633', {}],
    ['competitions', 'meet', '/api/competitions', { length: 3, offset: 0 }],
    ['competition-rounds', 'meet', '/api/competitions/3633/rounds', {}],
    ['competition-leaderboard', 'meet', '/api/competitions/9263/leaderboard', { length: 100 }],
    ['challenge-leaderboard', 'meet', '/api/challenges/409/leaderboard', {}],
    ['matchmaking-rankings', 'meet', '/api/matchmaking/2/leaderboard', { offset: 10, length: 5 }],
    ['player-ranks', 'meet', '/api/matchmaking/2/leaderboard/players', { 'players[]': [TOO_INFINITE] }],
    ['display-names', 'oauth', '/api/display-names', { 'accountId[]': [TOO_INFINITE] }],
    ['account-ids', 'oauth', '/api/display-names/account-ids', { 'displayName[]': ['tooInfinite'] }],
  ];

  it.each(cases)('%s', async (name, audience, path, query) => {
    const answer = await api.get(audience, path, query);
    expect(shapeDifferences(documented(name), answer)).toEqual([]);
  });

  it('position by time and a player club record, which answer to a POST and to a member', async () => {
    const positions = await api.getPositionsByTime([{ mapUid: SNOW!.uid, score: 30000 }]);
    expect(shapeDifferences(documented('position-by-time'), positions)).toEqual([]);
    const record = await api.get('live', `/api/token/leaderboard/group/Personal_Best/map/${SNOW!.uid}/club/9`);
    expect(shapeDifferences(documented('player-club-record'), record)).toEqual([]);
  });

  it('a record by id, once a lookup found it', async () => {
    const [record] = await api.getMapRecords({ mapId: SNOW!.mapId, accountIds: [SERVICE] });
    expect(shapeDifferences(documented('map-record'), await api.get('core', `/mapRecords/${record!.mapRecordId}`))).toEqual([]);
  });
});

describe('each endpoint through the package', () => {
  it('map info: Live and Core, by UID and by id, unknown UIDs left out', async () => {
    const live = await api.getMapsInfo([SNOW!.uid, 'NoSuchMapUid000000000000000']);
    expect([...live.keys()]).toEqual([SNOW!.uid]);
    expect(live.get(SNOW!.uid)).toMatchObject({ uid: SNOW!.uid, mapId: SNOW!.mapId, authorTime: 26972 });
    expect(await api.getMapInfo(LASERHAWK!.uid)).toMatchObject({ name: '$i$a1bLaserhawk $fff- Megacity Race' });
    expect(await api.getMapInfo('NoSuchMapUid000000000000000')).toBeUndefined();
    const core = await api.getMapsInfoCore([LASERHAWK!.uid]);
    expect(core.get(LASERHAWK!.uid)).toMatchObject({ mapId: LASERHAWK!.mapId, authorScore: 102399 });
    expect(formattingToPlain(core.get(LASERHAWK!.uid)!.name)).toBe('Laserhawk - Megacity Race');
    expect((await api.getMapsInfoById([SNOW!.mapId])).map((m) => m.mapUid)).toEqual([SNOW!.uid]);
  });

  it('leaderboard top: world records from any offset, a zone top 5, hidden scores as null', async () => {
    const top = await api.getLeaderboardTop({ mapUid: SNOW!.uid, length: 10, offset: 50 });
    expect(top!.tops[0]!.top.map((r) => r.position)).toEqual([51, 52, 53, 54, 55, 56, 57, 58, 59, 60]);
    expect(emulators.nadeo.lastRequest('leaderboard-top')!.query.get('onlyWorld')).toBe('true');
    const zone = await api.getLeaderboardTop({ mapUid: SNOW!.uid, zoneId: '301ff70e-7e13-11e8-8060-e284abfd2bc4' });
    expect(zone!.tops[0]!.zoneName).toBe('Germany');
    expect(zone!.tops[0]!.top).toHaveLength(5);
    const secret = await api.getLeaderboardTop({ mapUid: SECRET!.uid, length: 5 });
    expect(secret!.tops[0]!.top.map((r) => [r.score, r.hidden])).toEqual([
      [null, true],
      [null, true],
      [null, true],
      [53028, false],
      [53035, false],
    ]);
  });

  it('leaderboard surround: the score between its neighbours; no score and no PB is null', async () => {
    const around = await api.getLeaderboardSurround({ mapUid: SNOW!.uid, score: 30000 });
    const top = around!.tops[0]!.top;
    expect(top).toHaveLength(3);
    expect(top[1]).toMatchObject({ accountId: SERVICE, score: 30000 });
    expect(top[0]!.score!).toBeLessThanOrEqual(30000);
    expect(await api.getLeaderboardSurround({ mapUid: SNOW!.uid })).toBeNull();
  });

  it('position by time: any number of scores, one list', async () => {
    const scores = NADEO_SAMPLE_MAPS.map((m) => ({ mapUid: m.uid, score: 60000 }));
    const positions = await api.getPositionsByTime(scores);
    expect(positions.map((p) => p.mapUid).sort()).toEqual(scores.map((s) => s.mapUid).sort());
    expect(positions[0]!.zones[0]!.ranking.position).toBeGreaterThan(1);
  });

  it('player club record: the service account in club 9; not a member is a typed error', async () => {
    expect(await api.getPlayerClubRecord({ mapUid: SNOW!.uid, clubId: 9 })).toMatchObject({ clubId: 9, position: 40, mapUid: SNOW!.uid });
    expect(await api.getPlayerClubRecord({ mapUid: 'NoSuchMapUid000000000000000', clubId: 9 })).toBeNull();
    const err = await api.getPlayerClubRecord({ mapUid: SNOW!.uid, clubId: 383 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NadeoApiError);
    expect(err).toMatchObject({ code: 'clubMemberRole:error-notMember', upstreamStatus: 403 });
  });

  it('Tracks of the Day, Royal maps, seasonal campaigns, Weekly Shorts', async () => {
    const totd = await api.getTotds({ length: 2 });
    expect(totd.monthList).toHaveLength(2);
    expect(totd.monthList[1]!.days).toHaveLength(totd.monthList[1]!.lastDay);
    expect(emulators.nadeo.mapByUid(totd.monthList[0]!.days[0]!.mapUid)).toBeDefined();
    const royal = await api.getRoyalMaps();
    expect(emulators.nadeo.lastRequest('totds')!.query.get('royal')).toBe('true');
    expect(royal.monthList[0]!.days[0]!.mapUid).not.toBe(totd.monthList[0]!.days[0]!.mapUid);
    const seasons = await api.getSeasonalCampaigns({ length: 2 });
    expect(seasons.campaignList).toHaveLength(2);
    expect(seasons.campaignList[0]!.playlist).toHaveLength(25);
    expect(seasons.campaignList[0]!.name).toMatch(/^(Winter|Spring|Summer|Fall) \d{4}$/);
    expect((await api.getWeeklyShorts()).campaignList[0]!.playlist).toHaveLength(5);
  });

  it('clubs, club members, club campaigns', async () => {
    const club = await api.getClub(9);
    expect(formattingToPlain(club.name)).toBe('Openplanet ');
    expect((await api.getClubs({ name: 'world' })).clubList.map((c) => c.id)).toEqual([383]);
    const members = await api.getClubMembers(9, { length: 250 });
    expect(members.clubMemberList[0]).toMatchObject({ role: 'Creator', clubId: 9 });
    expect(members.clubMemberList.map((m) => m.accountId)).toContain(SERVICE);
    expect((await api.getClubMembers(424242)).clubMemberList).toEqual([]);
    const campaigns = await api.getClubCampaigns({ name: 'snow' });
    expect(campaigns.clubCampaignList.map((c) => c.name)).toEqual(['SNOW DISCOVERY']);
    const one = await api.getClubCampaign(150, campaigns.clubCampaignList[0]!.campaignId);
    expect(one.campaign.playlist.length).toBe(one.mapsCount);
  });

  it("Core records: by accounts on a map (hidden times null), the account's own, one by id", async () => {
    const records = await api.getMapRecords({ mapId: SNOW!.mapId, accountIds: [SERVICE, TOO_INFINITE] });
    expect(records.map((r) => r.accountId)).toEqual([SERVICE, TOO_INFINITE]);
    const hidden = await api.getMapRecords({ mapId: SECRET!.mapId, accountIds: [SERVICE] });
    expect(hidden[0]!.recordScore.time).toBeNull();
    const own = await api.getAccountRecords({ accountId: SERVICE, mapIds: [SNOW!.mapId, LASERHAWK!.mapId] });
    expect(own.map((r) => r.mapId)).toEqual([SNOW!.mapId, LASERHAWK!.mapId]);
    expect(await api.getMapRecord(records[0]!.mapRecordId)).toEqual(records[0]);
  });

  it("zones: the list, players' zones, a player's zone path", async () => {
    const zones = await api.getZones();
    expect(zones.find((z) => z.name === 'World')!.parentId).toBeUndefined();
    const players = await api.getPlayerZones([TOO_INFINITE, WIRTUAL]);
    expect(players.size).toBe(2);
    const path = await api.getPlayerZonePath(TOO_INFINITE);
    expect(path![0]).toBe('World');
    expect(path!.length).toBeGreaterThanOrEqual(3);
  });

  it('Cup of the Day, competitions, rounds, leaderboards; no cup is null', async () => {
    const cup = await api.getCurrentCotd();
    expect(cup!.competition.id).toBe(9263);
    expect((await api.getCompetition(cup!.competition.liveId)).id).toBe(9263);
    expect((await api.getCompetitions({ length: 5 })).map((c) => c.id)).toHaveLength(5);
    const rounds = await api.getCompetitionRounds(3633);
    expect(rounds.map((r) => r.name)).toEqual(['Quarter Finals', 'SemiFinals', 'FINAL']);
    const board = await api.getCompetitionLeaderboard(9263, { length: 255, offset: 10 });
    expect(board).toHaveLength(255);
    expect(board[0]).toMatchObject({ rank: 11, zone: expect.stringMatching(/^World\|/) });
    expect((await api.getChallengeLeaderboard(rounds[0]!.qualifierChallengeId!, { length: 3 })).results.map((r) => r.rank)).toEqual([1, 2, 3]);
    const saved = emulators.nadeo.cupOfTheDay;
    emulators.nadeo.cupOfTheDay = null;
    try {
      expect(await api.getCurrentCotd()).toBeNull();
    } finally {
      emulators.nadeo.cupOfTheDay = saved;
    }
  });

  it("matchmaking: rankings and players' ranks", async () => {
    const ranking = await api.getMatchmakingRankings(2, { offset: 10, length: 5 });
    expect(ranking.results.map((r) => r.rank)).toEqual([11, 12, 13, 14, 15]);
    const ranks = await api.getPlayerRanks(2, [TOO_INFINITE, WIRTUAL]);
    expect(ranks.results.map((r) => r.player)).toEqual([TOO_INFINITE, WIRTUAL]);
    expect(ranks.cardinal).toBe(ranking.cardinal);
  });

  it('display names and account ids through the public API', async () => {
    expect(await api.getDisplayNames([TOO_INFINITE, WIRTUAL, SERVICE])).toEqual(
      new Map([
        [TOO_INFINITE, 'tooInfinite'],
        [WIRTUAL, 'Wirtual'],
      ]),
    );
    expect(emulators.trackmania.lastRequest('display-names')!.headers.authorization).toMatch(/^Bearer /);
    expect(await api.getAccountIds(['tooInfinite', 'nobody'])).toEqual(new Map([['tooInfinite', TOO_INFINITE]]));
  });
});
