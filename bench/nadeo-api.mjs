// nadeo-api's batching, coalescing and caches against the Nadeo emulator: how many requests reach it for lookups of
// many ids (the documented limits: 100 map UIDs, 50 display names a request), for many concurrent callers, and for
// a lookup already cached. `node bench/nadeo-api.mjs` runs it alone (after `npm run build`).
import { pathToFileURL } from 'node:url';
import { load } from './providers.mjs';
import { fmt, table } from './lib.mjs';

const CALLERS = 1000;

async function timed(fn) {
  const started = process.hrtime.bigint();
  const result = await fn();
  return { result, ms: Number(process.hrtime.bigint() - started) / 1e6 };
}

/** Random ids of an account's shape, for display names the emulator does not know (they still cost requests). */
const accountId = (i) => `${i.toString(16).padStart(8, '0')}-0000-4000-8000-${i.toString(16).padStart(12, '0')}`;

/** Each scenario: its goal, the requests it made, and the time until every caller had its answer. */
export async function benchNadeoApi() {
  const emulators = load('@maniapass/emulators');
  const { NadeoAPI } = load('nadeo-api');
  const trackmania = await emulators.startTrackmaniaEmulator();
  const nadeo = await emulators.startNadeoEmulator({ oauthURL: trackmania.url });
  const service = emulators.DEFAULT_SERVICE_ACCOUNT;
  // No spacing between requests here (minInterval 0): the figures are request counts, not Nadeo's pace.
  const api = () =>
    new NadeoAPI({
      ...nadeo.clientOptions(),
      account: { login: service.login, password: service.password },
      oauth: { identifier: emulators.DEFAULT_CLIENT.clientId, secret: emulators.DEFAULT_CLIENT.clientSecret },
      userAgent: 'maniapass-bench / bench@example.com',
      minInterval: 0,
    });
  const count = (server, endpoint) => server.requestsTo(endpoint).length;
  const uids = emulators.generatedNadeoMaps(1000).map((m) => m.uid);
  const rows = [];
  const measure = async (scenario, goal, server, endpoint, run) => {
    const before = count(server, endpoint);
    const { ms } = await timed(run);
    const requests = count(server, endpoint) - before;
    rows.push({ scenario, goal, requests, ms });
  };
  try {
    // Tokens first, so that the figures count data requests only.
    await api().client.token('live');
    const maps = api();
    await measure('1,000 map UIDs, one call (Live map/get-multiple)', 'at most 10', nadeo.live, 'map-info-multiple', () => maps.getMapsInfo(uids));
    await measure('the same 1,000 map UIDs again (cached)', '0', nadeo.live, 'map-info-multiple', () => maps.getMapsInfo(uids));
    const names = api();
    const ids = Array.from({ length: 1000 }, (_, i) => accountId(i));
    await measure('1,000 display names, one call (api.trackmania.com)', 'at most 20', trackmania, 'display-names', () => names.getDisplayNames(ids));
    await measure('the same 1,000 display names again (cached)', '0', trackmania, 'display-names', () => names.getDisplayNames(ids));
    const shared = api();
    const same = uids.slice(0, 50);
    await measure(`${CALLERS} concurrent lookups of the same 50 map UIDs`, '1 (one batch)', nadeo.live, 'map-info-multiple', () =>
      Promise.all(Array.from({ length: CALLERS }, () => shared.getMapsInfo(same))),
    );
    const overlapping = api();
    await measure(`${CALLERS} concurrent lookups of 50 UIDs each, drawn from 1,000`, '10 (one per batch of 100)', nadeo.live, 'map-info-multiple', () =>
      Promise.all(Array.from({ length: CALLERS }, (_, i) => overlapping.getMapsInfo(Array.from({ length: 50 }, (_, j) => uids[(i * 7 + j * 13) % 1000])))),
    );
  } finally {
    await nadeo.close();
    await trackmania.close();
  }
  return rows;
}

/** The table of `benchNadeoApi()`'s rows. */
export function nadeoApiTable(rows) {
  return table(
    ['scenario', 'goal (requests)', 'requests', 'time to serve all'],
    rows.map((r) => [r.scenario, r.goal, `**${r.requests}**`, fmt.ms(r.ms)]),
  );
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const rows = await benchNadeoApi();
  process.stdout.write(`${nadeoApiTable(rows)}\n`);
}
