import { redact } from './masking';

/**
 * The status every provider failure carries as `status` and `statusCode`, the fields Express, Fastify and NestJS
 * error handlers read: the visitor did nothing wrong when a provider refuses the server's credentials or breaks,
 * so the provider's own 4xx must never reach the browser. passport-oauth2's `TokenError` has the same default.
 * The provider's status stays on the error as `upstreamStatus`.
 */
export const PROVIDER_FAILURE_STATUS = 500;

/** What the collection knows about a token endpoint's error answer, besides passport-oauth2's four fields. */
export interface TokenErrorDetails {
  /** The provider's name (`trackmania`...). */
  provider?: string;
  /** The HTTP status the token endpoint answered with. */
  upstreamStatus?: number;
}

// The collection's two error classes are made on a base (see `tokenErrorClass`): `Error` in the HTTP layer,
// passport-oauth2's classes in the core. A brand on each class's prototype makes `instanceof` either family hold
// for an error of both, so that one `catch` reads the errors of every package alike.
const TOKEN_ERROR = Symbol.for('maniapass.TokenError');
const PROVIDER_ERROR = Symbol.for('maniapass.ProviderError');

function hasBrand(value: unknown, brand: symbol): boolean {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[brand] === true;
}

/** A base class of the collection's errors: `Error`, or one of passport-oauth2's error classes. */
export type ErrorBase = new (message?: string) => Error;

/**
 * The `TokenError` class on `Base`. The HTTP layer's is on `Error` (nadeo-auth and passport-openplanet load no
 * passport); `@maniapass/oauth2-core` makes its own on passport-oauth2's `TokenError`, so that `instanceof`
 * passport-oauth2's class holds for every error of a strategy. `instanceof` either `TokenError` holds for both.
 */
export function tokenErrorClass(Base: ErrorBase) {
  /**
   * The token endpoint answered with an error. Same constructor and fields as passport-oauth2's `TokenError`
   * (`message`, `code` default `invalid_request`, `uri`, `status` default 500). The collection's own fields come
   * from the last argument.
   */
  class TokenError extends Base {
    /** The OAuth error code (`invalid_grant`...). */
    code: string;
    /** The provider's page about the error, when it gives one. */
    uri?: string;
    /** The status an error handler answers with: always a server error (see `PROVIDER_FAILURE_STATUS`). */
    status: number;
    /** The provider's name. */
    provider?: string;
    /** The HTTP status the token endpoint answered with. */
    upstreamStatus?: number;

    constructor(message?: string, code?: string, uri?: string, status?: number, details: TokenErrorDetails = {}) {
      super(message);
      this.name = 'TokenError';
      // passport-oauth2 leaves `message` undefined when none is given; Error would make it ''.
      if (message === undefined) this.message = undefined as unknown as string;
      this.code = code || 'invalid_request';
      this.uri = uri;
      this.status = status || PROVIDER_FAILURE_STATUS;
      if (details.provider !== undefined) this.provider = details.provider;
      if (details.upstreamStatus !== undefined) this.upstreamStatus = details.upstreamStatus;
    }

    /** Frameworks that read `statusCode` (Fastify) see the same status as Express. */
    get statusCode(): number {
      return this.status;
    }

    /** An error of either family; a subclass's own `instanceof` as usual. */
    static override [Symbol.hasInstance](value: unknown): boolean {
      return this === TokenError ? hasBrand(value, TOKEN_ERROR) : Function.prototype[Symbol.hasInstance].call(this, value);
    }
  }
  Object.defineProperty(TokenError.prototype, TOKEN_ERROR, { value: true });
  // Its name whatever the bundler calls the binding (the module's own `TokenError` export is another binding).
  Object.defineProperty(TokenError, 'name', { value: 'TokenError' });
  return TokenError;
}

/** The token endpoint answered with an error: see `tokenErrorClass`. */
export const TokenError = tokenErrorClass(Error);
/** The token endpoint answered with an error: see `tokenErrorClass`. */
export type TokenError = InstanceType<typeof TokenError>;

/** Why a call to a provider failed, when the provider did not answer with a proper error of its own. */
export type ProviderErrorCode =
  | 'ETIMEDOUT' // no complete answer within the `timeout` option
  | 'ENETWORK' // connection refused, reset, DNS failure...
  | 'EHTTPSTATUS' // the provider answered with a non-2xx status
  | 'EBADRESPONSE' // the provider answered 2xx with a body that is not what it documents
  | 'ETOOLARGE'; // the body exceeded the size limit

/** What the collection knows about a failed provider call, besides passport-oauth2's two fields. */
export interface ProviderErrorDetails {
  /** The provider's name (`trackmania`...). */
  provider?: string;
  /** The request's URL; kept without its query string. */
  url?: string;
  /** Why the call failed. */
  code?: ProviderErrorCode;
  /** The HTTP status the provider answered with, when it answered. */
  upstreamStatus?: number;
}

/**
 * The `ProviderError` class on `Base`: on `Error` in the HTTP layer, on passport-oauth2's `InternalOAuthError` in
 * `@maniapass/oauth2-core` (see `tokenErrorClass`). `instanceof` either `ProviderError` holds for both.
 */
