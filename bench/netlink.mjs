// A provider tens of milliseconds away over TLS, on loopback: a TLS terminator with a self-signed certificate in
// front of a plain-HTTP emulator, behind a TCP proxy that delays every chunk by a fixed one-way delay.
//   app (child process) → delay link (node:net) → TLS terminator (node:tls) → emulator (plain HTTP)
import net from 'node:net';
import tls from 'node:tls';
import { performance } from 'node:perf_hooks';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

const HOST = '127.0.0.1';

/**
 * A certificate for `localhost` and `127.0.0.1`, valid for a day. Only the benchmark's child process trusts it,
 * through NODE_EXTRA_CA_CERTS.
 */
export async function makeCertificate() {
  const { generate } = require('selfsigned');
  const pems = await generate([{ name: 'commonName', value: 'localhost' }], {
    keyType: 'rsa',
    keySize: 2048,
    algorithm: 'sha256',
    notAfterDate: new Date(Date.now() + 24 * 3600 * 1000),
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: HOST },
        ],
      },
    ],
  });
  return { key: pems.private, cert: pems.cert };
}

function listen(server) {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, HOST, () => {
      server.off('error', reject);
      resolve(server.address().port);
    });
  });
}

function closeServer(server, sockets) {
  for (const socket of sockets) socket.destroy();
  return new Promise((resolve) => server.close(() => resolve()));
}

/** TLS in front of a plain TCP service: every TLS connection becomes one plain connection to `target`. */
export async function startTlsTerminator({ key, cert, target }) {
  const sockets = new Set();
  const server = tls.createServer({ key, cert }, (secure) => {
    const plain = net.connect({ port: target.port, host: target.host, noDelay: true });
    sockets.add(plain);
    const destroy = () => {
      secure.destroy();
      plain.destroy();
    };
    secure.on('error', destroy);
    plain.on('error', destroy);
    secure.on('close', destroy);
    plain.on('close', () => {
      sockets.delete(plain);
      destroy();
    });
    secure.pipe(plain);
    plain.pipe(secure);
  });
  server.on('connection', (socket) => {
    // Nagle's algorithm would hold a second small write (a TLS record after the headers) for the peer's delayed ACK.
    socket.setNoDelay(true);
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  // A connection the delay link drops mid-handshake: nothing to report.
  server.on('tlsClientError', () => undefined);
  const port = await listen(server);
  return { host: HOST, port, close: () => closeServer(server, sockets) };
}

/**
 * One direction of a link: every chunk (and the end) is written to `to` `oneWayMs` after it arrived, in order.
 * Nothing leaves before `notBefore` + `oneWayMs`. Adds each chunk's lateness (the timers') to `stats`.
 */
function delayDirection(from, to, oneWayMs, notBefore, stats) {
  const queue = [];
  let timer;
  const drain = () => {
    timer = undefined;
    const now = performance.now();
    while (queue.length > 0 && queue[0].due <= now) {
      const { chunk, due } = queue.shift();
      stats.chunks += 1;
      stats.lateMs += now - due;
      if (to.destroyed) continue;
      if (chunk === null) to.end();
      else to.write(chunk);
    }
    if (queue.length > 0) timer = setTimeout(drain, queue[0].due - now);
  };
  const push = (chunk) => {
    const now = performance.now();
    queue.push({ chunk, due: Math.max(now, notBefore) + oneWayMs });
    if (timer === undefined) timer = setTimeout(drain, queue[0].due - now);
  };
  from.on('data', push);
  from.on('end', () => push(null));
  return () => {
    clearTimeout(timer);
    queue.length = 0;
  };
}

/**
 * A TCP proxy on loopback that delays every chunk in each direction by `oneWayMs`, keeping the order.
 * The kernel completes the TCP handshake with the proxy at once, so the first bytes of a connection are also held
 * `connectRoundTrips` round trips: what the SYN / SYN-ACK exchange costs a client that speaks first, as TLS does.
 * `dropAll()` closes every connection, as a provider does once its keep-alive timeout has passed.
 */
export async function startDelayLink({ target, oneWayMs, connectRoundTrips = 1 }) {
  const links = new Set();
  const stats = { opened: 0, chunks: 0, lateMs: 0 };
  const server = net.createServer({ allowHalfOpen: true, noDelay: true }, (client) => {
    stats.opened += 1;
    const acceptedAt = performance.now();
    const upstream = net.connect({ port: target.port, host: target.host, allowHalfOpen: true, noDelay: true });
    const link = { client, upstream };
    const stops = [
      delayDirection(client, upstream, oneWayMs, acceptedAt + connectRoundTrips * 2 * oneWayMs, stats),
      delayDirection(upstream, client, oneWayMs, 0, stats),
    ];
    link.destroy = () => {
      if (!links.delete(link)) return;
      for (const stop of stops) stop();
      client.destroy();
      upstream.destroy();
    };
    links.add(link);
    client.on('error', link.destroy);
    upstream.on('error', link.destroy);
    // A side that closed cleanly has its end queued towards the other: forget the link once both have closed.
    const onClose = (hadError) => {
      if (hadError || (client.destroyed && upstream.destroyed)) link.destroy();
    };
    client.on('close', onClose);
    upstream.on('close', onClose);
  });
  const port = await listen(server);
  return {
    host: HOST,
    port,
    /** Connections accepted so far. */
    get opened() {
      return stats.opened;
    },
    /** Connections open now. */
    get open() {
      return links.size;
    },
    /** Mean time a chunk waited past its due time (timer granularity and event-loop delay), in ms. */
    get meanLateMs() {
      return stats.chunks ? stats.lateMs / stats.chunks : 0;
    },
    dropAll() {
      const count = links.size;
      for (const link of [...links]) link.destroy();
      return count;
    },
    close: () => {
      for (const link of [...links]) link.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
