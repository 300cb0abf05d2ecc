import { timingSafeEqual } from 'node:crypto';

/** Why a callback was refused: the provider's `error` code, or the client's own reading of the query. */
export type CallbackErrorCode = 'access_denied' | 'state_mismatch' | 'invalid_callback' | (string & {});

/**
 * A callback that carries no usable code: the user denied access (`access_denied`), the `state` is not this
 * sign-in's (`state_mismatch`), the query is malformed (`invalid_callback`), or the provider answered another
 * RFC 6749 error. The provider's own description is kept only when `state` matched, so that nobody can make an app
 * show their text with a crafted link. `status` is 403 for a denial or a state mismatch and 400 otherwise.
 */
export class CallbackError extends Error {
  /** What went wrong (see `CallbackErrorCode`). */
  readonly code: CallbackErrorCode;
  /** The status an HTTP framework's error handler reads. */
  readonly status: number;
  /** The provider's `error_uri`, when state matched. */
  readonly uri?: string;

  constructor(message: string, code: CallbackErrorCode, status: number, uri?: string) {
    super(message);
    this.name = 'CallbackError';
    this.code = code;
    this.status = status;
    if (uri !== undefined) this.uri = uri;
  }
}

// RFC 6749 §4.1.2.1: the only error codes kept from an authorization response whose state is not verified.
const AUTHORIZATION_ERROR_CODES = [
  'invalid_request',
  'unauthorized_client',
  'access_denied',
  'unsupported_response_type',
  'invalid_scope',
  'server_error',
  'temporarily_unavailable',
];

/** The callback's query, from whatever the framework gives. */
export type CallbackQuery = URL | URLSearchParams | string | Record<string, unknown>;

function single(query: CallbackQuery, name: string): string | undefined | null {
  if (query instanceof URL) query = query.searchParams;
  if (typeof query === 'string')
    query = new URLSearchParams(query.startsWith('?') ? query.slice(1) : query.includes('?') ? query.slice(query.indexOf('?') + 1) : query);
  if (query instanceof URLSearchParams) {
    const all = query.getAll(name);
    return all.length === 0 ? undefined : all.length === 1 ? all[0] : null;
  }
  const value = query[name];
  if (value === undefined) return undefined;
  return typeof value === 'string' ? value : null;
}

/** Compares two states in constant time for their length. */
function sameState(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Reads a callback's query against the state this sign-in stored: the authorization code, or a `CallbackError`.
 * Every parameter must be a single string (a repeated or nested one is malformed).
 */
export function readCallback(provider: string, query: CallbackQuery, expectedState: string): string {
  if (typeof expectedState !== 'string' || expectedState === '')
    throw new TypeError(`${provider} client: validateCallback() needs the state stored when the sign-in started`);
  const state = single(query, 'state');
  const error = single(query, 'error');
  const code = single(query, 'code');
  if (state === null || error === null || code === null)
    throw new CallbackError(`${provider}: malformed callback (a repeated or non-string parameter)`, 'invalid_callback', 400);
  const trusted = state !== undefined && sameState(state, expectedState);
  if (error !== undefined) {
    const description = trusted ? single(query, 'error_description') : undefined;
    const uri = trusted ? single(query, 'error_uri') : undefined;
    const text = typeof description === 'string' && description.trim() ? description.slice(0, 300) : undefined;
    const errorCode = trusted ? error.slice(0, 100) : AUTHORIZATION_ERROR_CODES.includes(error) ? error : 'server_error';
    if (errorCode === 'access_denied') return denied(provider, text);
    throw new CallbackError(text ?? `${provider} authorization failed: ${errorCode}`, errorCode, 400, typeof uri === 'string' ? uri : undefined);
  }
  if (!trusted) throw new CallbackError(`${provider}: the callback's state is not this sign-in's`, 'state_mismatch', 403);
  if (code === undefined || code === '') throw new CallbackError(`${provider}: the callback has no code`, 'invalid_callback', 400);
  return code;
}

function denied(provider: string, text: string | undefined): never {
  throw new CallbackError(text ?? `Access denied at ${provider}`, 'access_denied', 403);
}
