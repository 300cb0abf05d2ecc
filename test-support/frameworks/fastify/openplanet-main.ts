// Runs the passport-openplanet Fastify app in its own process (see main.ts for why): options from APP_OPTIONS,
// one JSON line once listening.
import { buildOpenplanetFastifyApp } from './openplanet-app';

async function main(): Promise<void> {
  const app = await buildOpenplanetFastifyApp(JSON.parse(process.env.APP_OPTIONS ?? '{}'));
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  process.stdout.write(`${JSON.stringify({ url, fastify: app.version })}\n`);
  process.once('SIGTERM', () => void app.close().then(() => process.exit(0)));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
