// Token helpers outside the login: application tokens fetched once, cached and shared.
import { startNadeoEmulator, DEFAULT_SERVICE_ACCOUNT, type NadeoEmulator } from '@maniapass/emulators';
import { CachedTokenSource, ProviderError } from '@maniapass/oauth2-core';
import { ProviderClient, type SharedStore } from '@maniapass/http';
import { LIVE_URL, MEET_URL, NadeoClient } from 'nadeo-auth';
import { NadeoAPI } from 'nadeo-api';
import { nadeoApiDemos } from './nadeo-demos';
import type { AppConfig } from './config';
import { nadeoEmulatorURLs } from './emulator-urls';
import type { ActiveProvider } from './providers';
import { appError, describeFailure, logLine } from './errors';
import type { DemoResult } from './views';

// Nadeo asks for a User-Agent naming the project and a contact; set NADEO_USER_AGENT to yours for real calls.
export const USER_AGENT = 'maniapass-example-app/0.1.0 (local example; https://github.com/maniapass)';

export interface DemoInput {
  /** Trackmania account ids to look up. */
  accountIds: string[];
}

export interface Demo {
  run(input: DemoInput): Promise<DemoResult>;
  /** The part of the input the result depends on (results are cached under it); default: all of it. */
  keyOf?(input: DemoInput): string;
  /** Account ids worth looking up by default (the emulator's sample users). */
  sampleAccountIds?: string[];
}

export const MAX_IDS = 50; // the API's own limit per request

/**
 * `GET /api/display-names` of the Trackmania API with a client-credentials token from
 * `strategy.clientCredentialsSource()`: one token for the whole app, renewed shortly before it expires. With a
 * shared store (Redis), one token for every process of the app.
 */
export function trackmaniaDisplayNames(provider: ActiveProvider, shared?: SharedStore): Demo {
  const source = shared
    ? new CachedTokenSource(() => provider.strategy.clientCredentials(), { shared: { store: shared, key: 'example-app:trackmania:client-credentials' } })
    : provider.strategy.clientCredentialsSource();
  const client = new ProviderClient({ provider: 'trackmania', timeout: 10_000, userAgent: USER_AGENT });
  const endpoint = new URL('/api/display-names', provider.strategy.userProfileURL).toString();

  const lookup = async (ids: string[]): Promise<unknown> => {
    const url = new URL(endpoint);
    for (const id of ids) url.searchParams.append('accountId[]', id);
    for (let attempt = 0; ; attempt++) {
      const token = await source.get();
      try {
        return (await client.json<Record<string, string>>({ url: url.toString(), accessToken: token.accessToken })).json;
      } catch (err) {
        // A token the API no longer accepts (revoked, clock skew): forget it and try once with a new one.
        if (attempt === 0 && err instanceof ProviderError && err.upstreamStatus === 401) {
          source.invalidate();
          continue;
        }
        throw err;
      }
    }
  };

  return {
    sampleAccountIds: provider.emulated ? (provider.emulator?.users ?? provider.entry.emulatorSpec.sampleUsers).slice(0, 2).map((u) => u.id) : undefined,
    async run({ accountIds }) {
      const result = { title: 'Trackmania display names (client-credentials token)', target: `GET ${endpoint}`, emulated: provider.emulated };
      const ids = [...new Set(accountIds)].slice(0, MAX_IDS);
      if (ids.length === 0) return { ...result, ok: false, output: 'Give at least one account id.' };
      try {
        return { ...result, ok: true, output: await lookup(ids) };
      } catch (err) {
        return { ...result, ok: false, output: describeFailure(err).message, error: err };
      }
    },
  };
}

/**
 * A Nadeo web-services call with `nadeo-auth`: the Meet API's current Cup of the Day, which needs a
 * `NadeoLiveServices` token. The client picks the audience from the URL's host, gets the token with the account's
 * Basic credentials on first use and refreshes it before it expires.
 */
export function nadeoCupOfTheDay(client: NadeoClient, meetURL: string, emulated: boolean): Demo {
  const url = `${meetURL}/api/cup-of-the-day/current`;
  return {
    keyOf: () => '',
    async run() {
      const result = { title: 'Nadeo Meet: current Cup of the Day (nadeo-auth, NadeoLiveServices token)', target: `GET ${url}`, emulated };
      try {
        const cup = await client.get(url);
        return { ...result, ok: true, output: cup ?? 'No Cup of the Day right now (204 No Content).' };
      } catch (err) {
        return { ...result, ok: false, output: describeFailure(err).message, error: err };
      }
    },
  };
}

export interface DemoRunnerOptions {
  /** How long a result (success or failure) is shown again before its demonstration runs anew. */
  cacheMs: number;
  /** Requests running demonstrations at once; past it, the runner answers a 503 at once (no queue). */
  concurrency: number;
  /** Results kept; the oldest go first. Default 100. */
  maxEntries?: number;
  /** Where a failed run's error goes (once per run, not per page shown). Default: nowhere. */
  log?: (line: string) => void;
}

