// Core (prod.trackmania.core.nadeo.online) data routes of the Nadeo emulator, NadeoServices tokens.
import type { NadeoEmulator } from './nadeo';
import { coreMapJson, mapRecordJson, zoneJson, zoneOf } from './nadeo-data';
import { UUID, coreError, coreValidationError, listParam, uriTooLong } from './nadeo-replies';
import type { RecordedRequest, Reply, Route } from './server';

/** Core's data routes: maps by UID and by id, records, zones and players' zones. */
export function coreRoutes(emulator: NadeoEmulator, fault: (status: number) => unknown): Route[] {
  // Every route: the token first (401), then the URI length (414), then the route's own checks.
  const route = (
    endpoint: string,
    path: string,
    handle: (request: RecordedRequest, params: Record<string, string>) => Reply,
    options: { serviceOnly?: boolean } = {},
  ): Route => ({
    endpoint,
    method: 'GET',
    path,
    faultBody: fault,
    handler: ({ request, params }) => {
      const auth = emulator.authenticate(request, 'NadeoServices');
      if ('reply' in auth) return auth.reply;
      if (options.serviceOnly && auth.claims.usg === 'Server')
        return coreError(401, 'C-AA-00-01', 'Unauthorized: dedicated server accounts cannot use this endpoint.');
      return uriTooLong(request) ?? handle(request, params);
    },
  });
  const ids = (request: RecordedRequest, name: string): string[] | Reply => {
    const list = listParam(request, name);
    if (list.length === 0) return coreValidationError(name, 'This value should not be blank.');
    if (!list.every((id) => UUID.test(id))) return coreValidationError(name, name.startsWith('account') ? 'Invalid account id.' : 'Invalid uuid.');
    return list.map((id) => id.toLowerCase());
  };

  return [
    route('maps-by-uid', '/maps/by-uid/', (request) => {
      const uids = listParam(request, 'mapUidList');
      if (uids.length === 0) return coreValidationError('mapUidList', 'This value should not be blank.');
      return { body: uids.flatMap((uid) => emulator.mapByUid(uid) ?? []).map(coreMapJson) };
    }),
    route('maps-by-id', '/maps/by-id/', (request) => {
      const list = ids(request, 'mapIdList');
      if (!Array.isArray(list)) return list;
      return { body: list.flatMap((id) => emulator.mapById(id) ?? []).map(coreMapJson) };
    }),
    route('map-records-by-account', '/v2/mapRecords/by-account/', (request) => {
      const accounts = ids(request, 'accountIdList');
      if (!Array.isArray(accounts)) return accounts;
      const mapId = request.query.get('mapId') ?? '';
      if (!UUID.test(mapId)) return coreValidationError('mapId', 'Invalid uuid.');
      const map = emulator.mapById(mapId);
      if (!map) return coreError(404, 'C-AL-02-03', 'Not Found');
      const seasonId = request.query.get('seasonId');
      return { body: emulator.noteRecords(accounts.map((a) => mapRecordJson(map, a, seasonId ? { scopeId: seasonId, scopeType: 'Season' } : undefined))) };
    }),
    route(
      'account-records',
      '/v2/accounts/:accountId/mapRecords',
      (request, params) => {
        const auth = emulator.authenticate(request, 'NadeoServices');
        if ('reply' in auth) return auth.reply;
        if ((params.accountId ?? '').toLowerCase() !== auth.claims.sub.toLowerCase()) return coreError(403, 'C-AA-00-19', 'Forbidden.');
        const mapIds = listParam(request, 'mapIdList');
        const seasonIds = listParam(request, 'seasonIdList');
        if (mapIds.length > 0) {
          return { body: emulator.noteRecords(mapIds.flatMap((id) => emulator.mapById(id) ?? []).map((m) => mapRecordJson(m, auth.claims.sub))) };
        }
        // A season's records: the first maps of the emulator, scoped to that season.
        return {
          body: emulator.noteRecords(
            seasonIds.flatMap((season) => emulator.maps.slice(0, 5).map((m) => mapRecordJson(m, auth.claims.sub, { scopeId: season, scopeType: 'Season' }))),
          ),
        };
      },
      { serviceOnly: true },
    ),
    route('map-record', '/mapRecords/:mapRecordId', (_request, params) => {
      const id = (params.mapRecordId ?? '').toLowerCase();
      if (!UUID.test(id)) return coreValidationError('mapRecordId', 'Invalid uuid.');
      const record = emulator.mapRecord(id);
      return record ? { body: record } : coreError(404, 'C-AL-02-03', 'Not Found');
    }),
    route('zones', '/zones/', () => ({ body: emulator.zones.map(zoneJson) })),
    route(
      'player-zones',
      '/accounts/zones/',
      (request) => {
        const accounts = ids(request, 'accountIdList');
        if (!Array.isArray(accounts)) return accounts;
        return { body: accounts.map((accountId) => ({ accountId, timestamp: '2022-08-25T14:29:23+00:00', zoneId: zoneOf(accountId).zoneId })) };
      },
      { serviceOnly: true },
    ),
  ];
}
