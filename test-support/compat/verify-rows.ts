// Rows: the verify function. passport-oauth2 1.8 picks the arguments from the function's declared length alone
// (params at 5, or 6 with passReqToCallback; done always last); the collection does the same, and also lets a
// returned Promise settle the login (see the oauth2-core README, "Verify").
import { withTokenResponse } from '@maniapass/oauth2-core';
import type { Request, Response } from 'express';
import { REFRESH, Recorder, USER, shapeOf, type Session, type Subject } from './subjects';
import type { Row } from './table';

type Done = (err: unknown, user?: object | false, info?: object) => void;

const STATE = { state: true };

/** Waits (event-loop turns, at most 5 s) until `condition` holds. */
export async function until(condition: () => boolean): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > 5000) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/**
 * passport-oauth2 ignores what a verify function returns: after the function's Promise has settled the callback
 * is still unanswered, until the test calls the `done` it was given (the last argument).
 */
async function expectPromiseIgnored(session: Session, rec: Recorder, user: object | false = USER) {
  const { callbackPath } = await session.begin();
  let settled = false;
  const pending = session.finish(callbackPath!).finally(() => {
    settled = true;
  });
  await until(() => rec.calls.length === 1);
  // Long enough for a settled Promise to have been acted on (it is already settled: the functions return at once).
  await new Promise((resolve) => setTimeout(resolve, 50));
  expect(settled).toBe(false);
  (rec.last.at(-1) as Done)(null, user);
  return pending;
}

/** A sign-in whose verify is built from a recorder; returns the outcome and the recorded arguments' shape. */
async function signInWith(s: Subject, verify: (rec: Recorder) => (...args: never[]) => unknown, options: Record<string, unknown> = {}) {
  const rec = new Recorder();
  const session = await s.start({ options: { ...STATE, ...options }, verify: verify(rec) });
  const outcome = await session.signIn();
  return { outcome, rec, shape: rec.calls.length ? shapeOf(s, rec.last) : [] };
}

