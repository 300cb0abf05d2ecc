// nadeo-api on the token page: today's Track of the Day and its leaderboard, names in their colours (safe HTML).
import { NadeoAPI, formattingToHtml, type LeaderboardRecord, type TrackOfTheDay } from 'nadeo-api';
import type { Demo } from './demos';
import { esc } from './views';

/** Milliseconds as a race time: `1:02.345`. */
export function raceTime(ms: number | null): string {
  if (ms === null) return 'hidden';
  const minutes = Math.floor(ms / 60_000);
  const seconds = ((ms % 60_000) / 1000).toFixed(3).padStart(6, '0');
  return minutes ? `${minutes}:${seconds}` : seconds.replace(/^0(?=\d)/, '');
}

/** A name with `$` formatting codes, in its colours, on a dark chip so that white and pale names stay readable. */
const formatted = (name: string): string => `<span class="formatted">${formattingToHtml(name)}</span>`;

/** The Track of the Day of today: the latest day of this month that has started. */
async function latestTotd(api: NadeoAPI): Promise<TrackOfTheDay | undefined> {
  const { monthList } = await api.getTotds({ length: 1 });
  const days = monthList[0]?.days ?? [];
  return [...days].reverse().find((d) => d.relativeStart <= 0) ?? days[days.length - 1];
}

/** Display names when the app has an api.trackmania.com application; account ids otherwise. */
async function namesOf(api: NadeoAPI, ids: string[]): Promise<Map<string, string>> {
  try {
    return await api.getDisplayNames(ids);
  } catch {
    return new Map();
  }
}

/**
 * Two demonstrations of nadeo-api: the Track of the Day (Live `campaign/month`, then map info) and the top 10 of its
 * leaderboard (Live `leaderboard/.../top`, then display names through the public API), each shown as a small table.
 */
export function nadeoApiDemos(api: NadeoAPI, liveURL: string, emulated: boolean): Demo[] {
  const totd: Demo = {
    keyOf: () => '',
    async run() {
      const result = {
        title: 'Nadeo Live: Track of the Day (nadeo-api, NadeoLiveServices token)',
        target: `GET ${liveURL}/api/token/campaign/month`,
        emulated,
      };
      try {
        const day = await latestTotd(api);
        const map = day && (await api.getMapInfo(day.mapUid));
        if (!day || !map) return { ...result, ok: true, output: 'No Track of the Day this month.' };
        const author = (await namesOf(api, [map.author])).get(map.author) ?? map.author;
        const rows: Array<[string, string]> = [
          ['date', esc(new Date(day.startTimestamp * 1000).toISOString().slice(0, 10))],
          ['map', formatted(map.name)],
          ['author', esc(author)],
          ['author medal', esc(raceTime(map.authorTime))],
          ['gold medal', esc(raceTime(map.goldTime))],
          ['map UID', `<code>${esc(map.uid)}</code>`],
        ];
        const html = `<dl id="totd">${rows.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${v}</dd>`).join('')}</dl>`;
        return { ...result, ok: true, output: { mapUid: map.uid, name: map.name }, html };
      } catch (err) {
        return { ...result, ok: false, output: err instanceof Error ? err.message : 'The call failed.' };
      }
    },
  };
  const leaderboard: Demo = {
    keyOf: () => '',
    async run() {
      const result = {
        title: 'Nadeo Live: leaderboard of the Track of the Day, top 10 (nadeo-api)',
        target: `GET ${liveURL}/api/token/leaderboard/group/Personal_Best/map/…/top`,
        emulated,
      };
      try {
        const day = await latestTotd(api);
        if (!day) return { ...result, ok: true, output: 'No Track of the Day this month.' };
        const [board, map] = await Promise.all([api.getLeaderboardTop({ mapUid: day.mapUid, length: 10 }), api.getMapInfo(day.mapUid)]);
        const top: LeaderboardRecord[] = board?.tops[0]?.top ?? [];
        const names = await namesOf(
          api,
          top.map((r) => r.accountId),
        );
        const rows = top
          .map(
            (r) =>
              `<tr><td>${r.position}</td><td>${esc(names.get(r.accountId) ?? r.accountId)}</td><td>${esc(r.zoneName)}</td><td>${esc(raceTime(r.score))}</td></tr>`,
          )
          .join('');
        const html = `<p>${map ? formatted(map.name) : `<code>${esc(day.mapUid)}</code>`}</p>
<table id="leaderboard"><thead><tr><th>#</th><th>player</th><th>zone</th><th>time</th></tr></thead><tbody>${rows}</tbody></table>`;
        return { ...result, ok: true, output: { mapUid: day.mapUid, records: top.length }, html };
      } catch (err) {
        return { ...result, ok: false, output: err instanceof Error ? err.message : 'The call failed.' };
      }
    },
  };
  return [totd, leaderboard];
}
