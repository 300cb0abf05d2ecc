// Hostile answers, property-based: random secrets and plugin tokens, echoed back by the emulator raw, URL- or
// form-encoded and JSON-escaped, at any position (across the points where error texts are cut), with any status.
// Neither may reach the answer, an error's message, stack, JSON or util.inspect, or the server's log.
import { inspect } from 'node:util';
import fc from 'fast-check';
import { startOpenplanetEmulator, type OpenplanetEmulator } from '@maniapass/emulators';
import { Strategy } from 'passport-openplanet';
import { startApiApp, type ApiApp } from './app';

jest.setTimeout(120_000);

const RUNS = 150;

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);
beforeAll(() => process.on('unhandledRejection', onUnhandled));
afterAll(() => process.off('unhandledRejection', onUnhandled));

/** Characters that every encoding treats differently: form and URL delimiters, JSON escapes, non-ASCII. */
const special = fc.constantFrom('&', '=', '+', ' ', '/', '?', '#', '%', '"', '\\', '\n', '\t', '\u0001', "'", '*', '~', '<', 'é', '€', 'ß', '😀', '\u2028');
const chunk = fc.oneof(fc.string({ minLength: 1, maxLength: 8 }), fc.string({ unit: 'grapheme', minLength: 1, maxLength: 4 }), special);
/** A value of 8+ characters; the prefix keeps it from occurring by chance in the texts the app writes. */
const value = (prefix: string) => fc.array(chunk, { minLength: 3, maxLength: 12 }).map((parts) => `${prefix}${parts.join('')}`);

/** Every form the value must not appear in. */
function forms(text: string): string[] {
  const json = JSON.stringify(text).slice(1, -1);
  const php = json.replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).replace(/\//g, '\\/');
  let uri = text;
  try {
    uri = encodeURIComponent(text);
  } catch {
    // a lone surrogate: not encodable
  }
  return [...new Set([text, json, php, uri, new URLSearchParams({ v: text }).toString().slice(2)])];
}

type Encoding = 'raw' | 'uri' | 'form' | 'json' | 'php';
const encode = (text: string, how: Encoding): string => {
  if (how === 'raw') return text;
  if (how === 'form') return new URLSearchParams({ v: text }).toString().slice(2);
  if (how === 'uri') {
    try {
      return encodeURIComponent(text);
    } catch {
      return text;
    }
  }
  const json = JSON.stringify(text).slice(1, -1);
  return how === 'json' ? json : json.replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).replace(/\//g, '\\/');
};

/** A body that echoes the token and the secret, in one of the shapes an Openplanet (or a proxy) may answer. */
const echoBody = fc
  .record({
    shape: fc.constantFrom('error', 'error-with-account', 'message', 'html', 'form', 'valid-looking'),
    tokenEncoding: fc.constantFrom<Encoding>('raw', 'uri', 'form', 'json', 'php'),
    secretEncoding: fc.constantFrom<Encoding>('raw', 'uri', 'form', 'json', 'php'),
    // Padding puts the echoes across the cuts of error texts (300, 500 and 2000 characters).
    pad: fc.oneof(
      fc.integer({ min: 0, max: 40 }),
      fc.integer({ min: 270, max: 320 }),
      fc.integer({ min: 460, max: 520 }),
      fc.integer({ min: 1960, max: 2020 }),
    ),
  })
  .map((o) => (token: string, secret: string) => {
    const t = encode(token, o.tokenEncoding);
    const s = encode(secret, o.secretEncoding);
    const pad = 'x'.repeat(o.pad);
    switch (o.shape) {
      case 'error':
        return `{"error":"${pad}Invalid token ${t} (secret ${s})"}`;
      case 'error-with-account':
        return `{"account_id":"","error":"${pad}${s} refused ${t}","display_name":"${t}"}`;
      case 'message':
        return `{"message":"${pad}${t}","error_description":"${s}","hint":"${t}${s}"}`;
      case 'html':
        return `<html><body>${pad}<p>token=${t}</p><p>secret=${s}</p></body></html>`;
      case 'form':
        return `${pad}token=${t}&secret=${s}`;
      default:
        return `{"account_id":"${pad}","token_time":"${t}","display_name":"${s}","error":"${t}"}`;
    }
  });

const statuses = fc.constantFrom(200, 200, 400, 401, 403, 404, 429, 500, 502, 503);

let emulator: OpenplanetEmulator;
beforeAll(async () => {
  emulator = await startOpenplanetEmulator();
});
afterAll(() => emulator.close());