export const verifyRows: Row[] = [
  {
    name: 'verify (accessToken, refreshToken, profile, done)',
    async run(s) {
      const { outcome, shape } = await signInWith(
        s,
        (rec) =>
          function (_at: string, _rt: string, _profile: unknown, done: Done) {
            rec.record(arguments);
            done(null, USER);
          },
      );
      expect(outcome).toEqual({ kind: 'success', user: USER });
      expect(shape).toEqual(['string', REFRESH, 'profile', 'done']);
    },
  },
  {
    name: 'verify (accessToken, refreshToken, params, profile, done) gets the token response as params',
    async run(s) {
      const { outcome, shape, rec } = await signInWith(
        s,
        (rec) =>
          function (_at: string, _rt: string, _params: unknown, _profile: unknown, done: Done) {
            rec.record(arguments);
            done(null, USER);
          },
      );
      expect(outcome).toEqual({ kind: 'success', user: USER });
      expect(shape).toEqual(['string', REFRESH, 'params', 'profile', 'done']);
      expect((rec.last[2] as { access_token: string }).access_token).toBe(rec.last[0]);
    },
  },
  {
    name: 'passReqToCallback: verify (req, accessToken, refreshToken, profile, done)',
    async run(s) {
      const { outcome, shape, rec } = await signInWith(
        s,
        (rec) =>
          function (_req: Request, _at: string, _rt: string, _profile: unknown, done: Done) {
            rec.record(arguments);
            done(null, USER);
          },
        { passReqToCallback: true },
      );
      expect(outcome).toEqual({ kind: 'success', user: USER });
      expect(shape).toEqual(['req', 'string', REFRESH, 'profile', 'done']);
      expect((rec.last[0] as Request).path).toBe(`/auth/${s.provider.name}/callback`);
    },
  },
  {
    name: 'passReqToCallback: verify (req, accessToken, refreshToken, params, profile, done)',
    async run(s) {
      const { outcome, shape } = await signInWith(
        s,
        (rec) =>
          function (_req: Request, _at: string, _rt: string, _params: unknown, _profile: unknown, done: Done) {
            rec.record(arguments);
            done(null, USER);
          },
        { passReqToCallback: true },
      );
      expect(outcome).toEqual({ kind: 'success', user: USER });
      expect(shape).toEqual(['req', 'string', REFRESH, 'params', 'profile', 'done']);
    },
  },
  {
    name: 'async (accessToken, refreshToken, profile, done) that awaits, then calls done',
    async run(s) {
      const { outcome, shape } = await signInWith(
        s,
        (rec) =>
          async function (_at: string, _rt: string, _profile: unknown, done: Done) {
            rec.record(arguments);
            await new Promise((resolve) => setTimeout(resolve, 1));
            done(null, USER);
          },
      );
      expect(outcome).toEqual({ kind: 'success', user: USER });
      expect(shape).toEqual(['string', REFRESH, 'profile', 'done']);
    },
  },
  {
    name: 'async (accessToken, refreshToken, params, profile, done)',
    async run(s) {
      const { outcome, shape } = await signInWith(
        s,
        (rec) =>
          async function (_at: string, _rt: string, _params: unknown, _profile: unknown, done: Done) {
            rec.record(arguments);
            await Promise.resolve();
            done(null, USER);
          },
      );
      expect(outcome).toEqual({ kind: 'success', user: USER });
      expect(shape).toEqual(['string', REFRESH, 'params', 'profile', 'done']);
    },
  },
  {
    name: 'passReqToCallback: async (req, accessToken, refreshToken, profile, done)',
    async run(s) {
      const { outcome, shape } = await signInWith(
        s,
        (rec) =>
          async function (_req: Request, _at: string, _rt: string, _profile: unknown, done: Done) {
            rec.record(arguments);
            await Promise.resolve();
            done(null, USER);
          },
        { passReqToCallback: true },
      );
      expect(outcome).toEqual({ kind: 'success', user: USER });
      expect(shape).toEqual(['req', 'string', REFRESH, 'profile', 'done']);
    },
  },
  {
    name: 'an async verify that calls done after its Promise has resolved',
    async run(s) {
      const { outcome } = await signInWith(s, () => async (_at: string, _rt: string, _profile: unknown, done: Done) => {
        setTimeout(() => done(null, USER), 20);
      });
      expect(outcome).toEqual({ kind: 'success', user: USER });
    },
  },
  {
    name: 'done called before a Promise that resolves to another user: done wins',
    async run(s) {
      const { outcome } = await signInWith(s, () => async (_at: string, _rt: string, _profile: unknown, done: Done) => {
        done(null, USER);
        return { id: 'from-the-promise' };
      });
      expect(outcome).toEqual({ kind: 'success', user: USER });
    },
  },
  {
    name: '@nestjs/passport callbackArity: an async (...params) callback whose length is set to validate.length + 1',
    async run(s) {
      const rec = new Recorder();
      // What PassportStrategy(Strategy, name, true) builds around validate(accessToken, refreshToken, profile).
      const validate = function (_at: string, _rt: string, _profile: unknown) {
        rec.record(arguments);
        return Promise.resolve(USER);
      };
      const callback = async (...params: unknown[]) => {
        const done = params[params.length - 1] as Done;
        try {
          done(null, await (validate as (...args: unknown[]) => Promise<object>)(...params));
        } catch (err) {
          done(err);
        }
      };
      Object.defineProperty(callback, 'length', { value: validate.length + 1 });
      const session = await s.start({ options: STATE, verify: callback });
      expect(await session.signIn()).toEqual({ kind: 'success', user: USER });
      expect(shapeOf(s, rec.last)).toEqual(['string', REFRESH, 'profile', 'done']);
    },
  },
  {
    name: '@nestjs/passport without callbackArity: an async (...params) callback of length 0',
    async run(s) {
      const rec = new Recorder();
      const validate = function (_at: string, _rt: string, _profile: unknown) {
        rec.record(arguments);
        return Promise.resolve(USER);
      };
      const callback = async (...params: unknown[]) => {
        const done = params[params.length - 1] as Done;
        done(null, await (validate as (...args: unknown[]) => Promise<object>)(...params));
      };
      const session = await s.start({ options: STATE, verify: callback });
      expect(await session.signIn()).toEqual({ kind: 'success', user: USER });
      expect(shapeOf(s, rec.last)).toEqual(['string', REFRESH, 'profile', 'done']);
    },
  },
  {
    name: 'differs: async (accessToken, refreshToken, profile) without done: its Promise settles the login (passport-oauth2 ignores it)',
    async run(s) {
      const rec = new Recorder();
      const verify = async function (_at: string, _rt: string, _profile: unknown) {
        rec.record(arguments);
        return USER;
      };
      const session = await s.start({ options: STATE, verify });
      const outcome = s.isPlain ? await expectPromiseIgnored(session, rec) : await session.signIn();
      expect(outcome).toEqual({ kind: 'success', user: USER });
      // Both hand it done all the same, as the function's fourth argument.
      expect(shapeOf(s, rec.last)).toEqual(['string', REFRESH, 'profile', 'done']);
    },
  },
  {
    name: 'differs: passReqToCallback, async (req, accessToken, refreshToken, profile) without done settles the login by its Promise',
    async run(s) {
      const rec = new Recorder();
      const verify = async function (_req: Request, _at: string, _rt: string, _profile: unknown) {
        rec.record(arguments);
        return USER;
      };
      const session = await s.start({ options: { ...STATE, passReqToCallback: true }, verify });
      const outcome = s.isPlain ? await expectPromiseIgnored(session, rec) : await session.signIn();
      expect(outcome).toEqual({ kind: 'success', user: USER });
      expect(shapeOf(s, rec.last)).toEqual(['req', 'string', REFRESH, 'profile', 'done']);
    },
  },
  {
    name: 'differs: the old async (accessToken, refreshToken, params, profile) gets (profile, done) as passport-oauth2 gives it, never the token response',
    async run(s) {
      const rec = new Recorder();
      const verify = async function (_at: string, _rt: string, _params: unknown, _profile: unknown) {
        rec.record(arguments);
        return USER;
      };
      const session = await s.start({ options: STATE, verify });
      const outcome = s.isPlain ? await expectPromiseIgnored(session, rec) : await session.signIn();
      expect(outcome).toEqual({ kind: 'success', user: USER });
      expect(shapeOf(s, rec.last)).toEqual(['string', REFRESH, 'profile', 'done']);
    },
  },
  {
    name: 'differs: an async verify resolving to false fails the login, one rejecting is an error (passport-oauth2 ignores both)',
    async run(s) {
      const rec = new Recorder();
      const failing = async function (_at: string, _rt: string, _profile: unknown) {
        rec.record(arguments);
        return false as const;
      };
      const session = await s.start({ options: STATE, verify: failing });
      expect(s.isPlain ? await expectPromiseIgnored(session, rec, false) : await session.signIn()).toEqual({ kind: 'failure', messages: [] });

      const rejecting = new Recorder();
      const broken = await s.start({
        options: STATE,
        // A rejected Promise (already handled here, so that passport-oauth2 dropping it is not an unhandled rejection).
        verify: function (_at: string, _rt: string, _profile: unknown) {
          rejecting.record(arguments);
          const rejected = Promise.reject(new Error('database down'));
          rejected.catch(() => undefined);
          return rejected;
        },
      });
      if (s.isPlain) {
        // Nothing but done ends the login: the rejection is lost.
        const { callbackPath } = await broken.begin();
        const pending = broken.finish(callbackPath!);
        await until(() => rejecting.calls.length === 1);
        (rejecting.last.at(-1) as Done)(new Error('database down'));
        expect(await pending).toMatchObject({ kind: 'error', status: 500, error: { message: 'database down' } });
      } else {
        expect(await broken.signIn()).toMatchObject({ kind: 'error', status: 500, error: { message: 'database down' } });
      }
    },
  },
  {
    name: 'withTokenResponse(async (accessToken, refreshToken, params, profile) => user) is a length-5 verify both run',
    async run(s) {
      const rec = new Recorder();
      const verify = withTokenResponse(async function (_at: string, _rt: string | undefined, _params: unknown, _profile: unknown) {
        rec.record(arguments);
        return USER;
      } as never);
      expect(verify.length).toBe(5);
      const session = await s.start({ options: STATE, verify });
      expect(await session.signIn()).toEqual({ kind: 'success', user: USER });
      expect(shapeOf(s, rec.last)).toEqual(['string', REFRESH, 'params', 'profile']);
    },
  },
  {
    name: 'withTokenResponse with req first is a length-6 verify for passReqToCallback; false fails the login',
    async run(s) {
      const rec = new Recorder();
      const verify = withTokenResponse(async function (_req: Request, _at: string, _rt: string | undefined, _params: unknown, _profile: unknown) {
        rec.record(arguments);
        return rec.calls.length === 1 ? USER : false;
      } as never);
      expect(verify.length).toBe(6);
      const session = await s.start({ options: { ...STATE, passReqToCallback: true }, verify });
      expect(await session.signIn()).toEqual({ kind: 'success', user: USER });
      expect(shapeOf(s, rec.last)).toEqual(['req', 'string', REFRESH, 'params', 'profile']);
      expect(await session.signIn()).toEqual({ kind: 'failure', messages: [] });
    },
  },
  {
    name: 'done(null, false, { message }) fails the login with that message (failureMessage)',
    async run(s) {
      const session = await s.start({
        options: STATE,
        verify: (_at: string, _rt: string, _p: unknown, done: Done) => done(null, false, { message: 'Your account is suspended' }),
      });
      expect(await session.signIn()).toEqual({ kind: 'failure', messages: ['Your account is suspended'] });
    },
  },
  {
    name: 'done(err) and a throw in verify are errors',
    async run(s) {
      const viaDone = await s.start({ options: STATE, verify: (_at: string, _rt: string, _p: unknown, done: Done) => done(new Error('lookup failed')) });
      expect(await viaDone.signIn()).toMatchObject({ kind: 'error', status: 500, error: { message: 'lookup failed' } });
      const viaThrow = await s.start({
        options: STATE,
        verify: (_at: string, _rt: string, _p: unknown, _done: Done) => {
          throw new Error('bug in verify');
        },
      });
      expect(await viaThrow.signIn()).toMatchObject({ kind: 'error', status: 500, error: { message: 'bug in verify' } });
    },
  },
  {
    name: 'the info of done(null, user, info) reaches req.authInfo',
    async run(s) {
      const session = await s.start({
        options: STATE,
        verify: (_at: string, _rt: string, _p: unknown, done: Done) => done(null, USER, { message: 'Welcome back', plan: 'pro' }),
        app: { afterCallback: (req: Request, res: Response) => void res.json({ user: req.user, authInfo: req.authInfo }) },
      });
      expect(await session.signIn()).toEqual({
        kind: 'response',
        status: 200,
        body: { user: USER, authInfo: { message: 'Welcome back', plan: 'pro' } },
        location: undefined,
      });
    },
  },
  {
    name: 'the info of done(null, user, info) reaches a custom authenticate() callback',
    async run(s) {
      const session = await s.start({
        options: STATE,
        verify: async (_at: string, _rt: string, _p: unknown, done: Done) => done(null, USER, { message: 'Welcome back' }),
        app: { customCallback: (res, err, user, info) => void res.json({ err: err ?? null, user, info }) },
      });
      expect(await session.signIn()).toMatchObject({ kind: 'response', status: 200, body: { err: null, user: USER, info: { message: 'Welcome back' } } });
    },
  },
];
