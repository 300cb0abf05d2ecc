import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { sendRequest, TransportError, type FetchFunction } from '@maniapass/http';

let server: http.Server;
let base: string;
const seen: Array<{ method?: string; url?: string; headers: http.IncomingHttpHeaders; body: string }> = [];
// Another origin, which a followed redirect would reach: it must never see a request.
let elsewhere: http.Server;
let elsewhereURL: string;
const seenElsewhere: Array<{ method?: string; body: string; authorization?: string }> = [];
let endlessClosed = 0;
// 16 MiB of zeros, 16 KiB compressed.
const bomb = gzipSync(Buffer.alloc(16 * 1024 * 1024));

beforeAll(async () => {
  elsewhere = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      seenElsewhere.push({ method: req.method, body, authorization: req.headers.authorization });
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end('{"access_token":"stolen"}');
    });
  });
  await new Promise<void>((r) => elsewhere.listen(0, '127.0.0.1', r));
  elsewhereURL = `http://127.0.0.1:${(elsewhere.address() as AddressInfo).port}`;
  server = http.createServer((req, res) => {
    if (req.url === '/endless') {
      // Streams for as long as the client reads.
      res.writeHead(200, { 'Content-Type': 'application/json' });
      const chunk = Buffer.alloc(64 * 1024, 'x');
      const pump = () => {
        while (res.write(chunk));
      };
      res.on('drain', pump);
      res.on('close', () => (endlessClosed += 1));
      pump();
      return;
    }
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      seen.push({ method: req.method, url: req.url, headers: req.headers, body });
      if (req.url === '/big') {
        res.writeHead(200);
        res.end('x'.repeat(2048));
      } else if (req.url === '/hang') {
        // never answers
      } else if (req.url === '/slow-body') {
        res.writeHead(200);
        res.write('{"partial":');
      } else if (req.url?.startsWith('/redirect-')) {
        res.writeHead(Number(req.url.slice('/redirect-'.length)), { Location: `${elsewhereURL}/steal` });
        res.end();
      } else if (req.url === '/gzip-bomb') {
        res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' });
        res.end(bomb);
      } else if (req.url?.startsWith('/reset')) {
        req.socket.destroy();
      } else if (req.url === '/cut-body') {
        // Announces 100 bytes, sends 10, then drops the connection.
        res.writeHead(200, { 'Content-Length': '100' });
        res.write('{"partial"');
        setTimeout(() => req.socket.destroy(), 20);
      } else {
        res.writeHead(201, { 'X-Thing': 'yes', 'Content-Type': 'application/json' });
        res.end('{"ok":true}');
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  for (const s of [server, elsewhere]) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
});

describe.each([
  ['node:http', undefined],
  ['injected fetch', (input: string, init: RequestInit) => fetch(input, init)],
] as const)('sendRequest via %s', (_name, fetchImpl) => {
  const opts = (timeout = 1000, maxBodyBytes?: number) => ({ timeout, fetch: fetchImpl as never, maxBodyBytes });

  it('sends method, headers and body, and returns status, lower-case headers and body', async () => {
    const res = await sendRequest({ method: 'POST', url: `${base}/echo`, headers: { 'X-Custom': 'v', 'Content-Type': 'text/plain' }, body: 'hello' }, opts());
    expect(res).toMatchObject({ status: 201, body: '{"ok":true}' });
    expect(res.headers['x-thing']).toBe('yes');
    const last = seen[seen.length - 1]!;
    expect(last).toMatchObject({ method: 'POST', url: '/echo', body: 'hello' });
    expect(last.headers['x-custom']).toBe('v');
  });

  it('times out a request that is never answered', async () => {
    const error = await sendRequest({ method: 'GET', url: `${base}/hang`, headers: {} }, opts(150)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransportError);
    expect(error).toMatchObject({ code: 'ETIMEDOUT', message: 'no complete response within 150 ms' });
  });

  it('times out a body that never ends', async () => {
    await expect(sendRequest({ method: 'GET', url: `${base}/slow-body`, headers: {} }, opts(150))).rejects.toMatchObject({ code: 'ETIMEDOUT' });
  });

  it('refuses bodies above the size limit', async () => {
    await expect(sendRequest({ method: 'GET', url: `${base}/big`, headers: {} }, opts(1000, 1024))).rejects.toMatchObject({ code: 'ETOOLARGE' });
  });

  it('fails a body the server cut short as a network error at once, not at the timeout', async () => {
    const started = Date.now();
    const error = (await sendRequest({ method: 'GET', url: `${base}/cut-body`, headers: {} }, opts(5000)).catch((e: unknown) => e)) as TransportError;
    expect(error).toBeInstanceOf(TransportError);
    expect(error.code).toBe('ENETWORK');
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('reports a reset connection as a network error without the URL', async () => {
    const error = (await sendRequest({ method: 'GET', url: `${base}/reset?secret=abc`, headers: {} }, opts()).catch((e: unknown) => e)) as TransportError;
    expect(error.code).toBe('ENETWORK');
    expect(error.message).not.toContain('secret=abc');
  });

  it('reports a refused connection as a network error', async () => {
    await expect(sendRequest({ method: 'GET', url: 'http://127.0.0.1:1/', headers: {} }, opts())).rejects.toMatchObject({ code: 'ENETWORK' });
  });

  it.each([301, 302, 303, 307, 308])('never follows a %i: the redirect is the answer, and the other origin sees nothing', async (status) => {
    const before = seenElsewhere.length;
    const res = await sendRequest(
      {
        method: 'POST',
        url: `${base}/redirect-${status}`,
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: 'Bearer tok' },
        body: 'code=c&client_secret=s',
      },
      opts(),
    );
    expect(res.status).toBe(status);
    expect(res.headers.location).toBe(`${elsewhereURL}/steal`);
    expect(seenElsewhere.length).toBe(before);
  });

  it('stops reading an endless body at the size limit and closes the connection', async () => {
    const closedBefore = endlessClosed;
    await expect(sendRequest({ method: 'GET', url: `${base}/endless`, headers: {} }, opts(5000, 256 * 1024))).rejects.toMatchObject({ code: 'ETOOLARGE' });
    await new Promise((r) => setTimeout(r, 50));
    expect(endlessClosed).toBe(closedBefore + 1);
  });

  it('asks for no compression, and a compressed body never grows past the limit', async () => {
    const result = await sendRequest({ method: 'GET', url: `${base}/gzip-bomb`, headers: { 'Accept-Encoding': 'gzip, br' } }, opts(5000)).catch(
      (e: unknown) => e,
    );
    expect(seen[seen.length - 1]!.headers['accept-encoding']).toBe('identity');
    // Inflated by fetch: refused at the limit; left compressed by node:http: 16 KiB of unreadable bytes.
    if (result instanceof TransportError) expect(result.code).toBe('ETOOLARGE');
    else expect(Buffer.byteLength((result as { body: string }).body)).toBeLessThanOrEqual(1024 * 1024);
  });
});

describe('an injected fetch', () => {
  it('is asked not to follow redirects', async () => {
    const inits: Array<Parameters<FetchFunction>[1]> = [];
    const spy: FetchFunction = (input, init) => {
      inits.push(init);
      return fetch(input, init);
    };
    const res = await sendRequest({ method: 'GET', url: `${base}/redirect-302`, headers: {} }, { timeout: 1000, fetch: spy });
    expect(res.status).toBe(302);
    expect(inits[0]!.redirect).toBe('manual');
  });

  it('that follows a redirect anyway gets its answer refused', async () => {
    const follows: FetchFunction = (input, init) => fetch(input, { ...init, redirect: 'follow' });
    await expect(sendRequest({ method: 'GET', url: `${base}/redirect-302`, headers: {} }, { timeout: 1000, fetch: follows })).rejects.toMatchObject({
      code: 'ENETWORK',
      message: expect.stringContaining('redirects are never followed'),
    });
  });

  it('without a body stream is still held to the size limit', async () => {
    const textOnly: FetchFunction = async (input, init) => {
      const res = await fetch(input, init);
      return { status: res.status, headers: res.headers, text: () => res.text() };
    };
    await expect(sendRequest({ method: 'GET', url: `${base}/big`, headers: {} }, { timeout: 1000, fetch: textOnly, maxBodyBytes: 1024 })).rejects.toMatchObject(
      { code: 'ETOOLARGE' },
    );
  });
});

describe('headers no HTTP message can carry', () => {
  it.each([
    ['node:http', undefined],
    ['injected fetch', (input: string, init: RequestInit) => fetch(input, init)],
  ] as const)('via %s: a transport error that does not quote the value', async (_name, fetchImpl) => {
    const error = (await sendRequest(
      { method: 'GET', url: `${base}/echo`, headers: { Authorization: 'Bearer abc\r\nX-Injected: 1' } },
      { timeout: 1000, fetch: fetchImpl as never },
    ).catch((e: unknown) => e)) as TransportError;
    expect(error).toBeInstanceOf(TransportError);
    expect(error.message).not.toContain('abc');
  });
});

it('refuses a URL that is not http(s)', async () => {
  await expect(sendRequest({ method: 'GET', url: 'ftp://x/', headers: {} }, { timeout: 100 })).rejects.toMatchObject({ code: 'ENETWORK' });
  await expect(sendRequest({ method: 'GET', url: 'not a url', headers: {} }, { timeout: 100 })).rejects.toMatchObject({ code: 'ENETWORK' });
});
