// Runs in an empty folder where only the packed tarballs, express, express-session and passport are installed:
// signs in through each provider's emulator, using the packages exactly as a user would `require` them.
const express = require('express');
const session = require('express-session');
const passport = require('passport');
const emulators = require('@maniapass/emulators');
const { signInOnce } = require('./sign-in.cjs');

async function main() {
  for (const { pkg, starter } of require('./providers.json')) {
    const { Strategy } = require(pkg);
    const emulator = await emulators[starter]({ autoApprove: true });
    const user = await signInOnce({ express, session, passport, Strategy, emulator });
    await emulator.close();
    console.log(`require ${pkg}: signed in as ${user.id} (${user.displayName})`);
  }
}
main().catch((err) => {
  console.error(err);
  process.exit(1);
});
