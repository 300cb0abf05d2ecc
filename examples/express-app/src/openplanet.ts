// The plugin API: an Openplanet plugin posts the token it got from Auth::GetToken() once, passport-openplanet asks
// Openplanet who that is, and the plugin gets this app's own session token (a JWT from PluginSessions) for its later
// calls, which the second strategy (SessionStrategy, `Authorization: Bearer`) verifies. No browser, no cookie.
// The player's account id is the one Trackmania OAuth gives: a player who signed in on the web is recognised here.
import { createHash, hkdfSync } from 'node:crypto';
import express, { type NextFunction, type Request, type RequestHandler, type Response, type Router } from 'express';
import { rateLimit, type Store as RateLimitStore } from 'express-rate-limit';
import { Passport } from 'passport';
import { DEFAULT_OPENPLANET_PLUGIN, OPENPLANET_VALIDATE_PATH, startOpenplanetEmulator, type OpenplanetEmulator } from '@maniapass/emulators';
import { MemoryStore, StoreError, type SharedStore } from '@maniapass/http';
import {
  OpenplanetUnavailableError,
  PluginSessions,
  ProviderError,
  SessionError,
  SessionStrategy,
  Strategy,
  type OpenplanetFailure,
  type OpenplanetProfile,
  type PluginSession,
  type SessionKey,
} from 'passport-openplanet';
import { DEFAULT_LIMITS, type AppConfig } from './config';
import { USER_AGENT } from './demos';

/** Seconds an app token is valid; the plugin refreshes it before then (`refreshAfter`). */
export const APP_TOKEN_LIFETIME = 3600;
/** The audience and issuer of the app's plugin tokens. */
export const PLUGIN_AUDIENCE = 'maniapass-example-plugin-api';
/** Seconds a web sign-in is remembered for recognising the player's plugin. */
const WEB_SIGN_IN_MEMORY = 30 * 24 * 3600;

/** A web sign-in, as the app's session keeps it (the part this file reads). */
export interface WebSignIn {
  provider: string;
  profile: { id: string; displayName?: string };
}

/** What the plugin API knows of a player from the web: the Trackmania sign-in with the same account id. */
export interface WebAccount {
  displayName: string;
  /** Epoch seconds of the last web sign-in. */
  signedInAt: number;
}

export interface OpenplanetDemo {
  /** `POST /api/openplanet/session`, `POST /api/openplanet/refresh`, `GET /api/openplanet/me`, `POST /api/openplanet/logout`. */
  router: Router;
  emulated: boolean;
  emulator?: OpenplanetEmulator;
  /** The app's plugin sessions (revoke a player's, or all). */
  sessions: PluginSessions;
  /** Called by the app after each web sign-in: a Trackmania account is then recognised when its plugin calls. */
  webSignIn(user: WebSignIn): Promise<void>;
  /** The line `npm start` prints. */
  summary: string;
  close(): Promise<void>;
}

export interface OpenplanetDemoOptions {
  log?: (line: string) => void;
  /** passport-openplanet's `timeout`. */
  timeout?: number;
  /**
   * Shared state: validations, refusals, the hold-off, session revocations and web sign-ins. A `RedisStore` for
   * several processes. Default: memory.
   */
  store?: SharedStore;
  /** express-rate-limit's store for the per-address limit (the app's shared one). Default: memory. */
  rateLimitStore?: RateLimitStore;
  /** Signing keys of the app's tokens: the first signs, all verify (a rotation). Default: one derived from the session secret. */
  sessionKeys?: SessionKey[];
  /** `POST /api/openplanet/session` and `/refresh` per client address per window. Default: the `/auth` limit (AUTH_RATE_LIMIT); 0: off. */
  rateLimit?: number;
  /** Validations in flight at once in this process; past it, 503. Default 16. */
  maxConcurrentValidations?: number;
  /**
   * The Openplanet emulator started once for several processes (`npm run emulators`, EMULATORS_URL): used instead of
   * starting one here, so that every process validates against the same emulator.
   */
  emulatorURL?: string;
}

function json(res: Response, status: number, body: unknown): void {
  res.status(status).set('Cache-Control', 'no-store').json(body);
}

/** The signing key when none is given: derived from the session secret (HKDF), its id from the key's hash. */
function derivedKey(sessionSecret: string): SessionKey {
  const secret = Buffer.from(hkdfSync('sha256', sessionSecret, 'maniapass example app', 'openplanet plugin sessions', 32));
  return { id: createHash('sha256').update(secret).digest('base64url').slice(0, 8), secret };
}

/** Web sign-ins by account id, in the shared store: one user, two ways in. */
class WebAccounts {
  constructor(private readonly store: SharedStore) {}

