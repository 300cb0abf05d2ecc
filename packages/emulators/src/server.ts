import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** A way to make an endpoint misbehave on purpose. */
export type Fault =
  /** Answer this status (with this body, default a provider-shaped error or empty). */
  | {
      /** The fault's kind. */
      type: 'status';
      /** The HTTP status to answer. */
      status: number;
      /** The body to answer; default: the route's provider-shaped error, or empty. */
      body?: string;
      /** Headers to add to the answer. */
      headers?: Record<string, string>;
    }
  /** Answer 200 with a body that is not JSON. */
  | {
      /** The fault's kind. */
      type: 'malformed';
    }
  /** Wait, then answer normally. */
  | {
      /** The fault's kind. */
      type: 'delay';
      /** Milliseconds to wait before answering. */
      ms: number;
    }
  /** Never answer (the connection is held until the client gives up or the emulator closes). */
  | {
      /** The fault's kind. */
      type: 'hang';
    }
  /** Close the connection without answering. */
  | {
      /** The fault's kind. */
      type: 'reset';
    }
  /** On a consent page: the user denies access. */
  | {
      /** The fault's kind. */
      type: 'deny';
    }
  /**
   * Answer this status with a JSON error whose description repeats the request (its body and its
   * `Authorization` and `X-Api-Key` headers), passed through `encode`: a provider that echoes what it was sent,
   * secrets included, in whatever encoding it writes (default: as received).
   */
  | {
      /** The fault's kind. */
      type: 'echo';
      /** The HTTP status to answer. */
      status: number;
      /** How the echoed request is written into the answer; default: as received. */
      encode?: (request: string) => string;
    };

/** Options of `fault()`. */
export interface FaultOptions {
  /** How many requests the fault applies to; default: until `clearFaults()`. */
  times?: number;
}

/** A request the emulator received, for assertions in tests. */
export interface RecordedRequest {
  /** The endpoint's name (`token`, `user`...). */
  endpoint: string;
  /** The HTTP method. */
  method: string;
  /** The path, without the query. */
  path: string;
  /** The query parameters. */
  query: URLSearchParams;
  /** The request-target as received (path and query, not decoded): what a URI length limit applies to. */
  target: string;
  /** Header names in lower case. */
  headers: Record<string, string>;
  /** The body as received (UTF-8). */
  body: string;
  /** The body parsed as a form, when it was one. */
  form?: Record<string, string>;
  /** The body parsed as JSON, when it was JSON. */
  json?: unknown;
}

/** What a route answers. */
export interface Reply {
  /** The HTTP status. Default 200. */
  status?: number;
  /** Headers of the answer. */
  headers?: Record<string, string>;
  /** A string is sent as is; anything else as JSON. */
  body?: unknown;
}

/** What a route's handler gets. */
export interface RouteContext {
  /** The request, as recorded. */
  request: RecordedRequest;
  /** The emulator's own base URL. */
  baseURL: string;
  /** Path parameters from `:name` segments. */
  params: Record<string, string>;
}

/** An endpoint of an emulator. */
export interface Route {
  /** The endpoint's name, for faults and `requestsTo()` (`token`, `user`...). */
  endpoint: string;
  /** The HTTP method, or methods, it answers. */
  method: string | string[];
  /** `/users/:id` style; `:name` matches one segment. */
  path: string;
  /** Makes the answer to a request. */
  handler(ctx: RouteContext): Reply | Promise<Reply>;
  /** The body of a `status` fault without one: the provider's own error shape. */
  faultBody?(status: number): unknown;
}

/** Where an emulator listens. */
export interface StartOptions {
  /** Default 0: a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
}

const MAX_REQUEST_BODY = 256 * 1024;

/**
 * A small HTTP server on loopback that answers a provider's routes, records every request, and fails on demand.
 * Every provider emulator is one of these with its own routes.
 */
export class EmulatorServer {
  /** Every request received, oldest first (bounded by `maxRecorded` and `maxRecordedBytes`). */
  readonly requests: RecordedRequest[] = [];
  private readonly server: http.Server;
  private readonly sockets = new Set<Socket>();
  private readonly faults = new Map<string, { fault: Fault; remaining: number }>();
  private readonly routes: Array<Route & { pattern: RegExp; keys: string[] }> = [];
  private baseURL = '';
  /** At most this many requests are kept in `requests` (oldest dropped first). */
  maxRecorded = 1000;
  /**
   * At most this many characters of recorded requests (bodies, headers, paths and queries) are kept in `requests`,
   * oldest dropped first: a client that sends large bodies cannot grow the record without bound. Default 16 MiB.
   */
  maxRecordedBytes = 16 * 1024 * 1024;
  private readonly recordedSizes = new WeakMap<RecordedRequest, number>();
  private recordedBytes = 0;
  private recordedCount = 0;

