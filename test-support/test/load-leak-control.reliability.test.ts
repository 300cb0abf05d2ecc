// The control of the load test's memory check: the same run against an app that keeps each login's token
// response and profile (what code that forgot its per-login state would do) must exceed the allowed growth.
import { MAX_GROWTH_PER_LOGIN, runLoad, startLoadRig, type LoadRig } from '../reliability/load';

jest.setTimeout(180_000);

let rig: LoadRig | undefined;
afterAll(() => rig?.close());

it('the memory check catches an app that keeps a little state per login', async () => {
  rig = await startLoadRig({ RELIABILITY_LEAK: '1' });
  const result = await runLoad(rig);
  process.stdout.write(`leak control: ${result.growthPerLogin.toFixed(1)} bytes per login\n`);
  expect(result.problems).toEqual([]);
  expect(result.growthPerLogin).toBeGreaterThan(MAX_GROWTH_PER_LOGIN);
});