  async remember(user: WebSignIn): Promise<void> {
    // Trackmania OAuth's account id is the one Openplanet gives (and Nadeo's): the other providers' ids are not.
    if (user.provider !== 'trackmania' || !user.profile.id) return;
    const account: WebAccount = { displayName: user.profile.displayName ?? '', signedInAt: Math.floor(Date.now() / 1000) };
    await this.store.set(this.key(user.profile.id), JSON.stringify(account), WEB_SIGN_IN_MEMORY * 1000);
  }

  /** The web account of a player, or `null`; a store that fails answers `null` (the plugin API keeps working). */
  async find(accountId: string): Promise<WebAccount | null> {
    const value = await this.store.get(this.key(accountId)).catch(() => undefined);
    if (value === undefined) return null;
    try {
      return JSON.parse(value) as WebAccount;
    } catch {
      return null;
    }
  }

  private key(accountId: string): string {
    return `example:web-account:${createHash('sha256').update(accountId).digest('base64url')}`;
  }
}

/** What a failed session exchange answers: fixed texts, never Openplanet's (it may echo the token or the secret). */
function failure(res: Response, err: unknown, log: (line: string) => void, req: Request): void {
  if (err instanceof OpenplanetUnavailableError) {
    res.set('Retry-After', String(err.retryAfter));
    return json(res, 503, { error: 'Openplanet cannot be asked right now: try again shortly.' });
  }
  if (err instanceof StoreError) {
    res.set('Retry-After', '5');
    log(`${req.method} ${req.path}: ${err.name}: ${err.message}`);
    return json(res, 503, { error: 'The session service is unavailable: try again shortly.' });
  }
  if (err instanceof ProviderError) {
    // Openplanet failed, not the player: 502 (504 when it did not answer in time). The message has no secret.
    log(`${req.method} ${req.path}: ${err.name}: ${err.message}`);
    return json(res, err.code === 'ETIMEDOUT' ? 504 : 502, {
      error: err.code === 'ETIMEDOUT' ? 'Openplanet did not answer in time.' : 'Openplanet could not validate the token.',
    });
  }
  log(`${req.method} ${req.path}: ${err instanceof Error ? err.name : 'Error'}`);
  json(res, 500, { error: 'Something went wrong.' });
}

/** The routes, on strategies of their own (their own passport instance: nothing to share with the sign-in pages). */
export function openplanetRouter(
  strategy: Strategy,
  sessions: PluginSessions,
  accounts: WebAccounts,
  options: { log: (line: string) => void; limiter?: RequestHandler },
): Router {
  const { log } = options;
  const passport = new Passport();
  passport.use(strategy);
  passport.use(new SessionStrategy({ sessions }));
  const router = express.Router();
  const limited: RequestHandler[] = options.limiter ? [options.limiter] : [];

  const body = (session: PluginSession, issued: { token: string; expiresAt: number; refreshAfter: number }, web: WebAccount | null) => ({
    token: issued.token,
    tokenType: 'Bearer',
    expiresAt: issued.expiresAt,
    refreshAfter: issued.refreshAfter,
    accountId: session.accountId,
    displayName: session.displayName,
    web,
  });

  /** The bearer strategy, answering its failures as JSON with the RFC 6750 challenge. */
  const bearer = (req: Request, res: Response, next: NextFunction) =>
    passport.authenticate(
      'openplanet-session',
      { session: false },
      (err: unknown, session: PluginSession | false, challenge: string | undefined, status?: number) => {
        if (err) return failure(res, err, log, req);
        if (!session) {
          res.set('WWW-Authenticate', challenge ?? 'Bearer');
          const reason = /error_description="([^"]*)"/.exec(challenge ?? '')?.[1];
          return json(res, status ?? 401, { error: reason ?? 'Missing app token: sign in through POST /api/openplanet/session' });
        }
        req.user = session;
        next();
      },
    )(req, res, next);

  router.post('/api/openplanet/session', ...limited, express.json({ limit: '4kb' }), (req: Request, res: Response, next: NextFunction) => {
    passport.authenticate(
      strategy.name,
      { session: false },
      (err: unknown, profile: OpenplanetProfile | false, info: OpenplanetFailure | undefined, status?: number) => {
        if (err) return failure(res, err, log, req);
        // The strategy's failure texts are fixed (Openplanet's own text is not in them).
        if (!profile) return json(res, status ?? 401, { error: info?.message ?? 'Not signed in', reason: info?.reason });
        Promise.all([sessions.issue(profile), accounts.find(profile.id)]).then(
          ([issued, web]) => json(res, 200, body(issued.session, issued, web)),
          (issueErr: unknown) => failure(res, issueErr, log, req),
        );
      },
    )(req, res, next);
  });

  router.post('/api/openplanet/refresh', ...limited, bearer, (req, res) => {
    const token = /^Bearer +(\S+)/i.exec(req.headers.authorization ?? '')?.[1] ?? '';
    sessions.refresh(token).then(
      async (issued) => json(res, 200, body(issued.session, issued, await accounts.find(issued.session.accountId))),
      (err: unknown) => (err instanceof SessionError ? json(res, 401, { error: err.message }) : failure(res, err, log, req)),
    );
  });

  router.get('/api/openplanet/me', bearer, (req, res) => {
    const session = req.user as PluginSession;
    accounts
      .find(session.accountId)
      .then((web) => json(res, 200, { accountId: session.accountId, displayName: session.displayName, expiresAt: session.expiresAt, web }));
  });

  router.post('/api/openplanet/logout', bearer, (req, res) => {
    sessions.revokeSession((req.user as PluginSession).sessionId).then(
      () => res.status(204).end(),
      (err: unknown) => failure(res, err, log, req),
    );
  });
  return router;
}

