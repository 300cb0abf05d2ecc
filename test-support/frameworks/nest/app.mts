// A NestJS app as its users write it, on @nestjs/platform-express: a PassportStrategy class per provider, AuthGuard on
// the login and callback routes, express-session with passport.session(), and a PassportSerializer. The same
// source runs under Nest 11 and Nest 12 (see register.mjs).
import { Module, type DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { PassportModule } from '@nestjs/passport';
import type { NestExpressApplication } from '@nestjs/platform-express';
import session from 'express-session';
import passport from 'passport';
import { AccountController, ManiaplanetAuthController, ToornamentAuthController, TrackmageAuthController, TrackmaniaAuthController } from './controllers.mjs';
import { STRATEGIES, STRATEGY_OPTIONS, type StrategyOptions, type ValidateForm } from './strategies.mjs';
import { SessionSerializer, UsersService } from './users.mjs';

export interface NestAppOptions {
  /** Which of the three `validate` forms the strategies are written in. */
  validate: ValidateForm;
  strategies: StrategyOptions;
}

@Module({})
export class AppModule {
  static register(options: NestAppOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [PassportModule.register({ session: true })],
      controllers: [TrackmaniaAuthController, ManiaplanetAuthController, TrackmageAuthController, ToornamentAuthController, AccountController],
      providers: [{ provide: STRATEGY_OPTIONS, useValue: options.strategies }, UsersService, SessionSerializer, ...STRATEGIES[options.validate]],
    };
  }
}

export async function createApp(options: NestAppOptions): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.register(options), { logger: ['error', 'warn'] });
  app.use(session({ secret: 'nest-test-session-secret', resave: false, saveUninitialized: false }));
  app.use(passport.initialize());
  app.use(passport.session());
  return app;
}
