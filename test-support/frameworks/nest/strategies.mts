// One strategy class per provider, in each of the three ways a Nest app writes `validate`. An app registers
// one set (AppModule picks it from its options).
import { Inject, Injectable, type Type } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { Strategy as Maniaplanet, type ManiaplanetProfile, type ManiaplanetStrategyOptions, type ManiaplanetTokenResponse } from 'passport-maniaplanet';
import { Strategy as Toornament, type ToornamentProfile, type ToornamentStrategyOptions, type ToornamentTokenResponse } from 'passport-toornament';
import { Strategy as Trackmage, type TrackmageProfile, type TrackmageStrategyOptions, type TrackmageTokenResponse } from 'passport-trackmage';
import { Strategy as Trackmania, type TrackmaniaProfile, type TrackmaniaStrategyOptions, type TrackmaniaTokenResponse } from 'passport-trackmania';
import { UsersService, type AppUser } from './users.mjs';

/** Injection token of each strategy's options but `callbackURL` (credentials and endpoints, from configuration). */
export const STRATEGY_OPTIONS = Symbol('STRATEGY_OPTIONS');

export interface StrategyOptions {
  trackmania: Omit<TrackmaniaStrategyOptions, 'callbackURL'>;
  maniaplanet: Omit<ManiaplanetStrategyOptions, 'callbackURL'>;
  trackmage: Omit<TrackmageStrategyOptions, 'callbackURL'>;
  toornament: Omit<ToornamentStrategyOptions, 'callbackURL'>;
}

// validate(accessToken, refreshToken, profile), without callbackArity: the form of most Nest apps.

@Injectable()
export class TrackmaniaStrategy extends PassportStrategy(Trackmania, 'trackmania') {
  constructor(
    @Inject(STRATEGY_OPTIONS) options: StrategyOptions,
    private readonly users: UsersService,
  ) {
    super({ ...options.trackmania, callbackURL: '/auth/trackmania/callback' });
  }
  async validate(accessToken: string, refreshToken: string | undefined, profile: TrackmaniaProfile): Promise<AppUser> {
    return this.users.upsert(profile);
  }
}

@Injectable()
export class ManiaplanetStrategy extends PassportStrategy(Maniaplanet, 'maniaplanet') {
  constructor(
    @Inject(STRATEGY_OPTIONS) options: StrategyOptions,
    private readonly users: UsersService,
  ) {
    super({ ...options.maniaplanet, callbackURL: '/auth/maniaplanet/callback' });
  }
  async validate(accessToken: string, refreshToken: string | undefined, profile: ManiaplanetProfile): Promise<AppUser> {
    return this.users.upsert(profile);
  }
}

@Injectable()
export class TrackmageStrategy extends PassportStrategy(Trackmage, 'trackmage') {
  constructor(
    @Inject(STRATEGY_OPTIONS) options: StrategyOptions,
    private readonly users: UsersService,
  ) {
    super({ ...options.trackmage, callbackURL: '/auth/trackmage/callback' });
  }
  async validate(accessToken: string, refreshToken: string | undefined, profile: TrackmageProfile): Promise<AppUser> {
    return this.users.upsert(profile);
  }
}

@Injectable()
export class ToornamentStrategy extends PassportStrategy(Toornament, 'toornament') {
  constructor(
    @Inject(STRATEGY_OPTIONS) options: StrategyOptions,
    private readonly users: UsersService,
  ) {
    super({ ...options.toornament, callbackURL: '/auth/toornament/callback' });
  }
  async validate(accessToken: string, refreshToken: string | undefined, profile: ToornamentProfile): Promise<AppUser> {
    return this.users.upsert(profile);
  }
}

// callbackArity: true, validate(accessToken, refreshToken, profile): the verify passport sees declares four
// parameters (validate's three plus done), so it must not be given the token response.

@Injectable()
export class TrackmaniaArityStrategy extends PassportStrategy(Trackmania, 'trackmania', true) {
  constructor(
    @Inject(STRATEGY_OPTIONS) options: StrategyOptions,
    private readonly users: UsersService,
  ) {
    super({ ...options.trackmania, callbackURL: '/auth/trackmania/callback' });
  }
  async validate(accessToken: string, refreshToken: string | undefined, profile: TrackmaniaProfile): Promise<AppUser> {
    return this.users.upsert(profile);
  }
}

