// The plugin API: an Openplanet plugin posts the token it got from Auth::GetToken() once, passport-openplanet asks
// Openplanet who that is, and the plugin gets this app's own signed token for its later calls. No browser, no
// session: the JSON API case most plugin servers are.
import { createHmac, timingSafeEqual } from 'node:crypto';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { Passport } from 'passport';
import { startOpenplanetEmulator, type OpenplanetEmulator } from '@maniapass/emulators';
import { ProviderError, Strategy, type OpenplanetFailure, type OpenplanetProfile } from 'passport-openplanet';
import type { AppConfig } from './config';
import { USER_AGENT } from './demos';

/** Seconds an app token is valid: the plugin signs in again (with a fresh Openplanet token) after that. */
export const APP_TOKEN_LIFETIME = 3600;

export interface OpenplanetDemo {
  /** `POST /api/openplanet/session` and `GET /api/openplanet/me`. */
  router: Router;
  emulated: boolean;
  emulator?: OpenplanetEmulator;
  /** The line `npm start` prints. */
  summary: string;
  close(): Promise<void>;
}

interface AppTokenClaims {
  /** The Trackmania account id. */
  sub: string;
  name: string;
  exp: number;
}

/** The app's own tokens: `<claims, base64url JSON>.<HMAC-SHA256 of them>`, with an expiry. */
export class AppTokens {
  constructor(private readonly key: Buffer) {}

  issue(profile: OpenplanetProfile, nowSeconds = Math.floor(Date.now() / 1000)): { token: string; expiresAt: number } {
    const claims: AppTokenClaims = { sub: profile.id, name: profile.displayName, exp: nowSeconds + APP_TOKEN_LIFETIME };
    const body = Buffer.from(JSON.stringify(claims)).toString('base64url');
    return { token: `${body}.${this.mac(body).toString('base64url')}`, expiresAt: claims.exp };
  }

  /** The claims of a token this app issued and that has not expired, or `undefined`. */
  read(token: string): AppTokenClaims | undefined {
    const [body, mac, extra] = token.split('.');
    if (!body || !mac || extra !== undefined) return undefined;
    const given = Buffer.from(mac, 'base64url');
    const expected = this.mac(body);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    let claims: Partial<AppTokenClaims>;
    try {
      claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Partial<AppTokenClaims>;
    } catch {
      return undefined;
    }
    if (typeof claims.sub !== 'string' || typeof claims.name !== 'string' || typeof claims.exp !== 'number') return undefined;
    return claims.exp > Date.now() / 1000 ? (claims as AppTokenClaims) : undefined;
  }

  private mac(body: string): Buffer {
    return createHmac('sha256', this.key).update(body).digest();
  }
}

function json(res: Response, status: number, body: unknown): void {
  res.status(status).set('Cache-Control', 'no-store').json(body);
}

/** The routes, on a strategy of their own (their own passport instance: nothing to share with the sign-in pages). */
export function openplanetRouter(strategy: Strategy, tokens: AppTokens, log: (line: string) => void): Router {
  const passport = new Passport();
  passport.use(strategy);
  const router = express.Router();

  router.post('/api/openplanet/session', express.json({ limit: '4kb' }), (req: Request, res: Response, next: NextFunction) => {
    passport.authenticate(strategy.name, { session: false }, (err: unknown, user: OpenplanetProfile | false, info: OpenplanetFailure | undefined, status?: number) => {
      if (err instanceof ProviderError) {
        // Openplanet failed, not the player: 502 (504 when it did not answer in time). The message has no secret.
        log(`${req.method} ${req.path}: ${err.name}: ${err.message}`);
        return json(res, err.code === 'ETIMEDOUT' ? 504 : 502, { error: err.message });
      }
      if (err) return next(err);
      if (!user) return json(res, status ?? 401, { error: info?.message ?? 'Not signed in', reason: info?.reason });
      const { token, expiresAt } = tokens.issue(user);
      json(res, 200, { token, tokenType: 'Bearer', expiresAt, accountId: user.id, displayName: user.displayName });
    })(req, res, next);
  });

  router.get('/api/openplanet/me', (req, res) => {
    const match = /^Bearer ([A-Za-z0-9_.-]{1,2048})$/.exec(req.headers.authorization ?? '');
    const claims = match?.[1] ? tokens.read(match[1]) : undefined;
    if (!claims) {
      res.set('WWW-Authenticate', 'Bearer');
      return json(res, 401, { error: 'Missing, invalid or expired app token: sign in again through POST /api/openplanet/session' });
    }
    json(res, 200, { accountId: claims.sub, displayName: claims.name, expiresAt: claims.exp });
  });
  return router;
}

/**
 * The plugin API with the plugin secret from the environment (OPENPLANET_SECRET), else against the Openplanet
 * emulator (started here on loopback, closed by `close()`). App tokens are signed with a key derived from the
 * session secret.
 */
export async function startOpenplanetDemo(
  config: Pick<AppConfig, 'openplanet' | 'sessionSecret'>,
  options: { log?: (line: string) => void; timeout?: number } = {},
): Promise<OpenplanetDemo> {
  const log = options.log ?? ((line: string) => console.error(line));
  const tokens = new AppTokens(createHmac('sha256', config.sessionSecret).update('openplanet app tokens').digest());
  const verify = async (profile: OpenplanetProfile) => profile;
  const timeout = options.timeout === undefined ? {} : { timeout: options.timeout };
  if (config.openplanet) {
    const strategy = new Strategy({ secret: config.openplanet.secret, userAgent: config.openplanet.userAgent ?? USER_AGENT, ...timeout }, verify);
    return { router: openplanetRouter(strategy, tokens, log), emulated: false, summary: `${'Openplanet'.padEnd(12)} real endpoint (${strategy.validateURL})`, close: async () => {} };
  }
  const emulator = await startOpenplanetEmulator();
  const strategy = new Strategy({ ...emulator.strategyOptions(), userAgent: USER_AGENT, ...timeout }, verify);
  return {
    router: openplanetRouter(strategy, tokens, log),
    emulated: true,
    emulator,
    summary: `${'Openplanet'.padEnd(12)} emulated at ${emulator.url} (plugin tokens: POST ${emulator.url}/emulator/plugin-token)`,
    close: () => emulator.close(),
  };
}
