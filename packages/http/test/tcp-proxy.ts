// A TCP proxy on loopback in front of a test server: counts the connections clients open, and closes them on
// demand, as a provider does with idle connections. For tests of connection reuse and preconnect.
import net from 'node:net';

export interface TcpProxy {
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** Connections accepted so far. */
  readonly opened: number;
  /** Accepted connections that sent at least one byte (a request). */
  readonly used: number;
  /** Connections open now. */
  readonly open: number;
  /** Resolves once `count` connections have been accepted in all; rejects if that takes over `ms`. */
  opening(count: number, ms?: number): Promise<void>;
  /** Closes every connection, as a server does when its keep-alive timeout has passed. */
  dropAll(): void;
  /** The next `count` times bytes arrive, their connection is closed and they go nowhere: a server closing an idle connection just as a request arrives. */
  closeOnNextBytes(count: number): void;
  close(): Promise<void>;
}

export async function startTcpProxy(targetPort: number): Promise<TcpProxy> {
  const clients = new Set<net.Socket>();
  let opened = 0;
  let used = 0;
  let toClose = 0;
  const waiting: Array<{ count: number; resolve: () => void }> = [];
  const server = net.createServer((client) => {
    opened += 1;
    clients.add(client);
    for (const w of [...waiting]) if (opened >= w.count) w.resolve();
    let upstream: net.Socket | undefined;
    let first = true;
    const destroy = () => {
      client.destroy();
      upstream?.destroy();
    };
    client.on('error', destroy).on('close', () => {
      clients.delete(client);
      upstream?.destroy();
    });
    client.on('data', (chunk) => {
      if (toClose > 0) {
        toClose -= 1;
        if (first) used += 1;
        destroy();
        return;
      }
      if (first) {
        first = false;
        used += 1;
        upstream = net.connect({ port: targetPort, host: '127.0.0.1' });
        upstream.on('error', destroy).on('close', () => client.destroy());
        upstream.pipe(client);
      }
      upstream?.write(chunk);
    });
    client.on('end', () => upstream?.end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    get opened() {
      return opened;
    },
    get used() {
      return used;
    },
    get open() {
      return clients.size;
    },
    opening(count, ms = 2000) {
      if (opened >= count) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiting.splice(waiting.indexOf(entry), 1);
          reject(new Error(`${opened} connections opened, ${count} expected`));
        }, ms);
        const entry = {
          count,
          resolve: () => {
            clearTimeout(timer);
            waiting.splice(waiting.indexOf(entry), 1);
            resolve();
          },
        };
        waiting.push(entry);
      });
    },
    dropAll() {
      for (const client of clients) client.destroy();
    },
    closeOnNextBytes(count) {
      toClose = count;
    },
    close() {
      for (const client of clients) client.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** Until `predicate` holds (checked every few milliseconds), at most `ms`; for states reached through the event loop. */
export async function eventually(predicate: () => boolean, ms = 2000): Promise<void> {
  const until = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > until) throw new Error('condition not reached');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
