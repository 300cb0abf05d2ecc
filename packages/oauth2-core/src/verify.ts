import type { Request } from 'express';
import type { TokenResponse } from '@maniapass/http';

/** The `done` callback of a callback-style verify function. */
export type VerifyDone = (err?: unknown, user?: object | false, info?: object) => void;

/** What an `async` verify function resolves to: the user, or `false` for a failed login. */
export type VerifyResult = object | false | null | undefined;

/**
 * Every verify form of passport-oauth2 (with or without `params`, the token response), plus the same forms as
 * `async` functions without `done`. An `async` function's value is the user (`false` = failure); a rejection is
 * an error.
 */
export type VerifyFunction<P, T extends TokenResponse = TokenResponse> =
  | ((accessToken: string, refreshToken: string | undefined, profile: P) => Promise<VerifyResult>)
  | ((accessToken: string, refreshToken: string | undefined, params: T, profile: P) => Promise<VerifyResult>)
  | ((accessToken: string, refreshToken: string | undefined, profile: P, done: VerifyDone) => void)
  | ((accessToken: string, refreshToken: string | undefined, params: T, profile: P, done: VerifyDone) => void);

/** The same forms, with the request first (`passReqToCallback: true`). */
export type VerifyFunctionWithRequest<P, T extends TokenResponse = TokenResponse> =
  | ((req: Request, accessToken: string, refreshToken: string | undefined, profile: P) => Promise<VerifyResult>)
  | ((req: Request, accessToken: string, refreshToken: string | undefined, params: T, profile: P) => Promise<VerifyResult>)
  | ((req: Request, accessToken: string, refreshToken: string | undefined, profile: P, done: VerifyDone) => void)
  | ((req: Request, accessToken: string, refreshToken: string | undefined, params: T, profile: P, done: VerifyDone) => void);

type AnyVerify = (...args: unknown[]) => unknown;

/**
 * Turns any supported verify form into the six-argument callback form passport-oauth2 calls, so that one code
 * path serves them all. Which arguments a function wants is read from its declared length; for an `async`
 * function that length has no `done`.
 */
export function adaptVerify(
  verify: AnyVerify,
  passReqToCallback: boolean,
  onSettled?: (accessToken: string) => void,
): (req: Request, accessToken: string, refreshToken: string | undefined, params: TokenResponse, profile: unknown, done: VerifyDone) => void {
  const isAsync = verify.constructor?.name === 'AsyncFunction';
  const callbackArity = isAsync ? verify.length + 1 : verify.length;
  const wantsParams = callbackArity >= (passReqToCallback ? 6 : 5);

  return function verifyAdapter(req, accessToken, refreshToken, params, profile, done) {
    onSettled?.(accessToken);
    let settled = false;
    const once: VerifyDone = (err, user, info) => {
      if (settled) return;
      settled = true;
      done(err, user, info);
    };
    const args: unknown[] = passReqToCallback ? [req] : [];
    args.push(accessToken, refreshToken);
    if (wantsParams) args.push(params);
    args.push(profile, once);
    let result: unknown;
    try {
      result = verify(...args);
    } catch (err) {
      once(err);
      return;
    }
    if (result !== null && typeof result === 'object' && typeof (result as PromiseLike<unknown>).then === 'function') {
      (result as PromiseLike<VerifyResult>).then(
        (user) => {
          // A callback-style function that happens to return a Promise may already have called done.
          if (!settled) once(null, user ?? false);
        },
        (err: unknown) => once(err ?? new Error('verify function rejected')),
      );
    }
  };
}

type NoRequest = { passReqToCallback?: false };
type WithRequest = { passReqToCallback: true };

/**
 * The constructor type of a provider strategy: one signature per verify form, so that TypeScript types the
 * verify function's arguments from the form the user writes.
 */
export interface StrategyConstructor<S, O, P, T extends TokenResponse = TokenResponse> {
  new (options: O & NoRequest, verify: (accessToken: string, refreshToken: string | undefined, profile: P) => Promise<VerifyResult>): S;
  new (options: O & NoRequest, verify: (accessToken: string, refreshToken: string | undefined, params: T, profile: P) => Promise<VerifyResult>): S;
  new (options: O & NoRequest, verify: (accessToken: string, refreshToken: string | undefined, profile: P, done: VerifyDone) => void): S;
  new (options: O & NoRequest, verify: (accessToken: string, refreshToken: string | undefined, params: T, profile: P, done: VerifyDone) => void): S;
  new (options: O & WithRequest, verify: (req: Request, accessToken: string, refreshToken: string | undefined, profile: P) => Promise<VerifyResult>): S;
  new (options: O & WithRequest, verify: (req: Request, accessToken: string, refreshToken: string | undefined, params: T, profile: P) => Promise<VerifyResult>): S;
  new (options: O & WithRequest, verify: (req: Request, accessToken: string, refreshToken: string | undefined, profile: P, done: VerifyDone) => void): S;
  new (options: O & WithRequest, verify: (req: Request, accessToken: string, refreshToken: string | undefined, params: T, profile: P, done: VerifyDone) => void): S;
}
