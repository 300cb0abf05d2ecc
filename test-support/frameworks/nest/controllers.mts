import {
  Catch,
  Controller,
  Get,
  Injectable,
  Redirect,
  Req,
  UnauthorizedException,
  UseFilters,
  UseGuards,
  type ArgumentsHost,
  type ExceptionFilter,
  type ExecutionContext,
} from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import type { Request, Response } from 'express';
import type { AppUser } from './users.mjs';

type SessionWithMessages = Request['session'] & { messages?: string[] };

/**
 * A failed login: AuthGuard throws UnauthorizedException, and passport's message is in `req.authInfo`. As
 * `failureRedirect` and `failureMessage` do under Express: the message goes to the session, the visitor to /failed.
 */
@Catch(UnauthorizedException)
export class LoginFailedFilter implements ExceptionFilter {
  catch(_exception: UnauthorizedException, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const req = http.getRequest<Request>();
    const message = (req.authInfo as { message?: unknown } | undefined)?.message;
    const session = req.session as SessionWithMessages;
    if (typeof message === 'string') session.messages = [...(session.messages ?? []), message];
    http.getResponse<Response>().redirect('/failed');
  }
}

// AuthGuard(name) sets req.user only; these also write the login into the session (Nest's sessions recipe).

@Injectable()
export class TrackmaniaLoginGuard extends AuthGuard('trackmania') {
  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const result = (await super.canActivate(context)) as boolean;
    await super.logIn(context.switchToHttp().getRequest());
    return result;
  }
}

@Injectable()
export class ManiaplanetLoginGuard extends AuthGuard('maniaplanet') {
  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const result = (await super.canActivate(context)) as boolean;
    await super.logIn(context.switchToHttp().getRequest());
    return result;
  }
}

@Injectable()
export class TrackmageLoginGuard extends AuthGuard('trackmage') {
  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const result = (await super.canActivate(context)) as boolean;
    await super.logIn(context.switchToHttp().getRequest());
    return result;
  }
}

@Injectable()
export class ToornamentLoginGuard extends AuthGuard('toornament') {
  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const result = (await super.canActivate(context)) as boolean;
    await super.logIn(context.switchToHttp().getRequest());
    return result;
  }
}

// The login route redirects to the provider (the guard answers; the handler never runs); the callback route
// signs in and redirects to /me.

@Controller('auth/trackmania')
@UseFilters(LoginFailedFilter)
export class TrackmaniaAuthController {
  @Get()
  @UseGuards(AuthGuard('trackmania'))
  login(): void {}

  @Get('callback')
  @UseGuards(TrackmaniaLoginGuard)
  @Redirect('/me')
  callback(): void {}
}

@Controller('auth/maniaplanet')
@UseFilters(LoginFailedFilter)
export class ManiaplanetAuthController {
  @Get()
  @UseGuards(AuthGuard('maniaplanet'))
  login(): void {}

  @Get('callback')
  @UseGuards(ManiaplanetLoginGuard)
  @Redirect('/me')
  callback(): void {}
}

@Controller('auth/trackmage')
@UseFilters(LoginFailedFilter)
export class TrackmageAuthController {
  @Get()
  @UseGuards(AuthGuard('trackmage'))
  login(): void {}

  @Get('callback')
  @UseGuards(TrackmageLoginGuard)
  @Redirect('/me')
  callback(): void {}
}

@Controller('auth/toornament')
@UseFilters(LoginFailedFilter)
export class ToornamentAuthController {
  @Get()
  @UseGuards(AuthGuard('toornament'))
  login(): void {}

  @Get('callback')
  @UseGuards(ToornamentLoginGuard)
  @Redirect('/me')
  callback(): void {}
}

@Controller()
export class AccountController {
  /** The signed-in user, restored from the session by passport.session() and the SessionSerializer. */
  @Get('me')
  me(@Req() req: Request): { user: AppUser | null } {
    return { user: (req.user as AppUser | undefined) ?? null };
  }

  @Get('failed')
  failed(@Req() req: Request): { messages: string[] } {
    return { messages: (req.session as SessionWithMessages).messages ?? [] };
  }
}
