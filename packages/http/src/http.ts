import type * as NodeHttp from 'node:http';
import type * as NodeNet from 'node:net';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';

/**
 * A `fetch` implementation, such as the global one or one that goes through a proxy. The collection asks it not
 * to follow redirects (`redirect: 'manual'`) and reads the body as a stream when the response has one, so that
 * the size limit holds whatever the server sends.
 */
export type FetchFunction = (input: string, init: {
  method: string;
  headers: Record<string, string>;
  body?: string;
  signal: AbortSignal;
  redirect: 'manual';
}) => Promise<FetchResponse>;

/** The part of a `fetch` Response the transport reads. */
export interface FetchResponse {
  status: number;
  headers: { forEach(cb: (value: string, key: string) => void): void };
  /** `true` when the implementation followed a redirect although asked not to: refused. */
  redirected?: boolean;
  /** Read chunk by chunk and cancelled past the size limit; implementations without it are read with `text()`. */
  body?: ReadableStream<Uint8Array> | null;
  text(): Promise<string>;
}

/** A request as the transport sends it. */
export interface HttpRequest {
  /** The HTTP method. */
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** The absolute URL. */
  url: string;
  /** Every header to send. */
  headers: Record<string, string>;
  /** The body, already encoded. */
  body?: string;
}

/** An answer as the transport received it, whatever its status. */
export interface HttpResponse {
  /** The HTTP status. */
  status: number;
  /** Header names in lower case. */
  headers: Record<string, string>;
  /** The body, decoded as UTF-8. */
  body: string;
}

/** The bounds of one exchange. */
export interface HttpOptions {
  /** Milliseconds for the whole exchange, body included. */
  timeout: number;
  /** A `fetch` used instead of `node:http(s)`. */
  fetch?: FetchFunction;
  /** Bodies above this many bytes are refused (a login never needs more). */
  maxBodyBytes?: number;
}

/** A transport failure: `code` is ETIMEDOUT, ENETWORK or ETOOLARGE. Carries no request data. */
export class TransportError extends Error {
  constructor(
    readonly code: 'ETIMEDOUT' | 'ENETWORK' | 'ETOOLARGE',
    message: string,
  ) {
    super(message);
    this.name = 'TransportError';
  }
}

const DEFAULT_MAX_BODY = 1024 * 1024;

/**
 * How long an idle connection is kept open, in milliseconds: a connection opened at the authorize redirect has to
 * outlast the visitor's time at the provider (signing in there, reading the consent page), and a kept-alive one
 * the time between two sign-ins. A server that announces a shorter keep-alive (`Keep-Alive: timeout=N`) is obeyed.
 */
export const KEEP_ALIVE_MS = 60_000;

/** The most connections `preconnect` keeps ready for one host. */
export const MAX_PRECONNECTED = 4;

/**
 * A keep-alive agent that can open connections ahead of the requests that will need them. When the agent needs a
 * new connection for a host, it takes one opened ahead first, and only then opens a fresh one: Node's own
 * pooling, reuse and limits stay as they are.
 */
interface ReadyAgent extends NodeHttp.Agent {
  /** Connections opened ahead and not taken yet, by the agent's name for their host. */
  readonly ready: Map<string, Socket[]>;
  /** Connections to open ahead once the current callback is done; a request that needs one first opens it itself. */
  readonly due: Map<string, { target: Target; count: number }>;
  /** The agent's name for a host (`agent.getName()` of the options a request to it gets). */
  nameOf(target: Target): string;
  /** Opens a connection to the host without sending anything on it. */
  open(target: Target, name: string): Socket;
}

interface Transport {
  request: typeof NodeHttp.request;
  agent: ReadyAgent;
}

/** What the transport keeps of a URL: parsed once, reused by every request to it. */
interface Target {
  transport: Transport;
  protocol: 'http:' | 'https:';
  hostname: string;
  port: number;
  path: string;
  /** The Host header of a request to it. */
  host: string;
  /** `agent.nameOf(target)`, once asked. */
  name?: string;
}

// Sockets the agents handed out that had been opened ahead: a failure on one is a connection the server closed
// while it waited, not an answer to the request.
const openedAhead = new WeakSet<object>();
// The listener that drops a socket opened ahead while it waits, removed when the socket is handed out.
const dropWhileWaiting = new WeakMap<Socket, () => void>();

function ready(socket: Socket): boolean {
  return !socket.destroyed && socket.readable && socket.writable;
}

