import http from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { CachedTokenSource, ProviderClient, ProviderError, toTokenSet } from '@maniapass/http';

describe('CachedTokenSource lifetimes', () => {
  const source = (expiresIn: number, now: { ms: number }) => {
    let calls = 0;
    const s = new CachedTokenSource(async () => ({ ...toTokenSet({ access_token: `t${++calls}`, expires_in: expiresIn }, now.ms), calls }), { marginSeconds: 60, now: () => now.ms });
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
