// Runs the passport-openplanet Nest app in its own process (see main.mts): options from APP_OPTIONS, one JSON line
// with its URL and the version of @nestjs/core; SIGTERM closes it.
import { readFileSync } from 'node:fs';
import { createOpenplanetApp } from './openplanet.mjs';

const app = await createOpenplanetApp(JSON.parse(process.env.APP_OPTIONS ?? '{}'));
await app.listen(0, '127.0.0.1');
const core = JSON.parse(readFileSync(new URL(import.meta.resolve('@nestjs/core/package.json')), 'utf8')) as { version: string };
process.stdout.write(`${JSON.stringify({ url: await app.getUrl(), nest: core.version })}\n`);
process.once('SIGTERM', () => void app.close().then(() => process.exit(0)));