  constructor(routes: Route[]) {
    for (const route of routes) this.addRoute(route);
    this.server = http.createServer((req, res) => {
      this.handle(req, res).catch(() => {
        if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain' });
        res.end('emulator error');
      });
    });
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  /** The base URL once started, such as `http://127.0.0.1:54321`. */
  get url(): string {
    if (!this.baseURL) throw new Error('emulator is not started');
    return this.baseURL;
  }

  /** Adds a route; routes are matched in the order they were added. */
  addRoute(route: Route): void {
    const keys: string[] = [];
    const source = route.path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/:(\w+)/g, (_m, key: string) => {
      keys.push(key);
      return '([^/]+)';
    });
    this.routes.push({ ...route, pattern: new RegExp(`^${source}$`), keys });
  }

  /** Starts listening (default: a free port on 127.0.0.1); `url` is known after. */
  async start(options: StartOptions = {}): Promise<this> {
    const host = options.host ?? '127.0.0.1';
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(options.port ?? 0, host, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    const { port } = this.server.address() as AddressInfo;
    this.baseURL = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
    return this;
  }

  /** Stops listening and drops every connection, hung ones included. */
  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Makes an endpoint (by name, or `*` for every endpoint) fail in the given way. */
  fault(endpoint: string, fault: Fault, options: FaultOptions = {}): this {
    this.faults.set(endpoint, { fault, remaining: options.times ?? Infinity });
    return this;
  }

  /** Removes every pending fault. */
  clearFaults(): this {
    this.faults.clear();
    return this;
  }

  /** The requests received by one endpoint, oldest first. */
  requestsTo(endpoint: string): RecordedRequest[] {
    return this.requests.filter((r) => r.endpoint === endpoint);
  }

  /** The latest request to an endpoint. */
  lastRequest(endpoint: string): RecordedRequest | undefined {
    const list = this.requestsTo(endpoint);
    return list[list.length - 1];
  }

  /** Takes a pending fault for an endpoint, counting it down. Routes call it for faults they act on themselves (`deny`). */
  takeFault(endpoint: string): Fault | undefined {
    const entry = this.faults.get(endpoint) ?? this.faults.get('*');
    if (!entry) return undefined;
    entry.remaining -= 1;
    if (entry.remaining <= 0) {
      for (const [key, value] of this.faults) if (value === entry) this.faults.delete(key);
    }
    return entry.fault;
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://emulator');
    const method = req.method ?? 'GET';
    let params: Record<string, string> = {};
    const route = this.routes.find((r) => {
      const methods = Array.isArray(r.method) ? r.method : [r.method];
      if (!methods.includes(method)) return false;
      const match = r.pattern.exec(url.pathname);
      if (!match) return false;
      params = Object.fromEntries(r.keys.map((key, i) => [key, decodePathSegment(match[i + 1] ?? '')]));
      return true;
    });

    const body = await readBody(req);
    if (body === undefined) {
      send(res, { status: 413, body: { error: 'invalid_request', error_description: 'request body too large' } });
      return;
    }
    const headers: Record<string, string> = {};
    for (const [key, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers[key] = Array.isArray(value) ? value.join(', ') : value;
    }
    const recorded: RecordedRequest = {
      endpoint: route?.endpoint ?? 'unknown',
      method,
      path: url.pathname,
      query: url.searchParams,
      target: req.url ?? '/',
      headers,
      body,
    };
    const type = headers['content-type'] ?? '';
    if (type.startsWith('application/x-www-form-urlencoded')) recorded.form = Object.fromEntries(new URLSearchParams(body));
    else if (type.startsWith('application/json') && body) {
      try {
        recorded.json = JSON.parse(body);
      } catch {
        // Left undefined: the route answers as the provider would to a broken body.
      }
    }
    this.record(recorded);

    if (!route) {
      send(res, { status: 404, body: { error: 'not_found', message: `No route ${method} ${url.pathname}` } });
      return;
    }

    const fault = this.faults.has(route.endpoint) || this.faults.has('*') ? this.peekFault(route.endpoint) : undefined;
    if (fault && fault.type !== 'deny') {
      this.takeFault(route.endpoint);
      switch (fault.type) {
        case 'hang':
          return; // the socket stays open until the client gives up or close()
        case 'reset':
          req.socket.destroy();
          return;
        case 'malformed':
          send(res, { status: 200, headers: { 'Content-Type': 'application/json' }, body: '<html>this is not json' });
          return;
        case 'status':
          send(res, { status: fault.status, headers: fault.headers, body: fault.body ?? route.faultBody?.(fault.status) ?? '' });
          return;
        case 'echo': {
          const echoed = (fault.encode ?? ((text: string) => text))(`${recorded.body} ${headers.authorization ?? ''} ${headers['x-api-key'] ?? ''}`);
          send(res, {
            status: fault.status,
            headers: { 'Content-Type': 'application/json' },
            body: `{"error":"invalid_request","error_description":"${echoed}","message":"${echoed}"}`,
          });
          return;
        }
        case 'delay':
          await new Promise((resolve) => setTimeout(resolve, fault.ms));
          if (res.destroyed) return;
          break;
      }
    }
    const reply = await route.handler({ request: recorded, baseURL: this.baseURL, params });
    if (!res.destroyed) send(res, reply);
  }

  /** Keeps a request in `requests`, within `maxRecorded` requests and `maxRecordedBytes` characters. */
  private record(recorded: RecordedRequest): void {
    // `requests` is public and tests empty it: recount when it changed behind this method's back.
    if (this.requests.length !== this.recordedCount) this.recordedBytes = this.requests.reduce((sum, r) => sum + (this.recordedSizes.get(r) ?? 0), 0);
    const size = recordedSize(recorded);
    this.recordedSizes.set(recorded, size);
    this.requests.push(recorded);
    this.recordedBytes += size;
    let drop = 0;
    let bytes = this.recordedBytes;
    while (drop < this.requests.length - 1 && (this.requests.length - drop > this.maxRecorded || bytes > this.maxRecordedBytes)) {
      bytes -= this.recordedSizes.get(this.requests[drop]!) ?? 0;
      drop += 1;
    }
    if (drop > 0) this.requests.splice(0, drop);
    this.recordedBytes = bytes;
    this.recordedCount = this.requests.length;
  }

  private peekFault(endpoint: string): Fault | undefined {
    return (this.faults.get(endpoint) ?? this.faults.get('*'))?.fault;
  }
}

/** What a recorded request holds, in characters: its body, request-target and headers. */
function recordedSize(request: RecordedRequest): number {
  let size = request.body.length + request.target.length * 2 + request.method.length + 64; // the target, and the path and query parsed from it
  for (const [name, value] of Object.entries(request.headers)) size += name.length + value.length;
  // The parsed form or JSON body is about as large again as the body it came from.
  if (request.form !== undefined || request.json !== undefined) size += request.body.length;
  return size;
}

/** A path segment, percent-decoded; one that does not decode (`%zz`) stays as sent rather than failing the request. */
function decodePathSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function readBody(req: http.IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_REQUEST_BODY) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(tooLarge ? undefined : Buffer.concat(chunks).toString('utf8')));
    req.on('error', () => resolve(undefined));
  });
}

function send(res: http.ServerResponse, reply: Reply): void {
  const status = reply.status ?? 200;
  const headers: Record<string, string> = { 'Cache-Control': 'no-store', ...reply.headers };
  let payload = '';
  if (typeof reply.body === 'string') {
    payload = reply.body;
  } else if (reply.body !== undefined) {
    payload = JSON.stringify(reply.body);
    headers['Content-Type'] ??= 'application/json';
  }
  if (status === 204) payload = '';
  res.writeHead(status, headers);
  res.end(payload);
}