function readyAgent(Base: typeof NodeHttp.Agent): ReadyAgent {
  // Loaded by node:http already.
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- required where it is used; node:http has loaded it already
  const { isIP } = require('node:net') as typeof NodeNet;
  class Agent extends Base {
    readonly ready = new Map<string, Socket[]>();
    readonly due = new Map<string, { target: Target; count: number }>();

    override createConnection(options: NodeHttp.ClientRequestArgs, callback?: (err: Error | null, stream: Duplex) => void): Duplex | null | undefined {
      const name = this.getName(options);
      const list = this.ready.get(name);
      while (list?.length) {
        const socket = list.pop()!;
        if (!list.length) this.ready.delete(name);
        const drop = dropWhileWaiting.get(socket)!;
        socket.off('close', drop).off('end', drop).off('timeout', drop).off('error', drop);
        if (!ready(socket)) {
          socket.destroy();
          continue;
        }
        // Held unreferenced, so that an idle one never keeps the process alive; in use, it does, as a fresh one would.
        socket.ref();
        openedAhead.add(socket);
        return socket;
      }
      // One that was due to be opened ahead is opened now, for this request.
      const due = this.due.get(name);
      if (due && --due.count === 0) this.due.delete(name);
      return super.createConnection(options, callback);
    }

    nameOf(target: Target): string {
      return this.getName(this.connectOptions(target));
    }

    open(target: Target, name: string): Socket {
      // Base.prototype: this agent's own createConnection would hand out a socket that is ready.
      const socket = Base.prototype.createConnection.call(this, Object.assign(this.connectOptions(target), { _agentKey: name })) as Socket;
      const drop = () => {
        socket.destroy();
        const list = this.ready.get(name);
        const at = list ? list.indexOf(socket) : -1;
        if (at !== -1) list!.splice(at, 1);
        if (list && !list.length) this.ready.delete(name);
      };
      // Closed by the server, unreachable, or idle past the keep-alive time: dropped, never handed out.
      dropWhileWaiting.set(socket, drop);
      socket.once('close', drop).once('end', drop).once('timeout', drop).on('error', drop);
      socket.setTimeout(KEEP_ALIVE_MS);
      socket.unref();
      const list = this.ready.get(name);
      if (list) list.push(socket);
      else this.ready.set(name, [socket]);
      return socket;
    }

    /** The options the agent gives `createConnection` for a request to the target (see Agent#createSocket). */
    private connectOptions(target: Target): NodeHttp.ClientRequestArgs & Record<string, unknown> {
      const options: Record<string, unknown> = {
        host: target.hostname,
        port: target.port,
        // What Node derives from the Host header: the host name, or '' for an IP address.
        servername: isIP(target.hostname) ? '' : target.hostname,
      };
      Object.assign(options, (this as unknown as { options: object }).options);
      options.keepAlive = true;
      options.keepAliveInitialDelay = (this as unknown as { keepAliveMsecs: number }).keepAliveMsecs;
      options.encoding = null;
      return options as NodeHttp.ClientRequestArgs & Record<string, unknown>;
    }
  }
  // Keep-alive: a sign-in makes two or three calls to the same host, and a fresh TLS handshake for each costs more
  // than the rest of the request.
  return new Agent({ keepAlive: true, timeout: KEEP_ALIVE_MS }) as unknown as ReadyAgent;
}


// node:http and node:https are loaded, and the agents made, on the first request: an application that loads the
// collection without calling a provider (or nadeo-auth with an injected fetch) pays for neither, and node:https
// brings TLS.
const transports: { 'http:'?: Transport; 'https:'?: Transport } = {};

function transportFor(protocol: 'http:' | 'https:'): Transport {
  let transport = transports[protocol];
  if (!transport) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- node:https is loaded only by a process that calls an https: URL
    const module = (protocol === 'https:' ? require('node:https') : require('node:http')) as typeof NodeHttp;
    transport = { request: module.request, agent: readyAgent(module.Agent) };
    transports[protocol] = transport;
  }
  return transport;
}

// URLs parsed so far: a strategy calls the same few endpoints again and again. Bounded, since some URLs carry an id.
const targets = new Map<string, Target | string>();
const MAX_TARGETS = 256;

