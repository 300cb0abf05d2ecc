// Faults beside healthy traffic: for each provider, one app signs in with a healthy strategy and with one
// strategy per kind of fault (each against its own emulator that fails that way), all at once. Every faulty
// sign-in must end in a clean failure within the timeout, every healthy one must succeed with its own user,
// and the app must keep serving.
import type { Fault } from '@maniapass/emulators';
import { PROVIDERS, type AnyEmulator, type ReliabilityProvider } from '../reliability/providers';
import { appVerify, startApp, type RunningApp } from '../reliability/app';
import { addUser, hasStack, signIn, type SignInOutcome } from '../reliability/driver';

const TIMEOUT = 500;
// Room on top of the strategy's own timeout and of the slowest healthy callback of the same batch (which says how
// loaded the machine is): a strategy without a timeout would wait on a hung provider until the test times out.
const SLACK = 2000;
const HEALTHY = 20;
const PER_FAULT = 2;

interface FaultCase {
  label: string;
  where: 'authorize' | 'token' | 'profile';
  fault: Fault;
  /** What the app must answer: a failure redirect, or a JSON error of this name (and code). */
  expected: { kind: 'failure' } | { kind: 'error'; name: string; code?: string; status?: number; upstreamStatus?: number };
}

const CASES: FaultCase[] = [
  { label: 'user denies', where: 'authorize', fault: { type: 'deny' }, expected: { kind: 'failure' } },
  { label: 'token 400', where: 'token', fault: { type: 'status', status: 400 }, expected: { kind: 'error', name: 'TokenError', upstreamStatus: 400 } },
  { label: 'token 401', where: 'token', fault: { type: 'status', status: 401 }, expected: { kind: 'error', name: 'TokenError', upstreamStatus: 401 } },
  { label: 'token 500', where: 'token', fault: { type: 'status', status: 500 }, expected: { kind: 'error', name: 'TokenError', upstreamStatus: 500 } },
  { label: 'token 503', where: 'token', fault: { type: 'status', status: 503 }, expected: { kind: 'error', name: 'TokenError', upstreamStatus: 503 } },
  { label: 'token malformed', where: 'token', fault: { type: 'malformed' }, expected: { kind: 'error', name: 'ProviderError', code: 'EBADRESPONSE' } },
  { label: 'token slow', where: 'token', fault: { type: 'delay', ms: TIMEOUT * 2 }, expected: { kind: 'error', name: 'ProviderError', code: 'ETIMEDOUT' } },
  { label: 'token hang', where: 'token', fault: { type: 'hang' }, expected: { kind: 'error', name: 'ProviderError', code: 'ETIMEDOUT' } },
  { label: 'token reset', where: 'token', fault: { type: 'reset' }, expected: { kind: 'error', name: 'ProviderError', code: 'ENETWORK' } },
  {
    label: 'profile 401',
    where: 'profile',
    fault: { type: 'status', status: 401 },
    expected: { kind: 'error', name: 'ProviderError', code: 'EHTTPSTATUS', upstreamStatus: 401 },
  },
  {
    label: 'profile 403',
    where: 'profile',
    fault: { type: 'status', status: 403 },
    expected: { kind: 'error', name: 'ProviderError', code: 'EHTTPSTATUS', upstreamStatus: 403 },
  },
  {
    label: 'profile 500',
    where: 'profile',
    fault: { type: 'status', status: 500 },
    expected: { kind: 'error', name: 'ProviderError', code: 'EHTTPSTATUS', upstreamStatus: 500 },
  },
  {
    label: 'profile 502',
    where: 'profile',
    fault: { type: 'status', status: 502 },
    expected: { kind: 'error', name: 'ProviderError', code: 'EHTTPSTATUS', upstreamStatus: 502 },
  },
  { label: 'profile malformed', where: 'profile', fault: { type: 'malformed' }, expected: { kind: 'error', name: 'ProviderError', code: 'EBADRESPONSE' } },
  { label: 'profile slow', where: 'profile', fault: { type: 'delay', ms: TIMEOUT * 2 }, expected: { kind: 'error', name: 'ProviderError', code: 'ETIMEDOUT' } },
  { label: 'profile hang', where: 'profile', fault: { type: 'hang' }, expected: { kind: 'error', name: 'ProviderError', code: 'ETIMEDOUT' } },
  { label: 'profile reset', where: 'profile', fault: { type: 'reset' }, expected: { kind: 'error', name: 'ProviderError', code: 'ENETWORK' } },
];

jest.setTimeout(60_000);

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);
beforeAll(() => process.on('unhandledRejection', onUnhandled));
afterAll(() => process.off('unhandledRejection', onUnhandled));

