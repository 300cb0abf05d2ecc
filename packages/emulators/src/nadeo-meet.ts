// Meet (meet.trackmania.nadeo.club) routes of the Nadeo emulator, NadeoLiveServices tokens: Cup of the Day,
// competitions, challenges, matchmaking.
import type { NadeoEmulator } from './nadeo';
import { uuidFrom, zonePathOf, hashNumber } from './nadeo-data';
import { UUID, intParam, liveCodes, uriTooLong } from './nadeo-replies';
import type { RecordedRequest, Reply, Route } from './server';

/** Entries a competitions, challenge leaderboard or matchmaking request returns at most. */
export const MEET_PAGE = 100;
/** Entries a competition leaderboard request returns at most. */
export const COMPETITION_LEADERBOARD_PAGE = 255;
/** Matchmaking types the emulator knows: 2 (3v3) and 5 (Royal). */
export const MATCHMAKING_TYPES: ReadonlyMap<number, number> = new Map([
  [2, 1_158_029],
  [5, 310_452],
]);

/** Meet's routes. */
export function meetRoutes(emulator: NadeoEmulator, fault: (status: number) => unknown): Route[] {
  const route = (endpoint: string, path: string, handle: (request: RecordedRequest, params: Record<string, string>) => Reply): Route => ({
    endpoint,
    method: 'GET',
    path,
    faultBody: fault,
    handler: ({ request, params }) => {
      const auth = emulator.authenticate(request, 'NadeoLiveServices');
      if ('reply' in auth) return auth.reply;
      return uriTooLong(request) ?? handle(request, params);
    },
  });
  const pageOf = (request: RecordedRequest, max: number): { length: number; offset: number } | (Reply & { status: number }) => {
    const length = intParam(request, 'length', 10);
    const offset = intParam(request, 'offset', 0);
    if (length === undefined || offset === undefined || length < 0 || offset < 0 || length > max)
      return { status: 400, body: { code: 'length', message: `length must be from 0 to ${max}` } };
    return { length, offset };
  };
  const competition = (id: string) => emulator.competitions().find((c) => String(c.id) === id || c.liveId === id);
  const notFound: Reply = { status: 404, body: { code: 'not-found', message: 'Competition not found' } };

  return [
    route('cup-of-the-day', '/api/cup-of-the-day/current', () => (emulator.cupOfTheDay === null ? { status: 204 } : { body: emulator.cupOfTheDay })),
    route('competitions', '/api/competitions', (request) => {
      const page = pageOf(request, MEET_PAGE);
      if ('status' in page) return page;
      return { body: emulator.competitions().slice(page.offset, page.offset + page.length) };
    }),
    route('competition', '/api/competitions/:competitionId', (_request, params) => {
      const found = competition(params.competitionId ?? '');
      return found ? { body: found } : notFound;
    }),
    route('competition-rounds', '/api/competitions/:competitionId/rounds', (_request, params) => {
      const found = competition(params.competitionId ?? '');
      if (!found) return notFound;
      const names = ['Quarter Finals', 'SemiFinals', 'FINAL'];
      return {
        body: names.map((name, position) => ({
          id: found.id * 3 + position,
          position,
          name,
          startDate: found.startDate + position * 2100,
          endDate: found.startDate + position * 2100 + 1800,
          lockDate: null,
          status: null,
          isLocked: false,
          autoNeedsMatches: true,
          matchScoreDirection: 'DESC',
          leaderboardComputeType: 'BRACKET',
          teamLeaderboardComputeType: null,
          deletedOn: null,
          nbMatches: 0,
          qualifierChallengeId: position === 0 ? found.id + 1000 : null,
          trainingChallengeId: null,
        })),
      };
    }),
    route('competition-leaderboard', '/api/competitions/:competitionId/leaderboard', (request, params) => {
      const found = competition(params.competitionId ?? '');
      if (!found) return notFound;
      const page = pageOf(request, COMPETITION_LEADERBOARD_PAGE);
      if ('status' in page) return page;
      const count = Math.max(0, Math.min(page.length, found.nbPlayers - page.offset));
      return {
        body: Array.from({ length: count }, (_, i) => {
          const rank = page.offset + i + 1;
          const participant = uuidFrom(`competition-${found.id}-${rank}`);
          return { participant, rank, score: Math.max(0, 2500 - rank), zone: zonePathOf(participant) };
        }),
      };
    }),
    route('challenge-leaderboard', '/api/challenges/:challengeId/leaderboard', (request, params) => {
      const page = pageOf(request, MEET_PAGE);
      if ('status' in page) return page;
      const challengeId = Number(params.challengeId);
      if (!Number.isSafeInteger(challengeId) || challengeId < 1) return { status: 404, body: { code: 'not-found', message: 'Challenge not found' } };
      const cardinal = 399;
      const results = Array.from({ length: Math.max(0, Math.min(page.length, cardinal - page.offset)) }, (_, i) => {
        const rank = page.offset + i + 1;
        const player = uuidFrom(`challenge-${challengeId}-${rank}`);
        return { points: 38_000 + rank * 50, player, score: 38_000 + rank * 50, rank, zone: zonePathOf(player) };
      });
      return { body: { challengeId, cardinal, scoreUnit: 'time', results } };
    }),
    route('matchmaking-rankings', '/api/matchmaking/:type/leaderboard', (request, params) => {
      const cardinal = MATCHMAKING_TYPES.get(Number(params.type));
      if (cardinal === undefined) return liveCodes(404, 'matchmaking:error-notFound');
      const page = pageOf(request, MEET_PAGE);
      if ('status' in page) return page;
      const results = Array.from({ length: Math.max(0, Math.min(page.length, cardinal - page.offset)) }, (_, i) => {
        const rank = page.offset + i + 1;
        return { player: uuidFrom(`mm-${params.type}-${rank}`), rank, score: Math.max(0, 4400 - Math.floor(rank / 10)) };
      });
      return { body: { matchmakingId: Number(params.type), cardinal, results } };
    }),
    route('player-ranks', '/api/matchmaking/:type/leaderboard/players', (request, params) => {
      const cardinal = MATCHMAKING_TYPES.get(Number(params.type));
      if (cardinal === undefined) return liveCodes(404, 'matchmaking:error-notFound');
      const players = request.query.getAll('players[]').filter((p) => UUID.test(p));
      const results = players.map((player) => {
        const rank = (hashNumber(`mm-rank-${params.type}-${player}`) % cardinal) + 1;
        return { player, rank, score: Math.max(0, 4400 - Math.floor(rank / 10)) };
      });
      return { body: { matchmakingId: Number(params.type), cardinal, results } };
    }),
  ];
}
