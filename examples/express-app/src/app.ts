import express, { type NextFunction, type Request, type Response } from 'express';
import session, { type Store } from 'express-session';
import helmet from 'helmet';
import { Passport } from 'passport';
import { AuthorizationError, InternalOAuthError, ProviderError, TokenError } from '@maniapass/oauth2-core';
import type { Demo } from './demos';
import type { OpenplanetDemo } from './openplanet';
import type { ActiveProvider } from './providers';
import { appSession, csrfToken, requireCsrfToken, safeReturnTo } from './security';
import { withRefreshedTokens, type SessionUser } from './user';
import { STYLESHEET, demoPage, failurePage, homePage, profilePage, type PageContext } from './views';

export interface AppOptions {
  providers: readonly ActiveProvider[];
  sessionSecret: string;
  /** Default: express-session's memory store (one process only). */
  store?: Store;
  /** Express `trust proxy`: set it behind an HTTPS reverse proxy so that cookies get `Secure`. */
  trustProxy?: boolean | number | string;
  demos?: readonly Demo[];
  /** Where server-side error lines go. Default `console.error`. */
  log?: (line: string) => void;
  /** The Openplanet plugin API (`src/openplanet.ts`). */
  openplanet?: Pick<OpenplanetDemo, 'router' | 'emulator'>;
}

const SESSION_COOKIE = 'maniapass.sid';

type HttpError = Error & { status?: number; statusCode?: number; expose?: boolean; code?: string };

/** The page a failed request shows: the provider's own message where there is one, never a stack trace. */
function describeFailure(err: HttpError): { status: number; title: string; message: string; logged: boolean } {
  if (err instanceof TokenError) return { status: 502, title: 'Sign-in failed', message: err.message, logged: true };
  if (err instanceof ProviderError) {
    if (err.code === 'ETIMEDOUT') return { status: 504, title: 'The provider did not answer in time', message: err.message, logged: true };
    return { status: 502, title: 'The provider answered with an error', message: err.message, logged: true };
  }
  if (err instanceof AuthorizationError) return { status: 403, title: 'Sign-in failed', message: err.message, logged: false };
  // passport-oauth2's own wrapper: its message is generic and safe ("Failed to obtain access token").
  if (err instanceof InternalOAuthError) return { status: 502, title: 'Sign-in failed', message: err.message, logged: true };
  const status = err.status ?? err.statusCode ?? 500;
  if (status >= 400 && status < 500 && err.expose) return { status, title: 'Request refused', message: err.message, logged: false };
  return { status: 500, title: 'Something went wrong', message: 'The error was logged on the server. Try again, or sign in again.', logged: true };
}

/**
 * The example application: sign-in with every provider, profile, refresh, logout, token helpers.
 * It does not listen: `main.ts` does, and tests drive it with supertest.
 */
