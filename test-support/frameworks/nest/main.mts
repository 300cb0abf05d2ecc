// Runs the app in its own process: options from APP_OPTIONS, then one JSON line with its URL and the version
// of @nestjs/core it runs on; SIGTERM closes it.
import { readFileSync } from 'node:fs';
import { createApp, type NestAppOptions } from './app.mjs';

const app = await createApp(JSON.parse(process.env.APP_OPTIONS ?? '{}') as NestAppOptions);
await app.listen(0, '127.0.0.1');
const core = JSON.parse(readFileSync(new URL(import.meta.resolve('@nestjs/core/package.json')), 'utf8')) as { version: string };
process.stdout.write(`${JSON.stringify({ url: await app.getUrl(), nest: core.version })}\n`);
process.once('SIGTERM', () => void app.close().then(() => process.exit(0)));
