import http from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { CachedTokenSource, ProviderClient, ProviderError, toTokenSet } from '@maniapass/http';

describe('CachedTokenSource lifetimes', () => {
  const source = (expiresIn: number, now: { ms: number }) => {
    let calls = 0;
    const s = new CachedTokenSource(async () => ({ ...toTokenSet({ access_token: `t${++calls}`, expires_in: expiresIn }, now.ms), calls }), {
      marginSeconds: 60,
      now: () => now.ms,
    });
    return { s, calls: () => calls };
  };

  it('reuses a token whose lifetime is under the margin (for half of it), instead of asking on every call', async () => {
    const now = { ms: 1_000_000_000 };
    const { s, calls } = source(30, now);
    for (let i = 0; i < 10; i++) await s.get();
    expect(calls()).toBe(1);
    now.ms += 16_000;
    await s.get();
    expect(calls()).toBe(2);
  });

  it('never reuses a token for more than a day, whatever expires_in says', async () => {
    const now = { ms: 1_000_000_000 };
    const { s, calls } = source(1e308, now);
    await s.get();
    now.ms += 24 * 3600 * 1000 - 1000;
    await s.get();
    expect(calls()).toBe(1);
    now.ms += 2000;
    await s.get();
    expect(calls()).toBe(2);
  });

  it('for any lifetime, a token is reused only while it is valid, and at least once when it lives a second or more', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.integer({ min: 0, max: 10 ** 7 }), fc.constant(1e308), fc.double({ min: 0, max: 1e9, noNaN: true })), async (expiresIn) => {
        const now = { ms: 1_700_000_000_000 };
        const { s, calls } = source(expiresIn, now);
        const token = await s.get();
        await s.get();
        if (Math.floor(expiresIn) >= 1) expect(calls()).toBe(1);
        // Just before expiry it is never handed out again.
        if (token.expiresAt !== undefined && Number.isFinite(token.expiresAt)) {
          now.ms = token.expiresAt * 1000;
          const again = await s.get();
          expect(again.accessToken).not.toBe(token.accessToken);
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe('ProviderClient and header values', () => {
  let server: http.Server;
  let base: string;
  beforeAll(async () => {
    server = http.createServer((_req, res) => res.end('{}'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  it('refuses at construction a User-Agent or custom header no HTTP message can carry, naming it', () => {
    expect(() => new ProviderClient({ provider: 'p', timeout: 1000, userAgent: 'a\nb' })).toThrow(/User-Agent/);
    expect(() => new ProviderClient({ provider: 'p', timeout: 1000, userAgent: 'ua', headers: { 'X-Key': 'k\r\nX-Evil: 1' } })).toThrow(/X-Key/);
  });

  it('an access token from the provider that no header can carry is a ProviderError that does not show it', async () => {
    const client = new ProviderClient({ provider: 'p', timeout: 1000, userAgent: 'ua' });
    await fc.assert(
      fc.asyncProperty(fc.string({ minLength: 4 }), fc.constantFrom('\n', '\r', '\0', '\u0100', '\u2028', '\x7f'), async (prefix, bad) => {
        const token = `${prefix}${bad}tail-of-the-token`;
        const err = await client.text({ url: `${base}/api`, accessToken: token }).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(ProviderError);
        expect(err).toMatchObject({ code: 'EBADRESPONSE', status: 500 });
        expect((err as Error).message).not.toContain('tail-of-the-token');
      }),
      { numRuns: 50 },
    );
  });
});

describe('the headers a provider receives', () => {
  let server: http.Server;
  let base: string;
  beforeAll(async () => {
    // Echoes every header line as received, so that a name sent twice shows.
    server = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => res.end(JSON.stringify(req.rawHeaders)));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  // Names in any case, among them those the client sets itself.
  const name = fc
    .tuple(
      fc.constantFrom('Accept', 'User-Agent', 'Authorization', 'Content-Type', 'Accept-Encoding', 'X-Api-Key', 'X-Trace'),
      fc.array(fc.boolean(), { minLength: 20, maxLength: 20 }),
    )
    .map(([n, upper]) => [...n].map((c, i) => (upper[i] ? c.toUpperCase() : c.toLowerCase())).join(''));
  const value = fc.stringMatching(/^[A-Za-z0-9 ._-]{1,12}$/).map((v) => v.trim() || 'v');
  const headers = fc.dictionary(name, value, { maxKeys: 5 });
  const body = fc.constantFrom<'none' | 'form' | 'json'>('none', 'form', 'json');

  /** What the rules say arrives: one value per name (lower case). */
  function expected(
    custom: Record<string, string>,
    own: Record<string, string> | undefined,
    kind: string,
    token: string | undefined,
    sent: string | undefined,
  ): Map<string, string> {
    const m = new Map<string, string>([
      ['accept', 'application/json'],
      ['user-agent', 'ua'],
    ]);
    for (const [n, v] of [...Object.entries(custom), ...Object.entries(own ?? {})]) if (n.toLowerCase() !== 'accept-encoding') m.set(n.toLowerCase(), v);
    if (kind === 'form') m.set('content-type', 'application/x-www-form-urlencoded');
    if (kind === 'json') m.set('content-type', 'application/json');
    if (token !== undefined) m.set('authorization', `Bearer ${token}`);
    if (sent !== undefined) m.set('content-length', String(Buffer.byteLength(sent)));
    m.set('accept-encoding', 'identity');
    m.set('host', new URL(base).host);
    return m;
  }

  it('for any custom and per-request headers in any case, each name arrives once, with the value the rules give', async () => {
    await fc.assert(
      fc.asyncProperty(
        headers,
        fc.option(headers, { nil: undefined }),
        body,
        fc.option(fc.stringMatching(/^[A-Za-z0-9._-]{1,20}$/), { nil: undefined }),
        async (custom, own, kind, token) => {
          const client = new ProviderClient({ provider: 'p', timeout: 2000, userAgent: 'ua', headers: custom });
          const form = kind === 'form' ? { a: 'b c' } : undefined;
          const json = kind === 'json' ? { a: 1 } : undefined;
          const { raw } = await client.text({ url: `${base}/echo`, headers: own, form, json, accessToken: token });
          const lines = JSON.parse(raw) as string[];
          const got = new Map<string, string[]>();
          for (let i = 0; i < lines.length; i += 2) got.set(lines[i]!.toLowerCase(), [...(got.get(lines[i]!.toLowerCase()) ?? []), lines[i + 1]!]);
          got.delete('connection');
          const sent = form ? 'a=b+c' : json ? '{"a":1}' : undefined;
          expect(Object.fromEntries(got)).toEqual(Object.fromEntries([...expected(custom, own, kind, token, sent)].map(([n, v]) => [n, [v]])));
        },
      ),
      { numRuns: 300 },
    );
  });
});
