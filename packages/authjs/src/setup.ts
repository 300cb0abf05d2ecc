import type { ProviderClient, ProviderProfile, TokenResponse } from '@maniapass/http';
import { configureProvider, providerClient, type ConfiguredProvider, type OAuthProviderDefinition, type ProviderOptions } from '@maniapass/providers';
import type { AuthjsProviderOptions } from './provider';

const VERSION = '0.1.0';

/** A definition configured from a provider's options, with its HTTP client: what the Auth.js and NextAuth 4 providers share. */
export interface ProviderSetup<P extends ProviderProfile, T extends TokenResponse, S> {
  /** The client id, secret, scope, endpoints, settings and secrets to mask. */
  config: ConfiguredProvider<P, T, S>;
  /** Every call to the provider: timeouts, size limits, masked errors. */
  http: ProviderClient;
}

/**
 * Checks a provider's options (the client id and secret defaulting to `AUTH_<ID>_ID` and `AUTH_<ID>_SECRET`) and
 * makes its HTTP client; bad options throw a `TypeError` prefixed with `label`.
 */
export function setUpProvider<P extends ProviderProfile, T extends TokenResponse, S>(
  definition: OAuthProviderDefinition<P, T, S>,
  options: AuthjsProviderOptions & object,
  label: string,
): ProviderSetup<P, T, S> {
  const envPrefix = `AUTH_${definition.id.toUpperCase()}`;
  const clientID = options.clientId ?? process.env[`${envPrefix}_ID`];
  const clientSecret = options.clientSecret ?? process.env[`${envPrefix}_SECRET`];
  const config = configureProvider(definition, { ...options, clientID, clientSecret } as ProviderOptions, label);
  const http = providerClient(config, options, `@maniapass/authjs/${VERSION}`, label);
  return { config, http };
}
