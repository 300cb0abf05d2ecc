// Plain passport-oauth2 1.8 and every strategy of the collection, driven through the same generated sequences of
// sign-in legs (start options, abandoned legs, callbacks with made-up queries, verify functions of every length and
// behaviour, app callbacks that throw). Each leg's outcome is compared: passport's actions and their arguments, the
// authorize redirect and the token request the provider received, and the session. Where they differ, the
// comparison names the documented difference that allows it (see DIFFERENCES); any other difference fails.
import fc from 'fast-check';
import { PROVIDERS, type AnyEmulator } from '../subjects';
import {
  Browser,
  CALLBACK_PATH,
  CALLS_DONE,
  SESSION_KEY,
  buildStrategy,
  callbackPath,
  runLeg,
  scenarios,
  type Leg,
  type LegOutcome,
  type Observer,
  type Scenario,
} from '../differential';

/**
 * The differences the collection documents (its README, "What differs from passport-oauth2"), each with the test
 * that recognises it in a leg. A leg that differs in one of these ends the sequence: what follows starts from
 * different states.
 */
const DIFFERENCES: Array<{ name: string; applies(leg: Leg, plain: LegOutcome, collection: LegOutcome): boolean }> = [
  {
    // passport-oauth2 asks for an empty scope; the collection for the strategy's, which its profile call needs.
    name: "an empty per-request scope list asks for the strategy's scope",
    applies: (leg, plain, collection) =>
      Array.isArray(leg.start.scope) &&
      leg.start.scope.length === 0 &&
      plain.authorize?.scope === '' &&
      sameExcept(
        { ...plain, authorize: { ...plain.authorize, scope: undefined } },
        { ...collection, authorize: { ...collection.authorize, scope: undefined } },
        [],
      ),
  },
  {
    // The collection answers a sign-in whose verify function plain passport-oauth2 would leave waiting forever: by
    // the returned Promise, with an error for a function that can neither call done nor return a Promise, or at
    // the sign-in's deadline (loginTimeout).
    name: 'a verify that never calls done still ends the sign-in',
    applies: (_leg, plain, collection) => plain.hung && !collection.hung,
  },
  {
    // `?error=` is trusted only with this login's state: the state is checked (and used up), and the provider's
    // text is shown only when it matches.
    name: 'error responses are checked against the state',
    applies: (leg, plain, collection) =>
      leg.callback?.query.kind === 'error' && plain.actions[0]?.[0] === collection.actions[0]?.[0] && sameExcept(plain, collection, ['actions', 'session']),
  },
  {
    // A browser parameter given twice is refused (400), where passport-oauth2 passes an array on.
    name: 'repeated callback parameters are refused',
    applies: (leg, _plain, collection) =>
      (leg.callback?.query.kind === 'repeated-code' || leg.callback?.query.kind === 'repeated-state') &&
      JSON.stringify(collection.actions) === JSON.stringify([['fail', { message: 'Malformed authorization response' }, 400]]),
  },
  {
    // passport-oauth2 calls nothing around a `done` called from a later turn: what the app's callback throws then
    // escapes from `done` (in an app, an uncaught exception). The collection hands it to error().
    name: 'an exception after a later done reaches error()',
    applies: (_leg, plain, collection) =>
      plain.doneThrew && !collection.doneThrew && JSON.stringify(collection.actions) === JSON.stringify([...plain.actions, ['error', 'app-error']]),
  },
];

function sameExcept(a: LegOutcome, b: LegOutcome, keys: Array<keyof LegOutcome>): boolean {
  const strip = (o: LegOutcome) => JSON.stringify({ ...o, ...Object.fromEntries(keys.map((k) => [k, undefined])) });
  return strip(a) === strip(b);
}

/**
 * The collection keeps a per-request scope beside the state (for the callback's profile calls): allowed in the
 * session only as the scope the latest authorize redirect asked for, and gone once a callback used it.
 */
function withoutKeptScope(outcome: LegOutcome, keptScope: string | undefined): LegOutcome {
  const session = outcome.session as Record<string, Record<string, unknown> | undefined>;
  const entry = session[SESSION_KEY];
  if (!entry || !('scope' in entry)) return outcome;
  expect({ keptScope: entry.scope }).toEqual({ keptScope });
  const { scope: _kept, ...rest } = entry;
  const copy = { ...session };
  if (Object.keys(rest).length) copy[SESSION_KEY] = rest;
  else delete copy[SESSION_KEY];
  return { ...outcome, session: copy };
}

const APP_URL = 'http://127.0.0.1:9';

const BASE: Scenario = {
  strategy: {
    state: true,
    store: false,
    pkce: false,
    passReqToCallback: false,
    relativeCallbackURL: false,
    authorizationParamsOverride: false,
    stubbedTokenError: false,
  },
  verify: { length: 4, behaviour: 'done-user' },
  appThrowsOnSuccess: false,
  legs: [{ start: {}, callback: { query: { kind: 'provider' }, sameCallbackURL: false } }],
};

