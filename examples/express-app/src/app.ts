import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { rateLimit, type Store as RateLimitStore } from 'express-rate-limit';
import session, { MemoryStore, type Store } from 'express-session';
import helmet from 'helmet';
import { Passport } from 'passport';
import { ProviderError, TokenError } from '@maniapass/oauth2-core';
import { DEFAULT_LIMITS, type AppLimits } from './config';
import { MAX_IDS, demoRunner, type Demo } from './demos';
import { appError, describeFailure, logLine, shownMessage } from './errors';
import { healthRouter, type Readiness } from './health';
import type { OpenplanetDemo } from './openplanet';
import type { ActiveProvider } from './providers';
import { appSession, csrfToken, requireCsrfToken, safeReturnTo } from './security';
import { BoundedSessionStore, holdRedirectUntilSaved } from './session-store';
import { withRefreshedTokens, type SessionUser } from './user';
import { STYLESHEET, demoPage, failurePage, homePage, profilePage, type PageContext } from './views';

export interface AppOptions {
  providers: readonly ActiveProvider[];
  sessionSecret: string;
  /**
   * Default: express-session's memory store (one process only), pruned of expired sessions as the app runs. Any
   * other store gets a deadline on every call (`storeTimeoutMs`) unless it is a `BoundedSessionStore` already.
   */
  store?: Store;
  /** Deadline of every session read and write of a given `store`, ms. Default 1000. */
  storeTimeoutMs?: number;
  /** Where the per-address rate limits count (one store per limiter, `prefix` apart). Default: this process's memory. */
  rateLimitStore?: (prefix: string) => RateLimitStore;
  /**
   * Express `trust proxy` behind a reverse proxy (cookies get `Secure`, limits see client addresses): the number of
   * proxies in front of the app, or their addresses. `true` is refused: it trusts any `X-Forwarded-For` a client sends.
   */
  trustProxy?: false | number | string;
  /** `/healthz` and `/readyz`: what readiness depends on, and whether shutdown has begun. */
  health?: { readiness: () => Promise<Readiness>; draining: () => boolean };
  /** `GET /metrics` (see `src/metrics.ts`). */
  metrics?: RequestHandler;
  demos?: readonly Demo[];
  /** Session lifetimes, request limits, token-helper cache and concurrency; defaults in `DEFAULT_LIMITS`. */
  limits?: Partial<AppLimits>;
  /** Where server-side error lines go. Default `console.error`. */
  log?: (line: string) => void;
  /** The Openplanet plugin API (`src/openplanet.ts`). */
  openplanet?: Pick<OpenplanetDemo, 'router' | 'emulator'> & Partial<Pick<OpenplanetDemo, 'webSignIn'>>;
}

const SESSION_COOKIE = 'maniapass.sid';
/** How often the app's own memory store is swept of expired sessions (express-session's never sweeps itself). */
const PRUNE_INTERVAL_MS = 60_000;

/** True when `path` (as sent, still percent-encoded) cannot be decoded. */
function malformedPath(path: string): boolean {
  try {
    decodeURIComponent(path);
    return false;
  } catch {
    return true;
  }
}

/** Account ids from the `/demo` form: distinct, plausible ids, at most the API's own limit, in a stable order. */
function parseAccountIds(value: string): string[] {
  const ids = value
    .slice(0, MAX_IDS * 80)
    .split(/[\s,]+/)
    .filter((id) => id.length > 0 && id.length <= 64);
  return [...new Set(ids)].slice(0, MAX_IDS).sort();
}

/**
 * The example application: sign-in with every provider, profile, refresh, logout, token helpers.
 * It does not listen: `main.ts` does, and tests drive it with supertest.
 */
