// Secret masking over the whole class of echoes: random secrets, tokens and codes, echoed back by a provider in
// random encodings and cut at random places, must leave no run of 8 characters of any of them in what an error
// carries or prints.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import fc from 'fast-check';
import { ProviderClient, basicCredentialForms, redact, secretForms } from '@maniapass/http';

const RUN = 8;

/** Every run of RUN characters of every secret, as a leak detector independent of the masking code. */
function leaks(text: string, secrets: readonly string[]): string[] {
  const found: string[] = [];
  for (const secret of secrets) {
    for (let i = 0; i + RUN <= secret.length; i++) {
      const run = secret.slice(i, i + RUN);
      if (text.includes(run)) found.push(run);
    }
  }
  return found;
}

// How a provider may echo a value back.
const ENCODINGS: Record<string, (value: string) => string> = {
  raw: (v) => v,
  uri: (v) => encodeURIComponent(v),
  form: (v) => new URLSearchParams([['x', v]]).toString().slice(2),
  json: (v) => JSON.stringify(v).slice(1, -1),
  jsonSlash: (v) => JSON.stringify(v).slice(1, -1).replace(/\//g, '\\/'),
  // Every character as a \u escape: what the masking cannot match as a form, so the decoded view must catch it.
  jsonAllEscaped: (v) => [...v].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join(''),
  php: (v) =>
    [...JSON.stringify(v).slice(1, -1)]
      .map((c) => (c === '/' ? '\\/' : c.charCodeAt(0) > 0x7e ? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}` : c))
      .join(''),
};

// Secrets as providers and users make them: URL-unsafe characters, slashes, plus signs, percent signs, colons, quotes, non-ASCII.
const secretChar = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/+=%:"\\ é€_-.~!*'.split(''));
const secret = fc.array(secretChar, { minLength: 12, maxLength: 48 }).map((chars) => chars.join(''));
const filler = fc.string({ maxLength: 40 });

describe('redact', () => {
  it('masks every encoded form of a secret, and any run of 8 of its characters, wherever the text is cut', () => {
    fc.assert(
      fc.property(secret, fc.constantFrom(...Object.keys(ENCODINGS)), filler, filler, fc.nat(), (s, encoding, before, after, cut) => {
        const echoed = `${before}${ENCODINGS[encoding]!(s)}${after}`;
        const masked = redact(echoed, [s]);
        const decoded = masked.replace(/\\u([0-9a-f]{4})/gi, (_m, h: string) => String.fromCharCode(parseInt(h, 16))).replace(/\\\//g, '/');
        expect(leaks(masked, [s, ...secretForms(s)])).toEqual([]);
        expect(leaks(decoded, [s])).toEqual([]);
        // Masking, then cutting, then masking again (what error messages do) keeps it so.
        const cutText = redact(masked.slice(0, cut % (masked.length + 1)), [s]);
        expect(leaks(cutText, [s])).toEqual([]);
      }),
      { numRuns: 500 },
    );
  });

  it('masks a secret cut by the provider (a prefix or suffix of 8 or more characters)', () => {
    fc.assert(
      fc.property(secret, fc.integer({ min: RUN, max: 48 }), fc.boolean(), (s, keep, prefix) => {
        const part = prefix ? s.slice(0, keep) : s.slice(-keep);
        expect(leaks(redact(`secret was ${part}...`, [s]), [s])).toEqual([]);
      }),
    );
  });

  it('masks the base64 of an echoed Basic header', () => {
    fc.assert(
      fc.property(secret, secret, (id, s) => {
        const header = `Authorization: Basic ${Buffer.from(`${id}:${s}`).toString('base64')}`;
        const masked = redact(header, [s, ...basicCredentialForms(id, s)]);
        expect(leaks(masked, basicCredentialForms(id, s))).toEqual([]);
        expect(masked).not.toContain(Buffer.from(`${id}:${s}`).toString('base64').slice(0, 12));
      }),
    );
  });

  it('leaves ordinary text alone', () => {
    expect(redact('the client credentials are invalid', ['s3cr3t-value-123'])).toBe('the client credentials are invalid');
    expect(redact('short ab', ['ab'])).toBe('short ab');
  });
});

describe('what a failed call carries, through the client', () => {
  let server: http.Server;
  let base: string;
  let answer: (body: string, headers: http.IncomingHttpHeaders) => { status: number; body: string } = () => ({ status: 200, body: '{}' });
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString('utf8')));
      req.on('end', () => {
        const out = answer(body, req.headers);
        res.writeHead(out.status, { 'Content-Type': 'application/json' });
        res.end(out.body);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  /** Everything a user could see of an error: message, stack, JSON, inspect (console.error), String(). */
  const everything = (err: unknown) => {
    const e = err as Error;
    return [e.message, e.stack, JSON.stringify(e), inspect(e, { depth: 5 }), String(e)].join('\n');
  };

  it('no run of 8 characters of the client secret, a code or a token survives in a token error or an API error', async () => {
    await fc.assert(
      fc.asyncProperty(
        secret,
        secret,
        secret,
        fc.constantFrom(...Object.keys(ENCODINGS)),
        fc.constantFrom(400, 401, 403, 500),
        fc.constantFrom('message', 'error_description', 'hint', 'raw'),
        async (clientSecret, code, accessToken, encoding, status, field) => {
          const enc = ENCODINGS[encoding]!;
          // The provider echoes the whole request back, body and Authorization header, in the chosen encoding.
          answer = (body, headers) => {
            const echo = enc(`${body} ${headers.authorization ?? ''}`);
            return { status, body: field === 'raw' ? `{"error":"invalid_request","x":"${echo}"}` : `{"error":"invalid_request","${field}":"${echo}"}` };
          };
          const client = new ProviderClient({
            provider: 'p',
            timeout: 2000,
            userAgent: 'test',
            secrets: [clientSecret, ...basicCredentialForms('the-client', clientSecret)],
          });
          const tokenError = await client
            .token({ url: `${base}/token`, form: { grant_type: 'authorization_code', code, client_id: 'the-client', client_secret: clientSecret } }, [code])
            .catch((e: unknown) => e);
          const apiError = await client.text({ url: `${base}/api?access_token=${encodeURIComponent(accessToken)}`, accessToken }).catch((e: unknown) => e);
          expect(tokenError).toBeInstanceOf(Error);
          expect(apiError).toBeInstanceOf(Error);
          expect(leaks(everything(tokenError), [clientSecret, code])).toEqual([]);
          expect(leaks(everything(apiError), [clientSecret, accessToken])).toEqual([]);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('a PHP-style escaped echo cut at 500 characters keeps none of the secret', async () => {
    const clientSecret = 'Zm9v/YmFy+cXV4/Y29ycmVjdA==x';
    answer = (body) => ({ status: 400, body: `{"error":"invalid_client","message":"${'x'.repeat(470)}${ENCODINGS.php!(body)}"}` });
    const client = new ProviderClient({ provider: 'p', timeout: 2000, userAgent: 'test', secrets: [clientSecret] });
    const err = await client.token({ url: `${base}/token`, form: { client_secret: clientSecret } }, []).catch((e: unknown) => e);
    expect(leaks(everything(err), [clientSecret])).toEqual([]);
  });
});
