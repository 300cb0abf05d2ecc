import type { PassportStrategyInstance } from './passport-strategy';

/** The `done` callback of a callback-style verify function. */
export type VerifyDone = (err?: unknown, user?: object | false | null, info?: unknown) => void;

/** What an `async` verify function resolves to: the user, or `false` for a failed login. */
export type VerifyResult = object | false | null | undefined;

/**
 * Calls a verify function with exactly `args` and `done` last, whatever its declared length; a returned Promise
 * settles the request as well as `done`, whichever comes first. Shared by both strategies of the package.
 */
export function callVerify(strategy: PassportStrategyInstance, verify: (...args: unknown[]) => unknown, args: unknown[]): void {
  let settled = false;
  const done: VerifyDone = (err, user, info) => {
    if (settled) return;
    settled = true;
    if (err) return strategy.error(err);
    if (!user) return strategy.fail(info, 401);
    strategy.success(user, info);
  };
  let result: unknown;
  try {
    result = verify.apply(strategy, [...args, done]);
  } catch (err) {
    return done(err ?? new Error('verify function threw'));
  }
  if (result !== null && typeof result === 'object' && typeof (result as PromiseLike<unknown>).then === 'function') {
    (result as PromiseLike<VerifyResult>).then(
      (user) => {
        // A callback-style function that happens to return a Promise may already have called done.
        if (!settled) done(null, user ?? false);
      },
      (err: unknown) => done(err ?? new Error('verify function rejected')),
    );
  }
}
