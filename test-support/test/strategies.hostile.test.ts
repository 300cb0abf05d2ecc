// Hostile input, property-based: random callback query strings, and random token, profile and API bodies
// served by the emulators, for every strategy. The app must always answer, never with a stack trace, never
// with a secret, token or code in the output, and no promise may be left rejected unhandled.
import fc from 'fast-check';
import { DEFAULT_CLIENT } from '@maniapass/emulators';
import { PROVIDERS, type AnyEmulator, type ReliabilityProvider } from '../reliability/providers';
import { appVerify, startApp, type RunningApp } from '../reliability/app';
import { hasStack, signIn } from '../reliability/driver';
import request from 'supertest';

const RUNS = 100;
const TIMEOUT = 1000;

jest.setTimeout(120_000);

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);
beforeAll(() => process.on('unhandledRejection', onUnhandled));
afterAll(() => process.off('unhandledRejection', onUnhandled));

/** Strings of every kind: empty, ASCII, any Unicode, huge, and ones that break percent-decoding or JSON. */
const anyString = fc.oneof(
  fc.constant(''),
  fc.string(),
  fc.string({ unit: 'grapheme', maxLength: 50 }),
  fc.string({ unit: 'binary', maxLength: 50 }),
  fc.string({ minLength: 2000, maxLength: 4000 }),
  fc.constantFrom('%', '%zz', '%E0%A4%A', '\u0000', '<script>alert(1)</script>', '__proto__', 'constructor', '../../etc/passwd', '{"a":', 'null'),
);

const queryKey = fc.oneof(
  fc.constantFrom(
    'code',
    'state',
    'error',
    'error_description',
    'error_uri',
    'scope',
    'code[]',
    'state[]',
    'error[]',
    'code[a]',
    '__proto__',
    'constructor[prototype]',
  ),
  fc.string({ maxLength: 10 }),
);

/** Whether the response is a clean answer: any status, but a 5xx is a JSON error, and nothing shows a stack. */
function expectClean(res: { status: number; text?: string; headers: Record<string, string> }, secrets: string[]): void {
  const text = res.text ?? '';
  expect(res.status).toBeGreaterThanOrEqual(200);
  expect(res.status).toBeLessThan(600);
  expect(hasStack(text)).toBe(false);
  if (res.status >= 500) expect(res.headers['content-type']).toMatch(/application\/json/);
  for (const secret of secrets) if (secret.length >= 8) expect(text).not.toContain(secret);
}

/** A token endpoint body: JSON objects with right and wrong field types, any JSON, or not JSON at all. */
function tokenBodies(...secrets: string[]) {
  const field = fc.oneof(
    anyString,
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.array(fc.string(), { maxLength: 3 }),
    fc.object({ maxDepth: 1 }),
  );
  return fc.oneof(
    fc
      .record(
        {
          access_token: field,
          token_type: field,
          expires_in: field,
          refresh_token: field,
          scope: field,
          error: field,
          error_description: fc.oneof(
            field,
            fc.constantFrom(...secrets).map((secret) => `invalid grant: ${secret} was refused`),
          ),
          message: field,
        },
        { requiredKeys: [] },
      )
      .map((o) => JSON.stringify(o)),
    fc.jsonValue().map((v) => JSON.stringify(v)),
    anyString,
  );
}

/** A profile or API body: the provider's usual fields with wrong types, any JSON, or not JSON. */
const apiBodies = fc.oneof(
  fc
    .dictionary(
      fc.oneof(
        fc.constantFrom('id', 'accountId', 'account_id', 'displayName', 'display_name', 'login', 'nickname', 'name', 'email', 'username', 'user_id'),
        fc.string({ maxLength: 12 }),
      ),
      fc.oneof(anyString, fc.integer(), fc.constant(null), fc.array(fc.jsonValue(), { maxLength: 3 }), fc.object({ maxDepth: 2 })),
      { maxKeys: 6 },
    )
    .map((o) => JSON.stringify(o)),
  fc.jsonValue().map((v) => JSON.stringify(v)),
  anyString,
);

const statuses = fc.constantFrom(200, 200, 201, 204, 301, 400, 401, 403, 404, 429, 500, 502, 503);