export function createApp(options: AppOptions): express.Express {
  const log = options.log ?? ((line: string) => console.error(line));
  const limits: AppLimits = { ...DEFAULT_LIMITS, ...options.limits };
  const providers = new Map(options.providers.map((p) => [p.entry.name as string, p]));
  if ((options.trustProxy as unknown) === true) {
    throw new TypeError(
      'trustProxy: true would trust any X-Forwarded-For a client sends: give the number of proxies in front of the app (1 behind one), or their addresses',
    );
  }
  const app = express();
  app.set('trust proxy', options.trustProxy ?? false);

  // Each app has its own passport instance, so that two apps in one process (tests) do not share strategies.
  const passport = new Passport();
  for (const p of options.providers) passport.use(p.entry.name, p.strategy);
  // The whole user goes into the session: every field of it is bounded (user.ts), and the store is server-side.
  passport.serializeUser((user, done) => done(null, user));
  passport.deserializeUser((user: Express.User, done) => done(null, user));

  const html = (res: Response, status: number, body: string): void => {
    res.status(status).type('html').set('Cache-Control', 'no-store').send(body);
  };

  // A request-target that is not a path (`*` of `OPTIONS *`, an absolute or authority form) is no page of this app:
  // a plain 400 before anything else runs (the session middleware would skip it and passport then fail), no log.
  app.use((req, res, next) => {
    if (req.url.startsWith('/')) return next();
    res.status(400).type('text/plain').set('Cache-Control', 'no-store').send('Bad request: the request-target must be a path.');
  });
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          'default-src': ["'self'"],
          'script-src': ["'none'"],
          'style-src': ["'self'"],
          // The colours of formatted names (`formattingToHtml`: style attributes built from checked hex digits and
          // fixed rules only); no <style> element and no stylesheet from elsewhere.
          'style-src-attr': ["'unsafe-inline'"],
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
  // A path that cannot be decoded is the visitor's mistake, whichever route it aims at: a plain 400, before any
  // session, and no log line (the router would otherwise throw while decoding its parameters).
  app.use((req, res, next) => {
    if (!malformedPath(req.path)) return next();
    html(res, 400, failurePage({ title: 'Bad request', message: 'The address has a malformed percent-encoding.' }, { csrf: '' }));
  });
  // Probes and scrapes: before the rate limits and the session (a probe makes no session, Redis down or not).
  if (options.health) app.use(healthRouter(options.health.readiness, options.health.draining));
  if (options.metrics) app.get('/metrics', options.metrics);
  app.get('/app.css', (_req, res) => {
    res.type('text/css').set('Cache-Control', 'public, max-age=3600').send(STYLESHEET);
  });

  // Per client address, before the session middleware: a refused request creates no session.
  const limiter = (limit: number, prefix: string): RequestHandler | undefined =>
    limit === 0
      ? undefined
      : rateLimit({
          windowMs: limits.rateLimitWindowSeconds * 1000,
          limit,
          standardHeaders: 'draft-8',
          legacyHeaders: false,
          // Shared across processes when a store is given; a store that fails lets the request through (fails
          // open, within the store's deadline): the limits are a guard against floods, not against one visitor.
          ...(options.rateLimitStore ? { store: options.rateLimitStore(prefix), passOnStoreError: true } : {}),
          // express-rate-limit reports misconfigurations (a forwarded header without `trust proxy`...) with a stack.
          logger: { warn: (e) => log(logLine('rate limit', e, 'WARN')), error: (e) => log(logLine('rate limit', e)) },
          handler: (_req, res) =>
            html(
              res,
              429,
              failurePage({ title: 'Too many requests', message: 'Too many requests from your address. Wait a moment, then try again.' }, { csrf: '' }),
            ),
        });
  const authLimiter = limiter(limits.authRateLimit, 'auth');
  if (authLimiter) app.use('/auth', authLimiter);
  const demoLimiter = limiter(limits.demoRateLimit, 'demo');
  if (demoLimiter) app.use('/demo', demoLimiter);

  const given = options.store;
  const store = !given
    ? new MemoryStore()
    : given instanceof MemoryStore || given instanceof BoundedSessionStore
      ? given
      : new BoundedSessionStore(given, options.storeTimeoutMs ?? 1000);
  app.use(
    session({
      name: SESSION_COOKIE,
      secret: options.sessionSecret,
      store,
      resave: false,
      saveUninitialized: false,
      cookie: {
        httpOnly: true,
        sameSite: 'lax', // sent on the provider's top-level redirect back to the callback
        secure: 'auto', // Secure whenever the request came over HTTPS (through `trust proxy` behind a proxy)
        maxAge: limits.sessionMinutes * 60_000,
      },
    }),
  );
  app.use(express.urlencoded({ extended: false, limit: '4kb' }));
  app.use(passport.initialize());
  app.use(passport.session());

  // A session made before the sign-in (the start keeps the OAuth state, a failure keeps its message) lives
  // minutes, not hours: anonymous visitors cannot fill the store. The sign-in makes a new session, which gets the
  // full lifetime. The memory store never drops expired sessions by itself: sweep it now and then.
  let lastPrune = Date.now();
  app.use('/auth', (req, _res, next) => {
    if (!req.user) req.session.cookie.maxAge = limits.preLoginSessionMinutes * 60_000;
    if (store instanceof MemoryStore && Date.now() - lastPrune >= PRUNE_INTERVAL_MS) {
      lastPrune = Date.now();
      store.all(() => undefined); // reading every session deletes the expired ones
    }
    next();
  });

  const page = (req: Request): PageContext => {
    const user = req.user as SessionUser | undefined;
    // Only signed-in pages have forms; anonymous visitors get no session until they sign in.
    return user ? { csrf: csrfToken(req), user } : { csrf: '' };
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
    // The redirect goes out only once the session (its OAuth state) is saved: a visitor is never sent to consent to
    // a sign-in that could not come back.
    holdRedirectUntilSaved(req, res, (err) => {
      log(logLine(`${req.method} ${req.path}`, err));
      res.set('Retry-After', '5');
      html(
        res,
        503,
        failurePage(
          { title: 'Sign-in unavailable', message: 'The sign-in could not be started just now. Try again in a few seconds.', provider: provider.entry.label },
          { csrf: '' },
        ),
      );
    });
    passport.authenticate(provider.entry.name)(req, res, next);
  });

  app.get('/auth/:provider/callback', (req, res, next) => {
    const provider = providers.get(req.params.provider);
    if (!provider) return next();
    // Read before passport regenerates the session at login (which drops everything in it).
    const s = appSession(req);
    const returnTo = s.returnTo;
    delete s.returnTo;
    // Only this sign-in's failure message is shown; earlier ones would pile up in the session.
    delete s.messages;
    passport.authenticate(provider.entry.name, {
      failureRedirect: `/auth/failure?provider=${encodeURIComponent(provider.entry.name)}`,
      failureMessage: true,
    })(req, res, (err?: unknown) => {
      if (err) return next(err);
      // The plugin API recognises this player when their Openplanet plugin calls (src/openplanet.ts).
      void options.openplanet?.webSignIn?.(req.user as SessionUser);
      // Checked again where it is used: what is sent is a path on this site, whatever the session held.
      res.redirect(safeReturnTo(returnTo) ?? '/profile');
    });
  });

  // Where a failed sign-in lands (access denied, bad state...): the strategy's failure message (passport's
  // `failureMessage`), once, escaped by the page. Nothing in the query is shown.
  app.get('/auth/failure', (req, res) => {
    const s = appSession(req);
    const message = s.messages?.at(-1);
    delete s.messages;
    const provider = providers.get(String(req.query.provider ?? ''));
    html(
      res,
      401,
      failurePage(
        {
          title: 'Sign-in failed',
          message: typeof message === 'string' && message ? shownMessage(message) : 'The sign-in did not complete.',
          ...(provider ? { provider: provider.entry.label } : {}),
        },
        page(req),
      ),
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
    if (!provider || !user.tokens.refreshToken) return next(appError(400, 'Request refused', 'This sign-in has no refresh token.'));
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

  // Token helpers. Anonymous visitors see the sample lookups, shared and cached: however many they are, they
  // cause one round of provider calls per cache period. Signed-in users may name other accounts; their lookups
  // are cached too, and at most `demoConcurrency` requests run lookups at once (a 503 past it).
  const runDemos = demoRunner(options.demos ?? [], { cacheMs: limits.demoCacheSeconds * 1000, concurrency: limits.demoConcurrency, log });
  const sampleIds = (options.demos ?? []).flatMap((d) => d.sampleAccountIds ?? []);
  app.get('/demo', (req, res, next) => {
    const user = req.user as SessionUser | undefined;
    const given = typeof req.query.accountIds === 'string' ? req.query.accountIds : undefined;
    const defaults = parseAccountIds([...(user?.provider === 'trackmania' ? [user.profile.id] : []), ...sampleIds].join(' '));
    const accountIds = user && given !== undefined ? parseAccountIds(given) : defaults;
    const notice = !user && given !== undefined ? 'Sign in to look up other accounts; these are the sample accounts.' : undefined;
    runDemos({ accountIds }).then(
      (results) =>
        html(res, 200, demoPage({ accountIds: accountIds.join(', '), results, canLookUp: user !== undefined, ...(notice ? { notice } : {}) }, page(req))),
      (err: unknown) => {
        if ((err as { status?: unknown }).status === 503) res.set('Retry-After', '5');
        next(err);
      },
    );
  });

  if (options.openplanet) app.use(options.openplanet.router);

  app.use((req, res) => {
    html(res, 404, failurePage({ title: 'Not found', message: `Nothing at ${req.path}.` }, page(req)));
  });

  // An error page never writes a session whose store just failed (nor one that cannot be serialized): a second
  // failure would be one more error once the page is out. A store error that comes once a page is out
  // (express-session writes the page, then passes the error on) is logged here and goes no further.
  app.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const failure = describeFailure(err);
    if (failure.logged) log(logLine(`${req.method} ${req.path}`, err));
    if (res.headersSent) return;
    const context = errorPageContext(req);
    if (req.session && (failure.status === 503 || !serializable(req.session))) req.session = null as unknown as typeof req.session;
    if (failure.status === 503) res.set('Retry-After', '5');
    const provider = (err instanceof ProviderError || err instanceof TokenError) && err.provider ? providers.get(err.provider)?.entry.label : undefined;
    html(res, failure.status, failurePage({ title: failure.title, message: failure.message, ...(provider ? { provider } : {}) }, context));
  });
  keepConnectionsOnLateErrors(app, log);

  return app;
}

