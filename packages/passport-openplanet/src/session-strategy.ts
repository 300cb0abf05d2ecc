import type { Request } from 'express';
import { PassportStrategy } from './passport-strategy';
import { SessionError, type PluginSession, type PluginSessions } from './sessions';
import { callVerify, type VerifyDone } from './verify';

/** Options of `SessionStrategy`. */
export interface SessionStrategyOptions {
  /** The sessions whose tokens are accepted. */
  sessions: PluginSessions;
  /** The strategy's name for `passport.authenticate()`. Default `openplanet-session`. */
  name?: string;
  /** `realm` of the `WWW-Authenticate: Bearer` challenge. Default: the sessions' audience. */
  realm?: string;
  /** Pass `req` first to verify. */
  passReqToCallback?: boolean;
}

/** `async (session) => user` or `(session, done) => …`; without one, the user is the session itself. */
export type SessionVerify = (session: PluginSession, done: VerifyDone) => void;
/** The same with `passReqToCallback: true`. */
export type SessionVerifyWithRequest = (req: Request, session: PluginSession, done: VerifyDone) => void;

/** What a token may look like in `Authorization: Bearer <token>` (RFC 6750's b64token), bounded. */
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]{1,4096}=*) *$/i;

/**
 * The second strategy of a plugin backend: reads `Authorization: Bearer <token>`, verifies it with
 * `PluginSessions`, and hands the session to `verify` (or makes it `req.user`). Failures are RFC 6750 challenges:
 * 401 without a token or with a refused one (`error="invalid_token"`), 400 for a malformed header.
 */
class PluginSessionStrategy extends PassportStrategy {
  /** The strategy's name for `passport.authenticate()`: `options.name`, default `openplanet-session`. */
  override name: string;
  private readonly sessions: PluginSessions;
  private readonly realm: string;
  private readonly verify: ((...args: unknown[]) => unknown) | undefined;
  private readonly passReqToCallback: boolean;

  constructor(options: SessionStrategyOptions, verify?: (...args: never[]) => unknown) {
    super();
    if (options === null || typeof options !== 'object' || !options.sessions || typeof options.sessions.verify !== 'function') {
      throw new TypeError('openplanet session strategy requires { sessions } (a PluginSessions)');
    }
    if (verify !== undefined && typeof verify !== 'function') throw new TypeError('openplanet session strategy: verify must be a function');
    const realm = options.realm ?? options.sessions.audience;
    if (!/^[\x20-\x21\x23-\x5b\x5d-\x7e]{1,200}$/.test(realm))
      throw new TypeError('openplanet session strategy: realm must be printable ASCII without quotes or backslashes');
    this.name = options.name ?? 'openplanet-session';
    this.sessions = options.sessions;
    this.realm = realm;
    this.verify = verify as ((...args: unknown[]) => unknown) | undefined;
    this.passReqToCallback = options.passReqToCallback === true;
  }

  /** Verifies the request's bearer token: signs its session in, or fails with a challenge. Called by passport. */
  override authenticate(req: Request, _options?: unknown): void {
    const header = req.headers?.authorization;
    if (header === undefined || header === '') return this.fail(`Bearer realm="${this.realm}"`, 401);
    const token = typeof header === 'string' ? BEARER.exec(header)?.[1] : undefined;
    if (!token) return this.fail(`Bearer realm="${this.realm}", error="invalid_request", error_description="Send Authorization: Bearer <token>"`, 400);
    this.sessions
      .verify(token)
      .then(
        (session) => {
          if (!this.verify) return this.success(session);
          callVerify(this, this.verify, this.passReqToCallback ? [req, session] : [session]);
        },
        (err: unknown) => {
          if (!(err instanceof SessionError)) return this.error(err);
          this.fail(`Bearer realm="${this.realm}", error="invalid_token", error_description="${err.message}"`, 401);
        },
      )
      .catch((err: unknown) => this.error(err));
  }
}

/** The constructor, one signature per `passReqToCallback`, so that TypeScript types the verify function's arguments. */
export interface SessionStrategyConstructor {
  new (options: SessionStrategyOptions & { passReqToCallback?: false }, verify?: SessionVerify): SessionStrategy;
  new (options: SessionStrategyOptions & { passReqToCallback: true }, verify: SessionVerifyWithRequest): SessionStrategy;
}

/**
 * Passport strategy for the app's own session tokens (`Authorization: Bearer`), after `PluginSessions.issue()`.
 *
 * ```ts
 * passport.use(new SessionStrategy({ sessions }));
 * app.get('/api/me', passport.authenticate('openplanet-session', { session: false }), (req, res) => res.json(req.user));
 * ```
 */
export const SessionStrategy: SessionStrategyConstructor = PluginSessionStrategy;
export type SessionStrategy = PluginSessionStrategy;
export { PluginSessionStrategy };
