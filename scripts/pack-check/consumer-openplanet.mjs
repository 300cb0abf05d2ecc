// The same plugin sign-in as consumer-openplanet.cjs, through ESM `import` of the CommonJS build.
import express from 'express';
import passport from 'passport';
import { Strategy } from 'passport-openplanet';
import { startOpenplanetEmulator } from '@maniapass/emulators';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { pluginSignInOnce } = require('./openplanet-session.cjs');

const user = await pluginSignInOnce({ express, passport, Strategy, startOpenplanetEmulator });
console.log(`import passport-openplanet: signed in as ${user.id} (${user.displayName})`);
