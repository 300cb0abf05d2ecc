// Token helpers outside the login: application tokens fetched once, cached and shared.
import { ProviderClient, ProviderError } from '@maniapass/oauth2-core';
import type { AppConfig } from './config';
import type { ActiveProvider } from './providers';
import type { DemoResult } from './views';

export const USER_AGENT = 'maniapass-example-app/0.1.0 (+https://github.com/maniapass)';

export interface DemoInput {
  /** Trackmania account ids to look up. */
  accountIds: string[];
}

export interface Demo {
  run(input: DemoInput): Promise<DemoResult>;
  /** Account ids worth looking up by default (the emulator's sample users). */
  sampleAccountIds?: string[];
}

const MAX_IDS = 50; // the API's own limit per request

/**
 * `GET /api/display-names` of the Trackmania API with a client-credentials token from
 * `strategy.clientCredentialsSource()`: one token for the whole app, renewed shortly before it expires.
 */
export function trackmaniaDisplayNames(provider: ActiveProvider): Demo {
  const source = provider.strategy.clientCredentialsSource();
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
        if (attempt === 0 && err instanceof ProviderError && err.status === 401) {
          source.invalidate();
          continue;
        }
        throw err;
      }
    }
  };

  return {
    sampleAccountIds: provider.emulator ? provider.emulator.users.slice(0, 2).map((u) => u.id) : undefined,
    async run({ accountIds }) {
      const result = { title: 'Trackmania display names (client-credentials token)', target: `GET ${endpoint}`, emulated: provider.emulated };
      const ids = [...new Set(accountIds)].slice(0, MAX_IDS);
      if (ids.length === 0) return { ...result, ok: false, output: 'Give at least one account id.' };
      try {
        return { ...result, ok: true, output: await lookup(ids) };
      } catch (err) {
        return { ...result, ok: false, output: err instanceof Error ? err.message : 'The lookup failed.' };
      }
    },
  };
}

/** Every token-helper demonstration, with whatever they start (the Nadeo emulator). */
export async function startDemos(_config: AppConfig, providers: readonly ActiveProvider[]): Promise<{ demos: Demo[]; summary: string[]; close(): Promise<void> }> {
  const demos: Demo[] = [];
  const trackmania = providers.find((p) => p.entry.name === 'trackmania');
  if (trackmania) demos.push(trackmaniaDisplayNames(trackmania));
  return { demos, summary: [], close: async () => {} };
}