describe('hostile Openplanet answers', () => {
  let app: ApiApp | undefined;
  afterEach(async () => {
    emulator.clearFaults();
    await app?.close();
    app = undefined;
    expect(unhandled).toEqual([]);
  });

  it('never show the secret or the plugin token, in any encoding, in answers, errors or logs', async () => {
    await fc.assert(
      fc.asyncProperty(value('S-'), value('T-'), statuses, echoBody, async (secret, token, status, body) => {
        await app?.close();
        const strategy = new Strategy({ ...emulator.strategyOptions(), secret, timeout: 1000, cache: false }, async (profile) => ({ id: profile.id }));
        app = await startApiApp(strategy);
        emulator.fault('validate', { type: 'status', status, body: body(token, secret), headers: { 'Content-Type': 'application/json' } }, { times: 1 });
        const res = await app.agent.post('/api/session').send({ token });
        expect([200, 400, 401, 500]).toContain(res.status);
        // The request really went out with both, so there was something to leak.
        expect(emulator.lastRequest('validate')?.form).toEqual({ token, secret });

        let direct = '';
        emulator.fault('validate', { type: 'status', status, body: body(token, secret), headers: { 'Content-Type': 'application/json' } }, { times: 1 });
        await strategy.check(token).then(
          (outcome) => {
            direct = JSON.stringify(outcome);
          },
          (err: Error) => {
            direct = `${String(err)} ${err.message} ${err.stack ?? ''} ${JSON.stringify(err)} ${inspect(err, { depth: 5 })}`;
          },
        );
        const output = [res.text, ...app.logged, direct].join('\n');
        for (const leak of [...forms(token), ...forms(secret)]) expect(output).not.toContain(leak);
      }),
      { numRuns: RUNS },
    );
  });

  it('never show them when the emulator echoes the request it got (token and secret form-encoded), in any encoding: not even 8 characters of one', async () => {
    const encodings: Record<string, (text: string) => string> = {
      raw: (v) => v,
      uri: (v) => encodeURIComponent(v),
      form: (v) => new URLSearchParams([['x', v]]).toString().slice(2),
      json: (v) => JSON.stringify(v).slice(1, -1),
      php: (v) => encode(v, 'php'),
      everyCharEscaped: (v) => [...v].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join(''),
    };
    // No spaces or other common text: any run of 8 characters of one is a leak.
    const safeChar = fc.constantFrom(...'abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789/+=%:_-.~é&"'.split(''));
    const safeValue = fc.array(safeChar, { minLength: 16, maxLength: 40 }).map((c) => c.join(''));
    const runs = (text: string) => Array.from({ length: Math.max(0, text.length - 7) }, (_, i) => text.slice(i, i + 8));
    await fc.assert(
      fc.asyncProperty(safeValue, safeValue, fc.constantFrom(...Object.keys(encodings)), statuses, async (secret, token, how, status) => {
        await app?.close();
        app = await startApiApp(new Strategy({ ...emulator.strategyOptions(), secret, timeout: 1000 }, async (profile) => ({ id: profile.id })));
        emulator.fault('validate', { type: 'echo', status, encode: encodings[how]! }, { times: 1 });
        const res = await app.agent.post('/api/session').send({ token });
        expect([400, 401, 500]).toContain(res.status);
        const output = [res.text, ...app.logged].join('\n');
        for (const leak of [...runs(token), ...runs(secret), ...forms(token), ...forms(secret)]) expect(output).not.toContain(leak);
      }),
      { numRuns: 60 },
    );
  });

  it('never show them when Openplanet does not answer, or answers nothing usable', async () => {
    await fc.assert(
      fc.asyncProperty(value('S-'), value('T-'), fc.constantFrom('hang', 'reset', 'malformed'), async (secret, token, fault) => {
        await app?.close();
        app = await startApiApp(new Strategy({ ...emulator.strategyOptions(), secret, timeout: 100 }, async (profile) => ({ id: profile.id })));
        // A reset on a kept-alive connection is sent once more on a new one (see the HTTP layer): reset both.
        emulator.fault('validate', { type: fault } as never, { times: fault === 'reset' ? 2 : 1 });
        const res = await app.agent.post('/api/session').send({ token });
        expect(res.status).toBe(500);
        const output = [res.text, ...app.logged].join('\n');
        for (const leak of [...forms(token), ...forms(secret)]) expect(output).not.toContain(leak);
      }),
      { numRuns: 15 },
    );
  });
});
