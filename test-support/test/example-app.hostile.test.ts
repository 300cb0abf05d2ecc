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

function decodeHtml(text: string): string {
  return text.replace(/&#(\d+);/g, (_m, code: string) => String.fromCharCode(Number(code))).replace(/&amp;/g, '&');
}

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
const queryKey = fc.oneof(
  fc.constantFrom('code', 'state', 'error', 'error_description', 'error_uri', 'code[]', 'state[]', 'error[]', '__proto__', 'returnTo'),
  fc.string({ maxLength: 8 }),
);
const bodies = fc.oneof(
  fc.jsonValue().map((v) => JSON.stringify(v)),
  fc
    .dictionary(
      fc.constantFrom(
        'access_token',
        'token_type',
        'expires_in',
        'refresh_token',
        'scope',
        'error',
        'error_description',
        'user_id',
        'id',
        'accountId',
        'login',
        'nickname',
        'name',
        'displayName',
      ),
      fc.oneof(anyString, fc.integer(), fc.constant(null), fc.object({ maxDepth: 1 })),
    )
    .map((o) => JSON.stringify(o)),
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
        const logLines = logged.length;
        const outcome = await signIn(url, provider.name);
        expect(['success', 'failure', 'error']).toContain(outcome.kind);
        const tokens = emulator()
          .requests.slice(-3)
          .map((r) => /^Bearer (\S+)/.exec(r.headers.authorization ?? '')?.[1] ?? '');
        // What the visitor saw, and what the server logged meanwhile.
        const output = [...outcome.bodies, ...logged.slice(logLines)].join('\n');
        expect(hasStack(output)).toBe(false);
        for (const s of [secret(), outcome.code ?? '', ...tokens].filter((x) => x.length >= 8)) expect(output).not.toContain(s);
      }),
      { numRuns: RUNS },
    );
  });
});

