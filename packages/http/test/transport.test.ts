import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { sendRequest, TransportError } from '@maniapass/http';

let server: http.Server;
let base: string;
const seen: Array<{ method?: string; url?: string; headers: http.IncomingHttpHeaders; body: string }> = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
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
      } else if (req.url?.startsWith('/reset')) {
        req.socket.destroy();
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
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
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

  it('reports a reset connection as a network error without the URL', async () => {
    const error = (await sendRequest({ method: 'GET', url: `${base}/reset?secret=abc`, headers: {} }, opts()).catch((e: unknown) => e)) as TransportError;
    expect(error.code).toBe('ENETWORK');
    expect(error.message).not.toContain('secret=abc');
  });

  it('reports a refused connection as a network error', async () => {
    await expect(sendRequest({ method: 'GET', url: 'http://127.0.0.1:1/', headers: {} }, opts())).rejects.toMatchObject({ code: 'ENETWORK' });
  });
});

it('refuses a URL that is not http(s)', async () => {
  await expect(sendRequest({ method: 'GET', url: 'ftp://x/', headers: {} }, { timeout: 100 })).rejects.toMatchObject({ code: 'ENETWORK' });
  await expect(sendRequest({ method: 'GET', url: 'not a url', headers: {} }, { timeout: 100 })).rejects.toMatchObject({ code: 'ENETWORK' });
});
