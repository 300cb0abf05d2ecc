// The one outbound path of the collection: every token, profile and API call goes through `send()`, which picks the
// transport and publishes the call on the diagnostics channels.
import { CHANNELS, diagnosticsChannel, type RequestEnd, type RequestError, type RequestStart } from './diagnostics';
import { TransportError, stripQuery, type TransportErrorCode } from './errors';
import { HeaderSet, headerRecord } from './headers';
import { network } from './networking';
import type { HttpOptions, HttpRequest, HttpResponse, OutgoingRequest } from './transports';

const requestStart = diagnosticsChannel(CHANNELS.requestStart);
const requestEnd = diagnosticsChannel(CHANNELS.requestEnd);
const requestError = diagnosticsChannel(CHANNELS.requestError);

const asIs = (err: TransportError): TransportError => err;

/**
 * Sends a request whose headers went through the normaliser (`HeaderSet`), bounded by `options.timeout` and a body
 * size limit, on node:http(s) unless a `fetch` is injected. A transport failure is rejected with what `failure`
 * makes of the `TransportError` (the caller's own error). Published on `maniapass:http:request:*` (the provider,
 * the method, the URL without its query, the status or the error, the duration) when anyone listens.
 */
export function send(request: OutgoingRequest, options: HttpOptions, failure: (err: TransportError) => unknown = asIs): Promise<HttpResponse> {
  // Runs in socket events, where a throw would reach the process: what `failure` throws is rejected instead.
  const fail = (code: TransportErrorCode, message: string): unknown => {
    try {
      return failure(new TransportError(code, message));
    } catch (thrown) {
      return thrown;
    }
  };
  const { viaFetch, viaNode } = network();
  const sent = options.fetch
    ? viaFetch(options.fetch, { method: request.method, url: request.url, headers: headerRecord(request.headers), body: request.body }, options, fail)
    : viaNode(request, options, fail);
  if (!requestStart.hasSubscribers && !requestEnd.hasSubscribers && !requestError.hasSubscribers) return sent;
  return observed(sent, { provider: options.provider ?? 'http', method: request.method, url: stripQuery(request.url) });
}

function observed(sent: Promise<HttpResponse>, start: RequestStart): Promise<HttpResponse> {
  const started = performance.now();
  if (requestStart.hasSubscribers) requestStart.publish(start);
  return sent.then(
    (response) => {
      if (requestEnd.hasSubscribers) requestEnd.publish({ ...start, status: response.status, durationMs: performance.now() - started } satisfies RequestEnd);
      return response;
    },
    (err: unknown) => {
      if (requestError.hasSubscribers) {
        const code = (err as { code?: unknown } | null)?.code;
        const message: RequestError = { ...start, durationMs: performance.now() - started, error: err as Error };
        if (typeof code === 'string') message.code = code;
        requestError.publish(message);
      }
      throw err;
    },
  );
}

/**
 * Sends a request with its headers as a record (the normaliser makes them one per name, without compression).
 * Every token, profile and API call of the collection goes the same way, through `send()`.
 */
export function sendRequest(request: HttpRequest, options: HttpOptions): Promise<HttpResponse> {
  const headers = new HeaderSet(Object.entries(request.headers)).list(undefined, undefined, undefined, request.body !== undefined);
  return send({ method: request.method, url: request.url, headers, body: request.body }, options);
}
