// Compiled by `tsc -p tsconfig.test.json`: the @ts-expect-error lines fail the type check if the types get looser.
import type { Request } from 'express';
import { Strategy, withTokenResponse, type ManiaplanetProfile, type ManiaplanetTokenResponse, type VerifyDone } from 'passport-maniaplanet';

const base = { clientID: 'id', clientSecret: 'secret', callbackURL: 'https://app.example/cb' };

describe('types', () => {
  it('type every verify form and the profile', () => {
    const strategies = [
      new Strategy({ ...base, scope: ['basic', 'email'] }, async (_accessToken, _refreshToken, profile) => {
        const plain: string = profile.displayNamePlain;
        const zones: string[] = profile.zones;
        const email: string | undefined = profile.emails?.[0]?.value;
        return { id: profile.id, plain, zones, email };
      }),
      new Strategy(
        { ...base, baseURL: 'https://www.maniaplanet.com' },
        withTokenResponse(async (_a, _r, params, profile) => ({ id: profile.id, expires: params.expires_in, plain: profile.displayNamePlain })),
      ),
      new Strategy(base, (_a, _r, profile, done) => done(null, { id: profile.username })),
      new Strategy(base, async (_a, _r, profile, done) => done(null, { id: profile.username, zones: profile.zones })),
      new Strategy(base, (_a: string, _r: string | undefined, params: ManiaplanetTokenResponse, profile: ManiaplanetProfile, done: VerifyDone) =>
        done(null, { id: profile.id, e: params.expires_in }),
      ),
      new Strategy({ ...base, passReqToCallback: true }, async (req, _a, _r, profile) => ({ id: profile.id, path: req.path })),
      new Strategy(
        { ...base, passReqToCallback: true },
        (req: Request, _a: string, _r: string | undefined, params: ManiaplanetTokenResponse, profile: ManiaplanetProfile, done: VerifyDone) =>
          done(null, { id: profile.id, path: req.path, e: params.expires_in }),
      ),
    ];
    expect(strategies.map((s) => s.name)).toEqual(Array(7).fill('maniaplanet'));
  });

  it('refuse the forms passport-oauth2 would misread', () => {
    // prettier-ignore
    // @ts-expect-error async (accessToken, refreshToken, params, profile) would get done as its profile: use withTokenResponse
    expect(() => new Strategy(base, async (_a: string, _r: string | undefined, params: ManiaplanetTokenResponse, profile: ManiaplanetProfile) => ({ id: profile.id, e: params.expires_in }))).not.toThrow();
    // @ts-expect-error neither a Promise nor done
    expect(() => new Strategy(base, (_a: string, _r: string | undefined, profile: ManiaplanetProfile) => ({ id: profile.id }))).not.toThrow();
  });

  it('refuse a scope outside the documented list in an array, and a baseURL that is not a string', () => {
    // @ts-expect-error not a ManiaPlanet scope
    expect(() => new Strategy({ ...base, scope: ['basic', 'profile'] }, async () => false)).toThrow('profile');
    // @ts-expect-error baseURL is a string
    expect(() => new Strategy({ ...base, baseURL: 8080 }, async () => false)).toThrow('baseURL');
  });
});

describe('API calls are typed', () => {
  it('resolve to the documented shapes and refuse a missing token at compile time', async () => {
    const s = new Strategy(base, async () => false);
    const typed = async () => {
      const servers: Array<{ login: string; last_used_date?: { timestamp: number; offset: number } | null }> = await s.dedicatedAccounts('token');
      const titles: Array<{ uid: string; name: string; public: boolean; cost: number }> = await s.titles('token');
      const maps: Array<{ uid: string; author_login: string; private: boolean }> = await s.maps('token');
      return { servers, titles, maps };
    };
    expect(typeof typed).toBe('function');
    // @ts-expect-error the access token is required
    await expect(s.maps()).rejects.toThrow(TypeError);
    // @ts-expect-error the access token is a string
    await expect(s.titles(42)).rejects.toThrow(TypeError);
  });
});