/** Cases found from outside, each a scenario the property could draw: they run first, on every provider. */
function knownCases(scopes: string[] | undefined): Array<[string, Scenario]> {
  const cases: Array<[string, Scenario]> = [
    ['an app callback that throws after success reaches error()', { ...BASE, appThrowsOnSuccess: true }],
    [
      "a stubbed getOAuthAccessToken's { statusCode, data } error goes through parseErrorResponse",
      { ...BASE, strategy: { ...BASE.strategy, stubbedTokenError: true } },
    ],
    ['a function verify is called with the strategy as this', { ...BASE, verify: { length: 4, behaviour: 'done-user' } }],
    [
      "a per-request scope of '' asks for the strategy's scope",
      { ...BASE, legs: [{ start: { scope: '' }, callback: { query: { kind: 'provider' }, sameCallbackURL: false } }] },
    ],
    [
      "a per-request scope of null asks for the strategy's scope",
      { ...BASE, legs: [{ start: { scope: null }, callback: { query: { kind: 'provider' }, sameCallbackURL: false } }] },
    ],
    ['an empty code starts a new authorization', { ...BASE, legs: [{ start: {}, callback: { query: { kind: 'empty-code' }, sameCallbackURL: false } }] }],
    ['an empty error starts a new authorization', { ...BASE, legs: [{ start: {}, callback: { query: { kind: 'empty-error' }, sameCallbackURL: false } }] }],
  ];
  if (scopes) {
    cases.push([
      'an abandoned per-request scope is not used by a later sign-in',
      { ...BASE, legs: [{ start: { scope: [...scopes] } }, { start: {}, callback: { query: { kind: 'provider' }, sameCallbackURL: false } }] },
    ]);
  }
  return cases;
}

interface SubjectRun {
  browser: Browser;
  strategy: ReturnType<typeof buildStrategy>;
  probe: { verifyCalls: LegOutcome['verifyCalls']; returned: boolean; doneThrew: boolean };
  /** Where the provider sent the browser back after the latest authorize redirect. */
  providerAnswer?: URL;
}

async function approve(location: string): Promise<URL | undefined> {
  const res = await fetch(location, { redirect: 'manual' });
  await res.text();
  const to = res.headers.get('location');
  return res.status === 302 && to ? new URL(to) : undefined;
}

describe.each(PROVIDERS.map((p) => [p.name, p] as const))('differential against passport-oauth2 1.8: %s', (_name, provider) => {
  let emulator: AnyEmulator;
  beforeAll(async () => {
    emulator = await provider.start();
    emulator.autoApprove = true;
  });
  afterAll(() => emulator.close());

  function subject(isPlain: boolean, scenario: Scenario): SubjectRun {
    const probe = { verifyCalls: [] as LegOutcome['verifyCalls'], returned: false, doneThrew: false };
    let strategy: SubjectRun['strategy'] | undefined;
    const observer: Observer = {
      verifyCalled: (args, self) => probe.verifyCalls.push({ args, self }),
      verifyReturned: () => (probe.returned = true),
      doneThrew: () => (probe.doneThrew = true),
      strategyOf: () => strategy,
    };
    strategy = buildStrategy(isPlain, provider, emulator, scenario, APP_URL, observer);
    return { browser: new Browser(APP_URL), strategy, probe };
  }

  async function leg(run: SubjectRun, isPlain: boolean, scenario: Scenario, leg: Leg): Promise<LegOutcome[]> {
    // `null` and `''` are kept: what a per-request scope of each does is part of the comparison.
    const startOptions = Object.fromEntries(Object.entries(leg.start).filter(([, value]) => value !== undefined));
    run.probe.returned = false;
    run.probe.doneThrew = false;
    const started = await runLeg(run.strategy, run.browser.request('/auth/differential'), startOptions, scenario, isPlain, run.probe, emulator);
    const outcomes = [started.outcome];
    run.providerAnswer = started.location ? await approve(started.location) : undefined;
    if (!leg.callback) return outcomes;
    const path = run.providerAnswer ? run.providerAnswer.pathname : (leg.start.callbackURL ?? CALLBACK_PATH);
    const callbackOptions: Record<string, unknown> = leg.callback.sameCallbackURL && leg.start.callbackURL ? { callbackURL: leg.start.callbackURL } : {};
    run.probe.returned = false;
    const req = run.browser.request(callbackPath(leg.callback.query, run.providerAnswer?.searchParams, path));
    outcomes.push((await runLeg(run.strategy, req, callbackOptions, scenario, isPlain, run.probe, emulator)).outcome);
    return outcomes;
  }

  /** Runs one scenario on both subjects and compares every leg. */
  async function check(scenario: Scenario): Promise<void> {
    const plain = subject(true, scenario);
    const collection = subject(false, scenario);
    for (const step of scenario.legs) {
      const expected = await leg(plain, true, scenario, step);
      const actual = await leg(collection, false, scenario, step);
      // passport-oauth2's rule, `options.scope || this._scope`: only a truthy per-request scope is one.
      const scope = step.start.scope;
      const keptScope = scope && scope.length ? (Array.isArray(scope) ? scope.join(' ') : scope) : undefined;
      for (let i = 0; i < expected.length; i++) {
        const want = expected[i]!;
        // Kept after the authorize redirect; used up by the callback.
        const got = withoutKeptScope(actual[i]!, i === 0 ? keptScope : undefined);
        if (JSON.stringify(want) === JSON.stringify(got)) continue;
        const allowed = DIFFERENCES.find((d) => d.applies(step, want, got));
        if (allowed) return;
        expect({ leg: i === 0 ? 'authorize' : 'callback', step, outcome: got }).toEqual({ leg: i === 0 ? 'authorize' : 'callback', step, outcome: want });
      }
      // Plain passport-oauth2 left that sign-in waiting: what follows would start from different states.
      if (!CALLS_DONE.has(scenario.verify.behaviour) && step.callback) return;
    }
  }

  it.each(knownCases(provider.perRequestScope))('%s', (_name, scenario) => check(scenario));

  it('gives the outcome plain passport-oauth2 gives, or a documented difference', async () => {
    await fc.assert(fc.asyncProperty(scenarios(provider), check), { numRuns: Number(process.env.DIFFERENTIAL_RUNS ?? 50) });
  }, 300_000);
});
