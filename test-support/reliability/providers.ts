// Every provider the reliability tests and the benchmarks cover: adding a provider is one entry here.
import type { Strategy as PassportStrategy } from 'passport';
import {
  startManiaplanetEmulator,
  startToornamentEmulator,
  startTrackmageEmulator,
  startTrackmaniaEmulator,
  type EmulatedUser,
  type OAuthEmulator,
} from '@maniapass/emulators';
import { Strategy as ManiaplanetStrategy } from 'passport-maniaplanet';
import { Strategy as ToornamentStrategy } from 'passport-toornament';
import { Strategy as TrackmageStrategy } from 'passport-trackmage';
import { Strategy as TrackmaniaStrategy } from 'passport-trackmania';

export type AnyEmulator = OAuthEmulator<EmulatedUser>;
export type StrategyOptions = Record<string, unknown>;
export type AnyVerify = (...args: never[]) => unknown;

export interface ReliabilityProvider {
  /** The strategy's default name and the profile's `provider`. */
  name: string;
  startEmulator(): Promise<AnyEmulator>;
  createStrategy(options: StrategyOptions, verify: AnyVerify): PassportStrategy & { name: string };
  /** Emulator endpoint names the strategy calls after the token exchange to build the profile. */
  profileEndpoints: string[];
  /** The profile `id` the strategy reports for an emulator user. */
  profileId(user: EmulatedUser): string;
  /** An API call the strategy offers outside the login, and the emulator endpoint it reaches. */
  apiCall?: { endpoint: string; call(strategy: PassportStrategy): Promise<unknown> };
}

export const PROVIDERS: readonly ReliabilityProvider[] = [
  {
    name: 'trackmania',
    startEmulator: () => startTrackmaniaEmulator() as Promise<AnyEmulator>,
    createStrategy: (options, verify) => new TrackmaniaStrategy(options as never, verify as never),
    profileEndpoints: ['user'],
    profileId: (user) => user.id,
    apiCall: {
      endpoint: 'display-names',
      call: (strategy) => (strategy as InstanceType<typeof TrackmaniaStrategy>).displayNames(['5b4d42f4-c2de-407d-b367-cbff3fe817bc']),
    },
  },
  {
    name: 'maniaplanet',
    startEmulator: () => startManiaplanetEmulator() as unknown as Promise<AnyEmulator>,
    createStrategy: (options, verify) => new ManiaplanetStrategy(options as never, verify as never),
    profileEndpoints: ['me'],
    profileId: (user) => user.id,
  },
  {
    name: 'trackmage',
    startEmulator: () => startTrackmageEmulator() as unknown as Promise<AnyEmulator>,
    createStrategy: (options, verify) => new TrackmageStrategy(options as never, verify as never),
    profileEndpoints: ['user'],
    profileId: (user) => user.id,
  },
  {
    name: 'toornament',
    startEmulator: () => startToornamentEmulator() as unknown as Promise<AnyEmulator>,
    createStrategy: (options, verify) => new ToornamentStrategy(options as never, verify as never),
    profileEndpoints: ['me'],
    profileId: (user) => user.id,
  },
];

export function providerNamed(name: string): ReliabilityProvider {
  const provider = PROVIDERS.find((p) => p.name === name);
  if (!provider) throw new Error(`unknown provider ${name}`);
  return provider;
}
