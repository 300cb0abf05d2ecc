import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  DEFAULT_CLIENT,
  DEFAULT_DEDICATED_ACCOUNT,
  DEFAULT_SERVICE_ACCOUNT,
  startNadeoEmulator,
  startTrackmaniaEmulator,
  type NadeoEmulator,
  type TrackmaniaEmulator,
} from '@maniapass/emulators';
import { NadeoAPI, type NadeoAPIOptions } from '../src';

export const USER_AGENT = 'nadeo-api tests / maniapass@example.com';
export const TOO_INFINITE = '5b4d42f4-c2de-407d-b367-cbff3fe817bc';
export const WIRTUAL = 'd2372a08-a8a1-46cb-97fb-23a161d85ad0';

/** The Nadeo emulator, with a Trackmania emulator for display names. */
export interface Emulators {
  nadeo: NadeoEmulator;
  trackmania: TrackmaniaEmulator;
  /** A `NadeoAPI` on them: the service account (or the dedicated one), no spacing between requests. */
  api(options?: Partial<NadeoAPIOptions> & { dedicated?: boolean }): NadeoAPI;
  /** Requests the data hosts received (token requests excluded). */
  dataRequests(): number;
  close(): Promise<void>;
}

export async function startEmulators(): Promise<Emulators> {
  const trackmania = await startTrackmaniaEmulator();
  const nadeo = await startNadeoEmulator({ oauthURL: trackmania.url });
  return {
    nadeo,
    trackmania,
    api: ({ dedicated, ...options } = {}) => {
      const account = dedicated ? DEFAULT_DEDICATED_ACCOUNT : DEFAULT_SERVICE_ACCOUNT;
      return new NadeoAPI({
        ...nadeo.clientOptions(),
        account: { login: account.login, password: account.password, kind: account.kind },
        oauth: { identifier: DEFAULT_CLIENT.clientId, secret: DEFAULT_CLIENT.clientSecret },
        userAgent: USER_AGENT,
        minInterval: 0,
        ...options,
      });
    },
    dataRequests: () =>
      [nadeo.core, nadeo.live, nadeo.meet].reduce((sum, server) => sum + server.requests.filter((r) => !r.endpoint.startsWith('token-')).length, 0) +
      trackmania.requests.filter((r) => r.endpoint === 'display-names' || r.endpoint === 'account-ids').length,
    close: async () => {
      await nadeo.close();
      await trackmania.close();
    },
  };
}

/** A documented example answer (test/fixtures/docs). */
export function documented(name: string): unknown {
  return JSON.parse(readFileSync(join(__dirname, 'fixtures', 'docs', `${name}.json`), 'utf8'));
}

const kind = (value: unknown): string => (value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value);
// Fields the reference's examples show both with a value and as `null` (another entry, another page).
const NULLABLE = new Set([
  'scopeId',
  'description',
  'activityId',
  'clubId',
  'registrationStart',
  'registrationEnd',
  'rulesUrl',
  'logoUrl',
  'qualifierChallengeId',
  'matchesGenerationDate',
  'region',
]);
// Fields an entry may lack: the world zone has no parent.
const OPTIONAL = new Set(['parentId']);

/**
 * Where `actual` departs from the documented example's shape: every key of a documented object present, with a
 * value of the same JSON type (a documented `null` allows any, and `null` is allowed where the reference shows it
 * elsewhere), arrays compared element by element with the documented first element. An empty list means the shapes
 * agree.
 */
export function shapeDifferences(doc: unknown, actual: unknown, path = '$'): string[] {
  if (doc === null || (actual === null && NULLABLE.has(path.slice(path.lastIndexOf('.') + 1)))) return [];
  if (kind(doc) !== kind(actual)) return [`${path}: documented ${kind(doc)}, got ${kind(actual)}`];
  if (Array.isArray(doc)) {
    const sample = doc[0];
    if (sample === undefined) return [];
    return (actual as unknown[]).slice(0, 5).flatMap((item, i) => shapeDifferences(sample, item, `${path}[${i}]`));
  }
  if (doc && typeof doc === 'object') {
    return Object.entries(doc).flatMap(([key, value]) =>
      Object.prototype.hasOwnProperty.call(actual, key)
        ? shapeDifferences(value, (actual as Record<string, unknown>)[key], `${path}.${key}`)
        : OPTIONAL.has(key)
          ? []
          : [`${path}.${key}: missing`],
    );
  }
  return [];
}
