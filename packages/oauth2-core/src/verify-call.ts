// The one verify rule: how a verify function is called and how its outcome settles a login. Its own module, so
// that the callback leg (loaded with the first sign-in, see legs.ts) and adaptVerify share it without the rest of
// verify.ts.
import type { AnyFunction, VerifyDone } from './verify';

/** What one verify call gets, and where its outcome goes. */
export interface VerifyCall {
  req: unknown;
  accessToken: string;
  refreshToken: string | undefined;
  params: unknown;
  profile: unknown;
  /** Settles the login: called once by the caller's rule, whichever of `done` and the Promise comes first. */
  done: VerifyDone;
  /** An exception the function threw (also after it called `done`). */
  thrown(err: unknown): void;
}

/**
 * The one verify rule. The function is called with `self` as `this` and the arguments passport-oauth2 1.8 gives a
 * function of its declared length (`params` only at length 5, or 6 with `passReqToCallback`; `done` always last).
 * A returned Promise settles the login too: its value is the user (`false` or `null` fail it), a rejection is an
 * error. A Promise that resolves to nothing from a function that declares `done` (or takes `...args`) leaves the
 * login to `done`; from any other function it is a failed login. A value that is not a Promise, returned by a
 * function that cannot see `done`, is an error. Anything else is left to `done`, which a function may reach through
 * `arguments` or a default parameter whatever its declared length; the sign-in's deadline ends the wait for one that
 * never calls it.
 */
export function callVerify(verify: AnyFunction, self: unknown, passReqToCallback: boolean, call: VerifyCall): void {
  const arity = verify.length;
  const wantsParams = arity === (passReqToCallback ? 6 : 5);
  const args: unknown[] = passReqToCallback ? [call.req] : [];
  args.push(call.accessToken, call.refreshToken);
  if (wantsParams) args.push(call.params);
  args.push(call.profile, call.done);
  const seesDone = arity === 0 || arity >= args.length;
  let result: unknown;
  try {
    result = (verify as (...a: unknown[]) => unknown).apply(self, args);
  } catch (err) {
    return call.thrown(err);
  }
  if (!isThenable(result)) {
    // A value returned where passport-oauth2 ignores it: the user, meant to settle the login, from a function that
    // cannot see done. An error at once, rather than a wait for a done that will not come.
    if (result !== undefined && !seesDone) {
      call.done(
        new TypeError(
          `verify function declares ${arity} parameters, so it cannot see done, and returned a value that is not a Promise: make it async, or declare done and call it`,
        ),
      );
    }
    return;
  }
  result.then(
    (user) => {
      if (user !== undefined || !seesDone) call.done(null, (user ?? false) as object | false);
    },
    (err: unknown) => call.done(err ?? new Error('verify function rejected')),
  );
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return value !== null && (typeof value === 'object' || typeof value === 'function') && typeof (value as PromiseLike<unknown>).then === 'function';
}
