// The transports: node:http(s) on the keep-alive agents (the default), or an injected `fetch`. Each bounds the
// exchange by a timeout and the body by a size, follows no redirect and asks for no compression; `send()` picks one.
// Loaded with the first request (network.ts): a transport reports a failure as a code and a message, and the caller
// makes its error of them (a `TransportError`, in errors.ts, which every package's cold start has).
import type * as NodeHttp from 'node:http';
import { discardIdle, openedAhead, targetOf } from './agent';
import { unwatch, watch, type Watched } from './deadlines';
import type { TransportErrorCode } from './errors';

/**
 * A `fetch` implementation, such as the global one or one that goes through a proxy. The collection asks it not
 * to follow redirects (`redirect: 'manual'`) and reads the body as a stream when the response has one, so that
 * the size limit holds whatever the server sends.
 */
export type FetchFunction = (
  input: string,
  init: {
    method: string;
    headers: Record<string, string>;
    body?: string;
    signal: AbortSignal;
    redirect: 'manual';
  },
) => Promise<FetchResponse>;

/** The part of a `fetch` Response the transport reads. */
export interface FetchResponse {
  /** The HTTP status. */
  status: number;
  /** The response headers; only `forEach` is read. */
  headers: {
    /** Calls `cb` once per header. */
    forEach(cb: (value: string, key: string) => void): void;
  };
  /** `true` when the implementation followed a redirect although asked not to: refused. */
  redirected?: boolean;
  /** Read chunk by chunk and cancelled past the size limit; implementations without it are read with `text()`. */
  body?: ReadableStream<Uint8Array> | null;
  /** The whole body as text, when there is no `body` stream. */
  text(): Promise<string>;
}

/** A request for a transport to send. */
export interface HttpRequest {
  /** The HTTP method. */
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** The absolute URL. */
  url: string;
  /** The request headers, by name. */
  headers: Record<string, string>;
  /** The request body, if any. */
  body?: string;
}

/** A response as a transport returns it, body read in full. */
export interface HttpResponse {
  /** The HTTP status. */
  status: number;
  /** Header names in lower case. */
  headers: Record<string, string>;
  /** The whole body, decoded as UTF-8. */
  body: string;
}

/** How a transport sends one request. */
export interface HttpOptions {
  /** The provider (or package) the request is for: named on the diagnostics channels. */
  provider?: string;
  /** Milliseconds for the whole exchange, body included. */
  timeout: number;
  /** Sends through this `fetch` instead of node:http(s). */
  fetch?: FetchFunction;
  /** Bodies above this many bytes are refused (a login never needs more). */
  maxBodyBytes?: number;
}

/**
 * What the caller makes of a transport failure (its error, rejected in place of the response). It runs in socket
 * events, where a throw would reach the process: it returns what it would throw.
 */
export type TransportFailure = (code: TransportErrorCode, message: string) => unknown;

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

const DEFAULT_MAX_BODY = 1024 * 1024;

// Errors of a connection the server closed: on a connection that sat idle, the request met the close.
const CLOSED = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED']);

/** A request on node:http(s), through the keep-alive agent of its protocol. */
export function viaNode(request: OutgoingRequest, options: HttpOptions, fail: TransportFailure): Promise<HttpResponse> {
  const found = targetOf(request.url);
  if (typeof found === 'string') return Promise.reject(fail('ENETWORK', found));
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
    const finish = (error: Failure | undefined, response?: HttpResponse) => {
      if (settled) return;
      settled = true;
      unwatch(deadline);
      if (error) {
        req?.destroy();
        reject(fail(...error));
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
        if (size > maxBody) finish(['ETOOLARGE', `response body exceeds ${maxBody} bytes`]);
        else chunks.push(chunk);
      });
      res.on('end', () => {
        const body = chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8');
        finish(undefined, new NodeResponse(res, res.statusCode ?? 0, body));
      });
      // A connection closed before the body ended is an error of the response ('aborted' comes just before it).
      res.on('error', (err) => finish(res.complete ? networkFailure(err) : ['ENETWORK', 'connection closed before the response ended']));
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
      finish(networkFailure(err));
    };

    function send(): void {
      try {
        req = target.transport.request(
          {
            hostname: target.hostname,
            port: target.port,
            path: target.path,
            method: request.method,
            headers: list as unknown as NodeHttp.OutgoingHttpHeaders,
            agent: target.transport.agent,
          },
          onResponse,
        );
      } catch (err) {
        // node:http throws at once on a header it cannot send; the message would quote the value.
        finish(['ENETWORK', `request could not be sent${(err as { code?: string }).code ? ` (${(err as { code?: string }).code})` : ''}`]);
        return;
      }
      req.on('error', onError);
      req.end(request.body);
    }

    const deadline: Watched = {
      at: performance.now() + options.timeout,
      expire: () => finish(['ETIMEDOUT', `no complete response within ${options.timeout} ms`]),
    };
    watch(deadline);
    send();
  });
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

/** A request through an injected `fetch` (its headers as a record). */
export async function viaFetch(fetchImpl: FetchFunction, request: HttpRequest, options: HttpOptions, fail: TransportFailure): Promise<HttpResponse> {
  const signal = AbortSignal.timeout(options.timeout);
  const maxBody = options.maxBodyBytes ?? DEFAULT_MAX_BODY;
  let res: FetchResponse;
  let body: string | undefined;
  const headers: Record<string, string> = Object.create(null) as Record<string, string>;
  try {
    res = await fetchImpl(request.url, { method: request.method, headers: request.headers, body: request.body, signal, redirect: 'manual' });
    // A redirect followed would replay the request (a token POST with its code and secret, or a bearer token) to
    // whatever host the server names: as on the node:http path, a 3xx is an answer, never followed.
    if (res.redirected) {
      await res.body?.cancel().catch(() => undefined);
    } else {
      body = res.body ? await readBounded(res.body, maxBody) : await res.text();
      res.headers.forEach((value, key) => {
        headers[key.toLowerCase()] = value;
      });
    }
  } catch (err) {
    throw signal.aborted ? fail('ETIMEDOUT', `no complete response within ${options.timeout} ms`) : fail(...networkFailure(err));
  }
  if (res.redirected) throw fail('ENETWORK', 'the fetch implementation followed a redirect; redirects are never followed');
  if (body === undefined || Buffer.byteLength(body) > maxBody) throw fail('ETOOLARGE', `response body exceeds ${maxBody} bytes`);
  return { status: res.status, headers, body };
}

/**
 * Reads a body stream up to `maxBody` bytes (after any decompression the implementation did): the text, or
 * `undefined` once the stream goes past the limit (it is cancelled then).
 */
async function readBounded(stream: ReadableStream<Uint8Array>, maxBody: number): Promise<string | undefined> {
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBody) {
      await reader.cancel().catch(() => undefined);
      return undefined;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** A transport failure before the caller makes its error of it. */
type Failure = [code: TransportErrorCode, message: string];

function networkFailure(err: unknown): Failure {
  // Only the error code: messages of lower layers can contain the full URL.
  const code = (err as { code?: string; cause?: { code?: string } })?.code ?? (err as { cause?: { code?: string } })?.cause?.code;
  return ['ENETWORK', `network error${code ? ` (${code})` : ''}`];
}
