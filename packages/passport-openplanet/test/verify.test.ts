// Every verify form: the exact arguments it gets, and how its outcome (done, a Promise, a throw) settles the request.
import type { Request } from 'express';
import { startOpenplanetEmulator, type OpenplanetEmulator } from '@maniapass/emulators';
import { Strategy, type OpenplanetProfile, type VerifyDone } from 'passport-openplanet';
import { startApiApp, type ApiApp } from './app';

let emulator: OpenplanetEmulator;
let app: ApiApp | undefined;
beforeAll(async () => {
  emulator = await startOpenplanetEmulator();
});
afterAll(() => emulator.close());
afterEach(async () => {
  await app?.close();
  app = undefined;
});

async function post(strategy: Strategy, route = '/api/session') {
  app = await startApiApp(strategy);
  return app.agent.post(route).send({ token: emulator.issuePluginToken() });
}

describe('verify', () => {
  it('(profile, done): gets exactly the profile and done', async () => {
    const calls: unknown[][] = [];
    const res = await post(
      new Strategy(emulator.strategyOptions(), (...args: unknown[]) => {
        calls.push(args);
        (args[1] as VerifyDone)(null, { id: (args[0] as OpenplanetProfile).id });
      }),
    );
    expect(res.body.user).toEqual({ id: emulator.users[0]!.accountId });
    expect(calls).toHaveLength(1);
    expect(calls[0]).toHaveLength(2);
    expect(calls[0]![0]).toMatchObject({ provider: 'openplanet', id: emulator.users[0]!.accountId, displayName: emulator.users[0]!.displayName });
    expect(typeof calls[0]![1]).toBe('function');
  });

  it('(req, profile, done) with passReqToCallback', async () => {
    const res = await post(
      new Strategy({ ...emulator.strategyOptions(), passReqToCallback: true }, function (req: Request, profile: OpenplanetProfile, done: VerifyDone) {
        done(null, { id: profile.id, path: req.path, args: arguments.length });
      }),
    );
    expect(res.body.user).toEqual({ id: emulator.users[0]!.accountId, path: '/api/session', args: 3 });
  });

  it('async (profile) => user, and async (req, profile) => user', async () => {
    expect((await post(new Strategy(emulator.strategyOptions(), async (profile) => ({ id: profile.id })))).body.user).toEqual({
      id: emulator.users[0]!.accountId,
    });
    await app!.close();
    const withReq = new Strategy({ ...emulator.strategyOptions(), passReqToCallback: true }, async (req, profile) => ({ id: profile.id, method: req.method }));
    expect((await post(withReq)).body.user).toEqual({ id: emulator.users[0]!.accountId, method: 'POST' });
  });

  it('a function of declared length 0 (as @nestjs/passport builds) still gets done last', async () => {
    const verify = async (...params: unknown[]) => {
      const done = params[params.length - 1] as VerifyDone;
      done(null, { id: (params[0] as OpenplanetProfile).id, count: params.length });
    };
    expect(verify.length).toBe(0);
    expect((await post(new Strategy(emulator.strategyOptions(), verify as never))).body.user).toEqual({ id: emulator.users[0]!.accountId, count: 2 });
  });

  it('false, from done or from the Promise, fails the request with 401 and the info given', async () => {
    const viaDone = await post(
      new Strategy(emulator.strategyOptions(), (_p: OpenplanetProfile, done: VerifyDone) => done(null, false, { message: 'banned player' })),
    );
    expect([viaDone.status, viaDone.body.error]).toEqual([401, 'banned player']);
    await app!.close();
    const viaPromise = await post(new Strategy(emulator.strategyOptions(), async () => false), '/api/plain');
    expect([viaPromise.status, viaPromise.text]).toEqual([401, 'Unauthorized']);
    await app!.close();
    const viaUndefined = await post(new Strategy(emulator.strategyOptions(), async () => undefined));
    expect(viaUndefined.status).toBe(401);
  });

  it('an error, from done, a rejection or a throw, goes to the error handler as it is', async () => {
    const cases: Array<(profile: OpenplanetProfile, done: VerifyDone) => unknown> = [
      (_p, done) => done(Object.assign(new Error('database down'), { status: 503 })),
      async () => {
        throw Object.assign(new Error('database down'), { status: 503 });
      },
      () => {
        throw Object.assign(new Error('database down'), { status: 503 });
      },
    ];
    for (const verify of cases) {
      const res = await post(new Strategy(emulator.strategyOptions(), verify as never));
      expect([res.status, res.body.error.message]).toEqual([503, 'database down']);
      await app!.close();
    }
    const rejectedWithNothing = await post(new Strategy(emulator.strategyOptions(), (() => Promise.reject(undefined)) as never));
    expect([rejectedWithNothing.status, rejectedWithNothing.body.error.message]).toEqual([500, 'verify function rejected']);
  });

  it('done and a Promise both settling: the first one wins, the request is answered once', async () => {
    const res = await post(
      new Strategy(emulator.strategyOptions(), (async (profile: OpenplanetProfile, done: VerifyDone) => {
        done(null, { id: profile.id, from: 'done' });
        return { id: profile.id, from: 'promise' };
      }) as never),
    );
    expect(res.body.user).toEqual({ id: emulator.users[0]!.accountId, from: 'done' });
    await app!.close();
    const late = await post(
      new Strategy(emulator.strategyOptions(), (async (profile: OpenplanetProfile, done: VerifyDone) => {
        setTimeout(() => done(new Error('too late')), 20);
        return { id: profile.id, from: 'promise' };
      }) as never),
    );
    expect(late.body.user).toEqual({ id: emulator.users[0]!.accountId, from: 'promise' });
    await new Promise((resolve) => setTimeout(resolve, 40));
  });

  it('each request gets its own copy of the profile: a verify that changes it changes nothing for the next', async () => {
    const seen: string[] = [];
    const strategy = new Strategy(emulator.strategyOptions(), async (profile) => {
      seen.push(profile.displayName);
      profile.displayName = 'changed';
      (profile._json as Record<string, unknown>).display_name = 'changed';
      return { id: profile.id };
    });
    app = await startApiApp(strategy);
    const token = emulator.issuePluginToken();
    await app.agent.post('/api/session').send({ token });
    await app.agent.post('/api/session').send({ token });
    expect(seen).toEqual([emulator.users[0]!.displayName, emulator.users[0]!.displayName]);
  });

  it('a subclass may define validate(), as @nestjs/passport has its users do', async () => {
    class WithValidate extends Strategy {
      validate(profile: OpenplanetProfile) {
        return { id: profile.id, via: 'validate' };
      }
    }
    const strategy = new WithValidate(emulator.strategyOptions(), (async (profile: OpenplanetProfile) =>
      (strategy as WithValidate).validate(profile)) as never);
    expect((await post(strategy)).body.user).toEqual({ id: emulator.users[0]!.accountId, via: 'validate' });
  });
});