describe.each(PROVIDERS.map((p): [string, ReliabilityProvider] => [p.name, p]))('%s: faults beside healthy sign-ins', (_name, provider) => {
  let healthy: AnyEmulator;
  let faulty: AnyEmulator[] = [];
  let app: RunningApp | undefined;
  const faultyName = (i: number) => `${provider.name}-fault-${i}`;

  beforeAll(async () => {
    healthy = await provider.startEmulator();
    faulty = await Promise.all(CASES.map(() => provider.startEmulator()));
    for (const [i, c] of CASES.entries()) {
      const endpoint = c.where === 'profile' ? provider.profileEndpoints[0]! : c.where;
      faulty[i]!.fault(endpoint, c.fault);
    }
    const options = (emulator: AnyEmulator, base: string, name: string) => ({
      ...emulator.strategyOptions(),
      callbackURL: `${base}/auth/${name}/callback`,
      name,
      timeout: TIMEOUT,
    });
    app = await startApp((base) => [
      provider.createStrategy(options(healthy, base, provider.name), appVerify as never),
      ...faulty.map((emulator, i) => provider.createStrategy(options(emulator, base, faultyName(i)), appVerify as never)),
    ]);
    // Warm up, with the default timeout: the first sign-in of a process loads and compiles modules on the way,
    // which on a loaded machine can take longer than the short timeout under test.
    const warm = await startApp((base) => [
      provider.createStrategy({ ...healthy.strategyOptions(), callbackURL: `${base}/auth/${provider.name}/callback` }, appVerify as never),
    ]);
    const user = addUser(healthy);
    const outcome = await signIn(warm.url, provider.name, user.id);
    await warm.close();
    expect(outcome.kind).toBe('success');
  });

  afterAll(async () => {
    await app?.close();
    await Promise.all([healthy, ...faulty].map((e) => e?.close()));
  });

  it(`${HEALTHY} healthy sign-ins succeed while ${CASES.length} kinds of fault fail cleanly within ${TIMEOUT} ms`, async () => {
    const healthyRuns = Array.from({ length: HEALTHY }, async () => {
      const user = addUser(healthy);
      return { user, outcome: await signIn(app!.url, provider.name, user.id) };
    });
    const faultyRuns = CASES.flatMap((c, i) =>
      Array.from({ length: PER_FAULT }, async () => {
        const user = addUser(faulty[i]!);
        return { c, emulator: faulty[i]!, outcome: await signIn(app!.url, faultyName(i), user.id) };
      }),
    );
    const [good, bad] = await Promise.all([Promise.all(healthyRuns), Promise.all(faultyRuns)]);

    expect(good.map(({ outcome }) => ({ kind: outcome.kind, user: outcome.user }))).toEqual(
      good.map(({ user }) => ({ kind: 'success', user: { provider: provider.name, id: provider.profileId(user), displayName: expect.anything() } })),
    );

    const seenOf = (c: FaultCase, o: SignInOutcome) => {
      const seen: Record<string, unknown> = { label: c.label, kind: o.kind };
      if (c.expected.kind === 'error') {
        seen.name = o.error?.name;
        if (c.expected.code) seen.code = o.error?.code;
        if (c.expected.upstreamStatus) seen.upstreamStatus = o.error?.upstreamStatus;
        // Whatever the provider answered, the visitor's status is the collection's one provider-failure status.
        seen.status = o.status;
      }
      return seen;
    };
    const expectedOf = (c: FaultCase) => {
      const { kind, ...rest } = c.expected as { kind: string } & Record<string, unknown>;
      return { label: c.label, kind, ...rest, ...(kind === 'error' ? { status: 500 } : {}) };
    };
    expect(bad.map(({ c, outcome }) => seenOf(c, outcome))).toEqual(bad.map(({ c }) => expectedOf(c)));

    const slowestHealthy = Math.max(...good.map(({ outcome }) => outcome.callbackMs ?? 0));
    const bound = TIMEOUT + slowestHealthy + SLACK;
    for (const { c, emulator, outcome } of bad) {
      // Within the timeout (plus room for a loaded machine), with a status and no stack.
      expect({ label: c.label, withinTimeout: (outcome.callbackMs ?? Infinity) < bound }).toEqual({ label: c.label, withinTimeout: true });
      if (outcome.kind === 'error') expect(outcome.status).toBeGreaterThanOrEqual(400);
      const output = outcome.bodies.join('\n');
      expect(hasStack(output)).toBe(false);
      const secrets = [emulator.clients[0]!.clientSecret, outcome.code].filter((s): s is string => !!s);
      for (const secret of secrets) expect(output).not.toContain(secret);
    }

    // The app keeps serving: health, and a new sign-in with the healthy strategy.
    expect((await fetch(`${app!.url}/health`)).status).toBe(200);
    const user = addUser(healthy);
    expect((await signIn(app!.url, provider.name, user.id)).user).toMatchObject({ id: provider.profileId(user) });
    expect(unhandled).toEqual([]);
  });

  it('a slow provider within the timeout is still a success', async () => {
    const slow = await provider.startEmulator();
    const local = await startApp((base) => [
      provider.createStrategy({ ...slow.strategyOptions(), callbackURL: `${base}/auth/${provider.name}/callback`, timeout: TIMEOUT * 4 }, appVerify as never),
    ]);
    try {
      slow.fault('*', { type: 'delay', ms: 100 });
      const user = addUser(slow);
      const outcome = await signIn(local.url, provider.name, user.id);
      expect(outcome).toMatchObject({ kind: 'success', user: { id: provider.profileId(user) } });
      expect(outcome.callbackMs).toBeGreaterThanOrEqual(200); // token and profile were both delayed
    } finally {
      await local.close();
      await slow.close();
    }
  });
});
