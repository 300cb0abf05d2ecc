import { DEFAULT_DEDICATED_ACCOUNT, DEFAULT_SERVICE_ACCOUNT, NADEO_SAMPLE_MAPS, generatedNadeoMaps, startNadeoEmulator, type NadeoEmulator } from '../src';

let emulator: NadeoEmulator;
const SNOW = NADEO_SAMPLE_MAPS[3]!;

beforeAll(async () => {
  emulator = await startNadeoEmulator();
});
afterAll(() => emulator.close());

/** A GET with a token of the service (or dedicated) account for an audience. */
async function get(url: string, audience: 'NadeoServices' | 'NadeoLiveServices', dedicated = false): Promise<{ status: number; body: unknown }> {
  const account = emulator.accounts.find((a) => a.login === (dedicated ? DEFAULT_DEDICATED_ACCOUNT : DEFAULT_SERVICE_ACCOUNT).login);
  const { accessToken } = emulator.issueTokens({ account, audience });
  const res = await fetch(url, { headers: { Authorization: `nadeo_v1 t=${accessToken}` } });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // HTML (414) or empty (204)
  }
  return { status: res.status, body };
}

describe('the Nadeo emulator keeps the documented limits', () => {
  it('answers 414 to a request URI of 8,220 characters or more, not to one shorter', async () => {
    const { coreURL } = emulator.clientOptions();
    const base = `${coreURL}/maps/by-uid/?mapUidList=`;
    const fill = (length: number) => `${base}${'a'.repeat(length - base.length + coreURL.length)}`;
    expect((await get(fill(8219), 'NadeoServices')).status).toBe(200);
    expect((await get(fill(8220), 'NadeoServices')).status).toBe(414);
  });

  it('map/get-multiple takes at most 100 UIDs', async () => {
    const { liveURL } = emulator.clientOptions();
    const uids = generatedNadeoMaps(101).map((m) => m.uid);
    expect((await get(`${liveURL}/api/token/map/get-multiple?mapUidList=${uids.slice(0, 100).join(',')}`, 'NadeoLiveServices')).body).toMatchObject({
      itemCount: 100,
    });
    expect(await get(`${liveURL}/api/token/map/get-multiple?mapUidList=${uids.join(',')}`, 'NadeoLiveServices')).toEqual({
      status: 400,
      body: ['mapUidList:error-tooMany'],
    });
  });

  it('leaderboards: the first 5 without onlyWorld whatever the length, 100 at most with it, nothing past 10,000', async () => {
    const { liveURL } = emulator.clientOptions();
    const top = async (query: string) => {
      const { body } = await get(`${liveURL}/api/token/leaderboard/group/Personal_Best/map/${SNOW.uid}/top?${query}`, 'NadeoLiveServices');
      return (body as { tops: Array<{ top: Array<{ position: number }> }> }).tops[0]!.top.map((r) => r.position);
    };
    expect(await top('length=50&offset=20')).toEqual([1, 2, 3, 4, 5]);
    expect(await top('onlyWorld=true&length=500&offset=0')).toHaveLength(100);
    expect(await top('onlyWorld=true&length=100&offset=9950')).toHaveLength(50);
    expect(await top('onlyWorld=true&length=10&offset=10000')).toEqual([]);
    expect((await get(`${liveURL}/api/token/leaderboard/group/Nope/map/${SNOW.uid}/top`, 'NadeoLiveServices')).body).toEqual({});
  });

  it('refuses dedicated server accounts where Nadeo does', async () => {
    const { coreURL, liveURL } = emulator.clientOptions();
    const zones = `${coreURL}/accounts/zones/?accountIdList=${DEFAULT_SERVICE_ACCOUNT.accountId}`;
    expect((await get(zones, 'NadeoServices')).status).toBe(200);
    expect((await get(zones, 'NadeoServices', true)).status).toBe(401);
    const records = `${coreURL}/v2/accounts/${DEFAULT_DEDICATED_ACCOUNT.accountId}/mapRecords?mapIdList=${SNOW.mapId}`;
    expect((await get(records, 'NadeoServices', true)).status).toBe(401);
    expect(await get(`${liveURL}/api/token/leaderboard/group/Personal_Best/map/${SNOW.uid}/club/9`, 'NadeoLiveServices', true)).toEqual({
      status: 403,
      body: ['club_Join:error-notAllowed'],
    });
    // Core's display names were removed in 2023.
    expect((await get(`${coreURL}/accounts/displayNames/?accountIdList=${DEFAULT_SERVICE_ACCOUNT.accountId}`, 'NadeoServices')).status).toBe(404);
  });

  it('position by time: at most 50 maps; a map in the query but not in the body is a 500', async () => {
    const { liveURL } = emulator.clientOptions();
    const { accessToken } = emulator.issueTokens({ audience: 'NadeoLiveServices' });
    const post = (maps: string[], query: string[]) =>
      fetch(`${liveURL}/api/token/leaderboard/group/map?${query.map((uid) => `scores[${uid}]=30000`).join('&')}`, {
        method: 'POST',
        headers: { Authorization: `nadeo_v1 t=${accessToken}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ maps: maps.map((mapUid) => ({ mapUid, groupUid: 'Personal_Best' })) }),
      });
    const uids = generatedNadeoMaps(51).map((m) => m.uid);
    expect((await post(uids.slice(0, 50), uids.slice(0, 50))).status).toBe(200);
    expect((await post(uids, uids)).status).toBe(400);
    expect((await post([SNOW.uid], [SNOW.uid, uids[0]!])).status).toBe(500);
  });
});