describe.each(PROVIDERS.map((p): [string, ReliabilityProvider] => [p.name, p]))('example app, %s: hostile visitors', (_name, provider) => {
  afterEach(async () => {
    expect(unhandled).toEqual([]);
    expect((await fetch(`${url}/`)).status).toBe(200);
  });

  it("the failure page shows only the strategy's own fixed message, never the provider's text, whatever the callback carries", async () => {
    await fc.assert(
      fc.asyncProperty(anyString, fc.boolean(), fc.string({ maxLength: 40 }), async (description, withState, injected) => {
        const agent = request.agent(url);
        const start = await agent.get(`/auth/${provider.name}`);
        const state = new URL(start.headers.location as string).searchParams.get('state') ?? '';
        const query = new URLSearchParams({ error: 'access_denied', error_description: description, ...(withState ? { state } : {}) });
        const callback = await agent.get(`/auth/${provider.name}/callback?${query}`);
        expect(callback.status).toBe(302);
        // The failure page's own query is not shown: only the message passport stored (`failureMessage`).
        const failure = await agent.get(
          `${callback.headers.location as string}&message=${encodeURIComponent(injected)}&error_description=${encodeURIComponent(injected)}`,
        );
        expect(failure.status).toBe(401);
        const shown = /<p class="message" id="failure-message">([^]*?)<\/p>/.exec(failure.text)?.[1];
        expect(shown).toBeDefined();
        expect(shown).not.toMatch(/[<>"']/);
        // The strategy's own words only: the description (the provider's text) is never shown.
        expect(decodeHtml(shown!)).toMatch(
          new RegExp(
            `^(Access denied at ${provider.name}|Invalid authorization request state\\.|Unable to verify authorization request state\\.|The sign-in did not complete\\.)$`,
          ),
        );
        if (injected.length >= 8 && !description.includes(injected)) expect(failure.text).not.toContain(injected);
      }),
      { numRuns: RUNS },
    );
  });

  it('any path with a malformed percent-encoding is a plain 400; no other path is a 5xx; nothing is logged', async () => {
    const piece = fc.oneof(
      fc.constantFrom('/', 'auth', provider.name, 'callback', 'failure', 'profile', 'demo', 'app.css', '.', '..'),
      fc.constantFrom('%', '%E0', '%A4', '%A', '%E0%A4%A', '%C0%AF', '%FF', '%zz', '%2', '%25', '%2F', '%C3%A9', '%F0%9F%98%80', '%ED%A0%80', '%00'),
      fc.stringMatching(/^[A-Za-z0-9._~!$&'()*+,;=:@-]{0,6}$/),
    );
    const logLines = logged.length;
    await fc.assert(
      fc.asyncProperty(fc.array(piece, { maxLength: 8 }), async (pieces) => {
        const path = `/${pieces.join('')}`;
        const target = new URL(`${url}${path}`); // the path as sent: dot segments resolved, as a browser does
        const res = await fetch(target, { redirect: 'manual' });
        const text = await res.text();
        let malformed = false;
        try {
          decodeURIComponent(target.pathname);
        } catch {
          malformed = true;
        }
        if (malformed) {
          expect(res.status).toBe(400);
          expect(text).toContain('<h1>Bad request</h1>');
          expect(res.headers.get('set-cookie')).toBeNull();
        } else {
          expect(res.status).toBeLessThan(500);
        }
        expect(hasStack(text)).toBe(false);
      }),
      { numRuns: RUNS * 2 },
    );
    expect(logged.slice(logLines)).toEqual([]);
  });
});

/** Encodings a provider may echo a secret in. */
const ECHOES: Record<string, (value: string) => string> = {
  raw: (v) => v,
  url: (v) => encodeURIComponent(v),
  form: (v) => new URLSearchParams({ v }).toString().slice(2),
  json: (v) => JSON.stringify(v).slice(1, -1),
};

describe('example app: a token endpoint that echoes the request in its error', () => {
  let echoServer: Server;
  let echoURL = '';
  const echoLogged: string[] = [];
  // What the next echo puts in its error, and how.
  let echo: { encodings: string[]; field: string; status: number } = { encodings: ['raw'], field: 'error_description', status: 400 };

  beforeAll(async () => {
    const provider = PROVIDERS[0]!;
    const emulator = emulators[0]!;
    // The strategy's `fetch` option plays the provider: a token request is answered with an error that repeats
    // the code, the client secret and the whole request body, in the chosen encodings.
    const echoFetch = async (input: string, init: { method: string; headers: Record<string, string>; body?: string; signal: AbortSignal }) => {
      if (!input.startsWith(emulator.url) || !init.body || !init.body.includes('grant_type')) return fetch(input, init);
      const form = new URLSearchParams(init.body);
      const repeated = [form.get('code') ?? '', form.get('client_secret') ?? '', init.body, init.headers.authorization ?? init.headers.Authorization ?? ''];
      const text = repeated.flatMap((value) => echo.encodings.map((e) => ECHOES[e]!(value))).join(' | ');
      return new Response(JSON.stringify({ error: 'invalid_grant', [echo.field]: `refused: ${text}` }), {
        status: echo.status,
        headers: { 'Content-Type': 'application/json' },
      });
    };
    const app = createExampleApp([{ name: provider.name, options: { ...emulator.strategyOptions(), timeout: TIMEOUT, fetch: echoFetch } }], {
      log: (line) => echoLogged.push(line),
    });
    echoServer = await new Promise((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    echoURL = `http://127.0.0.1:${(echoServer.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    echoServer?.closeAllConnections();
    await new Promise<void>((resolve) => (echoServer ? echoServer.close(() => resolve()) : resolve()));
  });

  it('neither the page nor the log shows the code or the client secret, in any encoding', async () => {
    const secret = emulators[0]!.clients[0]!.clientSecret;
    await fc.assert(
      fc.asyncProperty(
        fc.subarray(Object.keys(ECHOES), { minLength: 1 }),
        fc.constantFrom('error_description', 'message', 'hint', 'error'),
        fc.constantFrom(400, 401, 403, 500),
        async (encodings, field, status) => {
          echo = { encodings, field, status };
          const logLines = echoLogged.length;
          const outcome = await signIn(echoURL, PROVIDERS[0]!.name);
          expect(outcome.kind).toBe('error');
          // A provider failure is the provider's, never the visitor's: a 502, whatever the provider answered.
          expect(outcome.status).toBe(502);
          const output = [...outcome.bodies, ...echoLogged.slice(logLines)].join('\n');
          expect(hasStack(output)).toBe(false);
          for (const value of [outcome.code ?? '', secret]) {
            for (const encode of Object.values(ECHOES)) if (encode(value).length >= 8) expect(output).not.toContain(encode(value));
          }
        },
      ),
      { numRuns: 50 },
    );
  });
});

it('the server log lines carry no secret either', () => {
  const text = logged.join('\n');
  expect(logged.length).toBeGreaterThan(0); // the failed sign-ins above were logged
  expect(hasStack(text)).toBe(false);
  for (const emulator of emulators) expect(text).not.toContain(emulator.clients[0]!.clientSecret);
});
