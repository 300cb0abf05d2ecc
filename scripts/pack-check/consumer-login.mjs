// The same sign-in as consumer-login.cjs, through ESM `import` of the CommonJS builds.
import express from 'express';
import session from 'express-session';
import passport from 'passport';
import * as emulators from '@maniapass/emulators';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { signInOnce } = require('./sign-in.cjs');

for (const { pkg, starter } of require('./providers.json')) {
  const { Strategy } = await import(pkg);
  const emulator = await emulators[starter]({ autoApprove: true });
  const user = await signInOnce({ express, session, passport, Strategy, emulator });
  await emulator.close();
  console.log(`import ${pkg}: signed in as ${user.id} (${user.displayName})`);
}
