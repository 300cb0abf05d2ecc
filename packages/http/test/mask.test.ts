// Secret masking over the whole class of echoes: random secrets, tokens and codes, echoed back by a provider in
// random encodings and cut at random places, must leave no run of 8 characters of any of them in what an error
// carries or prints.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import fc from 'fast-check';
import { ProviderClient, basicCredentialForms, redact, redactWhole, secretForms } from '@maniapass/http';

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
  jsonAllEscaped: (v) => v.replace(/[^]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`),
  // PHP's json_encode: every UTF-16 unit past ASCII as \uXXXX (a surrogate pair as two escapes), `/` as `\/`.
  php: (v) =>
    JSON.stringify(v)
      .slice(1, -1)
      .replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
      .replace(/\//g, '\\/'),
};

// Secrets as providers and users make them: URL-unsafe characters, slashes, plus signs, percent signs, colons, quotes, non-ASCII.
const secretChar = fc.constantFrom(...[...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/+=%:"\\ é€_-.~!*😀𐀀']);
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

describe('redactWhole', () => {
  // How JSON encoders may write each UTF-16 unit: as it is (where JSON allows), or as \uXXXX in either hex case
  // (PHP and Python escape every unit past ASCII, Go and .NET the HTML-sensitive ones too, some encoders all).
  const jsonEscaped = (text: string, choices: readonly number[]) => {
    const json = JSON.stringify(text).slice(1, -1);
    let out = '';
    for (let i = 0, k = 0; i < json.length; i++) {
      if (json[i] === '\\') {
        // An escape JSON.stringify wrote (a quote, a backslash, a control character) stays as written.
        const length = json[i + 1] === 'u' ? 6 : 2;
        out += json.slice(i, i + length);
        i += length - 1;
        continue;
      }
      const hex = json.charCodeAt(i).toString(16).padStart(4, '0');
      const choice = choices[k++ % choices.length]!;
      out += choice === 0 ? json[i] : choice === 1 ? `\\u${hex}` : `\\u${hex.toUpperCase()}`;
    }
    return out;
  };
  // How URL encoders may write each UTF-8 byte: as it is (an unreserved character) or %XX in either hex case.
  const percentEscaped = (text: string, choices: readonly number[]) => {
    const bytes = Buffer.from(text, 'utf8');
    let out = '';
    bytes.forEach((byte, k) => {
      const hex = byte.toString(16).padStart(2, '0');
      const choice = choices[k % choices.length]!;
      const plain = /[A-Za-z0-9._~-]/.test(String.fromCharCode(byte));
      out += plain && choice === 0 ? String.fromCharCode(byte) : choice === 2 ? `%${hex.toUpperCase()}` : `%${hex}`;
    });
    return out;
  };
  /** The body as its reader sees it: JSON parsed (where it is JSON), then every run of %XX decoded. */
  const read = (body: string) => {
    let text = body;
    try {
      text = Object.values(JSON.parse(body) as Record<string, string>).join('\n');
    } catch {
      // not JSON: read as it is
    }
    return text.replace(/(?:%[0-9a-fA-F]{2})+/g, (run) => Buffer.from(run.replace(/%/g, ''), 'hex').toString('utf8'));
  };
  // Any characters, those past U+FFFF and lone surrogates included; the prefix keeps the filler from holding one.
  const anyUnit = fc.oneof(
    { weight: 9, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) },
    { weight: 1, arbitrary: fc.constantFrom('\ud800', '\udbff', '\udc00', '\udfff') },
  );
  const secretOf = (minLength: number, maxLength: number) => fc.string({ unit: anyUnit, minLength, maxLength }).map((rest) => `S-${rest}`);
  // Up to 2 x RUN characters: redactWhole masks such a secret whole in any writing (`redact` masks only whole what is
  // shorter than RUN, so a trimmed piece of it would show).
  const shortSecret = secretOf(3, 2 * RUN - 2);
  // Longer: redactWhole masks the common forms; what a parser makes of any other writing goes through `redact`.
  const longSecret = secretOf(2 * RUN, 40);
  const anySecret = fc.oneof(shortSecret, longSecret);
  // A lone surrogate has no UTF-8 form: a URL encoder cannot write it.
  const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
  const choices = fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 1, maxLength: 16 });
  /** What the client does with an error body: masked whole, parsed, a message trimmed out of it, masked again. */
  const shownOf = (body: string, s: string) => redact(read(redactWhole(body, [s])).trim(), [s]);

  it('masks a short secret in a JSON body however the encoder escaped its characters, and in either hex case', () => {
    fc.assert(
      fc.property(shortSecret, choices, filler, filler, (s, how, before, after) => {
        const body = `{"error":"invalid_client","message":${JSON.stringify(before)},"hint":"${jsonEscaped(s, how)}","x":${JSON.stringify(after)}}`;
        const masked = redactWhole(body, [s]);
        expect(read(masked)).not.toContain(s);
        // Masking keeps the body's JSON readable.
        expect(() => JSON.parse(masked) as unknown).not.toThrow();
      }),
      { numRuns: 1000 },
    );
  });

  it('masks a short secret in a form or URL however the encoder percent-encoded its bytes', () => {
    fc.assert(
      fc.property(
        shortSecret.filter((s) => !LONE_SURROGATE.test(s)),
        choices,
        (s, how) => {
          const body = `client_id=the-client&client_secret=${percentEscaped(s, how)}&code=abc`;
          expect(read(redactWhole(body, [s]))).not.toContain(s);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('leaves no run of 8 characters of any secret in a message parsed and trimmed out of a masked body, however it was escaped', () => {
    fc.assert(
      fc.property(anySecret, choices, fc.boolean(), (s, how, percent) => {
        const echo = percent && !LONE_SURROGATE.test(s) ? percentEscaped(s, how) : jsonEscaped(s, how);
        const shown = shownOf(`{"error":"invalid_client","message":"${echo}  "}`, s);
        expect(shown).not.toContain(s.trim());
        expect(leaks(shown, [s])).toEqual([]);
      }),
      { numRuns: 1000 },
    );
  });

  it('masks a long token (10 kB) whole in a body that also holds escapes', () => {
    const token = Buffer.from(Array.from({ length: 7500 }, (_, i) => (i * 7919) % 256)).toString('base64url');
    const body = `{"error":"invalid_token","message":"${token}","hint":"%41 \\u0041"}`;
    expect(redactWhole(body, [token])).toBe('{"error":"invalid_token","message":"[redacted]","hint":"%41 \\u0041"}');
  });

  it('gives every form of a secret, a lone surrogate included, without throwing', () => {
    fc.assert(
      fc.property(anySecret, (s) => {
        expect(secretForms(s)).toContain(s);
        expect(redactWhole(secretForms(s).join(' '), [s])).not.toContain(s);
      }),
    );
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
