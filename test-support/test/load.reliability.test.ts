// Load: 1000 whole sign-ins through the example app, 50 at a time, spread over every provider, against the emulators. Each sign-in
// approves as its own new user and must end with a session holding exactly that user; afterwards the app's
// heap (measured in its own process, apart from the emulators) must be back near where it started.
import { PROVIDERS } from '../reliability/providers';
import { CONCURRENCY, MAX_GROWTH_PER_LOGIN, SIGN_INS, runLoad, startLoadRig, type LoadRig } from '../reliability/load';

jest.setTimeout(180_000);

let rig: LoadRig | undefined;
afterAll(() => rig?.close());

it(`${SIGN_INS} sign-ins, ${CONCURRENCY} at a time, over every provider: no failure, no mix-up, no state left behind`, async () => {
  rig = await startLoadRig();
  const result = await runLoad(rig);
  process.stdout.write(
    `load: ${SIGN_INS} sign-ins in ${result.elapsedMs} ms; heap ${result.heapBefore} -> ${result.heapAfter} bytes (${result.growthPerLogin.toFixed(1)} per login)\n`,
  );
  expect(result.problems).toEqual([]);
  // Every provider took its share of the sign-ins (each made one new emulator user per sign-in).
  for (const emulator of rig.emulators) expect(emulator.users.length).toBeGreaterThanOrEqual(Math.floor(SIGN_INS / PROVIDERS.length));
  // Every sign-in signed out: no session may stay in the store (not even an empty one).
  expect(result.sessionsLeft).toBe(0);
  expect(result.growthPerLogin).toBeLessThan(MAX_GROWTH_PER_LOGIN);
  expect(result.unhandled).toBe(0);
  // The app still serves its home page.
  expect((await fetch(`${rig.app.url}/`)).status).toBe(200);
});
