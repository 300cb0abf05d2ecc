import type { OAuthProviderDefinition } from './definition';
import { maniaplanet } from './maniaplanet/definition';
import { toornament } from './toornament/definition';
import { trackmage } from './trackmage/definition';
import { trackmania } from './trackmania/definition';

/**
 * Every OAuth provider of the collection, in one list: the tests, the compatibility suite, the framework apps, the
 * benchmarks and the package check enumerate providers from here. Adding a provider is one entry here.
 */
export const PROVIDERS = [trackmania, maniaplanet, trackmage, toornament] as const;

/** The id of a provider in `PROVIDERS`: `'trackmania' | 'maniaplanet' | 'trackmage' | 'toornament'`. */
export type ProviderId = (typeof PROVIDERS)[number]['id'];

/** Whether a value is the id of a provider in `PROVIDERS`. */
export function isProviderId(value: unknown): value is ProviderId {
  return PROVIDERS.some((p) => p.id === value);
}

/** The definition of a provider by id; throws a `TypeError` listing the ids for any other value. */
export function providerById(id: string): OAuthProviderDefinition<never, never, never> {
  const found = PROVIDERS.find((p) => p.id === id);
  if (!found) throw new TypeError(`Unknown provider ${JSON.stringify(id)}. Providers: ${PROVIDERS.map((p) => p.id).join(', ')}`);
  return found as unknown as OAuthProviderDefinition<never, never, never>;
}
