// Compile-time checks of the public types (the test command type-checks this file; an unused @ts-expect-error
// fails it), run as well so that each form constructs a strategy.
import type { Request } from 'express';
import { Strategy, withTokenResponse, type TrackmageProfile, type TrackmageTokenResponse, type VerifyDone } from 'passport-trackmage';

const base = { clientID: 'a', clientSecret: 'b', callbackURL: '/cb' };

describe('verify forms are typed', () => {
  it('infers the forms without params, and withTokenResponse with the token response of TrackMage', () => {
    const forms = [
      new Strategy(base, async (_at, _rt, profile) => ({ id: profile.id, name: profile.displayName })),
      new Strategy(base, (_at, _rt, profile, done) => done(null, { id: profile.id })),
      new Strategy(
        base,
        withTokenResponse(async (_at, _rt, params, profile) => {
          const userId: string | undefined = params.user_id;
          return { id: profile.id, userId };
        }),
      ),
      new Strategy({ ...base, passReqToCallback: true }, async (req, _at, _rt, profile) => ({ id: profile.id, path: req.path })),
      new Strategy(
        { ...base, passReqToCallback: true },
        (req: Request, _at: string, _rt: string | undefined, params: TrackmageTokenResponse, profile: TrackmageProfile, done: VerifyDone) =>
          done(null, { id: profile.id, path: req.path, email: params.user_email }),
      ),
    ];
    expect(forms.map((s) => s.name)).toEqual(Array(5).fill('trackmage'));
  });

  it('refuses the forms passport-oauth2 would misread, and any scope', () => {
    // prettier-ignore
    // @ts-expect-error async (accessToken, refreshToken, params, profile) would get done as its profile: use withTokenResponse
    expect(() => new Strategy(base, async (_at: string, _rt: string | undefined, params: TrackmageTokenResponse, profile: TrackmageProfile) => ({ id: profile.id, u: params.user_id }))).not.toThrow();
    // @ts-expect-error TrackMage has no scopes
    expect(() => new Strategy({ ...base, scope: 'user' }, async () => false)).toThrow('no scopes');
  });
});