/** The target of a URL, or why there is none. */
function targetOf(url: string): Target | string {
  let target = targets.get(url);
  if (target !== undefined) return target;
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    target = 'invalid URL';
  }
  if (parsed) {
    const protocol = parsed.protocol;
    if (protocol !== 'http:' && protocol !== 'https:') {
      target = `unsupported protocol ${protocol}`;
    } else {
      const hostname = parsed.hostname.startsWith('[') ? parsed.hostname.slice(1, -1) : parsed.hostname;
      const port = parsed.port ? Number(parsed.port) : protocol === 'https:' ? 443 : 80;
      target = { transport: transportFor(protocol), protocol, hostname, port, path: `${parsed.pathname}${parsed.search}`, host: parsed.host };
    }
  }
  if (targets.size >= MAX_TARGETS) targets.clear();
  targets.set(url, target!);
  return target!;
}

/**
 * The one outbound HTTP path of the collection: every token, profile and API call goes through here, bounded by
 * `timeout` and by a body size limit. Uses `node:http(s)` unless a `fetch` is injected.
 */
export function sendRequest(request: HttpRequest, options: HttpOptions): Promise<HttpResponse> {
  if (options.fetch) return viaFetch(options.fetch, request, options);
  const headers = withoutCompression(request.headers);
  const list: string[] = [];
  for (const name in headers) if (name.toLowerCase() !== 'content-length' || request.body === undefined) list.push(name, headers[name]!);
  return viaNode({ method: request.method, url: request.url, headers: list, body: request.body }, options, asIs);
}

/**
 * A request whose headers are a flat list (`[name, value, name, value, ...]`): one entry per name whatever its
 * case, `Accept-Encoding: identity` among them, no `Content-Length` (the transport adds it for a body). node:http
 * writes such a list as it is, without first copying each header into a map of its own.
 */
export interface OutgoingRequest {
  method: HttpRequest['method'];
  url: string;
  headers: string[];
  body?: string;
}

const asIs = (err: TransportError): TransportError => err;

/** What the caller makes of a transport failure; runs in socket events, where a throw would reach the process. */
function failed(failure: (err: TransportError) => unknown, err: TransportError): unknown {
  try {
    return failure(err);
  } catch (thrown) {
    return thrown;
  }
}

/**
 * `sendRequest` for a caller that has its headers as an `OutgoingRequest` list. A failure is rejected with what
 * `failure` makes of the `TransportError` (the caller's own error), without a further promise to map it.
 */
export function sendOwnRequest(request: OutgoingRequest, options: HttpOptions, failure: (err: TransportError) => unknown): Promise<HttpResponse> {
  if (!options.fetch) return viaNode(request, options, failure);
  const headers: Record<string, string> = {};
  for (let i = 0; i < request.headers.length; i += 2) headers[request.headers[i]!] = request.headers[i + 1]!;
  return viaFetch(options.fetch, { method: request.method, url: request.url, headers, body: request.body }, options).then(undefined, (err: unknown) =>
    Promise.reject(err instanceof TransportError ? failure(err) : err),
  );
}

/**
 * Opens `sockets` connections (default 1, at most `MAX_PRECONNECTED`) to the host of `url` for requests about to
 * be made, without sending anything: DNS, TCP and TLS are done by the time they go out. Connections already idle
 * in the pool for that host count, so nothing is opened when enough are. An unused one is closed after
 * `KEEP_ALIVE_MS` idle, or when the server closes it. Never fails: a host that cannot be reached is reported by the
 * request itself. With an injected `fetch` (ProviderClient), nothing is opened: the fetch implementation owns its
 * connections.
 */
export function preconnect(url: string, sockets = 1): void {
  const target = targetOf(url);
  if (typeof target === 'string') return;
  const agent = target.transport.agent;
  const name = (target.name ??= agent.nameOf(target));
  const wanted = Math.min(Math.max(1, Math.floor(sockets) || 1), MAX_PRECONNECTED);
  const due = agent.due.get(name);
  const have = (agent.freeSockets[name]?.length ?? 0) + (agent.ready.get(name)?.length ?? 0) + (due?.count ?? 0);
  if (have >= wanted) return;
  if (due) {
    due.count += wanted - have;
    return;
  }
  agent.due.set(name, { target, count: wanted - have });
  // Opened on the next turn of the event loop, not in this callback: the response that asked for them (an authorize
  // redirect, written once the session is saved) goes out first, without waiting for TLS's work.
  setTimeout(openDue, 0, agent, name);
}

function openDue(agent: ReadyAgent, name: string): void {
  const due = agent.due.get(name);
  agent.due.delete(name);
  for (let i = 0; i < (due?.count ?? 0); i++) agent.open(due!.target, name);
}

