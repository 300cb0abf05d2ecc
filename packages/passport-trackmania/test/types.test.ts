// Compile-time checks of the public types (the test command type-checks this file), run as well so that each
// form constructs a strategy.
import type { Request } from 'express';
import { Strategy, type TrackmaniaProfile, type TrackmaniaTokenResponse, type VerifyDone } from 'passport-trackmania';

const base = { clientID: 'a', clientSecret: 'b', callbackURL: '/cb' };

describe('verify forms are typed', () => {
  it('infers the arguments of the async form, and of the async form with req', () => {
    const a = new Strategy(base, async (accessToken, refreshToken, profile) => {
      const id: string = profile.id;
      const token: string = accessToken;
      const refresh: string | undefined = refreshToken;
      return { id, token, refresh };
    });
    const b = new Strategy({ ...base, passReqToCallback: true }, async (req, _at, _rt, profile) => ({ id: profile.id, path: req.path }));
    expect([a.name, b.name]).toEqual(['trackmania', 'trackmania']);
  });

  it('checks the other forms when their parameters are annotated', () => {
    const forms = [
      new Strategy(base, async (_at: string, _rt: string | undefined, params: TrackmaniaTokenResponse, profile: TrackmaniaProfile) => ({ id: profile.id, e: params.expires_in })),
      new Strategy(base, (_at: string, _rt: string | undefined, profile: TrackmaniaProfile, done: VerifyDone) => done(null, { id: profile.id })),
      new Strategy(base, (_at: string, _rt: string | undefined, params: TrackmaniaTokenResponse, profile: TrackmaniaProfile, done: VerifyDone) => done(null, { id: profile.id, e: params.expires_in })),
      new Strategy({ ...base, passReqToCallback: true }, (req: Request, _at: string, _rt: string | undefined, params: TrackmaniaTokenResponse, profile: TrackmaniaProfile, done: VerifyDone) =>
        done(null, { id: profile.id, path: req.path, e: params.expires_in })),
    ];
    expect(forms).toHaveLength(4);
  });

  it('refuses, at compile time, a verify that does not fit the options', () => {
    // @ts-expect-error a verify taking req needs passReqToCallback: true
    expect(() => new Strategy(base, (req: Request, _at: string, _rt: string | undefined, profile: TrackmaniaProfile, done: VerifyDone) => done(null, { id: profile.id, p: req.path }))).not.toThrow();
    // @ts-expect-error unknown scope names are refused by the scope type when given as an array of literals
    expect(() => new Strategy({ ...base, scope: ['clubs', 'admin'] as const }, async () => false)).toThrow('Unknown trackmania scope "admin"');
  });
});