export function providerErrorClass(Base: ErrorBase) {
  /**
   * A profile, API or token call that failed (non-2xx, unreadable body, network error, timeout). Same constructor
   * and fields as passport-oauth2's `InternalOAuthError` (`message`, `oauthError`). `status` is always 500 (see
   * `PROVIDER_FAILURE_STATUS`); the provider's status is `upstreamStatus`. `url` never carries a query string.
   */
  class ProviderError extends Base {
    /** What the failure came with: node-oauth's `{ statusCode, data }` (the body masked), or an error. */
    oauthError?: unknown;
    /** The provider's name. */
    provider?: string;
    /** The request's URL, without its query. */
    url?: string;
    /** Why the call failed. */
    code?: ProviderErrorCode;
    /** The HTTP status the provider answered with, when it answered. */
    upstreamStatus?: number;
    /** The status an error handler answers with: always 500. */
    readonly status: number = PROVIDER_FAILURE_STATUS;

    constructor(message?: string, oauthError?: unknown, details: ProviderErrorDetails = {}) {
      super(message);
      this.name = 'ProviderError';
      if (message === undefined) this.message = undefined as unknown as string;
      this.oauthError = oauthError;
      if (details.provider !== undefined) this.provider = details.provider;
      if (details.url !== undefined) this.url = stripQuery(details.url);
      if (details.code !== undefined) this.code = details.code;
      if (details.upstreamStatus !== undefined) this.upstreamStatus = details.upstreamStatus;
    }

    /** Frameworks that read `statusCode` (Fastify) see the same status as Express. */
    get statusCode(): number {
      return this.status;
    }

    /** passport-oauth2's `InternalOAuthError.prototype.toString`, which prints the upstream status and body. */
    override toString(): string {
      let text = this.name;
      if (this.message) text += `: ${this.message}`;
      const cause = this.oauthError as { statusCode?: unknown; data?: unknown } | Error | undefined;
      if (cause instanceof Error) return cause.toString();
      if (cause && cause.statusCode && cause.data) text += ` (status: ${String(cause.statusCode)} data: ${String(cause.data)})`;
      return text;
    }

    /** An error of either family; a subclass's own `instanceof` as usual. */
    static override [Symbol.hasInstance](value: unknown): boolean {
      return this === ProviderError ? hasBrand(value, PROVIDER_ERROR) : Function.prototype[Symbol.hasInstance].call(this, value);
    }
  }
  Object.defineProperty(ProviderError.prototype, PROVIDER_ERROR, { value: true });
  // Its name whatever the bundler calls the binding (the module's own `ProviderError` export is another binding).
  Object.defineProperty(ProviderError, 'name', { value: 'ProviderError' });
  return ProviderError;
}

/** A call to a provider failed: see `providerErrorClass`. */
export const ProviderError = providerErrorClass(Error);
/** A call to a provider failed: see `providerErrorClass`. */
export type ProviderError = InstanceType<typeof ProviderError>;

/** Why a transport failed: past the timeout, a connection that failed, or a body above the size limit. */
export type TransportErrorCode = 'ETIMEDOUT' | 'ENETWORK' | 'ETOOLARGE';

/** A transport failure: `code` is ETIMEDOUT, ENETWORK or ETOOLARGE. Carries no request data. */
export class TransportError extends Error {
  constructor(
    /** `ETIMEDOUT` (past the timeout), `ENETWORK` (connection failed) or `ETOOLARGE` (body above the size limit). */
    readonly code: TransportErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'TransportError';
  }
}

/** The two error classes a `ProviderClient` throws. */
export interface ErrorClasses {
  /** The class of a token endpoint's error answer. */
  TokenError: typeof TokenError;
  /** The class of any other failed call to a provider. */
  ProviderError: typeof ProviderError;
}

/** `https://host/path?x=1#y` → `https://host/path`: queries may carry ids or, with careless providers, credentials. */
export function stripQuery(url: string): string {
  const cut = url.search(/[?#]/);
  return cut === -1 ? url : url.slice(0, cut);
}

/**
 * Masks every secret in what an error carries and prints: its message, stack, string fields, and the body kept in
 * `oauthError.data`. For errors a user's hook built (a `parseErrorResponse` override) as much as for the
 * collection's own. Returns the same error.
 */
export function redactError<E>(err: E, secrets: ReadonlyArray<string | undefined>): E {
  if (!(err instanceof Error)) return err;
  const target = err as unknown as Record<string, unknown>;
  for (const key of Object.keys(target)) {
    if (typeof target[key] === 'string') target[key] = redact(target[key] as string, secrets);
  }
  if (typeof err.message === 'string') err.message = redact(err.message, secrets);
  if (typeof err.stack === 'string') err.stack = redact(err.stack, secrets);
  const cause = target.oauthError as Record<string, unknown> | undefined;
  if (cause && typeof cause === 'object') {
    if (cause instanceof Error) redactError(cause, secrets);
    else if (typeof cause.data === 'string') cause.data = redact(cause.data, secrets);
  }
  return err;
}
