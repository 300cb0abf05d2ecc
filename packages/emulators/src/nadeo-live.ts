// Live (live-services.trackmania.nadeo.live) data routes of the Nadeo emulator, NadeoLiveServices tokens.
import type { NadeoEmulator } from './nadeo';
import {
  WORLD_ZONE_ID,
  clubCampaignJson,
  clubJson,
  clubMemberJson,
  leaderboardEntry,
  liveMapJson,
  officialCampaignJson,
  scoreAt,
  totdMonthJson,
  zoneOf,
  type NadeoMap,
} from './nadeo-data';
import { boolParam, intParam, listParam, liveCodes, liveInternalError, uriTooLong } from './nadeo-replies';
import type { RecordedRequest, Reply, Route } from './server';

/** Map UIDs `map/get-multiple` takes at once. */
export const LIVE_MAP_INFO_LIMIT = 100;
/** Maps position by time takes at once. */
export const POSITION_BY_TIME_LIMIT = 50;
/** Records a leaderboard request returns at most (a larger `length` is cut, as Nadeo does). */
export const LEADERBOARD_LENGTH = 100;
/** Records of a leaderboard that can be read. */
export const LEADERBOARD_END = 10_000;
/** Records returned without `onlyWorld=true`. */
export const WITHOUT_ONLY_WORLD = 5;
/** Clubs, members and club campaigns a request. */
export const CLUB_PAGE = 250;

const DAY = 86400;
const SEASONS = ['Winter', 'Spring', 'Summer', 'Fall'];

/** A group the emulator serves: `Personal_Best`, a season UID, or a club season (`NLS-...`); anything else is invalid. */
const validGroup = (group: string): boolean => group === 'Personal_Best' || /^[0-9a-f]{8}-[0-9a-f]{4}-/i.test(group) || group.startsWith('NLS-');

/** The position a score would take on a map: one more than the records strictly better. */
function positionOf(map: NadeoMap, score: number): number {
  const base = scoreAt(map, 0);
  const better = score <= base ? 0 : Math.ceil((score - base) / 7) - 1;
  return Math.min(better, map.records ?? 20_000) + 1;
}