@Injectable()
export class ManiaplanetArityStrategy extends PassportStrategy(Maniaplanet, 'maniaplanet', true) {
  constructor(
    @Inject(STRATEGY_OPTIONS) options: StrategyOptions,
    private readonly users: UsersService,
  ) {
    super({ ...options.maniaplanet, callbackURL: '/auth/maniaplanet/callback' });
  }
  async validate(accessToken: string, refreshToken: string | undefined, profile: ManiaplanetProfile): Promise<AppUser> {
    return this.users.upsert(profile);
  }
}

@Injectable()
export class TrackmageArityStrategy extends PassportStrategy(Trackmage, 'trackmage', true) {
  constructor(
    @Inject(STRATEGY_OPTIONS) options: StrategyOptions,
    private readonly users: UsersService,
  ) {
    super({ ...options.trackmage, callbackURL: '/auth/trackmage/callback' });
  }
  async validate(accessToken: string, refreshToken: string | undefined, profile: TrackmageProfile): Promise<AppUser> {
    return this.users.upsert(profile);
  }
}

@Injectable()
export class ToornamentArityStrategy extends PassportStrategy(Toornament, 'toornament', true) {
  constructor(
    @Inject(STRATEGY_OPTIONS) options: StrategyOptions,
    private readonly users: UsersService,
  ) {
    super({ ...options.toornament, callbackURL: '/auth/toornament/callback' });
  }
  async validate(accessToken: string, refreshToken: string | undefined, profile: ToornamentProfile): Promise<AppUser> {
    return this.users.upsert(profile);
  }
}

// callbackArity: true, validate(accessToken, refreshToken, params, profile): five parameters with done, so
// passport-oauth2's rule gives `params`, the token response.

@Injectable()
export class TrackmaniaParamsStrategy extends PassportStrategy(Trackmania, 'trackmania', true) {
  constructor(
    @Inject(STRATEGY_OPTIONS) options: StrategyOptions,
    private readonly users: UsersService,
  ) {
    super({ ...options.trackmania, callbackURL: '/auth/trackmania/callback' });
  }
  async validate(accessToken: string, refreshToken: string | undefined, params: TrackmaniaTokenResponse, profile: TrackmaniaProfile): Promise<AppUser> {
    return this.users.upsert(profile, { tokenResponse: params.access_token === accessToken });
  }
}

@Injectable()
export class ManiaplanetParamsStrategy extends PassportStrategy(Maniaplanet, 'maniaplanet', true) {
  constructor(
    @Inject(STRATEGY_OPTIONS) options: StrategyOptions,
    private readonly users: UsersService,
  ) {
    super({ ...options.maniaplanet, callbackURL: '/auth/maniaplanet/callback' });
  }
  async validate(accessToken: string, refreshToken: string | undefined, params: ManiaplanetTokenResponse, profile: ManiaplanetProfile): Promise<AppUser> {
    return this.users.upsert(profile, { tokenResponse: params.access_token === accessToken });
  }
}

@Injectable()
export class TrackmageParamsStrategy extends PassportStrategy(Trackmage, 'trackmage', true) {
  constructor(
    @Inject(STRATEGY_OPTIONS) options: StrategyOptions,
    private readonly users: UsersService,
  ) {
    super({ ...options.trackmage, callbackURL: '/auth/trackmage/callback' });
  }
  async validate(accessToken: string, refreshToken: string | undefined, params: TrackmageTokenResponse, profile: TrackmageProfile): Promise<AppUser> {
    return this.users.upsert(profile, { tokenResponse: params.access_token === accessToken });
  }
}

@Injectable()
export class ToornamentParamsStrategy extends PassportStrategy(Toornament, 'toornament', true) {
  constructor(
    @Inject(STRATEGY_OPTIONS) options: StrategyOptions,
    private readonly users: UsersService,
  ) {
    super({ ...options.toornament, callbackURL: '/auth/toornament/callback' });
  }
  async validate(accessToken: string, refreshToken: string | undefined, params: ToornamentTokenResponse, profile: ToornamentProfile): Promise<AppUser> {
    return this.users.upsert(profile, { tokenResponse: params.access_token === accessToken });
  }
}

export const VALIDATE_FORMS = ['profile', 'arity-profile', 'arity-params'] as const;
export type ValidateForm = (typeof VALIDATE_FORMS)[number];

export const STRATEGIES: Record<ValidateForm, Type[]> = {
  profile: [TrackmaniaStrategy, ManiaplanetStrategy, TrackmageStrategy, ToornamentStrategy],
  'arity-profile': [TrackmaniaArityStrategy, ManiaplanetArityStrategy, TrackmageArityStrategy, ToornamentArityStrategy],
  'arity-params': [TrackmaniaParamsStrategy, ManiaplanetParamsStrategy, TrackmageParamsStrategy, ToornamentParamsStrategy],
};
