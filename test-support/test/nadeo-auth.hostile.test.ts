// Hostile input for nadeo-auth, property-based: random token endpoint bodies (including JWTs with any claims)
// and random API bodies served by the Nadeo emulator. NadeoClient must resolve or reject with an Error, never
// crash or leave a rejection unhandled, and never put the password or a token into an error.
import fc from 'fast-check';
import { DEFAULT_SERVICE_ACCOUNT, startNadeoEmulator, type NadeoEmulator } from '@maniapass/emulators';
import { NadeoClient } from 'nadeo-auth';

const RUNS = 100;
const USER_AGENT = 'maniapass-reliability / tests@example.com';

jest.setTimeout(60_000);

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);
beforeAll(() => process.on('unhandledRejection', onUnhandled));
afterAll(() => process.off('unhandledRejection', onUnhandled));

let emulator: NadeoEmulator;
beforeAll(async () => {
  emulator = await startNadeoEmulator();
});
afterAll(() => emulator?.close());
afterEach(() => {
  emulator.clearFaults();
  expect(unhandled).toEqual([]);
});

const b64 = (text: string) => Buffer.from(text).toString('base64url');
/** A JWT-shaped string whose header and payload are any JSON (exp, rat, aud of any type, or none). */
const jwtLike = fc
  .tuple(
    fc.oneof(fc.jsonValue(), fc.constant({ alg: 'HS256', typ: 'JWT' })),
    fc.oneof(
      fc.jsonValue(),
      fc.record(
        {
          exp: fc.oneof(fc.integer(), fc.string(), fc.double(), fc.constant(null)),
          rat: fc.oneof(fc.integer(), fc.string()),
          aud: fc.oneof(fc.string(), fc.constantFrom('NadeoServices', 'NadeoLiveServices')),
        },
        { requiredKeys: [] },
      ),
    ),
    fc.string({ maxLength: 20 }),
  )
  .map(([header, payload, signature]) => `${b64(JSON.stringify(header))}.${b64(JSON.stringify(payload))}.${signature}`);

const anyString = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme', maxLength: 30 }),
  fc.string({ minLength: 1000, maxLength: 3000 }),
  fc.constantFrom('', 'null', '{', '<html>', 'a.b.c'),
);
const field = fc.oneof(jwtLike, anyString, fc.integer(), fc.constant(null), fc.array(fc.string(), { maxLength: 2 }), fc.object({ maxDepth: 1 }));

const tokenBodies = fc.oneof(
  fc
    .record(
      { accessToken: field, refreshToken: field, code: field, message: fc.oneof(field, fc.constant(`bad password ${DEFAULT_SERVICE_ACCOUNT.password}`)) },
      { requiredKeys: [] },
    )
    .map((o) => JSON.stringify(o)),
  fc.jsonValue().map((v) => JSON.stringify(v)),
  anyString,
);
const apiBodies = fc.oneof(
  fc.jsonValue().map((v) => JSON.stringify(v)),
  anyString,
);
const statuses = fc.constantFrom(200, 200, 201, 204, 400, 401, 403, 404, 429, 500, 502, 503);

function client(): NadeoClient {
  return new NadeoClient({
    ...emulator.clientOptions(),
    account: { login: DEFAULT_SERVICE_ACCOUNT.login, password: DEFAULT_SERVICE_ACCOUNT.password },
    userAgent: USER_AGENT,
    timeout: 1000,
    minInterval: 0,
    maxRetries: 1,
    maxRetryAfter: 1,
  });
}

/** The `accessToken` and `refreshToken` strings of a token body (of at least 8 characters): what must not leak. */
function tokensOf(body: string): string[] {
  try {
    const json = JSON.parse(body) as Record<string, unknown> | null;
    if (!json || typeof json !== 'object') return [];
    return [json.accessToken, json.refreshToken].filter((v): v is string => typeof v === 'string' && v.trim().length >= 8);
  } catch {
    return [];
  }
}

/** What an error shows: its message, its own fields, and its string form. */
const shown = (err: unknown) => `${String(err)} ${(err as Error).message} ${JSON.stringify(err)}`;

it('any token endpoint answer: a token or an Error, never the password or a token in it', async () => {
  const before = emulator.requestsTo('token-basic').length;
  await fc.assert(
    fc.asyncProperty(statuses, tokenBodies, async (status, body) => {
      emulator.fault('token-basic', { type: 'status', status, body, headers: { 'Content-Type': 'application/json' } }, { times: 1 });
      const outcome = await client()
        .token('NadeoServices')
        .then(
          (token) => ({ ok: true as const, token }),
          (error: unknown) => ({ ok: false as const, error }),
        );
      if (outcome.ok) {
        expect(typeof outcome.token.accessToken).toBe('string');
        return;
      }
      expect(outcome.error).toBeInstanceOf(Error);
      const text = shown(outcome.error);
      expect(text).not.toContain(DEFAULT_SERVICE_ACCOUNT.password);
      // A provider's own error text is shown as it is; tokens it handed out (a 2xx answer) never are.
      if (status >= 200 && status < 300) for (const token of tokensOf(body)) expect(text).not.toContain(token);
    }),
    { numRuns: RUNS },
  );
  // Every run reached the token endpoint (and got the hostile answer).
  expect(emulator.requestsTo('token-basic').length - before).toBeGreaterThanOrEqual(RUNS);
});

it('any API answer: a value or an Error, never the password or the token in it', async () => {
  const nadeo = client();
  const token = await nadeo.token('NadeoServices');
  const url = `${emulator.clientOptions().coreURL}/accounts/zones/`;
  await fc.assert(
    fc.asyncProperty(statuses, apiBodies, async (status, body) => {
      emulator.fault('player-zones', { type: 'status', status, body, headers: { 'Content-Type': 'application/json' } }, { times: 1 });
      const outcome = await nadeo.get(url, { query: { accountIdList: DEFAULT_SERVICE_ACCOUNT.accountId } }).then(
        (value) => ({ ok: true as const, value }),
        (error: unknown) => ({ ok: false as const, error }),
      );
      if (outcome.ok) return;
      expect(outcome.error).toBeInstanceOf(Error);
      const text = shown(outcome.error);
      for (const secret of [DEFAULT_SERVICE_ACCOUNT.password, token.accessToken, token.refreshToken ?? '']) if (secret) expect(text).not.toContain(secret);
    }),
    { numRuns: RUNS },
  );
});

it('a hostile body that echoes the password or the token is masked in the error', async () => {
  const nadeo = client();
  const token = await nadeo.token('NadeoServices');
  const url = `${emulator.clientOptions().coreURL}/accounts/zones/`;
  emulator.fault(
    'player-zones',
    { type: 'status', status: 400, body: JSON.stringify({ code: 'bad', message: `token ${token.accessToken} password ${DEFAULT_SERVICE_ACCOUNT.password}` }) },
    { times: 1 },
  );
  const error = await nadeo.get(url, { query: { accountIdList: 'x' } }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(Error);
  expect((error as Error).message).toContain('[redacted]');
  expect(shown(error)).not.toContain(token.accessToken);
  expect(shown(error)).not.toContain(DEFAULT_SERVICE_ACCOUNT.password);
});
