// Two pieces of the request path written for speed, held to what they replace: the form encoder to
// URLSearchParams byte for byte, and the one timer that watches every request's timeout to a timer per request.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import fc from 'fast-check';
import { sendRequest } from '@maniapass/http';
import { formEncode } from '../src/form';

/** What URLSearchParams writes for the form (an array field once per value). */
function reference(form: Record<string, string | readonly string[]>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(form)) for (const item of typeof value === 'string' ? [value] : value) params.append(key, item);
  return params.toString();
}

// Every kind of UTF-16 string: ASCII, the characters the form encoding treats specially, any code point, and
// lone surrogates (which URLSearchParams writes as U+FFFD).
const special = fc.constantFrom(...' !"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~\t\r\n'.split(''), '\u00e9', '\u20ac', '\ud83c\udfce', '\ud800', '\udfff');
const text = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.array(special).map((cs) => cs.join('')),
  fc.string({ unit: fc.oneof(special, fc.string({ unit: 'binary', minLength: 1, maxLength: 1 })) }),
);
const forms = fc.dictionary(text, fc.oneof(text, fc.array(text, { maxLength: 4 })), { maxKeys: 6 });

it('formEncode writes exactly what URLSearchParams writes, for any form', () => {
  fc.assert(
    fc.property(forms, (form) => {
      expect(formEncode(form)).toBe(reference(form));
    }),
    { numRuns: 3000 },
  );
});

describe('request timeouts', () => {
  let server: http.Server;
  let base: string;
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      const delay = Number(new URL(req.url!, 'http://x').searchParams.get('delay'));
      if (delay >= 0) setTimeout(() => res.end('ok'), delay);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  it('holds each request in flight at once to its own timeout, whatever the order they were sent in', async () => {
    // Timeouts given out of order, so that a later request has the earlier deadline; each answer comes well
    // inside or well past its request's timeout.
    const cases = [
      { timeout: 400, delay: 50 },
      { timeout: 60, delay: -1 },
      { timeout: 250, delay: -1 },
      { timeout: 30, delay: -1 },
      { timeout: 800, delay: 300 },
      { timeout: 120, delay: -1 },
      { timeout: 500, delay: 100 },
    ];
    const started = performance.now();
    const outcomes = await Promise.all(
      cases.map(({ timeout, delay }) =>
        sendRequest({ method: 'GET', url: `${base}/?delay=${delay}`, headers: {} }, { timeout }).then(
          () => ({ ok: true, at: performance.now() - started }),
          (err: { code?: string }) => ({ ok: false, code: err.code, at: performance.now() - started }),
        ),
      ),
    );
    cases.forEach(({ timeout, delay }, i) => {
      const outcome = outcomes[i]!;
      if (delay >= 0) {
        expect(outcome).toMatchObject({ ok: true });
      } else {
        expect(outcome).toMatchObject({ ok: false, code: 'ETIMEDOUT' });
        // Never early; late by no more than a busy machine's scheduling.
        expect(outcome.at).toBeGreaterThanOrEqual(timeout - 1);
        expect(outcome.at).toBeLessThan(timeout + 250);
      }
    });
  });

  it('keeps no process alive once its requests are done, however long their timeouts', () => {
    // A child process makes one quick request with an hour's timeout, then has nothing left to do: it must exit
    // at once, not when the hour is up.
    const script = `
      const http = require('node:http');
      const { sendRequest } = require('@maniapass/http');
      const server = http.createServer((req, res) => res.end('ok')).listen(0, '127.0.0.1', async () => {
        const res = await sendRequest({ method: 'GET', url: 'http://127.0.0.1:' + server.address().port + '/', headers: {} }, { timeout: 3600000 });
        server.close();
        server.closeAllConnections();
        process.stdout.write(res.body);
      });`;
    const started = Date.now();
    const child = spawnSync(process.execPath, ['-r', join(__dirname, '../../../test-support/register-sources.cjs'), '-e', script], {
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(child.stdout).toBe('ok');
    expect(child.status).toBe(0);
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});
