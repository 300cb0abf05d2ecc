// Compile-time checks of the public types (the test command type-checks this file), run as well so that each
// form constructs a strategy.
import type { Request } from 'express';
import {
  Strategy,
  SCOPES,
  withTokenResponse,
  type ToornamentProfile,
  type ToornamentScope,
  type ToornamentTokenResponse,
  type VerifyDone,
} from 'passport-toornament';

const base = { clientID: 'a', clientSecret: 'b', callbackURL: '/cb', apiKey: 'k' };

describe('verify forms are typed', () => {
  it('infers the arguments of every form without params, and of withTokenResponse', () => {
    const a = new Strategy(base, async (accessToken, refreshToken, profile) => {
      const id: string = profile.id;
      const country: string | null = profile.country;
      const token: string = accessToken;
      const refresh: string | undefined = refreshToken;
      return { id, country, token, refresh };
    });
    const b = new Strategy({ ...base, passReqToCallback: true }, async (req, _at, _rt, profile) => ({ id: profile.id, path: req.path }));
    const c = new Strategy(base, (_at, _rt, profile, done) => done(null, { id: profile.id, country: profile.country }));
    const d = new Strategy(
      base,
      withTokenResponse(async (_at, _rt, params, profile) => ({ id: profile.id, scope: params.scope })),
    );
    expect([a, b, c, d].map((s) => s.name)).toEqual(Array(4).fill('toornament'));
  });

  it('checks the forms with params when their parameters are annotated', () => {
    const forms = [
      new Strategy(base, async (_at: string, _rt: string | undefined, params: ToornamentTokenResponse, profile: ToornamentProfile, done: VerifyDone) =>
        done(null, { id: profile.id, s: params.scope }),
      ),
      new Strategy(base, (_at: string, _rt: string | undefined, profile: ToornamentProfile, done: VerifyDone) => done(null, { id: profile.id })),
      new Strategy(base, (_at: string, _rt: string | undefined, params: ToornamentTokenResponse, profile: ToornamentProfile, done: VerifyDone) =>
        done(null, { id: profile.id, e: params.expires_in }),
      ),
      new Strategy(
        { ...base, passReqToCallback: true },
        (req: Request, _at: string, _rt: string | undefined, params: ToornamentTokenResponse, profile: ToornamentProfile, done: VerifyDone) =>
          done(null, { id: profile.id, path: req.path, e: params.expires_in }),
      ),
    ];
    expect(forms).toHaveLength(4);
  });

  it('refuses, at compile time, what does not fit', () => {
    const { apiKey: _omitted, ...noKey } = base;
    // @ts-expect-error apiKey is required
    expect(() => new Strategy(noKey, async () => false)).toThrow('apiKey');
    // prettier-ignore
    // @ts-expect-error async (accessToken, refreshToken, params, profile) would get done as its profile: use withTokenResponse
    expect(() => new Strategy(base, async (_at: string, _rt: string | undefined, params: ToornamentTokenResponse, profile: ToornamentProfile) => ({ id: profile.id, s: params.scope }))).not.toThrow();
    // prettier-ignore
    // @ts-expect-error a verify taking req needs passReqToCallback: true
    expect(() => new Strategy(base, (req: Request, _at: string, _rt: string | undefined, profile: ToornamentProfile, done: VerifyDone) => done(null, { id: profile.id, p: req.path }))).not.toThrow();
    // @ts-expect-error unknown scope names are refused by the scope type when given as an array of literals
    expect(() => new Strategy({ ...base, scope: ['user:info', 'email'] as const }, async () => false)).toThrow('Unknown toornament scope "email"');
  });

  it('exports the scopes as a typed list', () => {
    const scope: ToornamentScope = 'organizer:view';
    expect(SCOPES).toContain(scope);
    expect(SCOPES).toHaveLength(14);
  });
});
