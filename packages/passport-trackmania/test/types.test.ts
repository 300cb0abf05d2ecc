// Compile-time checks of the public types (the test command type-checks this file; an unused @ts-expect-error
// fails it), run as well so that each form constructs a strategy.
import type { Request } from 'express';
import { Strategy, withTokenResponse, type TrackmaniaProfile, type TrackmaniaTokenResponse, type VerifyDone } from 'passport-trackmania';

const base = { clientID: 'a', clientSecret: 'b', callbackURL: '/cb' };

describe('verify forms are typed', () => {
  it('infers the arguments of every form without params, async or not, with or without done', () => {
    const forms = [
      new Strategy(base, async (accessToken, refreshToken, profile) => {
        const id: string = profile.id;
        const token: string = accessToken;
        const refresh: string | undefined = refreshToken;
        return { id, token, refresh };
      }),
      new Strategy(base, (_at, _rt, profile, done) => done(null, { id: profile.id })),
      new Strategy(base, async (_at, _rt, profile, done) => {
        done(null, { id: profile.id });
      }),
      new Strategy(base, async () => false),
      new Strategy({ ...base, passReqToCallback: true }, async (req, _at, _rt, profile) => ({ id: profile.id, path: req.path })),
      new Strategy({ ...base, passReqToCallback: true }, (req, _at, _rt, profile, done) => done(null, { id: profile.id, path: req.path })),
      new Strategy({ ...base, passReqToCallback: true }, async (req, _at, _rt, profile, done) => done(null, { id: profile.id, path: req.path })),
    ];
    expect(forms.map((s) => s.name)).toEqual(Array(7).fill('trackmania'));
  });

  it('withTokenResponse types params and profile from the provider', () => {
    const a = new Strategy(
      base,
      withTokenResponse(async (_at, _rt, params, profile) => ({ id: profile.id, expires: params.expires_in, name: profile.displayName })),
    );
    const b = new Strategy(
      { ...base, passReqToCallback: true },
      withTokenResponse(async (req: Request, _at: string, _rt: string | undefined, params: TrackmaniaTokenResponse, profile: TrackmaniaProfile) => ({
        id: profile.id,
        path: req.path,
        e: params.expires_in,
      })),
    );
    expect([a.name, b.name]).toEqual(['trackmania', 'trackmania']);
  });

  it('checks the callback forms with params when their parameters are annotated', () => {
    const forms = [
      new Strategy(base, (_at: string, _rt: string | undefined, params: TrackmaniaTokenResponse, profile: TrackmaniaProfile, done: VerifyDone) =>
        done(null, { id: profile.id, e: params.expires_in }),
      ),
      new Strategy(base, async (_at: string, _rt: string | undefined, params: TrackmaniaTokenResponse, profile: TrackmaniaProfile, done: VerifyDone) =>
        done(null, { id: profile.id, e: params.expires_in }),
      ),
      new Strategy(
        { ...base, passReqToCallback: true },
        (req: Request, _at: string, _rt: string | undefined, params: TrackmaniaTokenResponse, profile: TrackmaniaProfile, done: VerifyDone) =>
          done(null, { id: profile.id, path: req.path, e: params.expires_in }),
      ),
    ];
    expect(forms).toHaveLength(3);
  });

  it('refuses, at compile time, the forms passport-oauth2 would misread', () => {
    // prettier-ignore
    // @ts-expect-error async (accessToken, refreshToken, params, profile) would get done as its profile: use withTokenResponse
    expect(() => new Strategy(base, async (_at: string, _rt: string | undefined, params: TrackmaniaTokenResponse, profile: TrackmaniaProfile) => ({ id: profile.id, e: params.expires_in }))).not.toThrow();
    // @ts-expect-error neither a Promise nor done: the login could never end
    expect(() => new Strategy(base, (_at: string, _rt: string | undefined, profile: TrackmaniaProfile) => ({ id: profile.id }))).not.toThrow();
    // @ts-expect-error an async verify resolves to the user, false or null
    expect(() => new Strategy(base, async () => 42)).not.toThrow();
    // prettier-ignore
    // @ts-expect-error a verify taking req needs passReqToCallback: true
    expect(() => new Strategy(base, (req: Request, _at: string, _rt: string | undefined, profile: TrackmaniaProfile, done: VerifyDone) => done(null, { id: profile.id, p: req.path }))).not.toThrow();
    // prettier-ignore
    // @ts-expect-error withTokenResponse with req needs passReqToCallback: true (and throws without it)
    expect(() => new Strategy(base, withTokenResponse(async (req: Request, _at: string, _rt: string | undefined, _params: TrackmaniaTokenResponse, profile: TrackmaniaProfile) => ({ id: profile.id, p: req.path })))).toThrow('passReqToCallback');
    // prettier-ignore
    // @ts-expect-error withTokenResponse without req does not fit passReqToCallback: true (and throws)
    expect(() => new Strategy({ ...base, passReqToCallback: true }, withTokenResponse(async (_at, _rt, _params, profile) => ({ id: profile.id })))).toThrow('passReqToCallback');
  });

  it('refuses options the strategy cannot honour', () => {
    // @ts-expect-error unknown scope names are refused by the scope type when given as an array of literals
    expect(() => new Strategy({ ...base, scope: ['clubs', 'admin'] as const }, async () => false)).toThrow('Unknown trackmania scope "admin"');
    // @ts-expect-error scopes are space separated
    expect(() => new Strategy({ ...base, scopeSeparator: ',' }, async () => false)).toThrow(/scopeSeparator/);
    expect(() => new Strategy({ ...base, scopeSeparator: ' ', loginTimeout: 5000 }, async () => false)).not.toThrow();
  });
});

describe('API calls are typed', () => {
  it('resolve to the documented shapes and refuse wrong arguments at compile time', async () => {
    const s = new Strategy(base, async () => false);
    const typed = async () => {
      const ids: Record<string, string> = await s.accountIds(['tooInfinite']);
      const clubs: Array<{ id: number; name: string }> = await s.adminClubs('token');
      const maps: Array<{ uid: string; name: string; author: string; thumbnailUrl: string }> = await s.favoriteMaps('token', { length: 5, offset: 10 });
      const done: void = await s.addFavoriteMap('token', 'uid');
      const records: Array<{ mapId: string; time: number; medal: number; timestamp: string }> = await s.mapRecords('token', ['map-id']);
      return { ids, clubs, maps, done, records };
    };
    const refused = () => [
      // @ts-expect-error a list of names, not one name
      s.accountIds('tooInfinite'),
      // @ts-expect-error paging takes numbers
      s.favoriteMaps('token', { length: '5' }),
      // @ts-expect-error the map uid is required
      s.removeFavoriteMap('token'),
      // @ts-expect-error map ids are strings
      s.mapRecords('token', [1]),
    ];
    expect(typeof typed).toBe('function');
    // The calls the compiler refuses are refused at run time too.
    for (const call of refused()) await expect(call).rejects.toThrow(TypeError);
  });
});