function serializable(value: unknown): boolean {
  try {
    JSON.stringify(value);
    return true;
  } catch {
    return false;
  }
}

/**
 * Express's last handler (finalhandler) destroys the connection of a response already sent when an error reaches
 * it, such as a session write that failed after its page went out: the next request on that kept-alive connection
 * (behind a proxy, maybe another visitor's) would be reset. Here an error after a complete response is logged and
 * the connection kept; one in the middle of a response still ends it, as the response cannot be completed.
 */
function keepConnectionsOnLateErrors(app: express.Express, log: (line: string) => void): void {
  type Handle = (req: Request, res: Response, callback?: (err?: unknown) => void) => void;
  const target = app as unknown as { handle: Handle };
  const handle = target.handle.bind(app);
  target.handle = (req, res, callback) =>
    handle(req, res, (err?: unknown) => {
      if (callback) return callback(err);
      if (err && res.headersSent && res.writableEnded) return log(logLine(`${req.method} ${req.path}`, err));
      if (err && res.headersSent) return void req.socket.destroy();
      if (!res.headersSent)
        res
          .status(err ? 500 : 404)
          .type('text/plain')
          .send(err ? 'Something went wrong.' : 'Not found.');
    });
}

/** The signed-in navigation on an error page, if the session already has its CSRF token (nothing is created). */
function errorPageContext(req: Request): PageContext {
  const user = req.user as SessionUser | undefined;
  const csrf = req.session ? appSession(req).csrfToken : undefined;
  return user && csrf ? { csrf, user } : { csrf: '' };
}
