// Every parser of provider bytes runs in time linear in its input: each exported parse*/strip* function of every
// package, the other readers of provider bytes, and the profile parsing through each strategy's sign-in, on
// adversarial inputs up to 1 MB (the body limit), the classic shapes that make backtracking regular expressions
// quadratic among them. The bound is generous on purpose (a slow machine passes, a quadratic parser does not:
// `stripFormatting('$l['.repeat(100000))` once took 21 s).
import fc from 'fast-check';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { describeErrorBody, decodeJwtPayload, redact } from '@maniapass/http';
import { JSONWebToken, verifyAudience } from 'nadeo-auth';
import { parseProfile as parseManiaplanetProfile } from 'passport-maniaplanet';
import { parseProfile as parseTrackmageProfile } from 'passport-trackmage';
import { PROVIDERS, type AnyEmulator } from '../reliability/providers';
import { appVerify, startApp, type RunningApp } from '../reliability/app';
import { signIn } from '../reliability/driver';
import request from 'supertest';

/** Milliseconds one parser call may take on a 1 MB input. Linear parsers take a few; quadratic ones, seconds to minutes. */
const PARSE_BOUND_MS = 2000;
/** Milliseconds the callback leg of a sign-in (code exchange, a 1 MB profile body, parsing) may take. */
const SIGN_IN_BOUND_MS = 5000;
/** The size of an adversarial input, in UTF-8 bytes: the HTTP layer refuses bodies above 1 MiB. */
const SIZE = 1_000_000;

jest.setTimeout(300_000);

type Parser = (...args: unknown[]) => unknown;

/** `unit` repeated to `bytes` UTF-8 bytes at most. */
function fill(unit: string, bytes: number): string {
  return unit.repeat(Math.max(1, Math.floor(bytes / Buffer.byteLength(unit))));
}

/** The shapes that hurt backtracking matchers and naive scanners, each as a function of the size wanted. */
const SHAPES: ReadonlyArray<[string, (bytes: number) => string]> = [
  ['$l[ repeated (link openers without a closing ])', (b) => fill('$l[', b)],
  ['$h[$l[ then one ] at the end', (b) => `${fill('$h[$l[', b - 1)}]`],
  ['$ repeated', (b) => fill('$', b)],
  ['$$$f0 repeated', (b) => fill('$$$f0', b)],
  ['a@ then dots then a quote', (b) => `a@${fill('.', b - 3)}"`],
  ['a@b. repeated then a space', (b) => `a@${fill('b.', b - 3)} `],
  ['@ repeated', (b) => fill('@', b)],
  ['an unterminated JSON string', (b) => `"${fill('a', b - 1)}`],
  ['\\" repeated', (b) => fill('\\"', b)],
  ['spaces then x', (b) => `${fill(' ', b - 1)}x`],
  ['slashes then a', (b) => `${fill('/', b - 1)}a`],
  ['| repeated (zone separators)', (b) => fill('|', b)],
  ['. repeated (JWT separators)', (b) => fill('.', b)],
  ['digits', (b) => fill('7', b)],
  ['[ repeated', (b) => fill('[', b)],
  ['nested arrays', (b) => `${fill('[', b / 2)}${fill(']', b / 2)}`],
  ['{"id": repeated', (b) => fill('{"id":', b)],
  ['control characters', (b) => fill('\u0000\r\n\t', b)],
  ['non-ASCII text', (b) => fill('é€😀', b)],
];

/** Every string field any provider's profile documents, plus the token response fields a parser reads. */
const FIELDS = [
  'login',
  'nickname',
  'path',
  'accountId',
  'account_id',
  'displayName',
  'display_name',
  'id',
  'name',
  'email',
  'firstName',
  'lastName',
  'timezone',
  'country',
  '@id',
];

/** A profile body with `value` in `field` and the identifiers the parsers require elsewhere, within `bytes` bytes. */
function bodyWith(field: string, shape: (bytes: number) => string, bytes = SIZE): string {
  const base: Record<string, unknown> = { login: 'x', accountId: 'x', id: 'x' };
  const skeleton = JSON.stringify({ ...base, [field]: '' });
  // Sized so that the JSON-escaped value keeps the body within `bytes`.
  const sample = shape(1000);
  const growth = Buffer.byteLength(JSON.stringify(sample)) / Buffer.byteLength(sample);
  const value = shape(Math.floor((bytes - Buffer.byteLength(skeleton)) / growth) - 16);
  return JSON.stringify({ ...base, [field]: value });
}

/** Each package's exported parse* and strip* functions, found by name, so that a new one is covered by itself. */
function discoverParsers(): Array<{ name: string; fn: Parser }> {
  const root = join(__dirname, '..', '..', 'packages');
  const found: Array<{ name: string; fn: Parser }> = [];
  for (const dir of readdirSync(root)) {
    const manifest = join(root, dir, 'package.json');
    if (!existsSync(manifest)) continue;
    const { name } = JSON.parse(readFileSync(manifest, 'utf8')) as { name: string };
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- each package by its name, found at run time
    const exports = require(name) as Record<string, unknown>;
    for (const [key, value] of Object.entries(exports)) {
      if (typeof value === 'function' && /^(parse|strip)[A-Z]/.test(key)) found.push({ name: `${name} ${key}`, fn: value as Parser });
    }
  }
  return found;
}

