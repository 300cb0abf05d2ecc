import { ProviderError, TokenError, redactError, stripQuery, type ErrorClasses, type ProviderErrorDetails } from './errors';
import { redact, redactWhole } from './masking';
import { preconnect } from './networking';
import { HEADER_VALUE, HeaderSet } from './headers';
import { send } from './send';
import type { FetchFunction, HttpRequest, HttpResponse } from './transports';
import { describeErrorBody } from './provider-errors';
import { formEncode, type FormFields } from './form';
import type { TokenResponse } from './tokens';

/** How a `ProviderClient` sends its requests. */
export interface ProviderClientOptions {
  /** Provider name, used in error messages. */
  provider: string;
  /** Milliseconds each request may take, body included. */
  timeout: number;
  /** Sent as `User-Agent` on every request. */
  userAgent: string;
  /** Extra headers on every request (`customHeaders`, API keys). */
  headers?: Record<string, string>;
  /** A `fetch` used instead of `node:http(s)`. */
  fetch?: FetchFunction;
  /** Values that must never appear in an error message (client secret, API key). */
  secrets?: ReadonlyArray<string | undefined>;
  /**
   * The classes of the errors it throws: the HTTP layer's own by default; `@maniapass/oauth2-core` gives its own,
   * which extend passport-oauth2's (see `tokenErrorClass`).
   */
  errors?: ErrorClasses;
}

export type { FormFields };

/** One request to a provider's API. */
export interface ApiRequest {
  /** Default `GET`, or `POST` with a body. */
  method?: HttpRequest['method'];
  /** The absolute URL, query included. */
  url: string;
  /** Sent as `Authorization: Bearer <token>`: never in the URL. */
  accessToken?: string;
  /** Headers of this request, besides the client's. */
  headers?: Record<string, string>;
  /** A JSON value (sent as `application/json`) or an already encoded string. */
  json?: unknown;
  /** Fields sent as `application/x-www-form-urlencoded`. */
  form?: FormFields;
}

/** A 2xx answer, its body as text. */
export interface TextResponse {
  /** The body as received. */
  raw: string;
  /** The HTTP status. */
  status: number;
  /** The headers, names in lower case. */
  headers: Record<string, string>;
}

/** A 2xx answer whose body was parsed as JSON. */
export interface JsonResponse<T> extends TextResponse {
  /** The parsed body. */
  json: T;
}

/** A 2xx answer as text; its headers read only when asked for (see the transport). */
class Text implements TextResponse {
  readonly raw: string;
  readonly status: number;
  readonly #response: HttpResponse;

  constructor(response: HttpResponse) {
    this.raw = response.body;
    this.status = response.status;
    this.#response = response;
  }

  get headers(): Record<string, string> {
    return this.#response.headers;
  }

  toJSON(): { raw: string; status: number; headers: Record<string, string> } {
    return { raw: this.raw, status: this.status, headers: this.headers };
  }
}

/** `GET https://host/path`, for messages: the method a request is sent with and its URL without the query. */
function describeRequest(request: ApiRequest): string {
  const method = request.method ?? (request.json !== undefined || request.form ? 'POST' : 'GET');
  return `${method} ${stripQuery(request.url)}`;
}

/**
 * The outbound side of a strategy: every request carries the timeout, `User-Agent`, `Accept: application/json`
 * and the configured headers, and every failure becomes a `TokenError` or `ProviderError` that names the
 * provider, keeps the provider's own message and status, and has every secret masked.
 */
/** A time (`Date.now()`) no call of a client may outlast, and the error of a call it cuts short. */
interface Deadline {
  at: number;
  expired: (request: ApiRequest) => Error;
}

/** Sends a provider package's requests: timeouts, size limits, its headers, errors that name the provider and mask its secrets. */
export class ProviderClient {
  // The default headers of every request (Accept, User-Agent, the custom ones), checked once here.
  private readonly headers: HeaderSet;
  /** Set on a client made by `withDeadline()` only. */
  private deadline: Deadline | undefined = undefined;

  /** The classes of the errors this client throws. */
  private readonly errors: ErrorClasses;

  constructor(
    /** The options the client was made with. */
    readonly options: ProviderClientOptions,
  ) {
    this.errors = options.errors ?? { TokenError, ProviderError };
    this.headers = new HeaderSet(
      [['Accept', 'application/json'], ['User-Agent', options.userAgent], ...Object.entries(options.headers ?? {})],
      (name, value) => {
        if (typeof value !== 'string' || !HEADER_VALUE.test(value)) {
          throw new TypeError(`${options.provider}: header ${name} must be a string an HTTP header can carry (no line breaks or control characters)`);
        }
      },
    );
  }

  /**
   * Opens `sockets` connections to the host of `url` for calls about to be made (see `preconnect`); does nothing
   * with an injected `fetch`, which owns its connections.
   */
  preconnect(url: string, sockets = 1): void {
    if (!this.options.fetch) preconnect(url, sockets);
  }

