// `node --import ./register.mjs main.mts`: runs the Nest app from its TypeScript sources, and the workspace
// packages from theirs, as jest does, with no build. NEST_WORKSPACE (test-support/frameworks/nest11 or nest12)
// says whose dependencies the app's bare imports resolve to: the same app runs on either Nest major.
import { createRequire, register } from 'node:module';
import { pathToFileURL } from 'node:url';

// Workspace package names → src/index.ts, and .ts compiled on require (the CommonJS half).
createRequire(import.meta.url)('../../register-sources.cjs');
const workspace = process.env.NEST_WORKSPACE;
register('./hooks.mjs', import.meta.url, { data: { depsFrom: workspace ? pathToFileURL(`${workspace}/package.json`).href : undefined } });
