// A Fastify 5 app as its users write it: @fastify/cookie and @fastify/session, @fastify/passport with a user
// serializer pair, a login route and a callback route per strategy. A signed-in user is shown at /me; a failed
// login lands on /failed, which shows the failure messages.
import fastifyCookie from '@fastify/cookie';
import fastifyPassport from '@fastify/passport';
import fastifySession from '@fastify/session';
import Fastify, { type FastifyInstance } from 'fastify';
import { Strategy as ManiaplanetStrategy, type ManiaplanetStrategyOptions } from 'passport-maniaplanet';
import { Strategy as ToornamentStrategy, type ToornamentStrategyOptions } from 'passport-toornament';
import { Strategy as TrackmageStrategy, type TrackmageStrategyOptions } from 'passport-trackmage';
import { Strategy as TrackmaniaStrategy, type TrackmaniaStrategyOptions } from 'passport-trackmania';
import { PROVIDER_IDS } from '../../providers';

/** Each strategy's options but `callbackURL`, which the app sets (relative: resolved against each request). */
export interface FastifyAppOptions {
  trackmania: Omit<TrackmaniaStrategyOptions, 'callbackURL'>;
  maniaplanet: Omit<ManiaplanetStrategyOptions, 'callbackURL'>;
  trackmage: Omit<TrackmageStrategyOptions, 'callbackURL'>;
  toornament: Omit<ToornamentStrategyOptions, 'callbackURL'>;
}

export interface AppUser {
  provider: string;
  id: string;
  displayName: string;
}

declare module 'fastify' {
  interface PassportUser extends AppUser {}
  interface Session {
    messages?: string[];
  }
}

/** Builds the app with every route registered; the caller listens. */
export async function buildFastifyApp(options: FastifyAppOptions): Promise<FastifyInstance> {
  const app = Fastify();
  const passport = new fastifyPassport.Authenticator();
  const users = new Map<string, AppUser>();

  await app.register(fastifyCookie);
  await app.register(fastifySession, { secret: 'a-test-session-secret-of-at-least-32-chars', cookie: { secure: false } });
  await app.register(passport.initialize());
  await app.register(passport.secureSession());

  passport.registerUserSerializer(async (user: AppUser) => `${user.provider}:${user.id}`);
  passport.registerUserDeserializer(async (key: string) => users.get(key) ?? null);

  const verify = async (_accessToken: string, _refreshToken: string | undefined, profile: AppUser): Promise<AppUser> => {
    const user = { provider: profile.provider, id: profile.id, displayName: profile.displayName };
    users.set(`${user.provider}:${user.id}`, user);
    return user;
  };
  passport.use(new TrackmaniaStrategy({ ...options.trackmania, callbackURL: '/auth/trackmania/callback' }, verify));
  passport.use(new ManiaplanetStrategy({ ...options.maniaplanet, callbackURL: '/auth/maniaplanet/callback' }, verify));
  passport.use(new TrackmageStrategy({ ...options.trackmage, callbackURL: '/auth/trackmage/callback' }, verify));
  passport.use(new ToornamentStrategy({ ...options.toornament, callbackURL: '/auth/toornament/callback' }, verify));

  for (const name of PROVIDER_IDS) {
    app.get(`/auth/${name}`, { preValidation: passport.authenticate(name) }, async () => undefined);
    app.get(
      `/auth/${name}/callback`,
      { preValidation: passport.authenticate(name, { failureRedirect: '/failed', failureMessage: true }) },
      async (_request, reply) => reply.redirect('/me'),
    );
  }
  app.get('/me', async (request) => ({ user: request.user ?? null }));
  app.get('/failed', async (request) => ({ messages: request.session.get('messages') ?? [] }));
  return app;
}
