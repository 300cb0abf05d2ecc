// passport-openplanet from `require` in an empty folder with the packed tarballs: it loads without passport-oauth2,
// and a plugin token posted to a JSON API route signs the player in.
const express = require('express');
const passport = require('passport');
const { Strategy } = require('passport-openplanet');
const { startOpenplanetEmulator } = require('@maniapass/emulators');
const { pluginSignInOnce } = require('./openplanet-session.cjs');

async function main() {
  const oauth2 = Object.keys(require.cache).filter((m) => /[\\/]node_modules[\\/](passport-oauth2|oauth|@maniapass[\\/]oauth2-core)[\\/]/.test(m));
  if (oauth2.length) throw new Error(`passport-openplanet loaded ${oauth2.join(', ')}`);
  const user = await pluginSignInOnce({ express, passport, Strategy, startOpenplanetEmulator });
  console.log(`require passport-openplanet: signed in as ${user.id} (${user.displayName})`);
}
main().catch((err) => {
  console.error(err);
  process.exit(1);
});