/**
 * The timeouts of requests in flight, watched by one timer: a `setTimeout` and `clearTimeout` per request make and
 * drop one of Node's timer lists each time, which costs more than the rest of a loopback request's own work. The
 * timer is set for the earliest deadline and left running when requests end (it finds nothing then, and is set
 * for the next one). It never keeps the process alive: a request in flight does, through its socket or its lookup.
 */
interface Watched {
  /** `performance.now()` past which the request fails. */
  at: number;
  expire(): void;
}
const inFlight = new Set<Watched>();
let watchTimer: ReturnType<typeof setTimeout> | undefined;
let watchAt = Infinity;

function watch(entry: Watched): void {
  inFlight.add(entry);
  if (entry.at < watchAt) armWatch(entry.at);
}

function unwatch(entry: Watched): void {
  inFlight.delete(entry);
}

function armWatch(at: number): void {
  if (watchTimer !== undefined) clearTimeout(watchTimer);
  watchAt = at;
  watchTimer = setTimeout(checkWatched, Math.max(1, Math.ceil(at - performance.now())));
  watchTimer.unref();
}

function checkWatched(): void {
  watchTimer = undefined;
  watchAt = Infinity;
  const now = performance.now();
  let next = Infinity;
  for (const entry of inFlight) {
    if (entry.at <= now) {
      inFlight.delete(entry);
      entry.expire();
    } else if (entry.at < next) {
      next = entry.at;
    }
  }
  if (next !== Infinity) armWatch(next);
}

// Errors of a connection the server closed: on a connection that sat idle, the request met the close.
const CLOSED = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED']);

function viaNode(request: OutgoingRequest, options: HttpOptions, failure: (err: TransportError) => unknown): Promise<HttpResponse> {
  const found = targetOf(request.url);
  if (typeof found === 'string') return Promise.reject(failed(failure, new TransportError('ENETWORK', found)));
  const target = found;
  const maxBody = options.maxBodyBytes ?? DEFAULT_MAX_BODY;
  const list = request.headers;
  let host = true;
  for (let i = 0; i < list.length; i += 2) if (list[i]!.length === 4 && list[i]!.toLowerCase() === 'host') host = false;
  if (host) list.push('Host', target.host);
  if (request.body !== undefined) list.push('Content-Length', String(Buffer.byteLength(request.body)));

  return new Promise((resolve, reject) => {
    let settled = false;
    let answered = false;
    let resent = false;
    let req: NodeHttp.ClientRequest | undefined;
    const finish = (error: TransportError | undefined, response?: HttpResponse) => {
      if (settled) return;
      settled = true;
      unwatch(deadline);
      if (error) {
        req?.destroy();
        reject(failed(failure, error));
      } else {
        resolve(response!);
      }
    };

    const onResponse = (res: NodeHttp.IncomingMessage): void => {
      answered = true;
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > maxBody) finish(new TransportError('ETOOLARGE', `response body exceeds ${maxBody} bytes`));
        else chunks.push(chunk);
      });
      res.on('end', () => {
        const body = chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8');
        finish(undefined, new NodeResponse(res, res.statusCode ?? 0, body));
      });
      // A connection closed before the body ended is an error of the response ('aborted' comes just before it).
      res.on('error', (err) => finish(res.complete ? networkError(err) : new TransportError('ENETWORK', 'connection closed before the response ended')));
    };

    const onError = (err: Error & { code?: string }) => {
      // A kept-alive or preconnected connection the server closed just as the request went out (it answered
      // nothing): the request is sent once more, on a new connection, instead of failing the sign-in.
      const socket = req?.socket;
      if (!resent && !answered && !settled && CLOSED.has(err.code ?? '') && (req?.reusedSocket || (socket && openedAhead.has(socket)))) {
        resent = true;
        discardIdle(target);
        send();
        return;
      }
      finish(networkError(err));
    };

    function send(): void {
      try {
        req = target.transport.request(
          { hostname: target.hostname, port: target.port, path: target.path, method: request.method, headers: list as unknown as NodeHttp.OutgoingHttpHeaders, agent: target.transport.agent },
          onResponse,
        );
      } catch (err) {
        // node:http throws at once on a header it cannot send; the message would quote the value.
        finish(new TransportError('ENETWORK', `request could not be sent${(err as { code?: string }).code ? ` (${(err as { code?: string }).code})` : ''}`));
        return;
      }
      req.on('error', onError);
      req.end(request.body);
    }

    const deadline: Watched = {
      at: performance.now() + options.timeout,
      expire: () => finish(new TransportError('ETIMEDOUT', `no complete response within ${options.timeout} ms`)),
    };
    watch(deadline);
    send();
  });
}

