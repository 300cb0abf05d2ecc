// passport-openplanet under NestJS as its users write it: a PassportStrategy class (validate(profile), with and
// without callbackArity), AuthGuard on a JSON API route, and a guard whose handleRequest keeps the strategy's
// 400/401 and message instead of Nest's bare UnauthorizedException. No session: the plugin API case.
import { Body, Controller, HttpException, Inject, Injectable, Module, Post, Req, UseGuards, type DynamicModule, type ExecutionContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AuthGuard, PassportModule, PassportStrategy } from '@nestjs/passport';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Request } from 'express';
import { Strategy, type OpenplanetFailure, type OpenplanetProfile, type OpenplanetStrategyOptions } from 'passport-openplanet';

export const OPENPLANET_OPTIONS = Symbol('OPENPLANET_OPTIONS');

interface PlayerUser {
  provider: string;
  id: string;
  displayName: string;
  arity?: boolean;
}

@Injectable()
export class OpenplanetStrategy extends PassportStrategy(Strategy, 'openplanet') {
  constructor(@Inject(OPENPLANET_OPTIONS) options: OpenplanetStrategyOptions) {
    super(options);
  }
  async validate(profile: OpenplanetProfile): Promise<PlayerUser> {
    return { provider: profile.provider, id: profile.id, displayName: profile.displayName };
  }
}

// callbackArity: the verify passport sees declares two parameters (validate's one plus done).
@Injectable()
export class OpenplanetArityStrategy extends PassportStrategy(Strategy, 'openplanet-arity', true) {
  constructor(@Inject(OPENPLANET_OPTIONS) options: OpenplanetStrategyOptions) {
    super(options);
  }
  async validate(profile: OpenplanetProfile): Promise<PlayerUser> {
    return { provider: profile.provider, id: profile.id, displayName: profile.displayName, arity: true };
  }
}

/** AuthGuard that answers the strategy's own status and message (a missing token is a 400, not Nest's 401). */
@Injectable()
export class OpenplanetGuard extends AuthGuard('openplanet') {
  override handleRequest<U>(err: unknown, user: U | false, info: OpenplanetFailure | undefined, _context: ExecutionContext, status?: number): U {
    if (err) throw err;
    if (!user) throw new HttpException({ error: info?.message ?? 'Unauthorized', reason: info?.reason }, status ?? 401);
    return user;
  }
}

@Controller('api')
export class OpenplanetController {
  @Post('session')
  @UseGuards(OpenplanetGuard)
  session(@Req() req: Request, @Body() _body: unknown): { user: unknown } {
    return { user: req.user };
  }

  @Post('plain')
  @UseGuards(AuthGuard('openplanet'))
  plain(@Req() req: Request): { user: unknown } {
    return { user: req.user };
  }

  @Post('arity')
  @UseGuards(AuthGuard('openplanet-arity'))
  arity(@Req() req: Request): { user: unknown } {
    return { user: req.user };
  }
}

@Module({})
export class OpenplanetModule {
  static register(options: OpenplanetStrategyOptions): DynamicModule {
    return {
      module: OpenplanetModule,
      imports: [PassportModule],
      controllers: [OpenplanetController],
      providers: [{ provide: OPENPLANET_OPTIONS, useValue: options }, OpenplanetStrategy, OpenplanetArityStrategy],
    };
  }
}

export function createOpenplanetApp(options: OpenplanetStrategyOptions): Promise<NestExpressApplication> {
  return NestFactory.create<NestExpressApplication>(OpenplanetModule.register(options), { logger: ['error'] });
}