const DISCOVERED = discoverParsers();

/** The other readers of provider bytes (error bodies, JWTs, audience names), and the parsers' second arguments. */
const EXTRA: Array<{ name: string; call: (input: string) => unknown }> = [
  { name: '@maniapass/http describeErrorBody', call: (s) => describeErrorBody(s) },
  { name: '@maniapass/http decodeJwtPayload', call: (s) => decodeJwtPayload(s) },
  { name: '@maniapass/http redact', call: (s) => redact(s, ['secret-value', s.slice(0, 64)]) },
  { name: 'nadeo-auth verifyAudience', call: (s) => verifyAudience(s) },
  { name: 'nadeo-auth JSONWebToken', call: (s) => new JSONWebToken(s).decoded },
  { name: 'nadeo-auth JSONWebToken (payload)', call: (s) => new JSONWebToken(`e30.${Buffer.from(s).toString('base64url')}.sig`).decoded },
  { name: 'passport-maniaplanet parseProfile (e-mail body)', call: (s) => parseManiaplanetProfile('{"login":"x"}', s) },
  {
    name: 'passport-trackmage parseProfile (token response)',
    call: (s) => parseTrackmageProfile('{"id":"x"}', { tokenResponse: { user_id: s, user_email: s } }),
  },
  { name: 'passport-trackmage parseProfile (photo)', call: (s) => parseTrackmageProfile(JSON.stringify({ id: 'x', photo: { filePath: s } })) },
];

/** Runs `call` and returns how long it took; a throw is a fine outcome for hostile input, a slow answer is not. */
function timed(call: () => unknown): number {
  const started = performance.now();
  try {
    call();
  } catch {
    // refusing the input is allowed
  }
  return performance.now() - started;
}

describe('parsers: linear in their input', () => {
  it('finds every parser of every package', () => {
    const names = DISCOVERED.map((p) => p.name);
    for (const known of [
      'passport-maniaplanet parseProfile',
      'passport-maniaplanet parseEmail',
      'passport-maniaplanet stripFormatting',
      'passport-trackmania parseProfile',
      'passport-trackmage parseProfile',
      'passport-toornament parseProfile',
      '@maniapass/oauth2-core parseScope',
      '@maniapass/http stripQuery',
      '@maniapass/providers parseFormatting',
    ]) {
      expect(names).toContain(known);
    }
  });

  it.each(SHAPES.map(([label, shape]): [string, (bytes: number) => string] => [label, shape]))(
    '%s, 1 MB, as the whole input of every parser',
    (_label, shape) => {
      const input = shape(SIZE);
      expect(Buffer.byteLength(input)).toBeLessThanOrEqual(SIZE);
      const slow: string[] = [];
      for (const { name, fn } of DISCOVERED) {
        const ms = timed(() => fn(input));
        if (ms > PARSE_BOUND_MS) slow.push(`${name}: ${Math.round(ms)} ms`);
      }
      for (const { name, call } of EXTRA) {
        const ms = timed(() => call(input));
        if (ms > PARSE_BOUND_MS) slow.push(`${name}: ${Math.round(ms)} ms`);
      }
      expect(slow).toEqual([]);
    },
  );

  it.each(SHAPES.map(([label, shape]): [string, (bytes: number) => string] => [label, shape]))('%s, in each field of a 1 MB profile body', (_label, shape) => {
    const slow: string[] = [];
    for (const field of FIELDS) {
      const body = bodyWith(field, shape);
      expect(Buffer.byteLength(body)).toBeLessThanOrEqual(SIZE);
      for (const { name, fn } of DISCOVERED) {
        const ms = timed(() => fn(body));
        if (ms > PARSE_BOUND_MS) slow.push(`${name} (${field}): ${Math.round(ms)} ms`);
      }
    }
    expect(slow).toEqual([]);
  });

  it('a numeric Toornament id with a 1 MB body around it (its digits are read from the text)', () => {
    const bodies = [
      `{"id":1,"name":"${fill('a', SIZE - 40)}"}`,
      `{"id":1,"x":[${fill('1,', SIZE - 40)}1]}`,
      `{"id":${fill('9', SIZE - 20)}}`,
      `{"id":1,"x":"${fill('\\"', SIZE - 40)}"}`,
      `{"id":1,${fill('"id":2,', SIZE - 40)}"id":3}`,
    ];
    const parse = DISCOVERED.find((p) => p.name === 'passport-toornament parseProfile')!.fn;
    for (const body of bodies) expect(timed(() => parse(body))).toBeLessThan(PARSE_BOUND_MS);
  });

  it('any short pattern repeated to 300 KB, as an input and in a profile field (property)', () => {
    const unit = fc.constantFrom('$', 'l', 'h', '[', ']', 'f', '0', '@', '.', '"', '\\', ' ', '|', '/', '{', '}', ':', ',', '1', 'a', 'é', '\n');
    fc.assert(
      fc.property(fc.string({ unit, minLength: 1, maxLength: 6 }), fc.constantFrom(...FIELDS), (pattern, field) => {
        const input = fill(pattern, 300_000);
        const body = bodyWith(field, (b) => fill(pattern, b), 300_000);
        for (const { name, fn } of DISCOVERED) {
          for (const [what, value] of [
            ['input', input],
            [`field ${field}`, body],
          ] as const) {
            const ms = timed(() => fn(value));
            if (ms > PARSE_BOUND_MS) throw new Error(`${name} took ${Math.round(ms)} ms on ${JSON.stringify(pattern)} repeated (${what})`);
          }
        }
        for (const { name, call } of EXTRA) {
          const ms = timed(() => call(input));
          if (ms > PARSE_BOUND_MS) throw new Error(`${name} took ${Math.round(ms)} ms on ${JSON.stringify(pattern)} repeated`);
        }
      }),
      { numRuns: 40 },
    );
  });
});

