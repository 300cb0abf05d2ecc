/** @jest-config-loader esbuild-register */
import type { Config } from 'jest';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';

// Every workspace package resolves to its TypeScript sources, so tests need no build first.
const moduleNameMapper: Record<string, string> = {};
for (const dir of readdirSync(join(__dirname, 'packages'))) {
  const manifest = join(__dirname, 'packages', dir, 'package.json');
  if (!existsSync(manifest)) continue;
  const { name } = JSON.parse(readFileSync(manifest, 'utf8')) as { name: string };
  moduleNameMapper[`^${name.replace('/', '\\/')}$`] = `<rootDir>/packages/${dir}/src/index.ts`;
}

const config: Config = {
  testEnvironment: 'node',
  roots: ['<rootDir>/packages', '<rootDir>/examples', '<rootDir>/test-support'],
  // Every test file; `npm test` leaves out the slow suites by their names (scripts/test.mjs, SLOW_TESTS).
  testMatch: ['**/test/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  moduleNameMapper,
  transform: {
    // Type checking runs once over the whole tree (`npm run typecheck`); here tests are only transpiled.
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.test.json' }],
    // jose ships ESM only: turned into CommonJS for jest (Node loads it as it is).
    '/node_modules/jose/.+\\.js$': '<rootDir>/test-support/esm-transform.cjs',
  },
  transformIgnorePatterns: ['/node_modules/(?!jose/)'],
  testTimeout: 20000,
};

export default config;
