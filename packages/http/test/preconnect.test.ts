// Connections opened ahead of requests, and requests that meet a connection the server closed while it sat idle.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { MAX_PRECONNECTED, ProviderClient, preconnect, sendRequest } from '@maniapass/http';
import { eventually, startTcpProxy, type TcpProxy } from './tcp-proxy';

let server: http.Server;
let proxy: TcpProxy;
let requests: string[];

// One server and proxy per test: the transport's pools are per host, so no test sees another's connections.
beforeEach(async () => {
  requests = [];
  server = http.createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end('{"ok":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxy = await startTcpProxy((server.address() as AddressInfo).port);
});
afterEach(async () => {
  await proxy.close();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const get = (path = '/thing') => sendRequest({ method: 'GET', url: `${proxy.url}${path}`, headers: {} }, { timeout: 2000 });

describe('preconnect', () => {
  it('opens a connection without sending anything, and the next request goes out on it', async () => {
    preconnect(`${proxy.url}/token`);
    await proxy.opening(1);
    expect(requests).toEqual([]);
    expect(proxy.used).toBe(0);
    const res = await get();
    expect(res.status).toBe(200);
    expect(proxy.opened).toBe(1);
    expect(proxy.used).toBe(1);
  });

  it('keeps at most the number asked for, counting those already opened ahead', async () => {
    preconnect(`${proxy.url}/a`);
    preconnect(`${proxy.url}/b`);
    preconnect(`${proxy.url}/c`, 2);
    await proxy.opening(2);
    preconnect(`${proxy.url}/d`, 1000);
    await proxy.opening(MAX_PRECONNECTED);
    // Another round of asking opens nothing more.
    preconnect(`${proxy.url}/e`, MAX_PRECONNECTED);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(proxy.opened).toBe(MAX_PRECONNECTED);
    expect(proxy.used).toBe(0);
  });

  it('opens nothing when a kept-alive connection to the host is idle', async () => {
    await get();
    expect(proxy.opened).toBe(1);
    preconnect(`${proxy.url}/token`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(proxy.opened).toBe(1);
    await get();
    expect(proxy.opened).toBe(1);
  });

  it('a connection the server closed before the request is not used: the request opens a new one', async () => {
    preconnect(`${proxy.url}/token`);
    await proxy.opening(1);
    proxy.dropAll();
    await eventually(() => proxy.open === 0);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const res = await get();
    expect(res.status).toBe(200);
    expect(proxy.opened).toBe(2);
    expect(requests).toEqual(['GET /thing']);
  });

  it('a request that meets the server closing the preconnected connection is sent again on a new one', async () => {
    preconnect(`${proxy.url}/token`);
    await proxy.opening(1);
    proxy.closeOnNextBytes(1);
    const res = await sendRequest(
      { method: 'POST', url: `${proxy.url}/token`, headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'code=abc' },
      { timeout: 2000 },
    );
    expect(res.status).toBe(200);
    expect(proxy.opened).toBe(2);
    // The first attempt never reached the server.
    expect(requests).toEqual(['POST /token']);
  });

  it('so is one that meets the server closing a kept-alive connection', async () => {
    await get('/first');
    proxy.closeOnNextBytes(1);
    const res = await get('/second');
    expect(res.status).toBe(200);
    expect(proxy.opened).toBe(2);
    expect(requests).toEqual(['GET /first', 'GET /second']);
  });

  it('a new connection that is reset is reported, not used again', async () => {
    proxy.closeOnNextBytes(2);
    await expect(get()).rejects.toMatchObject({ code: 'ENETWORK' });
    expect(proxy.opened).toBe(1);
  });

  it('to a host that cannot be reached, opens nothing usable and fails nothing', async () => {
    expect(() => preconnect('http://127.0.0.1:1/token')).not.toThrow();
    expect(() => preconnect('not a url')).not.toThrow();
    expect(() => preconnect('ftp://127.0.0.1/')).not.toThrow();
    await new Promise((resolve) => setTimeout(resolve, 50));
    await expect(sendRequest({ method: 'GET', url: 'http://127.0.0.1:1/token', headers: {} }, { timeout: 1000 })).rejects.toMatchObject({ code: 'ENETWORK' });
  });
});

describe('ProviderClient.preconnect', () => {
  const client = (fetch?: typeof globalThis.fetch) => new ProviderClient({ provider: 'p', timeout: 2000, userAgent: 'test', fetch: fetch as never });

  it('opens the connection on the node:http path', async () => {
    client().preconnect(`${proxy.url}/token`, 2);
    await proxy.opening(2);
    expect(proxy.used).toBe(0);
  });

  it('does nothing with an injected fetch, which owns its connections', async () => {
    const withFetch = client((input, init) => fetch(input, init));
    withFetch.preconnect(`${proxy.url}/token`, 2);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(proxy.opened).toBe(0);
    await withFetch.json({ url: `${proxy.url}/thing` });
    expect(proxy.opened).toBe(1);
  });
});