/**
 * Runs the demonstrations for the `/demo` page so that visitors cannot multiply provider calls: a result is
 * cached for `cacheMs` under the input it depends on, concurrent requests for the same input share one run, and
 * at most `concurrency` requests start runs at a time; one more is refused with a 503 rather than queued.
 */
export function demoRunner(demos: readonly Demo[], options: DemoRunnerOptions): (input: DemoInput) => Promise<DemoResult[]> {
  const maxEntries = options.maxEntries ?? 100;
  // One entry per demonstration and input; `until` stays Infinity while its run is in flight.
  const cache = new Map<string, { until: number; result: Promise<DemoResult> }>();
  let busy = 0;

  const start = (demo: Demo, key: string, input: DemoInput): Promise<DemoResult> => {
    const entry = { until: Infinity, result: Promise.resolve().then(() => demo.run(input)) };
    entry.result.then(
      (result) => {
        entry.until = Date.now() + options.cacheMs;
        // The visitor sees a fixed message; the provider's text (masked) goes to the server log.
        if (result.error !== undefined) options.log?.(logLine('GET /demo', result.error));
      },
      () => cache.get(key) === entry && cache.delete(key),
    );
    cache.delete(key);
    cache.set(key, entry);
    for (const oldest of cache.keys()) {
      if (cache.size <= maxEntries) break;
      cache.delete(oldest);
    }
    return entry.result;
  };

  return (input) => {
    const now = Date.now();
    const keys = demos.map((demo, i) => `${i}:${demo.keyOf ? demo.keyOf(input) : JSON.stringify(input)}`);
    const cached = keys.map((key) => {
      const hit = cache.get(key);
      return hit && hit.until > now ? hit.result : undefined;
    });
    if (cached.every((hit) => hit !== undefined)) return Promise.all(cached as Array<Promise<DemoResult>>);
    if (busy >= options.concurrency) {
      return Promise.reject(appError(503, 'The token helpers are busy', 'Too many lookups are running right now. Try again in a few seconds.'));
    }
    busy += 1;
    const all = Promise.all(demos.map((demo, i) => cached[i] ?? start(demo, keys[i]!, input)));
    const release = (): void => {
      busy -= 1;
    };
    all.then(release, release);
    return all;
  };
}

/**
 * Every token-helper demonstration, with what they need: a Nadeo account from the environment, else the Nadeo
 * emulator (of EMULATORS_URL, or started here on loopback and closed by `close()`). With `shared` (Redis), the
 * client-credentials token and nadeo-auth's tokens, spacing and hold-offs are shared by every process of the app.
 */
export async function startDemos(
  config: Pick<AppConfig, 'nadeo'> & Partial<Pick<AppConfig, 'emulatorsURL' | 'credentials'>>,
  providers: readonly ActiveProvider[],
  shared?: SharedStore,
): Promise<{ demos: Demo[]; summary: string[]; close(): Promise<void> }> {
  const demos: Demo[] = [];
  const trackmania = providers.find((p) => p.entry.name === 'trackmania');
  if (trackmania) demos.push(trackmaniaDisplayNames(trackmania, shared));

  let emulator: NadeoEmulator | undefined;
  let emulated: { coreURL: string; meetURL: string } | undefined;
  const sharing = shared ? { shared } : {};
  // Display names for nadeo-api come from the Trackmania application's credentials when there are real ones; on the
  // emulators, the leaderboard's generated accounts have no names and the page shows their ids.
  const app = config.credentials?.trackmania;
  const oauth = app && { identifier: app.clientID, secret: app.clientSecret };
  if (config.nadeo) {
    const { login, password, userAgent } = config.nadeo;
    const client = new NadeoClient({ account: { login, password }, ...(oauth ? { oauth } : {}), userAgent, ...sharing });
    demos.push(
      nadeoCupOfTheDay(client, MEET_URL, false),
      ...nadeoApiDemos(new NadeoAPI({ client, ...(shared ? { cacheStore: shared } : {}) }), LIVE_URL, false),
    );
  } else {
    if (!config.emulatorsURL) emulator = await startNadeoEmulator();
    const urls = emulator ? emulator.clientOptions() : nadeoEmulatorURLs(config.emulatorsURL!);
    emulated = urls;
    const client = new NadeoClient({
      ...urls,
      account: { login: DEFAULT_SERVICE_ACCOUNT.login, password: DEFAULT_SERVICE_ACCOUNT.password },
      userAgent: USER_AGENT,
      ...sharing,
    });
    demos.push(
      nadeoCupOfTheDay(client, urls.meetURL, true),
      ...nadeoApiDemos(new NadeoAPI({ client, ...urls, ...(shared ? { cacheStore: shared } : {}) }), urls.liveURL, true),
    );
  }
  return {
    demos,
    summary: [`${'Nadeo'.padEnd(12)} ${emulated ? `emulated at ${emulated.coreURL} (Core), ${emulated.meetURL} (Meet)` : 'real endpoints'}`],
    close: async () => {
      await emulator?.close();
    },
  };
}
