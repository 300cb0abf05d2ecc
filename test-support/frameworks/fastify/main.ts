// Runs a Fastify app of the tests in its own process (@fastify/cookie loads `cookie` 2, an ES module, with a dynamic
// `import()`, which jest's module sandbox refuses): the OAuth strategies' app, or passport-openplanet's with the
// argument `openplanet`; options from APP_OPTIONS, one JSON line once listening.
import type { FastifyInstance } from 'fastify';
import { buildFastifyApp } from './app';
import { buildOpenplanetFastifyApp } from './openplanet-app';

const build = (process.argv[2] === 'openplanet' ? buildOpenplanetFastifyApp : buildFastifyApp) as (options: unknown) => Promise<FastifyInstance>;

async function main(): Promise<void> {
  const app = await build(JSON.parse(process.env.APP_OPTIONS ?? '{}'));
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  process.stdout.write(`${JSON.stringify({ url, fastify: app.version })}\n`);
  process.once('SIGTERM', () => void app.close().then(() => process.exit(0)));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
