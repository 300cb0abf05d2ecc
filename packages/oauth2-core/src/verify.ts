import type { Request } from 'express';
import type { TokenResponse } from '@maniapass/http';
import { callVerify } from './verify-call';

/** The `done` callback of a verify function: `done(err)`, `done(null, user, info)`, or `done(null, false, info)` to fail. */
export type VerifyDone = (err?: unknown, user?: object | false, info?: object) => void;

/**
 * What an `async` verify function resolves to: the user, or `false` (or `null`) for a failed login. `boolean`
 * is allowed so that `async () => false`, written on its own, type-checks (its type widens to boolean).
 */
export type VerifyResult = object | boolean | null | undefined;

// The forms passport-oauth2 1.8 calls, by declared length: `params` (the token response) only at length 5
// (6 with `req`), `done` always last. An `async` function that declares no `done` is still passed one.

/**
 * `async (accessToken, refreshToken, profile) => user`, or `async (accessToken, refreshToken, profile, done)`:
 * the returned Promise settles the login, unless `done` is called first.
 */
export type AsyncVerify<P> = (accessToken: string, refreshToken: string | undefined, profile: P, done: VerifyDone) => PromiseLike<VerifyResult | void>;
/** `(accessToken, refreshToken, profile, done)`, `async` or not. */
export type CallbackVerify<P> = (accessToken: string, refreshToken: string | undefined, profile: P, done: VerifyDone) => unknown;
/** `(accessToken, refreshToken, params, profile, done)`, `async` or not; also what `withTokenResponse()` returns. */
export type CallbackVerifyWithParams<P, T> = (accessToken: string, refreshToken: string | undefined, params: T, profile: P, done: VerifyDone) => unknown;
/** `async (req, accessToken, refreshToken, profile) => user` (`passReqToCallback: true`), `done` optional. */
export type AsyncVerifyWithRequest<P> = (
  req: Request,
  accessToken: string,
  refreshToken: string | undefined,
  profile: P,
  done: VerifyDone,
) => PromiseLike<VerifyResult | void>;
/** `(req, accessToken, refreshToken, profile, done)`, `async` or not. */
export type CallbackVerifyWithRequest<P> = (req: Request, accessToken: string, refreshToken: string | undefined, profile: P, done: VerifyDone) => unknown;
/** `(req, accessToken, refreshToken, params, profile, done)`, `async` or not. */
export type CallbackVerifyWithRequestAndParams<P, T> = (
  req: Request,
  accessToken: string,
  refreshToken: string | undefined,
  params: T,
  profile: P,
  done: VerifyDone,
) => unknown;

/** Every verify form without `req`. */
export type VerifyFunction<P, T extends TokenResponse = TokenResponse> = AsyncVerify<P> | CallbackVerify<P> | CallbackVerifyWithParams<P, T>;
/** Every verify form with `req` first (`passReqToCallback: true`). */
export type VerifyFunctionWithRequest<P, T extends TokenResponse = TokenResponse> =
  AsyncVerifyWithRequest<P> | CallbackVerifyWithRequest<P> | CallbackVerifyWithRequestAndParams<P, T>;

// Marks what withTokenResponse() built, so that the core can refuse a form that does not fit passReqToCallback.
const TOKEN_RESPONSE_FORM = Symbol.for('maniapass.withTokenResponse');

/**
 * `withTokenResponse(async (accessToken, refreshToken, params, profile) => user)`: an `async` verify without
 * `done` that gets the token response (`params`). It returns the length-5 callback form passport-oauth2 gives
 * `params` to (length 6 when the function takes `req` first, for `passReqToCallback: true`), so it works with
 * plain passport-oauth2 too. The Promise's value is the user (`false` or `null` = failure); a rejection is an error.
 */
export interface WithTokenResponse<P, T> {
  (verify: (accessToken: string, refreshToken: string | undefined, params: T, profile: P) => PromiseLike<VerifyResult>): CallbackVerifyWithParams<P, T>;
  (
    verify: (req: Request, accessToken: string, refreshToken: string | undefined, params: T, profile: P) => PromiseLike<VerifyResult>,
  ): CallbackVerifyWithRequestAndParams<P, T>;
}

/**
 * Any function.
 * @inline
 */
export type AnyFunction = (...args: never[]) => unknown;

function settleWith(run: () => unknown, done: VerifyDone): void {
  let result: unknown;
  try {
    result = run();
  } catch (err) {
    done(err);
    return;
  }
  Promise.resolve(result).then(
    (user) => done(null, (user ?? false) as object | false),
    (err: unknown) => done(err ?? new Error('verify function rejected')),
  );
}

