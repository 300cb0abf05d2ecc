// One entry per provider of the collection: how to build its strategy, how to start its emulator, which
// environment variables hold its real credentials. Everything else in the app is provider-neutral.
import type { Strategy as PassportStrategy } from 'passport';
import {
  DEFAULT_CLIENT,
  maniaplanetSpec,
  startManiaplanetEmulator,
  startToornamentEmulator,
  startTrackmageEmulator,
  startTrackmaniaEmulator,
  toornamentSpec,
  trackmageSpec,
  trackmaniaSpec,
  type EmulatedUser,
  type OAuthProviderSpec,
  type StartOptions,
} from '@maniapass/emulators';
import {
  withTokenResponse,
  type CachedTokenSource,
  type CallbackVerifyWithParams,
  type ProviderProfile,
  type TokenResponse,
  type TokenSet,
} from '@maniapass/oauth2-core';
import { Strategy as ManiaplanetStrategy } from 'passport-maniaplanet';
import { Strategy as ToornamentStrategy } from 'passport-toornament';
import { Strategy as TrackmageStrategy } from 'passport-trackmage';
import { Strategy as TrackmaniaStrategy } from 'passport-trackmania';
import type { AppConfig, ProviderCredentials } from './config';
import { emulatorURL } from './emulator-urls';
import { toSessionUser } from './user';

export type ProviderName = 'trackmania' | 'maniaplanet' | 'trackmage' | 'toornament';

/** What the app needs of a strategy beyond passport's interface (every strategy of the collection has it). */
export interface AppStrategy extends PassportStrategy {
  readonly scope: readonly string[];
  readonly userProfileURL: string;
  refresh(refreshToken: string): Promise<TokenSet>;
  clientCredentials(): Promise<TokenSet>;
  clientCredentialsSource(): CachedTokenSource<TokenSet>;
}

/** What the app needs of an emulator (every emulator of `@maniapass/emulators` has it). */
export interface ProviderEmulator {
  readonly url: string;
  readonly users: ReadonlyArray<{ id: string }>;
  autoApprove: boolean | 'unique-user';
  strategyOptions(): { clientID: string; clientSecret: string } & Record<string, string>;
  close(): Promise<void>;
}

/** The verify function the app gives every strategy: the token response and the profile make the session user. */
export type AppVerify = CallbackVerifyWithParams<ProviderProfile, TokenResponse>;

/** Options common to every strategy, plus the provider's own (endpoint overrides, Toornament's API key). */
export type StrategyOptions = { clientID: string; clientSecret: string; callbackURL: string; proxy?: boolean } & Record<string, unknown>;

export interface ProviderEntry {
  name: ProviderName;
  label: string;
  /** Names of the environment variables with the provider's real credentials. */
  env: { clientID: string; clientSecret: string; callbackURL: string; apiKey?: string };
  /** Scopes asked for at sign-in (the least that shows something). */
  scope: readonly string[];
  createStrategy(options: StrategyOptions, verify: AppVerify): AppStrategy;
  startEmulator(options?: StartOptions): Promise<ProviderEmulator>;
  /** The emulator's description: its endpoint options and sample users, for an emulator another process runs. */
  emulatorSpec: Pick<OAuthProviderSpec<EmulatedUser>, 'endpointOptions' | 'sampleUsers'>;
}

function envNames(prefix: string, apiKey = false): ProviderEntry['env'] {
  return {
    clientID: `${prefix}_CLIENT_ID`,
    clientSecret: `${prefix}_CLIENT_SECRET`,
    callbackURL: `${prefix}_CALLBACK_URL`,
    ...(apiKey ? { apiKey: `${prefix}_API_KEY` } : {}),
  };
}