/** Profile fields each provider documents (where a provider's strategy reads them). */
const PROFILE_FIELDS: Record<string, string[]> = {
  trackmania: ['accountId', 'displayName', 'account_id', 'display_name'],
  maniaplanet: ['login', 'nickname', 'path'],
  trackmage: ['id', 'email', 'firstName', 'lastName', 'timezone', '@id'],
  toornament: ['id', 'name', 'country'],
};
/** The shapes that were quadratic somewhere, and a few generic ones: each sign-in carries 1 MB. */
const SIGN_IN_SHAPES = SHAPES.filter(([label]) => /^\$l\[|^\$h\[|^\$\$|^a@|^an unterminated|^spaces|^\| repeated|^\\"/.test(label));

describe.each(PROVIDERS.map((p) => [p.name, p] as const))('%s: a sign-in with a 1 MB hostile profile', (name, provider) => {
  let emulator: AnyEmulator;
  let app: RunningApp;

  beforeAll(async () => {
    emulator = await provider.startEmulator();
    emulator.autoApprove = true;
    app = await startApp((base) => [
      provider.createStrategy({ ...emulator.strategyOptions(), callbackURL: `${base}/auth/${name}/callback` }, appVerify as never),
      ...(name === 'maniaplanet'
        ? [
            provider.createStrategy(
              { ...emulator.strategyOptions(), name: 'maniaplanet-email', scope: ['basic', 'email'], callbackURL: `${base}/auth/maniaplanet-email/callback` },
              appVerify as never,
            ),
          ]
        : []),
    ]);
  });
  afterAll(async () => {
    await app?.close();
    await emulator?.close();
  });
  afterEach(() => emulator.clearFaults());

  /** Signs in with the emulator answering `body` on `endpoint`; the callback must end, and quickly. */
  async function hostileSignIn(strategy: string, endpoint: string, body: string): Promise<string | undefined> {
    emulator.fault(endpoint, { type: 'status', status: 200, body, headers: { 'Content-Type': 'application/json' } }, { times: 1 });
    const before = emulator.requestsTo(endpoint).length;
    const outcome = await signIn(app.url, strategy);
    expect(['success', 'failure', 'error']).toContain(outcome.kind);
    // The hostile body was served, and read: the strategy did not stop before it.
    expect(emulator.requestsTo(endpoint).length).toBe(before + 1);
    expect((await request(app.url).get('/health')).status).toBe(200);
    return outcome.callbackMs !== undefined && outcome.callbackMs > SIGN_IN_BOUND_MS ? `${Math.round(outcome.callbackMs)} ms` : undefined;
  }

  it.each(SIGN_IN_SHAPES.map(([label, shape]): [string, (bytes: number) => string] => [label, shape]))('%s in each profile field', async (_label, shape) => {
    const slow: string[] = [];
    for (const field of PROFILE_FIELDS[name]!) {
      // A little under the limit: the HTTP layer refuses bodies above 1 MiB before any parsing.
      const took = await hostileSignIn(name, provider.profileEndpoints[0]!, bodyWith(field, shape, SIZE - 1000));
      if (took) slow.push(`${field}: ${took}`);
    }
    expect(slow).toEqual([]);
  });

  if (name === 'maniaplanet') {
    it.each(SIGN_IN_SHAPES.map(([label, shape]): [string, (bytes: number) => string] => [label, shape]))('%s as the e-mail body', async (_label, shape) => {
      expect(await hostileSignIn('maniaplanet-email', 'email', shape(SIZE - 1000))).toBeUndefined();
    });
  }

  if (name === 'toornament') {
    it('a numeric id in a 1 MB body', async () => {
      expect(await hostileSignIn(name, 'me', `{"id":145246939508809147,"name":"${fill('$l[', SIZE - 1000)}"}`)).toBeUndefined();
    });
  }
});
