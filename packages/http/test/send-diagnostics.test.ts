// The one send() publishes every outbound call on the diagnostics channels: start, then end (any status) or error,
// with the provider, the method, the URL without its query and the duration, and never a secret.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { CHANNELS, ProviderClient, sendRequest, type RequestEnd, type RequestError, type RequestStart } from '@maniapass/http';

let server: http.Server;
let base: string;
beforeAll(async () => {
  server = http.createServer((req, res) => {
    if (req.url?.startsWith('/hang')) return;
    res.writeHead(req.url?.startsWith('/missing') ? 404 : 200, { 'Content-Type': 'application/json' });
    res.end('{"ok":true}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))));

async function recorded(run: () => Promise<unknown>): Promise<Array<[string, RequestStart & Partial<RequestEnd & RequestError>]>> {
  const messages: Array<[string, RequestStart & Partial<RequestEnd & RequestError>]> = [];
  const names = [CHANNELS.requestStart, CHANNELS.requestEnd, CHANNELS.requestError];
  const listeners = names.map((name) => [name, (m: unknown) => messages.push([name, m as RequestStart])] as const);
  for (const [name, listener] of listeners) subscribe(name, listener);
  try {
    await run().catch(() => undefined);
  } finally {
    for (const [name, listener] of listeners) unsubscribe(name, listener);
  }
  return messages;
}

const SECRET = 'client-secret-value-1234';
const TOKEN = 'access-token-value-5678';
const client = () => new ProviderClient({ provider: 'example', timeout: 200, userAgent: 'test', secrets: [SECRET] });

it('publishes start and end for an answer of any status, with the URL without its query', async () => {
  const messages = await recorded(() => client().send({ url: `${base}/missing?token=${TOKEN}`, accessToken: TOKEN }));
  expect(messages).toEqual([
    [CHANNELS.requestStart, { provider: 'example', method: 'GET', url: `${base}/missing` }],
    [CHANNELS.requestEnd, { provider: 'example', method: 'GET', url: `${base}/missing`, status: 404, durationMs: expect.any(Number) }],
  ]);
});

it('publishes start and error for a call that got no answer, with the masked error and its code', async () => {
  const messages = await recorded(() =>
    client().token({ method: 'POST', url: `${base}/hang?code=${TOKEN}`, form: { client_secret: SECRET, code: TOKEN } }, [TOKEN]),
  );
  expect(messages.map(([name]) => name)).toEqual([CHANNELS.requestStart, CHANNELS.requestError]);
  expect(messages[1]![1]).toMatchObject({
    provider: 'example',
    method: 'POST',
    url: `${base}/hang`,
    code: 'ETIMEDOUT',
    durationMs: expect.any(Number),
    error: { name: 'ProviderError' },
  });
  const text = JSON.stringify(messages, (_key, value: unknown) => (value instanceof Error ? { message: value.message, stack: value.stack } : value));
  expect(text).not.toContain(SECRET);
  expect(text).not.toContain(TOKEN);
});

it("names requests sent with sendRequest alone as the HTTP layer's, and publishes nothing when nobody listens", async () => {
  const messages = await recorded(() => sendRequest({ method: 'GET', url: `${base}/ok`, headers: {} }, { timeout: 1000 }));
  expect(messages[0]).toEqual([CHANNELS.requestStart, { provider: 'http', method: 'GET', url: `${base}/ok` }]);
  // Without subscribers, the call's own promise is returned as the transport made it.
  await expect(sendRequest({ method: 'GET', url: `${base}/ok`, headers: {} }, { timeout: 1000 })).resolves.toMatchObject({ status: 200 });
});
