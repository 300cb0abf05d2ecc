import { timingSafeEqual } from 'node:crypto';
import { authorizationErrorShown } from '@maniapass/providers';

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
    const shown = authorizationErrorShown(error, single(query, 'error_description'), single(query, 'error_uri'), trusted);
    if (shown.code === 'access_denied') return denied(provider, shown.text);
    throw new CallbackError(shown.text ?? `${provider} authorization failed: ${shown.code}`, shown.code, 400, shown.uri);
  }
  if (!trusted) throw new CallbackError(`${provider}: the callback's state is not this sign-in's`, 'state_mismatch', 403);
  if (code === undefined || code === '') throw new CallbackError(`${provider}: the callback has no code`, 'invalid_callback', 400);
  return code;
}

function denied(provider: string, text: string | undefined): never {
  throw new CallbackError(text ?? `Access denied at ${provider}`, 'access_denied', 403);
}
