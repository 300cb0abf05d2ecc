import http from 'node:http';
import https from 'node:https';

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

export interface HttpRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: string;
  headers: Record<string, string>;
  body?: string;
}

export interface HttpResponse {
  status: number;
  /** Header names in lower case. */
  headers: Record<string, string>;
  body: string;
}

export interface HttpOptions {
  /** Milliseconds for the whole exchange, body included. */
  timeout: number;
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

// Keep-alive agents: a sign-in makes two or three calls to the same host, and a fresh TLS handshake for each
// costs more than the rest of the request.
const agents = {
  'http:': new http.Agent({ keepAlive: true, timeout: 30_000 }),
  'https:': new https.Agent({ keepAlive: true, timeout: 30_000 }),
};

/**
 * The one outbound HTTP path of the collection: every token, profile and API call goes through here, bounded by
 * `timeout` and by a body size limit. Uses `node:http(s)` unless a `fetch` is injected.
 */
export function sendRequest(request: HttpRequest, options: HttpOptions): Promise<HttpResponse> {
  return options.fetch ? viaFetch(options.fetch, request, options) : viaNode(request, options);
}

function viaNode(request: HttpRequest, options: HttpOptions): Promise<HttpResponse> {
  const maxBody = options.maxBodyBytes ?? DEFAULT_MAX_BODY;
  return new Promise((resolve, reject) => {
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      reject(new TransportError('ENETWORK', 'invalid URL'));
      return;
    }
    const transport = url.protocol === 'https:' ? https : url.protocol === 'http:' ? http : undefined;
    if (!transport) {
      reject(new TransportError('ENETWORK', `unsupported protocol ${url.protocol}`));
      return;
    }
    const headers = withoutCompression(request.headers);
    if (request.body !== undefined) headers['Content-Length'] = String(Buffer.byteLength(request.body));

    let settled = false;
    const finish = (error: TransportError | undefined, response?: HttpResponse) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (error) {
        req.destroy();
        reject(error);
      } else {
        resolve(response!);
      }
    };

    let req: http.ClientRequest;
    try {
      req = transport.request(url, { method: request.method, headers, agent: agents[url.protocol as 'http:' | 'https:'] }, onResponse);
    } catch (err) {
      // node:http throws at once on a header it cannot send; the message would quote the value.
      reject(new TransportError('ENETWORK', `request could not be sent${(err as { code?: string }).code ? ` (${(err as { code?: string }).code})` : ''}`));
      return;
    }
    function onResponse(res: http.IncomingMessage): void {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > maxBody) finish(new TransportError('ETOOLARGE', `response body exceeds ${maxBody} bytes`));
        else chunks.push(chunk);
      });
      res.on('end', () => {
        const flat: Record<string, string> = {};
        for (const [key, value] of Object.entries(res.headers)) {
          if (value !== undefined) flat[key] = Array.isArray(value) ? value.join(', ') : value;
        }
        finish(undefined, { status: res.statusCode ?? 0, headers: flat, body: Buffer.concat(chunks).toString('utf8') });
      });
      res.on('error', (err) => finish(networkError(err)));
      res.on('aborted', () => finish(new TransportError('ENETWORK', 'connection closed before the response ended')));
    }
    const timer = setTimeout(() => finish(new TransportError('ETIMEDOUT', `no complete response within ${options.timeout} ms`)), options.timeout);
    req.on('error', (err) => finish(networkError(err)));
    req.end(request.body);
  });
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
    const headers: Record<string, string> = {};
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
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) if (name.toLowerCase() !== 'accept-encoding') out[name] = value;
  out['Accept-Encoding'] = 'identity';
  return out;
}

function networkError(err: unknown): TransportError {
  // Only the error code: messages of lower layers can contain the full URL.
  const code = (err as { code?: string; cause?: { code?: string } })?.code ?? (err as { cause?: { code?: string } })?.cause?.code;
  return new TransportError('ENETWORK', `network error${code ? ` (${code})` : ''}`);
}