  /**
   * This client with each call's timeout cut to what is left before `at` (a `Date.now()` time): a call made at or
   * after it, or cut short by it, fails with `expired(request)` instead of the per-call timeout's error.
   * (One sign-in's calls share such a client: see `loginTimeout` in the core.)
   */
  withDeadline(at: number, expired: (request: ApiRequest) => Error): ProviderClient {
    const client = Object.create(this) as ProviderClient;
    client.deadline = { at, expired };
    return client;
  }

  /**
   * A `ProviderError` of this client's error classes (the core's are also passport-oauth2's `InternalOAuthError`s),
   * its message masked of this client's secrets and `extraSecrets` (the call's token): for a failure a caller finds
   * in an answer the client accepted.
   */
  providerError(message: string, details: ProviderErrorDetails, extraSecrets: ReadonlyArray<string | undefined> = []): ProviderError {
    return new this.errors.ProviderError(this.mask(message, extraSecrets), undefined, { provider: this.options.provider, ...details });
  }

  /** Sends a request; transport failures become `ProviderError`s. Any status is returned. */
  send(request: ApiRequest, extraSecrets: ReadonlyArray<string | undefined> = []): Promise<HttpResponse> {
    let prepared: { method: HttpRequest['method']; headers: string[]; body: string | undefined };
    try {
      prepared = this.prepare(request);
    } catch (err) {
      return Promise.reject(err);
    }
    let timeout = this.options.timeout;
    const deadline = this.deadline;
    let cut = false;
    if (deadline !== undefined) {
      const left = deadline.at - Date.now();
      if (left <= 0) return Promise.reject(deadline.expired(request));
      if (left < timeout) {
        timeout = left;
        cut = true;
      }
    }
    const { method, headers, body } = prepared;
    // No async frame of its own, and the failure made by the transport: this is every call's path, and each
    // await or further promise costs a turn of the microtask queue.
    return send({ method, url: request.url, headers, body }, { timeout, fetch: this.options.fetch, provider: this.options.provider }, (err) => {
      if (cut && err.code === 'ETIMEDOUT') return deadline!.expired(request);
      const where = `${method} ${stripQuery(request.url)}`;
      const message =
        err.code === 'ETIMEDOUT'
          ? `${this.options.provider}: ${where} timed out after ${this.options.timeout} ms`
          : `${this.options.provider}: ${where} failed: ${err.message}`;
      return new this.errors.ProviderError(this.mask(message, [request.accessToken, ...extraSecrets]), undefined, {
        provider: this.options.provider,
        url: request.url,
        code: err.code,
      });
    });
  }

  /**
   * The request's method, headers as the transport's flat list (the defaults, the request's own, its body type,
   * the token; one entry per name) and body.
   */
  private prepare(request: ApiRequest): { method: HttpRequest['method']; headers: string[]; body: string | undefined } {
    const method = request.method ?? (request.json !== undefined || request.form ? 'POST' : 'GET');
    let body: string | undefined;
    let contentType: string | undefined;
    if (request.form) {
      contentType = 'application/x-www-form-urlencoded';
      body = formEncode(request.form);
    } else if (request.json !== undefined) {
      contentType = 'application/json';
      body = typeof request.json === 'string' ? request.json : JSON.stringify(request.json);
    }
    // Tokens come from the provider: one that no header can carry is the provider's bad answer, named without its value.
    const authorization = request.accessToken === undefined ? undefined : this.checked(request, 'Authorization', `Bearer ${request.accessToken}`);
    const headers = this.headers.list(request.headers, contentType, authorization, body !== undefined, (name, value) => this.checked(request, name, value));
    return { method, headers, body };
  }

  /** A per-request header value, or the `ProviderError` of one that no header can carry (without quoting it). */
  private checked(request: ApiRequest, name: string, value: string): string {
    if (typeof value === 'string' && HEADER_VALUE.test(value)) return value;
    throw new this.errors.ProviderError(
      `${this.options.provider}: ${describeRequest(request)} not sent: the ${name === 'Authorization' ? 'access token' : `${name} header`} has characters an HTTP header cannot carry`,
      undefined,
      {
        provider: this.options.provider,
        url: request.url,
        code: 'EBADRESPONSE',
      },
    );
  }

  /** Sends a request and returns a 2xx answer as text (for bodies that are not always JSON); anything else is a `ProviderError`. */
  text(request: ApiRequest): Promise<TextResponse> {
    // Promise chains, not async functions, on every call's path: each await is a turn of the microtask queue.
    return this.send(request).then((response) => new Text(this.success(request, response)));
  }

  /**
   * Sends a request and returns what `parse` makes of a 2xx answer's body and status; anything else is a
   * `ProviderError`, as with `text()`. A body `parse` refuses (it throws) is a `ProviderError` too, `EBADRESPONSE`,
   * naming the provider, the request and the parser's reason. One promise step for the answer and its parse: a
   * profile call of every sign-in goes through here.
   */
  read<R>(request: ApiRequest, parse: (raw: string, status: number) => R): Promise<R> {
    return this.send(request).then((response) => {
      const { body, status } = this.success(request, response);
      try {
        return parse(body, status);
      } catch (err) {
        throw this.badBody(request, status, err);
      }
    });
  }

