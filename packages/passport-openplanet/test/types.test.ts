// Compile-time checks of the public types (the test command type-checks this file), run as well so that each
// form constructs a strategy.
import type { Request } from 'express';
import {
  PluginSessions,
  SessionStrategy,
  Strategy,
  type IssuedSession,
  type OpenplanetProfile,
  type PluginSession,
  type VerifyDone,
} from 'passport-openplanet';

const base = { secret: 's' };

describe('verify forms are typed', () => {
  it('infers the profile (and req) of every form', () => {
    const forms = [
      new Strategy(base, async (profile) => {
        const id: string = profile.id;
        const time: number | undefined = profile.tokenTime;
        return { id, time };
      }),
      new Strategy(base, (profile, done) => done(null, { id: profile.id })),
      new Strategy({ ...base, passReqToCallback: true }, async (req, profile) => ({ id: profile.id, path: req.path })),
      new Strategy({ ...base, passReqToCallback: true }, (req, profile, done) => done(null, { id: profile.id, path: req.path })),
      new Strategy(base, (profile: OpenplanetProfile, done: VerifyDone) => done(null, false, { message: profile.displayName })),
    ];
    expect(forms.map((s) => s.name)).toEqual(Array(5).fill('openplanet'));
  });

  it('refuses, at compile time, a verify that does not fit the options', () => {
    // @ts-expect-error a verify taking req needs passReqToCallback: true
    expect(() => new Strategy(base, (req: Request, profile: OpenplanetProfile, done: VerifyDone) => done(null, { id: profile.id, p: req.path }))).not.toThrow();
    // @ts-expect-error the secret is required
    expect(() => new Strategy({}, async () => false)).toThrow('secret');
  });
});

describe('session types', () => {
  it('infers the session of every SessionStrategy form, and what issue() gives', async () => {
    const sessions = new PluginSessions({ audience: 'a', issuer: 'b', keys: [{ id: 'k', secret: 'k'.repeat(32) }] });
    const forms = [
      new SessionStrategy({ sessions }),
      new SessionStrategy({ sessions }, async (session) => ({ id: session.accountId })),
      new SessionStrategy({ sessions }, (session, done) => done(null, { id: session.accountId, sid: session.sessionId })),
      new SessionStrategy({ sessions, passReqToCallback: true }, async (req, session: PluginSession) => ({ id: session.accountId, path: req.path })),
    ];
    expect(forms.map((s) => s.name)).toEqual(Array(4).fill('openplanet-session'));
    const issued: IssuedSession = await sessions.issue({ id: 'abc', displayName: 'x' });
    const expiresAt: number = issued.expiresAt;
    expect(expiresAt).toBeGreaterThan(0);
    // prettier-ignore
    // @ts-expect-error a verify taking req needs passReqToCallback: true
    expect(() => new SessionStrategy({ sessions }, (req: Request, session: PluginSession, done: VerifyDone) => done(null, { p: req.path, s: session }))).not.toThrow();
    // @ts-expect-error audience and issuer are required
    expect(() => new PluginSessions({ keys: [{ id: 'k', secret: 'k'.repeat(32) }] })).toThrow('audience');
  });
});
