// Typed binding to passport-strategy, the base class of every Passport strategy. It ships no types, and
// @types/passport-strategy would bring @types/passport and @types/express with every install; this declares
// the part the strategy uses, so that the published declarations stand on their own.

/** A passport-strategy instance, with the actions passport gives it for each request. */
export interface PassportStrategyInstance {
  /** The strategy's name for `passport.authenticate()`. */
  name?: string;
  /** Handles one request: ends by calling exactly one of the actions below. */
  authenticate(req: unknown, options?: unknown): void;
  /** Signs `user` in (passport's action). */
  success(user: object, info?: unknown): void;
  /** Refuses the request with a challenge and a status, 401 by default (passport's action). */
  fail(challenge?: unknown, status?: number): void;
  /** Redirects the browser to `url` (passport's action). */
  redirect(url: string, status?: number): void;
  /** Lets the request through without signing anyone in (passport's action). */
  pass(): void;
  /** Fails the request with a server error (passport's action). */
  error(err: unknown): void;
}

// eslint-disable-next-line @typescript-eslint/no-require-imports -- passport-strategy ships no types; typed here
export const PassportStrategy = require('passport-strategy') as new () => PassportStrategyInstance;