export function createApp(options: AppOptions): express.Express {
  const log = options.log ?? ((line: string) => console.error(line));
  const providers = new Map(options.providers.map((p) => [p.entry.name as string, p]));
  const app = express();
  app.set('trust proxy', options.trustProxy ?? false);

  // Each app has its own passport instance, so that two apps in one process (tests) do not share strategies.
  const passport = new Passport();
  for (const p of options.providers) passport.use(p.entry.name, p.strategy);
  // The whole user goes into the session: it is small, and the store is server-side.
  passport.serializeUser((user, done) => done(null, user));
  passport.deserializeUser((user: Express.User, done) => done(null, user));

  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          'default-src': ["'self'"],
          'script-src': ["'none'"],
          'style-src': ["'self'"],
          'img-src': ["'self'", 'data:', 'https:'],
          'form-action': ["'self'"],
          'frame-ancestors': ["'none'"],
          // Local runs are plain http; behind HTTPS, HSTS does the upgrading.
          'upgrade-insecure-requests': null,
        },
      },
      referrerPolicy: { policy: 'same-origin' },
    }),
  );
  app.get('/app.css', (_req, res) => {
    res.type('text/css').set('Cache-Control', 'public, max-age=3600').send(STYLESHEET);
  });

  app.use(
    session({
      name: SESSION_COOKIE,
      secret: options.sessionSecret,
      store: options.store,
      resave: false,
      saveUninitialized: false,
      cookie: {
        httpOnly: true,
        sameSite: 'lax', // sent on the provider's top-level redirect back to the callback
        secure: 'auto', // Secure whenever the request came over HTTPS (through `trust proxy` behind a proxy)
        maxAge: 8 * 3600 * 1000,
      },
    }),
  );
  app.use(express.urlencoded({ extended: false, limit: '4kb' }));
  app.use(passport.initialize());
  app.use(passport.session());

  const page = (req: Request): PageContext => {
    const user = req.user as SessionUser | undefined;
    // Only signed-in pages have forms; anonymous visitors get no session until they sign in.
    return user ? { csrf: csrfToken(req), user } : { csrf: '' };
  };
  const html = (res: Response, status: number, body: string): void => {
    res.status(status).type('html').set('Cache-Control', 'no-store').send(body);
  };
  const requireUser = (req: Request, res: Response, next: NextFunction): void => {
    if (req.user) return next();
    res.redirect('/');
  };

  const openplanetView = options.openplanet && (options.openplanet.emulator ? { emulatorURL: options.openplanet.emulator.url } : {});
  app.get('/', (req, res) => {
    const views = options.providers.map((p) => ({
      name: p.entry.name,
      label: p.entry.label,
      emulated: p.emulated,
      envHint: [p.entry.env.clientID, p.entry.env.clientSecret, p.entry.env.apiKey].filter(Boolean).join(' + '),
    }));
    html(res, 200, homePage(views, page(req), openplanetView));
  });

  // Sign-in start: `?returnTo=/path` is kept only when it is a path on this site.
  app.get('/auth/:provider', (req, res, next) => {
    const provider = providers.get(req.params.provider);
    if (!provider) return next();
    const returnTo = safeReturnTo(req.query.returnTo);
    const s = appSession(req);
    if (returnTo) s.returnTo = returnTo;
    else delete s.returnTo;
    passport.authenticate(provider.entry.name)(req, res, next);
  });

  app.get('/auth/:provider/callback', (req, res, next) => {
    const provider = providers.get(req.params.provider);
    if (!provider) return next();
    // Read before passport regenerates the session at login (which drops everything in it).
    const s = appSession(req);
    const returnTo = s.returnTo;
    delete s.returnTo;
    passport.authenticate(provider.entry.name, {
      failureRedirect: `/auth/failure?provider=${encodeURIComponent(provider.entry.name)}`,
      failureMessage: true,
    })(req, res, (err?: unknown) => {
      if (err) return next(err);
      res.redirect(returnTo ?? '/profile');
    });
  });

  // Where a failed sign-in lands (access denied, bad state...): the provider's message, once.
  app.get('/auth/failure', (req, res) => {
    const s = appSession(req);
    const message = s.messages?.at(-1);
    delete s.messages;
    const provider = providers.get(String(req.query.provider ?? ''));
    html(
      res,
      401,
      failurePage({ title: 'Sign-in failed', message: message ?? 'The sign-in did not complete.', ...(provider ? { provider: provider.entry.label } : {}) }, page(req)),
    );
  });

  app.get('/profile', requireUser, (req, res) => {
    const s = appSession(req);
    const notice = s.notice;
    delete s.notice;
    html(res, 200, profilePage(req.user as SessionUser, { ...page(req), ...(notice ? { notice } : {}) }));
  });

  // New tokens from the refresh token (rotated where the provider rotates them), through `strategy.refresh()`.
  app.post('/refresh', requireCsrfToken, requireUser, (req, res, next) => {
    const user = req.user as SessionUser;
    const provider = providers.get(user.provider);
    if (!provider || !user.tokens.refreshToken) return next(Object.assign(new Error('This sign-in has no refresh token.'), { status: 400, expose: true }));
    provider.strategy.refresh(user.tokens.refreshToken).then(
      (set) => {
        // `keepSessionInfo` keeps the CSRF token; the session id still changes, as at any login.
        req.login(withRefreshedTokens(user, set), { session: true, keepSessionInfo: true }, (err) => {
          if (err) return next(err);
          appSession(req).notice = 'Tokens refreshed.';
          res.redirect('/profile');
        });
      },
      (err: unknown) => next(err),
    );
  });

  // passport 0.7: logout takes a callback and regenerates the session.
  app.post('/logout', requireCsrfToken, (req, res, next) => {
    req.logout((err) => {
      if (err) return next(err);
      // NOTE: the new session passport regenerates is saved empty and would stay in the store until it expires
      // (one per sign-out): end it, and its cookie.
      req.session.destroy((destroyErr) => {
        if (destroyErr) return next(destroyErr);
        res.clearCookie(SESSION_COOKIE, { path: '/' });
        res.redirect('/');
      });
    });
  });

  app.get('/demo', async (req, res, next) => {
    try {
      const user = req.user as SessionUser | undefined;
      const given = typeof req.query.accountIds === 'string' ? req.query.accountIds : undefined;
      const defaults = [...(user?.provider === 'trackmania' ? [user.profile.id] : []), ...(options.demos ?? []).flatMap((d) => d.sampleAccountIds ?? [])];
      const accountIds = given !== undefined ? given.split(/[\s,]+/).filter(Boolean) : [...new Set(defaults)];
      const results = await Promise.all((options.demos ?? []).map((d) => d.run({ accountIds })));
      html(res, 200, demoPage({ accountIds: accountIds.join(', '), results }, page(req)));
    } catch (err) {
      next(err);
    }
  });

  if (options.openplanet) app.use(options.openplanet.router);

  app.use((req, res) => {
    html(res, 404, failurePage({ title: 'Not found', message: `Nothing at ${req.path}.` }, page(req)));
  });

  app.use((err: HttpError, req: Request, res: Response, _next: NextFunction) => {
    const failure = describeFailure(err);
    // Name and message only: the collection's errors carry no secret, and a stack helps no visitor.
    if (failure.logged) log(`${req.method} ${req.path}: ${err.name}: ${err.message}`);
    if (res.headersSent) return;
    const provider = (err instanceof ProviderError || err instanceof TokenError) && err.provider ? providers.get(err.provider)?.entry.label : undefined;
    html(res, failure.status, failurePage({ title: failure.title, message: failure.message, ...(provider ? { provider } : {}) }, page(req)));
  });

  return app;
}