/** Live's data routes: map info, leaderboards, Tracks of the Day, campaigns, clubs. */
export function liveRoutes(emulator: NadeoEmulator, fault: (status: number) => unknown): Route[] {
  const route = (
    endpoint: string,
    method: string,
    path: string,
    handle: (request: RecordedRequest, params: Record<string, string>, claims: { sub: string; usg: string }) => Reply,
  ): Route => ({
    endpoint,
    method,
    path,
    faultBody: fault,
    handler: ({ request, params }) => {
      const auth = emulator.authenticate(request, 'NadeoLiveServices');
      if ('reply' in auth) return auth.reply;
      return uriTooLong(request) ?? handle(request, params, auth.claims);
    },
  });
  const pageOf = (request: RecordedRequest, defaultLength: number, max: number): { length: number; offset: number } | (Reply & { status: number }) => {
    const length = intParam(request, 'length', defaultLength);
    const offset = intParam(request, 'offset', 0);
    if (length === undefined || offset === undefined || length < 0 || offset < 0) return { status: 400, body: ['parameters:error-invalid'] };
    if (length > max) return { status: 400, body: ['length:error-max'] };
    return { length, offset };
  };
  const nowSeconds = () => Math.floor(emulator.now().getTime() / 1000);

  return [
    // Before `map/:mapUid`, which `get-multiple` would match too.
    route('map-info-multiple', 'GET', '/api/token/map/get-multiple', (request) => {
      const uids = listParam(request, 'mapUidList');
      if (uids.length > LIVE_MAP_INFO_LIMIT) return liveCodes(400, 'mapUidList:error-tooMany');
      const mapList = uids.flatMap((uid) => emulator.mapByUid(uid) ?? []).map(liveMapJson);
      return { body: { mapList, itemCount: mapList.length } };
    }),
    route('map', 'GET', '/api/token/map/:mapUid', (_request, params) => {
      const map = emulator.mapByUid(params.mapUid ?? '');
      return map ? { body: liveMapJson(map) } : liveInternalError('NotFoundHttpException');
    }),
    route('leaderboard-top', 'GET', '/api/token/leaderboard/group/:groupUid/map/:mapUid/top', (request, params) => {
      const group = params.groupUid ?? '';
      if (!validGroup(group)) return { body: {} };
      const map = emulator.mapByUid(params.mapUid ?? '');
      const world = { zoneId: WORLD_ZONE_ID, zoneName: 'World' };
      const answer = (zone: { zoneId: string; zoneName: string }, top: unknown[]) => ({
        body: { groupUid: group, mapUid: params.mapUid, tops: [{ ...zone, top }] },
      });
      if (!map) return answer(world, []);
      const available = Math.min(map.records ?? 20_000, LEADERBOARD_END);
      const positions = (from: number, count: number) =>
        Array.from({ length: Math.max(0, Math.min(count, available - from)) }, (_, i) => leaderboardEntry(map, from + i + 1, true));
      if (boolParam(request, 'onlyWorld')) {
        // A `length` past 100 is cut to 100, silently, as Nadeo does.
        const length = Math.min(intParam(request, 'length', 5) ?? 5, LEADERBOARD_LENGTH);
        const offset = intParam(request, 'offset', 0) ?? 0;
        return answer(world, positions(offset, length));
      }
      // Without onlyWorld, length and offset have no effect: the first five, of a zone when one is asked for.
      const zoneId = request.query.get('zoneId');
      const zone = zoneId ? emulator.zones.find((z) => z.zoneId === zoneId) : undefined;
      return answer(zone ? { zoneId: zone.zoneId, zoneName: zone.name } : world, positions(0, WITHOUT_ONLY_WORLD));
    }),
    route('leaderboard-surround', 'GET', '/api/token/leaderboard/group/:groupUid/map/:mapUid/surround/:lower/:upper', (request, params, claims) => {
      const group = params.groupUid ?? '';
      const scoreParam = request.query.get('score');
      // No score: the account's own PB, which the emulator's accounts do not have.
      if (!validGroup(group) || scoreParam === null || !/^\d{1,9}$/.test(scoreParam)) return { body: {} };
      const score = Number(scoreParam);
      const map = emulator.mapByUid(params.mapUid ?? '');
      const own = zoneOf(claims.sub);
      const fake = (position: number) => ({ accountId: claims.sub, zoneId: own.zoneId, zoneName: own.name, position, score });
      let top: unknown[];
      if (!map) top = [fake(1)];
      else {
        const position = positionOf(map, score);
        const lower = Math.min(1, Number(params.lower) || 0);
        const upper = Math.min(1, Number(params.upper) || 0);
        const entry = (p: number) => leaderboardEntry(map, p, false);
        top = [
          ...(lower && position > 1 ? [entry(position - 1)] : []),
          fake(position),
          ...(upper && position <= (map.records ?? 20_000) ? [{ ...entry(position), position: position + 1 }] : []),
        ];
      }
      return { body: { groupUid: group, mapUid: params.mapUid, tops: [{ zoneId: WORLD_ZONE_ID, zoneName: 'World', top }] } };
    }),
    route('position-by-time', 'POST', '/api/token/leaderboard/group/map', (request) => {
      const maps = (request.json as { maps?: unknown } | undefined)?.maps;
      if (!Array.isArray(maps)) return liveCodes(400, 'maps:error-required');
      if (maps.length > POSITION_BY_TIME_LIMIT) return liveCodes(400, 'maps:error-tooMany');
      const scores = new Map<string, number>();
      for (const [key, value] of request.query) {
        const match = /^scores\[([^\]]+)\]$/.exec(key);
        if (match?.[1] && /^\d{1,9}$/.test(value)) scores.set(match[1], Number(value));
      }
      const bodyUids = new Set(maps.map((m: { mapUid?: unknown }) => String(m?.mapUid)));
      // A map in the query that the body lacks: Nadeo may answer 500.
      for (const uid of scores.keys()) if (!bodyUids.has(uid)) return liveInternalError('InvalidArgumentException');
      const answer = maps.flatMap((entry: { mapUid?: unknown; groupUid?: unknown }) => {
        const map = emulator.mapByUid(String(entry?.mapUid));
        const group = String(entry?.groupUid);
        const score = scores.get(String(entry?.mapUid));
        if (!map || !validGroup(group) || score === undefined) return [];
        return [
          {
            groupUid: group,
            mapUid: map.uid,
            score,
            zones: [{ zoneId: WORLD_ZONE_ID, zoneName: 'World', ranking: { position: positionOf(map, score), length: 0 } }],
          },
        ];
      });
      return { body: answer };
    }),
    route('player-club-record', 'GET', '/api/token/leaderboard/group/:groupUid/map/:mapUid/club/:clubId', (_request, params, claims) => {
      if (claims.usg === 'Server') return liveCodes(403, 'club_Join:error-notAllowed');
      const club = emulator.clubs.find((c) => String(c.id) === params.clubId);
      if (!club || !club.members.includes(claims.sub)) return liveCodes(403, 'clubMemberRole:error-notMember');
      const map = emulator.mapByUid(params.mapUid ?? '');
      const group = params.groupUid ?? '';
      if (!map || !validGroup(group)) return { body: {} };
      const score = map.secretThreshold ? -1 : scoreAt(map, 40);
      return { body: { groupUid: group, mapUid: map.uid, score, clubId: club.id, position: 40 } };
    }),
    route('totds', 'GET', '/api/token/campaign/month', (request) => {
      const page = pageOf(request, 1, 100);
      if ('status' in page) return page;
      const now = emulator.now();
      const royal = boolParam(request, 'royal');
      // Tracks of the Day started in July 2020.
      const itemCount = (now.getUTCFullYear() - 2020) * 12 + now.getUTCMonth() - 5;
      const months = Array.from({ length: Math.max(0, Math.min(page.length, itemCount - page.offset)) }, (_, i) =>
        totdMonthJson(now, page.offset + i, emulator.maps, royal),
      );
      const next = Math.floor(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + (now.getUTCHours() >= 17 ? 1 : 0), 17) / 1000);
      return { body: { monthList: months, itemCount, nextRequestTimestamp: next, relativeNextRequest: next - nowSeconds() } };
    }),
    route('campaigns-official', 'GET', '/api/campaign/official', (request) => {
      const page = pageOf(request, 1, 100);
      if ('status' in page) return page;
      const now = emulator.now();
      const current = (now.getUTCFullYear() - 2020) * 4 + Math.floor(now.getUTCMonth() / 3);
      const itemCount = current - 2; // the first season was Summer 2020
      const campaigns = Array.from({ length: Math.max(0, Math.min(page.length, itemCount - page.offset)) }, (_, i) => {
        const season = current - page.offset - i;
        const start = Math.floor(Date.UTC(2020 + Math.floor(season / 4), (season % 4) * 3, 1, 15) / 1000);
        const maps = Array.from({ length: 25 }, (_, m) => emulator.maps[(season * 25 + m) % emulator.maps.length]!);
        return officialCampaignJson(60_000 + season, `${SEASONS[season % 4]} ${2020 + Math.floor(season / 4)}`, 0, maps, start, start + 92 * DAY);
      });
      const next = Number(campaigns[0]?.endTimestamp ?? nowSeconds());
      return { body: { itemCount, campaignList: campaigns, nextRequestTimestamp: next, relativeNextRequest: next - nowSeconds() } };
    }),
    route('weekly-shorts', 'GET', '/api/campaign/weekly-shorts', (request) => {
      const page = pageOf(request, 1, 100);
      if ('status' in page) return page;
      const weeks = Math.floor((nowSeconds() - 1_734_282_000) / (7 * DAY)) + 1; // the first week started 2024-12-15
      const campaigns = Array.from({ length: Math.max(0, Math.min(page.length, weeks - page.offset)) }, (_, i) => {
        const week = weeks - page.offset - i;
        const start = 1_734_282_000 + (week - 1) * 7 * DAY;
        const maps = Array.from({ length: 5 }, (_, m) => emulator.maps[(week * 5 + m) % emulator.maps.length]!);
        return officialCampaignJson(83_000 + week, `Week ${week}`, 5, maps, start, start + 7 * DAY, week, new Date(start * 1000).getUTCFullYear());
      });
      const next = Number(campaigns[0]?.endTimestamp ?? nowSeconds());
      return { body: { itemCount: weeks, campaignList: campaigns, nextRequestTimestamp: next, relativeNextRequest: next - nowSeconds() } };
    }),
    // Before `club/:clubId`, which `campaign` would match too.
    route('club-campaigns', 'GET', '/api/token/club/campaign', (request) => {
      const page = pageOf(request, 10, CLUB_PAGE);
      if ('status' in page) return page;
      const name = (request.query.get('name') ?? '').toLowerCase();
      const all = emulator.clubCampaigns().filter((c) => !name || String(c.name).toLowerCase().includes(name));
      const list = all.slice(page.offset, page.offset + page.length);
      return { body: { clubCampaignList: list, maxPage: Math.max(1, Math.ceil(all.length / Math.max(1, page.length))), itemCount: all.length } };
    }),
    route('club-campaign', 'GET', '/api/token/club/:clubId/campaign/:campaignId', (_request, params) => {
      const campaign = emulator.clubCampaigns().find((c) => String(c.clubId) === params.clubId && String(c.campaignId) === params.campaignId);
      return campaign ? { body: campaign } : liveCodes(404, 'activity:error-notFound');
    }),
    route('club-members', 'GET', '/api/token/club/:clubId/member', (request, params) => {
      const page = pageOf(request, 10, CLUB_PAGE);
      if ('status' in page) return page;
      const club = emulator.clubs.find((c) => String(c.id) === params.clubId);
      const members = club ? club.members.map((accountId, i) => clubMemberJson(club, accountId, i)) : [];
      return {
        body: {
          clubMemberList: members.slice(page.offset, page.offset + page.length),
          maxPage: Math.max(1, Math.ceil(members.length / Math.max(1, page.length))),
          itemCount: members.length,
        },
      };
    }),
    route('club', 'GET', '/api/token/club/:clubId', (_request, params) => {
      const club = emulator.clubs.find((c) => String(c.id) === params.clubId);
      return club ? { body: clubJson(club) } : liveCodes(404, 'club:error-notFound');
    }),
    route('clubs', 'GET', '/api/token/club', (request) => {
      const page = pageOf(request, 10, CLUB_PAGE);
      if ('status' in page) return page;
      const name = (request.query.get('name') ?? '').toLowerCase();
      const all = emulator.clubs.filter((c) => !name || c.name.toLowerCase().includes(name));
      return {
        body: {
          clubList: all.slice(page.offset, page.offset + page.length).map(clubJson),
          maxPage: Math.max(1, Math.ceil(all.length / Math.max(1, page.length))),
          clubCount: all.length,
        },
      };
    }),
  ];
}

/** The club campaigns the emulator serves: one per club, on the first maps. */
export function sampleClubCampaigns(emulator: Pick<NadeoEmulator, 'clubs' | 'maps'>): Array<Record<string, unknown>> {
  return emulator.clubs.map((club, i) =>
    clubCampaignJson(
      club,
      55_779 + i,
      club.id === 150 ? 'SNOW DISCOVERY' : `${club.tag.replace(/\$./g, '').trim() || 'Club'} Campaign`,
      emulator.maps.slice(i, i + 5),
    ),
  );
}
