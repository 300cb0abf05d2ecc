// passport-openplanet under Fastify 5 as its users write it: a JSON API route with `{ session: false }`
// (@fastify/passport's callback form, and its default failure answer), and a login route that starts a session.
import fastifyCookie from '@fastify/cookie';
import fastifyPassport from '@fastify/passport';
import fastifySession from '@fastify/session';
import Fastify, { type FastifyInstance } from 'fastify';
import { Strategy, type OpenplanetFailure, type OpenplanetStrategyOptions } from 'passport-openplanet';

interface PlayerUser {
  provider: string;
  id: string;
  displayName: string;
}

/** Builds the app with every route registered; the caller listens. */
export async function buildOpenplanetFastifyApp(options: OpenplanetStrategyOptions): Promise<FastifyInstance> {
  const app = Fastify();
  const passport = new fastifyPassport.Authenticator();
  await app.register(fastifyCookie);
  await app.register(fastifySession, { secret: 'a-test-session-secret-of-at-least-32-chars', cookie: { secure: false }, saveUninitialized: false });
  await app.register(passport.initialize());
  await app.register(passport.secureSession());
  passport.registerUserSerializer(async (user: PlayerUser) => JSON.stringify(user));
  passport.registerUserDeserializer(async (json: string) => JSON.parse(json) as PlayerUser);
  passport.use(new Strategy(options, async (profile) => ({ provider: profile.provider, id: profile.id, displayName: profile.displayName })));

  app.post(
    '/api/session',
    {
      preValidation: passport.authenticate('openplanet', { session: false }, async (_request, reply, err, user, info, status) => {
        if (err) throw err;
        if (!user)
          return reply
            .code(status ?? 401)
            .send({ error: (info as OpenplanetFailure | undefined)?.message, reason: (info as OpenplanetFailure | undefined)?.reason });
        return reply.send({ user });
      }),
    },
    async () => undefined,
  );
  app.post('/api/plain', { preValidation: passport.authenticate('openplanet', { session: false }) }, async (request) => ({ user: request.user }));
  app.post('/login', { preValidation: passport.authenticate('openplanet') }, async (request) => ({ user: request.user }));
  app.get('/me', async (request) => ({ user: request.user ?? null }));
  return app;
}
