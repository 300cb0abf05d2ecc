import { InternalOAuthError, PassportTokenError } from './passport-oauth2';

/**
 * The token endpoint answered with an error. Extends passport-oauth2's `TokenError`, so existing
 * `instanceof` checks keep working, and adds the provider and the upstream HTTP status.
 */
export class TokenError extends PassportTokenError {
  readonly provider: string;

  constructor(init: { provider: string; message: string; code?: string; uri?: string; status: number }) {
    super(init.message, init.code ?? 'invalid_request', init.uri, init.status);
    this.name = 'TokenError';
    this.provider = init.provider;
  }
}

/** Why a call to a provider failed, when the provider did not answer with a proper error of its own. */
export type ProviderErrorCode =
  | 'ETIMEDOUT' // no complete answer within the `timeout` option
  | 'ENETWORK' // connection refused, reset, DNS failure...
  | 'EHTTPSTATUS' // the provider answered with a non-2xx status
  | 'EBADRESPONSE' // the provider answered 2xx with a body that is not what it documents
  | 'ETOOLARGE'; // the body exceeded the size limit

/**
 * A profile, API or token call that failed (non-2xx, unreadable body, network error, timeout).
 * Extends passport-oauth2's `InternalOAuthError`. `url` never carries a query string.
 */
export class ProviderError extends InternalOAuthError {
  readonly provider: string;
  readonly url: string;
  readonly status?: number;
  readonly code: ProviderErrorCode;

  constructor(init: { provider: string; message: string; url: string; code: ProviderErrorCode; status?: number; body?: string }) {
    super(init.message, init.status === undefined ? undefined : { statusCode: init.status, data: init.body ?? '' });
    this.name = 'ProviderError';
    this.provider = init.provider;
    this.url = stripQuery(init.url);
    this.code = init.code;
    if (init.status !== undefined) this.status = init.status;
  }
}

/** `https://host/path?x=1#y` → `https://host/path`: queries may carry ids or, with careless providers, credentials. */
export function stripQuery(url: string): string {
  const cut = url.search(/[?#]/);
  return cut === -1 ? url : url.slice(0, cut);
}

/**
 * Removes every secret (client secret, code, tokens) from a text that came from outside, such as a provider's
 * error message that echoes the request. Secrets shorter than 4 characters are not worth masking.
 */
export function redact(text: string, secrets: ReadonlyArray<string | undefined>): string {
  let out = text;
  for (const secret of secrets) {
    if (secret && secret.length >= 4) out = out.split(secret).join('[redacted]');
  }
  return out;
}
