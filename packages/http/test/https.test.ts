// The node:https path, end to end: a server with a certificate only the child process trusts (through
// NODE_EXTRA_CA_CERTS, as a provider's real certificate would be trusted by the system store), and the transport's
// requests to it: a GET, a POST with its body, a call through ProviderClient, a preconnected connection, and
// keep-alive (one TLS connection for all of them).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generate } from 'selfsigned';

let dir: string;
let key: string;
let cert: string;
beforeAll(async () => {
  const pems = await generate([{ name: 'commonName', value: 'localhost' }], {
    keyType: 'rsa',
    keySize: 2048,
    algorithm: 'sha256',
    notAfterDate: new Date(Date.now() + 24 * 3600 * 1000),
    extensions: [{ name: 'subjectAltName', altNames: [{ type: 2, value: 'localhost' }] }],
  });
  key = pems.private;
  cert = pems.cert;
  dir = mkdtempSync(join(tmpdir(), 'maniapass-https-'));
  writeFileSync(join(dir, 'ca.pem'), cert);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const script = `
  const https = require('node:https');
  const { sendRequest, preconnect, ProviderClient } = require('@maniapass/http');
  let connections = 0;
  const seen = [];
  const server = https.createServer({ key: process.env.TEST_KEY, cert: process.env.TEST_CERT }, (req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      seen.push({ method: req.method, url: req.url, host: req.headers.host, authorization: req.headers.authorization, body });
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify({ ok: req.url }));
    });
  });
  server.on('secureConnection', () => (connections += 1));
  server.listen(0, '127.0.0.1', async () => {
    const base = 'https://localhost:' + server.address().port;
    const out = {};
    try {
      preconnect(base + '/token');
      await new Promise((r) => setTimeout(r, 300));
      out.afterPreconnect = connections;
      out.get = await sendRequest({ method: 'GET', url: base + '/get?x=1', headers: {} }, { timeout: 5000 });
      out.post = await sendRequest({ method: 'POST', url: base + '/token', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'a=b' }, { timeout: 5000 });
      const client = new ProviderClient({ provider: 'p', timeout: 5000, userAgent: 'ua' });
      out.text = await client.text({ url: base + '/me', accessToken: 'tok' });
      out.connections = connections;
      out.seen = seen;
    } catch (err) {
      out.error = String(err && err.message);
    }
    server.close();
    server.closeAllConnections();
    process.stdout.write(JSON.stringify(out));
  });`;

it('sends over TLS to a host it trusts, opens the connection ahead, and keeps it for every request', () => {
  const child = spawnSync(process.execPath, ['-r', join(__dirname, '../../../test-support/register-sources.cjs'), '-e', script], {
    encoding: 'utf8',
    timeout: 30_000,
    env: { ...process.env, NODE_EXTRA_CA_CERTS: join(dir, 'ca.pem'), TEST_KEY: key, TEST_CERT: cert },
  });
  expect(child.status).toBe(0);
  const out = JSON.parse(child.stdout);
  expect(out.error).toBeUndefined();
  expect(out.afterPreconnect).toBe(1);
  expect(out.get).toMatchObject({ status: 200, body: '{"ok":"/get?x=1"}' });
  expect(out.post).toMatchObject({ status: 200, body: '{"ok":"/token"}' });
  expect(out.text).toMatchObject({ status: 200, raw: '{"ok":"/me"}' });
  expect(out.connections).toBe(1);
  const port = out.seen[0].host.split(':')[1];
  expect(out.seen).toEqual([
    { method: 'GET', url: '/get?x=1', host: `localhost:${port}`, body: '' },
    { method: 'POST', url: '/token', host: `localhost:${port}`, body: 'a=b' },
    { method: 'GET', url: '/me', host: `localhost:${port}`, authorization: 'Bearer tok', body: '' },
  ]);
});

it('refuses a host whose certificate it does not trust, as a network error', () => {
  const child = spawnSync(process.execPath, ['-r', join(__dirname, '../../../test-support/register-sources.cjs'), '-e', script], {
    encoding: 'utf8',
    timeout: 30_000,
    env: { ...process.env, NODE_EXTRA_CA_CERTS: '', TEST_KEY: key, TEST_CERT: cert },
  });
  expect(child.status).toBe(0);
  expect(JSON.parse(child.stdout).error).toMatch(/^network error \((SELF_SIGNED_CERT_IN_CHAIN|DEPTH_ZERO_SELF_SIGNED_CERT|UNABLE_TO_VERIFY_LEAF_SIGNATURE)\)$/);
});
