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