  /** The error of a 2xx body a parser refused: already a `ProviderError` as it is, else one naming the reason. */
  private badBody(request: ApiRequest, status: number, err: unknown): Error {
    if (err instanceof ProviderError) return err;
    const reason = err instanceof Error ? err.message : String(err);
    const details = { url: request.url, code: 'EBADRESPONSE' as const, upstreamStatus: status };
    return this.providerError(`${this.options.provider}: ${describeRequest(request)}: ${reason}`, details, [request.accessToken]);
  }

  /** The response if it is a 2xx; otherwise the `ProviderError` of the status, with the body masked. */
  private success(request: ApiRequest, response: HttpResponse): HttpResponse {
    if (response.status >= 200 && response.status <= 299) return response;
    // Masked before anything is cut or parsed out of it, so that no part of a secret survives.
    const body = redactWhole(response.body, this.secrets([request.accessToken]));
    const described = describeErrorBody(body);
    const detail = described.message ?? described.code;
    const error = new this.errors.ProviderError(
      `${this.options.provider}: ${describeRequest(request)} answered HTTP ${response.status}${detail ? `: ${detail}` : ''}`,
      { statusCode: response.status, data: body.slice(0, 2000) },
      { provider: this.options.provider, url: request.url, code: 'EHTTPSTATUS', upstreamStatus: response.status },
    );
    throw redactError(error, this.secrets([request.accessToken]));
  }

  /** Sends a request and parses a 2xx JSON answer; anything else is a `ProviderError`. 204 gives `null`. */
  async json<T>(request: ApiRequest): Promise<JsonResponse<T>> {
    const response = await this.text(request);
    if (response.status === 204 || response.raw.trim() === '')
      return { json: null as T, raw: response.raw, status: response.status, headers: response.headers };
    try {
      return { json: JSON.parse(response.raw) as T, raw: response.raw, status: response.status, headers: response.headers };
    } catch {
      throw new this.errors.ProviderError(`${this.options.provider}: ${describeRequest(request)} answered with a body that is not JSON`, undefined, {
        provider: this.options.provider,
        url: request.url,
        code: 'EBADRESPONSE',
        upstreamStatus: response.status,
      });
    }
  }

  /**
   * The collection's reading of a token endpoint's error answer (body already masked): a `TokenError` with the
   * provider's code, its human message (whatever field it uses) and its status as `upstreamStatus`.
   */
  tokenError(body: string, status: number): TokenError {
    const provider = this.options.provider;
    const described = describeErrorBody(body);
    return new this.errors.TokenError(
      `${provider}: ${described.message ?? described.code ?? `token endpoint answered HTTP ${status}`}`,
      described.code,
      described.uri,
      undefined,
      {
        provider,
        upstreamStatus: status,
      },
    );
  }

  /**
   * Posts a grant to a token endpoint. Non-2xx → the error `parseError` makes of the masked body and status
   * (default `tokenError()`; a hook that returns nothing or throws gives a `ProviderError`), masked once more;
   * a 2xx without an `access_token` → `ProviderError` (`EBADRESPONSE`).
   */
  token(
    request: ApiRequest,
    grantSecrets: ReadonlyArray<string | undefined>,
    parseError: (body: string, status: number) => Error | null | undefined = (body, status) => this.tokenError(body, status),
  ): Promise<TokenResponse> {
    return this.send(request, grantSecrets).then((response) => {
      const provider = this.options.provider;
      if (response.status < 200 || response.status > 299) {
        const body = redactWhole(response.body, this.secrets(grantSecrets));
        let err: Error | null | undefined;
        try {
          err = parseError(body, response.status);
        } catch {
          err = undefined;
        }
        err ??= new this.errors.ProviderError(
          `${provider}: ${describeRequest(request)} answered HTTP ${response.status}`,
          { statusCode: response.status, data: body.slice(0, 2000) },
          { provider, url: request.url, code: 'EHTTPSTATUS', upstreamStatus: response.status },
        );
        throw redactError(err, this.secrets(grantSecrets));
      }
      let parsed: unknown;
      try {
        parsed = JSON.parse(response.body);
      } catch {
        // RFC 6749 says JSON; some old servers answer a form-encoded body.
        parsed = Object.fromEntries(new URLSearchParams(response.body));
      }
      const token = parsed as Partial<TokenResponse> | null;
      if (!token || typeof token !== 'object' || typeof token.access_token !== 'string' || !token.access_token) {
        throw new this.errors.ProviderError(`${provider}: the token endpoint answered without an access_token`, undefined, {
          provider,
          url: request.url,
          code: 'EBADRESPONSE',
          upstreamStatus: response.status,
        });
      }
      return token as TokenResponse;
    });
  }

  private secrets(more: ReadonlyArray<string | undefined>): Array<string | undefined> {
    return [...(this.options.secrets ?? []), ...more];
  }

  private mask(text: string, more: ReadonlyArray<string | undefined>): string {
    return redact(text, this.secrets(more));
  }
}