export const PROVIDERS: readonly ProviderEntry[] = [
  {
    name: 'trackmania',
    label: 'Trackmania',
    env: envNames('TRACKMANIA'),
    scope: [],
    createStrategy: (options, verify) => new TrackmaniaStrategy(options, verify),
    startEmulator: (options) => startTrackmaniaEmulator(options),
    emulatorSpec: trackmaniaSpec,
  },
  {
    name: 'maniaplanet',
    label: 'ManiaPlanet',
    env: envNames('MANIAPLANET'),
    scope: ['basic', 'email'],
    createStrategy: (options, verify) => new ManiaplanetStrategy(options, verify),
    startEmulator: (options) => startManiaplanetEmulator(options),
    emulatorSpec: maniaplanetSpec,
  },
  {
    name: 'trackmage',
    label: 'TrackMage',
    env: envNames('TRACKMAGE'),
    scope: [],
    createStrategy: (options, verify) => new TrackmageStrategy(options, verify),
    startEmulator: (options) => startTrackmageEmulator(options),
    emulatorSpec: trackmageSpec,
  },
  {
    name: 'toornament',
    label: 'Toornament',
    env: envNames('TOORNAMENT', true),
    scope: ['user:info'],
    // `apiKey` comes from TOORNAMENT_API_KEY, or from the emulator's `strategyOptions()`.
    createStrategy: (options, verify) => new ToornamentStrategy(options as typeof options & { apiKey: string }, verify),
    startEmulator: (options) => startToornamentEmulator(options),
    emulatorSpec: toornamentSpec,
  },
];

/** A provider as the running app uses it. */
export interface ActiveProvider {
  entry: ProviderEntry;
  strategy: AppStrategy;
  /** True when the provider runs on an emulator (no real credentials configured). */
  emulated: boolean;
  /** The emulator this process started (none when it uses the emulators of EMULATORS_URL). */
  emulator?: ProviderEmulator;
  /** Where the emulator is, whoever started it. */
  emulatorURL?: string;
}

/**
 * Builds every provider's strategy: with its real credentials when the environment has them, else against its
 * emulator, started here on loopback. `extra.strategyOptions` are added to every strategy's options (tests
 * shorten `timeout`). `close()` stops the emulators.
 */
export async function startProviders(
  config: Pick<AppConfig, 'credentials' | 'trustProxy'> & Partial<Pick<AppConfig, 'emulatorsURL' | 'loginTimeoutMs'>>,
  extra: { strategyOptions?: Record<string, unknown> } = {},
): Promise<{ providers: ActiveProvider[]; close(): Promise<void> }> {
  const providers: ActiveProvider[] = [];
  const close = async (): Promise<void> => {
    await Promise.all(providers.map((p) => p.emulator?.close()));
  };
  try {
    for (const entry of PROVIDERS) {
      const verify: AppVerify = withTokenResponse(async (_accessToken, refreshToken, params: TokenResponse, profile: ProviderProfile) =>
        toSessionUser(params, profile, entry.scope, refreshToken),
      );
      const credentials: ProviderCredentials | undefined = config.credentials[entry.name];
      const loginTimeout = config.loginTimeoutMs === undefined ? {} : { loginTimeout: config.loginTimeoutMs };
      const common = { proxy: config.trustProxy !== false, scope: [...entry.scope], ...loginTimeout, ...extra.strategyOptions };
      if (credentials) {
        const { apiKey, ...rest } = credentials;
        const strategy = entry.createStrategy({ ...common, ...rest, ...(apiKey === undefined ? {} : { apiKey }) }, verify);
        providers.push({ entry, strategy, emulated: false });
        continue;
      }
      // A relative callback URL follows whichever host the browser used (localhost or 127.0.0.1), so the
      // session cookie comes back with the callback; emulators accept any redirect URI.
      const callbackURL = `/auth/${entry.name}/callback`;
      if (config.emulatorsURL) {
        // Another process runs the emulators (with their default client): every process of the app shares them.
        const url = emulatorURL(config.emulatorsURL, entry.name);
        const options = { clientID: DEFAULT_CLIENT.clientId, clientSecret: DEFAULT_CLIENT.clientSecret, ...entry.emulatorSpec.endpointOptions(url) };
        providers.push({ entry, emulated: true, emulatorURL: url, strategy: entry.createStrategy({ ...common, ...options, callbackURL }, verify) });
        continue;
      }
      // Registered before the strategy is built, so that a failing constructor still gets its emulator closed.
      const emulator = await entry.startEmulator();
      const active: ActiveProvider = { entry, emulated: true, emulator, emulatorURL: emulator.url } as ActiveProvider;
      providers.push(active);
      active.strategy = entry.createStrategy({ ...common, ...emulator.strategyOptions(), callbackURL }, verify);
    }
  } catch (err) {
    await close();
    throw err;
  }
  return { providers, close };
}
