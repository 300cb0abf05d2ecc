// Runs the Fastify app in its own process (@fastify/cookie loads `cookie` 2, an ES module, with a dynamic
// `import()`, which jest's module sandbox refuses): options from APP_OPTIONS, one JSON line once listening.
import { buildFastifyApp, type FastifyAppOptions } from './app';

async function main(): Promise<void> {
  const app = await buildFastifyApp(JSON.parse(process.env.APP_OPTIONS ?? '{}') as FastifyAppOptions);
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  process.stdout.write(`${JSON.stringify({ url, fastify: app.version })}\n`);
  process.once('SIGTERM', () => void app.close().then(() => process.exit(0)));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