/** See `WithTokenResponse`. Each provider package re-exports it typed with its own profile and token response. */
export function withTokenResponse<P = unknown, T extends TokenResponse = TokenResponse>(
  verify: (accessToken: string, refreshToken: string | undefined, params: T, profile: P) => PromiseLike<VerifyResult>,
): CallbackVerifyWithParams<P, T>;
export function withTokenResponse<P = unknown, T extends TokenResponse = TokenResponse>(
  verify: (req: Request, accessToken: string, refreshToken: string | undefined, params: T, profile: P) => PromiseLike<VerifyResult>,
): CallbackVerifyWithRequestAndParams<P, T>;
export function withTokenResponse(verify: AnyFunction): AnyFunction {
  if (typeof verify !== 'function') throw new TypeError('withTokenResponse() takes a function (accessToken, refreshToken, params, profile) => Promise<user>');
  const call = verify as (...args: unknown[]) => unknown;
  // The declared length says whether `req` comes first, as it does for passport-oauth2.
  const withRequest = verify.length >= 5;
  const wrapped = withRequest
    ? function verifyWithTokenResponse(req: unknown, accessToken: unknown, refreshToken: unknown, params: unknown, profile: unknown, done: VerifyDone) {
        settleWith(() => call(req, accessToken, refreshToken, params, profile), done);
      }
    : function verifyWithTokenResponse(accessToken: unknown, refreshToken: unknown, params: unknown, profile: unknown, done: VerifyDone) {
        settleWith(() => call(accessToken, refreshToken, params, profile), done);
      };
  Object.defineProperty(wrapped, TOKEN_RESPONSE_FORM, { value: withRequest ? 'request' : 'plain' });
  return wrapped as AnyFunction;
}

/** Refuses a `withTokenResponse()` form that does not fit `passReqToCallback` (at construction). */
export function checkVerifyForm(verify: AnyFunction, passReqToCallback: boolean): void {
  if (typeof verify !== 'function') throw new TypeError('a verify function is required');
  const form = (verify as unknown as Record<symbol, unknown>)[TOKEN_RESPONSE_FORM];
  if (form === 'request' && !passReqToCallback) {
    throw new TypeError('withTokenResponse() got a function that takes req first: set passReqToCallback: true, or drop req from its parameters');
  }
  if (form === 'plain' && passReqToCallback) {
    throw new TypeError(
      'withTokenResponse() got a function without req, but passReqToCallback is true: take (req, accessToken, refreshToken, params, profile)',
    );
  }
}

/**
 * Calls a user's verify function by the one rule (see `callVerify`), for code that drives a verify function
 * itself. Returns the six-argument form `(req, accessToken, refreshToken, params, profile, done)`; `done` is called
 * once. A Promise that resolves to nothing from a function that declares `done` waits for `done` at most
 * `doneTimeout` ms (default 30000).
 */
export function adaptVerify(
  verify: AnyFunction,
  passReqToCallback: boolean,
  options: { doneTimeout?: number } = {},
): (req: Request, accessToken: string, refreshToken: string | undefined, params: TokenResponse, profile: unknown, done: VerifyDone) => void {
  checkVerifyForm(verify, passReqToCallback);
  const doneTimeout = options.doneTimeout ?? 30_000;
  return function verifyAdapter(this: unknown, req, accessToken, refreshToken, params, profile, done) {
    let settled = false;
    const once: VerifyDone = (err, user, info) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      done(err, user, info);
    };
    const timer = setTimeout(() => once(new Error(`verify function did not settle the login within ${doneTimeout} ms`)), doneTimeout);
    timer.unref();
    callVerify(verify, this, passReqToCallback, { req, accessToken, refreshToken, params, profile, done: once, thrown: (err) => once(err) });
  };
}

/** @inline */
type NoRequest = { passReqToCallback?: false };
/** @inline */
type WithRequest = { passReqToCallback: true };

// Fewer parameters are always assignable in TypeScript: this is how the types tell a callback that declares
// `done` (or `params` and `done`) from a shorter function that passport-oauth2 would call differently, such as
// an `async (accessToken, refreshToken, params, profile)`, which would get `done` as its profile.
/** @inline */
type Declares<F, N extends number> = F extends (...args: infer A) => unknown
  ? A['length'] extends N
    ? unknown
    : { 'this verify form must declare done last (or use withTokenResponse for params without done)': never }
  : never;

/**
 * The constructor type of a provider strategy: one signature per verify form, so that TypeScript types the
 * verify function's arguments from the form the user writes (all but the forms with `params`, which need
 * annotations or `withTokenResponse`), and refuses the forms passport-oauth2 would misread. The first signature
 * of each group gives the parameter types.
 */
export interface StrategyConstructor<S, O, P, T extends TokenResponse = TokenResponse> {
  new (options: O & NoRequest, verify: AsyncVerify<P>): S;
  new <F extends CallbackVerify<P>>(options: O & NoRequest, verify: F & Declares<F, 4>): S;
  new <F extends CallbackVerifyWithParams<P, T>>(options: O & NoRequest, verify: F & Declares<F, 5>): S;
  new (options: O & WithRequest, verify: AsyncVerifyWithRequest<P>): S;
  new <F extends CallbackVerifyWithRequest<P>>(options: O & WithRequest, verify: F & Declares<F, 5>): S;
  new <F extends CallbackVerifyWithRequestAndParams<P, T>>(options: O & WithRequest, verify: F & Declares<F, 6>): S;
}
