// Hostile input through the example app itself: random callback query strings and random token and profile
// bodies, for every provider. Every answer must be a page without a stack trace, without the client secret,
// the code or a token, and the app must keep serving; no promise may be left rejected unhandled.
import fc from 'fast-check';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { PROVIDERS, type AnyEmulator, type ReliabilityProvider } from '../reliability/providers';
import { createExampleApp } from '../reliability/example-app';
import { hasStack, signIn } from '../reliability/driver';

const RUNS = 100;
const TIMEOUT = 1000;

jest.setTimeout(120_000);

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);
beforeAll(() => process.on('unhandledRejection', onUnhandled));
afterAll(() => process.off('unhandledRejection', onUnhandled));

let emulators: AnyEmulator[] = [];
let server: Server;
let url = '';
const logged: string[] = [];

beforeAll(async () => {
  emulators = await Promise.all(PROVIDERS.map((p) => p.startEmulator()));
  for (const emulator of emulators) emulator.autoApprove = true;
  const app = createExampleApp(
    PROVIDERS.map((p, i) => ({ name: p.name, options: { ...emulators[i]!.strategyOptions(), timeout: TIMEOUT } })),
    { log: (line) => logged.push(line) },
  );
  server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  await Promise.all(emulators.map((e) => e.close()));
});

const anyString = fc.oneof(
  fc.constant(''),
  fc.string(),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ minLength: 1000, maxLength: 3000 }),
  fc.constantFrom('%', '%zz', '<script>alert(1)</script>', '__proto__', 'access_denied', '{"a":'),
);
const queryKey = fc.oneof(fc.constantFrom('code', 'state', 'error', 'error_description', 'error_uri', 'code[]', 'state[]', 'error[]', '__proto__', 'returnTo'), fc.string({ maxLength: 8 }));
const bodies = fc.oneof(
  fc.jsonValue().map((v) => JSON.stringify(v)),
  fc.dictionary(fc.constantFrom('access_token', 'token_type', 'expires_in', 'refresh_token', 'scope', 'error', 'error_description', 'user_id', 'id', 'accountId', 'login', 'nickname', 'name', 'displayName'), fc.oneof(anyString, fc.integer(), fc.constant(null), fc.object({ maxDepth: 1 }))).map((o) => JSON.stringify(o)),
  anyString,
);
const statuses = fc.constantFrom(200, 200, 201, 204, 400, 401, 403, 404, 500, 502, 503);

/** A page is clean when it shows no stack and none of the given secrets, and a 5xx is an HTML page. */
function expectCleanPage(status: number, text: string, contentType: string | undefined, secrets: string[]): void {
  expect(hasStack(text)).toBe(false);
  if (status >= 500) expect(contentType ?? '').toMatch(/text\/html/);
  for (const secret of secrets) if (secret.length >= 8) expect(text).not.toContain(secret);
}

describe.each(PROVIDERS.map((p, i): [string, ReliabilityProvider, number] => [p.name, p, i]))('example app, %s: hostile input', (_name, provider, index) => {
  const emulator = () => emulators[index]!;
  const secret = () => emulator().clients[0]!.clientSecret;

  afterEach(async () => {
    emulator().clearFaults();
    expect(unhandled).toEqual([]);
    expect((await fetch(`${url}/`)).status).toBe(200);
  });

  it('any callback query string gets a clean page', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(queryKey, anyString), { maxLength: 5 }), fc.boolean(), async (pairs, withState) => {
        const agent = request.agent(url);
        const start = await agent.get(`/auth/${provider.name}`);
        const state = new URL(start.headers.location as string).searchParams.get('state') ?? '';
        const parts = pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`);
        if (withState) parts.push(`state=${state}`);
        const res = await agent.get(`/auth/${provider.name}/callback?${parts.join('&')}`);
        expectCleanPage(res.status, res.text ?? '', res.headers['content-type'], [secret()]);
      }),
      { numRuns: RUNS },
    );
  });

  it.each(['token', 'profile'] as const)('any %s answer ends the sign-in on a clean page', async (where) => {
    const endpoint = where === 'token' ? 'token' : provider.profileEndpoints[0]!;
    await fc.assert(
      fc.asyncProperty(statuses, bodies, async (status, body) => {
        emulator().fault(endpoint, { type: 'status', status, body, headers: { 'Content-Type': 'application/json' } }, { times: 1 });
        const outcome = await signIn(url, provider.name);
        expect(['success', 'failure', 'error']).toContain(outcome.kind);
        const tokens = emulator()
          .requests.slice(-3)
          .map((r) => /^Bearer (\S+)/.exec(r.headers.authorization ?? '')?.[1] ?? '');
        const output = outcome.bodies.join('\n');
        expect(hasStack(output)).toBe(false);
        for (const s of [secret(), outcome.code ?? '', ...tokens].filter((x) => x.length >= 8)) expect(output).not.toContain(s);
      }),
      { numRuns: RUNS },
    );
  });
});

it('the server log lines carry no secret either', () => {
  const text = logged.join('\n');
  expect(logged.length).toBeGreaterThan(0); // the failed sign-ins above were logged
  expect(hasStack(text)).toBe(false);
  for (const emulator of emulators) expect(text).not.toContain(emulator.clients[0]!.clientSecret);
});
