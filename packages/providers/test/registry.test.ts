// The registry every test, benchmark and package check enumerates providers from: each definition is consistent,
// and each provider has what the repository's tests run against it.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { ProviderProfile, TokenResponse } from '@maniapass/http';
import { PROVIDERS, configureProvider, isProviderId, providerById, type OAuthProviderDefinition } from '@maniapass/providers';
import { PROVIDER_IDS, TEST_PROVIDERS } from '../../../test-support/providers';

const root = join(__dirname, '..', '..', '..');

describe.each(PROVIDERS.map((p) => [p.id, p as unknown as OAuthProviderDefinition<ProviderProfile, TokenResponse, unknown>] as const))(
  '%s definition',
  (id, definition) => {
    it('has https endpoints by default, a default scope among its documented scopes, no PKCE', () => {
      const endpoints = definition.endpoints(definition.settings({ apiKey: 'k' }, `${id} test`));
      for (const url of Object.values(endpoints)) expect(new URL(url).protocol).toBe('https:');
      for (const scope of definition.defaultScope) expect(definition.scopes).toContain(scope);
      expect(definition.pkce).toBe(false);
      for (const key of definition.secretOptions) expect(definition.requiredOptions).toContain(key);
    });

    it('is configured from user options, refusing unknown scopes and naming missing options', () => {
      const options = { clientID: 'id', clientSecret: 'secret', apiKey: 'key' };
      expect(configureProvider(definition, options, `${id} test`).scope).toEqual([...definition.defaultScope]);
      expect(() => configureProvider(definition, { ...options, scope: 'nope' }, `${id} test`)).toThrow(/nope/);
      expect(() => configureProvider(definition, { ...options, clientSecret: '' }, `${id} test`)).toThrow(`${id} test requires the clientSecret option`);
      for (const key of definition.requiredOptions) expect(() => configureProvider(definition, { ...options, [key]: undefined }, `${id} test`)).toThrow(key);
    });

    it('has its Passport package with the provider matrix, and its emulator', () => {
      expect(existsSync(join(root, 'packages', `passport-${id}`, 'test', 'matrix.test.ts'))).toBe(true);
      expect(TEST_PROVIDERS.find((p) => p.id === id)?.startEmulator).toEqual(expect.any(Function));
    });
  },
);

describe('registry', () => {
  it('lists each provider once, in the order the tests enumerate them', () => {
    expect(PROVIDER_IDS).toEqual(PROVIDERS.map((p) => p.id));
    expect(new Set(PROVIDER_IDS).size).toBe(PROVIDERS.length);
  });

  it('finds a definition by id and names the ids for anything else', () => {
    expect(providerById('toornament').id).toBe('toornament');
    expect(isProviderId('trackmania')).toBe(true);
    expect(isProviderId('openplanet')).toBe(false);
    expect(() => providerById('nope')).toThrow('Providers: trackmania, maniaplanet, trackmage, toornament');
  });
});