/** After a server closed an idle connection, the others to that host that idle as long are closed too: the next request gets a new one. */
function discardIdle(target: Target): void {
  const agent = target.transport.agent;
  const name = (target.name ??= agent.nameOf(target));
  for (const socket of [...(agent.freeSockets[name] ?? []), ...(agent.ready.get(name) ?? [])]) socket.destroy();
  agent.ready.delete(name);
}

/**
 * A response whose headers are read only when asked for: node:http builds its header object on first access, and
 * a sign-in reads none. (A class: its getter is on the prototype, not made anew for every response.)
 */
class NodeResponse implements HttpResponse {
  readonly #res: NodeHttp.IncomingMessage;
  #flat?: Record<string, string>;

  constructor(
    res: NodeHttp.IncomingMessage,
    readonly status: number,
    readonly body: string,
  ) {
    this.#res = res;
  }

  get headers(): Record<string, string> {
    return (this.#flat ??= flatHeaders(this.#res.headers));
  }

  toJSON(): HttpResponse {
    return { status: this.status, headers: this.headers, body: this.body };
  }
}

/** Node's response headers as strings: only `set-cookie` comes as a list. */
function flatHeaders(headers: NodeHttp.IncomingHttpHeaders): Record<string, string> {
  const cookies = headers['set-cookie'];
  // node:http's header object has no prototype (header names come from the provider); the copy has none either.
  if (cookies === undefined) return headers as Record<string, string>;
  return Object.assign(Object.create(null) as Record<string, string>, headers as Record<string, string>, { 'set-cookie': cookies.join(', ') });
}

async function viaFetch(fetchImpl: FetchFunction, request: HttpRequest, options: HttpOptions): Promise<HttpResponse> {
  const signal = AbortSignal.timeout(options.timeout);
  const maxBody = options.maxBodyBytes ?? DEFAULT_MAX_BODY;
  try {
    const res = await fetchImpl(request.url, { method: request.method, headers: withoutCompression(request.headers), body: request.body, signal, redirect: 'manual' });
    // A redirect followed would replay the request (a token POST with its code and secret, or a bearer token) to
    // whatever host the server names: as on the node:http path, a 3xx is an answer, never followed.
    if (res.redirected) {
      await res.body?.cancel().catch(() => undefined);
      throw new TransportError('ENETWORK', 'the fetch implementation followed a redirect; redirects are never followed');
    }
    const body = res.body ? await readBounded(res.body, maxBody) : await res.text();
    if (Buffer.byteLength(body) > maxBody) throw new TransportError('ETOOLARGE', `response body exceeds ${maxBody} bytes`);
    const headers: Record<string, string> = Object.create(null) as Record<string, string>;
    res.headers.forEach((value, key) => {
      headers[key.toLowerCase()] = value;
    });
    return { status: res.status, headers, body };
  } catch (err) {
    if (err instanceof TransportError) throw err;
    if (signal.aborted) throw new TransportError('ETIMEDOUT', `no complete response within ${options.timeout} ms`);
    throw networkError(err);
  }
}

/** Reads a body stream up to `maxBody` bytes (after any decompression the implementation did), then cancels it. */
async function readBounded(stream: ReadableStream<Uint8Array>, maxBody: number): Promise<string> {
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBody) {
      await reader.cancel().catch(() => undefined);
      throw new TransportError('ETOOLARGE', `response body exceeds ${maxBody} bytes`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * The request's headers asking for no compression: a small compressed body can inflate past any limit, and a
 * `fetch` inflates what it is sent. (node:http never inflates, so there a compressed body stays small and unreadable.)
 */
function withoutCompression(headers: Record<string, string>): Record<string, string> {
  // One header per name, whatever the case, the last one given winning (as node:http's setHeader does).
  const byName = new Map<string, [string, string]>();
  for (const [name, value] of Object.entries(headers)) byName.set(name.toLowerCase(), [name, value]);
  byName.set('accept-encoding', ['Accept-Encoding', 'identity']);
  const out: Record<string, string> = {};
  for (const [name, value] of byName.values()) out[name] = value;
  return out;
}

function networkError(err: unknown): TransportError {
  // Only the error code: messages of lower layers can contain the full URL.
  const code = (err as { code?: string; cause?: { code?: string } })?.code ?? (err as { cause?: { code?: string } })?.cause?.code;
  return new TransportError('ENETWORK', `network error${code ? ` (${code})` : ''}`);
}