/**
 * The plugin API with the plugin secret from the environment (OPENPLANET_SECRET), else against the Openplanet
 * emulator (started here on loopback, closed by `close()`). `POST /api/openplanet/session` is bounded like `/auth`:
 * per client address, at most `maxConcurrentValidations` validations in flight, refusals remembered a minute, and
 * Openplanet left alone 5 s after it failed.
 */
export async function startOpenplanetDemo(
  config: Pick<AppConfig, 'openplanet' | 'sessionSecret'> & { limits?: Pick<AppConfig['limits'], 'authRateLimit' | 'rateLimitWindowSeconds'> },
  options: OpenplanetDemoOptions = {},
): Promise<OpenplanetDemo> {
  const log = options.log ?? ((line: string) => console.error(line));
  const store = options.store ?? new MemoryStore();
  const sessions = new PluginSessions({
    audience: PLUGIN_AUDIENCE,
    issuer: PLUGIN_AUDIENCE,
    keys: options.sessionKeys ?? [derivedKey(config.sessionSecret)],
    lifetime: APP_TOKEN_LIFETIME,
    store,
  });
  const accounts = new WebAccounts(store);
  const limits = config.limits ?? DEFAULT_LIMITS;
  const rateLimitCount = options.rateLimit ?? limits.authRateLimit;
  const limiter =
    rateLimitCount === 0
      ? undefined
      : rateLimit({
          windowMs: limits.rateLimitWindowSeconds * 1000,
          limit: rateLimitCount,
          standardHeaders: 'draft-8',
          legacyHeaders: false,
          // Shared across processes when a store is given; a failing store lets the request through (fails open).
          ...(options.rateLimitStore ? { store: options.rateLimitStore, passOnStoreError: true } : {}),
          handler: (_req, res) => json(res, 429, { error: 'Too many requests from your address: wait a moment, then try again.' }),
        });
  const strategyOptions = {
    userAgent: config.openplanet?.userAgent ?? USER_AGENT,
    // The session route exchanges a plugin token once: a replay of it gets no second session.
    singleUse: true,
    maxConcurrent: options.maxConcurrentValidations ?? 16,
    store,
    ...(options.timeout === undefined ? {} : { timeout: options.timeout }),
  };
  const verify = async (profile: OpenplanetProfile) => profile;
  const made = (strategy: Strategy, emulator?: OpenplanetEmulator) => ({
    router: openplanetRouter(strategy, sessions, accounts, { log, ...(limiter ? { limiter } : {}) }),
    sessions,
    webSignIn: (user: WebSignIn) => accounts.remember(user).catch(() => log('openplanet: a web sign-in could not be remembered (store unavailable)')),
    ...(emulator ? { emulator } : {}),
  });
  if (config.openplanet) {
    const strategy = new Strategy({ secret: config.openplanet.secret, ...strategyOptions }, verify);
    return { ...made(strategy), emulated: false, summary: `${'Openplanet'.padEnd(12)} real endpoint (${strategy.validateURL})`, close: async () => {} };
  }
  if (options.emulatorURL) {
    const validateURL = `${options.emulatorURL}${OPENPLANET_VALIDATE_PATH}`;
    const strategy = new Strategy({ secret: DEFAULT_OPENPLANET_PLUGIN.secret, validateURL, ...strategyOptions }, verify);
    return { ...made(strategy), emulated: true, summary: `${'Openplanet'.padEnd(12)} emulated at ${options.emulatorURL} (shared)`, close: async () => {} };
  }
  const emulator = await startOpenplanetEmulator();
  const strategy = new Strategy({ ...emulator.strategyOptions(), ...strategyOptions }, verify);
  return {
    ...made(strategy, emulator),
    emulated: true,
    summary: `${'Openplanet'.padEnd(12)} emulated at ${emulator.url} (plugin tokens: POST ${emulator.url}/emulator/plugin-token)`,
    close: () => emulator.close(),
  };
}