describe.each(PROVIDERS.map((p): [string, ReliabilityProvider] => [p.name, p]))('%s: hostile input', (_name, provider) => {
  let emulator: AnyEmulator;
  let app: RunningApp;
  const secret = () => emulator.clients[0]!.clientSecret;

  beforeAll(async () => {
    emulator = await provider.startEmulator();
    emulator.autoApprove = true;
    app = await startApp((base) => [
      provider.createStrategy({ ...emulator.strategyOptions(), callbackURL: `${base}/auth/${provider.name}/callback`, timeout: TIMEOUT }, appVerify as never),
    ]);
  });
  afterAll(async () => {
    await app?.close();
    await emulator?.close();
  });
  afterEach(() => {
    emulator.clearFaults();
    expect(unhandled).toEqual([]);
  });

  it('any callback query string gets a clean answer', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(queryKey, anyString, fc.boolean()), { maxLength: 6 }), fc.boolean(), async (pairs, withState) => {
        const agent = request.agent(app.url);
        const start = await agent.get(`/auth/${provider.name}`);
        const state = new URL(start.headers.location as string).searchParams.get('state') ?? '';
        const parts = pairs.map(([k, v, raw]) => `${encodeURIComponent(k)}=${raw && /^[%A-Za-z0-9]*$/.test(v) ? v : encodeURIComponent(v)}`);
        if (withState) parts.push(`state=${state}`);
        const res = await agent.get(`/auth/${provider.name}/callback?${parts.join('&')}`);
        expectClean(res, [secret()]);
        expect((await agent.get('/health')).status).toBe(200);
      }),
      { numRuns: RUNS },
    );
  });

  it('any token endpoint answer ends the sign-in cleanly, without the secret, the code or the token', async () => {
    await fc.assert(
      fc.asyncProperty(statuses, tokenBodies(DEFAULT_CLIENT.clientSecret), async (status, body) => {
        emulator.fault('token', { type: 'status', status, body, headers: { 'Content-Type': 'application/json' } }, { times: 1 });
        const outcome = await signIn(app.url, provider.name);
        expect(['success', 'failure', 'error']).toContain(outcome.kind);
        let leaked: string[] = [secret()];
        if (outcome.code) leaked.push(outcome.code);
        // A provider's own error text is shown as it is; a token it handed out (a 2xx answer) never is.
        if (status >= 200 && status < 300) {
          try {
            const token = (JSON.parse(body) as { access_token?: unknown }).access_token;
            if (typeof token === 'string') leaked.push(token);
          } catch {
            // not JSON: nothing more to look for
          }
        }
        leaked = leaked.filter((s) => s.trim().length >= 8);
        const output = outcome.bodies.join('\n');
        expect(hasStack(output)).toBe(false);
        for (const s of leaked) expect(output).not.toContain(s);
      }),
      { numRuns: RUNS },
    );
  });

  it('any profile answer ends the sign-in cleanly, without the secret, the code or the token', async () => {
    const endpoint = provider.profileEndpoints[0]!;
    await fc.assert(
      fc.asyncProperty(statuses, apiBodies, async (status, body) => {
        emulator.fault(endpoint, { type: 'status', status, body, headers: { 'Content-Type': 'application/json' } }, { times: 1 });
        const outcome = await signIn(app.url, provider.name);
        expect(['success', 'failure', 'error']).toContain(outcome.kind);
        const tokens = emulator
          .requestsTo(endpoint)
          .slice(-1)
          .map((r) => /^Bearer (\S+)/.exec(r.headers.authorization ?? '')?.[1] ?? '');
        const output = outcome.bodies.join('\n');
        expect(hasStack(output)).toBe(false);
        for (const s of [secret(), outcome.code ?? '', ...tokens].filter((x) => x.length >= 8)) expect(output).not.toContain(s);
      }),
      { numRuns: RUNS },
    );
  });

  it('any token endpoint answer to clientCredentials() and refresh(): a token set or an Error without the secret or the refresh token', async () => {
    const strategy = provider.createStrategy(
      { ...emulator.strategyOptions(), callbackURL: 'http://127.0.0.1:1/cb', timeout: TIMEOUT },
      appVerify as never,
    ) as unknown as {
      clientCredentials(): Promise<{ accessToken: string }>;
      refresh(refreshToken: string): Promise<{ accessToken: string }>;
    };
    const refreshToken = 'hostile-test-refresh-token-0123456789';
    await fc.assert(
      fc.asyncProperty(statuses, tokenBodies(DEFAULT_CLIENT.clientSecret, refreshToken), fc.boolean(), async (status, body, useRefresh) => {
        emulator.fault('token', { type: 'status', status, body, headers: { 'Content-Type': 'application/json' } }, { times: 1 });
        const outcome = await (useRefresh ? strategy.refresh(refreshToken) : strategy.clientCredentials()).then(
          (set) => ({ ok: true as const, set }),
          (error: unknown) => ({ ok: false as const, error }),
        );
        if (outcome.ok) {
          expect(typeof outcome.set.accessToken).toBe('string');
          expect(outcome.set.accessToken).not.toBe('');
          return;
        }
        expect(outcome.error).toBeInstanceOf(Error);
        const text = `${String(outcome.error)} ${(outcome.error as Error).message} ${JSON.stringify(outcome.error)}`;
        expect(hasStack(text)).toBe(false);
        // The refresh token is a secret of refresh() only (clientCredentials() never sent it).
        for (const s of useRefresh ? [secret(), refreshToken] : [secret()]) expect(text).not.toContain(s);
      }),
      { numRuns: RUNS },
    );
  });

  if (provider.apiCall) {
    it('any API answer resolves or rejects with a typed error, without the token', async () => {
      const strategy = provider.createStrategy({ ...emulator.strategyOptions(), callbackURL: 'http://127.0.0.1:1/cb', timeout: TIMEOUT }, appVerify as never);
      const api = provider.apiCall!;
      await fc.assert(
        fc.asyncProperty(statuses, apiBodies, async (status, body) => {
          emulator.fault(api.endpoint, { type: 'status', status, body, headers: { 'Content-Type': 'application/json' } }, { times: 1 });
          const result = await api.call(strategy).then(
            (value) => ({ ok: true as const, value }),
            (error: unknown) => ({ ok: false as const, error: error as Error }),
          );
          if (!result.ok) {
            expect(result.error).toBeInstanceOf(Error);
            const tokens = emulator
              .requestsTo(api.endpoint)
              .slice(-1)
              .map((r) => /^Bearer (\S+)/.exec(r.headers.authorization ?? '')?.[1] ?? '');
            for (const s of [secret(), ...tokens].filter((x) => x.length >= 8))
              expect(`${result.error.message} ${JSON.stringify(result.error)}`).not.toContain(s);
          }
        }),
        { numRuns: RUNS },
      );
    });
  }
});
